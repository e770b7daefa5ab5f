"""Records as plain JSON values, for ``--json`` output: any tree of dataclasses,
tuples, enums and dicts. Output only: stores read records through their own codecs
(``store.findings_codec``, ``store.analyses``), never back from this form."""

from __future__ import annotations

import dataclasses
import enum
from typing import Any


def to_plain(value: Any) -> Any:
    """JSON-ready form: dataclasses become dicts, tuples lists, enums their values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    return value
