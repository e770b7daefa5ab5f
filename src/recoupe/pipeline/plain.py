"""Frozen dataclass records <-> plain JSON values, driven by the records' type hints.

Per-story findings (claim groups, summaries...) are nested records stored as one JSON
document; writing a codec per record type would repeat their field lists. ``from_plain``
rebuilds any record tree made of dataclasses, tuples, optionals, enums, str/int/float/
bool and str-keyed dicts, and refuses anything else loudly.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import types
import typing
from typing import Any, TypeVar

T = TypeVar("T")


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


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_plain(tp: Any, value: Any) -> Any:
    """Rebuild a value of type ``tp`` from ``to_plain`` output (TypeError if it does
    not fit)."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        if value is None and type(None) in args:
            return None
        (inner,) = [a for a in args if a is not type(None)]
        return from_plain(inner, value)
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(from_plain(args[0], v) for v in value)
        return tuple(from_plain(a, v) for a, v in zip(args, value, strict=True))
    if origin is dict:
        _, val_t = typing.get_args(tp)
        return {str(k): from_plain(val_t, v) for k, v in value.items()}
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        fields = {f.name for f in dataclasses.fields(tp) if f.init}
        return tp(**{k: from_plain(hints[k], value[k]) for k in fields if k in value})
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp(value)
    if tp is float and isinstance(value, int | float):
        return float(value)
    if tp in (str, int, bool) and isinstance(value, tp):
        return value
    if tp is Any:
        return value
    raise TypeError(f"cannot read {value!r} as {tp!r}")


def typed(tp: type[T], value: Any) -> T:
    """``from_plain`` with the result typed for the caller."""
    out: T = from_plain(tp, value)
    return out
