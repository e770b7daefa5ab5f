"""Strings that every later stage (and SQLite) can take: no lone surrogates.

Python strings may hold code points UTF-8 cannot encode: lone surrogates. They arrive from
JSON (``"\\udc00"`` is valid JSON), from file names that are not UTF-8 (Python decodes
their bytes to U+DC80..U+DCFF, "surrogateescape") and from command-line arguments. One
such string used to abort a whole run when it reached the store.

* Text (content, metadata, rejection details): surrogate pairs written as two code points
  are joined, lone surrogates become U+FFFD, and the caller reports how many.
* Origins (paths, URLs): an escaped byte becomes ``\\xNN``, so the name stays readable
  and says which byte it was (``caf\\xe9.txt``); other lone surrogates become U+FFFD.

Checking is one UTF-8 encode (fast, in C); repairing happens only when that fails.
"""

from __future__ import annotations

import re

from recoupe.types import RawDocument, Rejection

REPLACEMENT = "\ufffd"
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


def is_valid(text: str) -> bool:
    """True when ``text`` encodes as UTF-8 (holds no lone surrogate)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def valid_text(text: str) -> tuple[str, int]:
    """``text`` with surrogate pairs joined and lone surrogates replaced by U+FFFD, and
    the number of characters replaced."""
    if is_valid(text):
        return text, 0
    fixed = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return fixed, fixed.count(REPLACEMENT) - text.count(REPLACEMENT)


def valid_origin(origin: str) -> str:
    """An origin (path or URL) that can be stored and shown, naming escaped bytes."""
    if is_valid(origin):
        return origin
    named = _ESCAPED_BYTE.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", origin)
    return valid_text(named)[0]


def valid_rejection(rejection: Rejection) -> Rejection:
    if is_valid(rejection.origin) and is_valid(rejection.reason) and is_valid(rejection.detail):
        return rejection
    return Rejection(
        valid_origin(rejection.origin),
        valid_text(rejection.reason)[0],
        valid_text(rejection.detail)[0],
    )


def valid_item(item: RawDocument | Rejection) -> RawDocument | Rejection:
    """The item with a valid origin (and, for a rejection, valid text). A document's
    content and metadata are repaired by the pipeline, which reports the repair."""
    if isinstance(item, Rejection):
        return valid_rejection(item)
    if is_valid(item.origin):
        return item
    return RawDocument(valid_origin(item.origin), item.kind, item.content, item.is_html,
                       item.meta)  # fmt: skip
