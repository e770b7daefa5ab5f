"""Plain text and Markdown files: decoded as they are, cleaning comes later.

A ``.txt`` file that happens to contain HTML stays text: the user named it text, and a
guess would be worse than the literal content.
"""

from __future__ import annotations

from pathlib import Path

from recoupe.config import Settings
from recoupe.ingest.common import Reject, decode, read_file
from recoupe.types import InputKind, RawDocument


def read_text(path: Path, settings: Settings) -> RawDocument:
    """One text file -> one RawDocument (raises Reject for empty/binary/undecodable...)."""
    text = decode(read_file(path, settings.ingest.max_bytes))
    if not text.strip():
        raise Reject("empty", "only whitespace")
    return RawDocument(origin=str(path), kind=InputKind.TEXT, content=text, is_html=False)
