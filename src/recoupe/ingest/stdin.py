"""Standard input as an input: ``cat feed.jsonl | recoupe ingest -``.

The stream is copied to a private temporary file first (it can be read only once, and the
readers need to look at its start, seek and stream it), then read by the reader of its
format: ``[ingest] stdin_format`` / ``--format`` (text, html, json, jsonl, csv, tsv, warc),
else sniffed from its first bytes (gzip is undone first):

* ``WARC/`` -> warc; ``[`` -> json; ``{`` -> jsonl when the first line is a whole JSON
  object, else json; ``<`` -> html;
* a first line that names known columns (``url``, ``title``, ``text``...) separated by
  tabs, commas or semicolons -> tsv or csv;
* anything else -> text.

Items are named like a file's, ``<stdin:DIGEST>`` (one document) or ``<stdin:DIGEST>#N``
(N-th record), where DIGEST is the first 8 hex digits of the stream's SHA-256: what was
piped in one day is not confused with what is piped in the next (a stored rejection names
the input it belongs to).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from recoupe.config import JsonFields, Settings
from recoupe.ingest.common import GZIP_MAGIC, Item, guard
from recoupe.types import Rejection

STDIN = "-"  # the target that names standard input
ORIGIN = "<stdin>"  # before the stream is read (e.g. when reading it failed)
_SNIFF = 1 << 16
_SUFFIX = {"text": ".txt", "html": ".html", "json": ".json", "jsonl": ".jsonl",
           "csv": ".csv", "tsv": ".tsv", "warc": ".warc"}  # fmt: skip

Reader = Callable[[Path, Settings], Iterable[Item]]


def _head(path: Path) -> bytes:
    with path.open("rb") as raw:
        head = raw.read(_SNIFF)
    if head.startswith(GZIP_MAGIC):
        try:
            with gzip.open(path, "rb") as unzipped:
                head = unzipped.read(_SNIFF)
        except (OSError, EOFError):
            return head
    return head


def _known_columns(fields: JsonFields) -> set[str]:
    groups = (fields.url, fields.title, fields.text, fields.html, fields.date, fields.source)
    return {name.casefold() for group in groups for name in group}


def sniff(head: bytes, fields: JsonFields) -> str:
    """The format of a stream from its first bytes (see the module docstring)."""
    text = head.decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    if text.startswith("WARC/"):
        return "warc"
    if text.startswith("["):
        return "json"
    if text.startswith("{"):
        first = text.split("\n", 1)[0]
        try:
            return "jsonl" if isinstance(json.loads(first), dict) else "json"
        except ValueError:
            return "json"
    if text.startswith("<"):
        return "html"
    first = text.split("\n", 1)[0]
    for delimiter, name in (("\t", "tsv"), (",", "csv"), (";", "csv")):
        cells = [c.strip().strip('"').casefold() for c in first.split(delimiter)]
        if len(cells) > 1 and set(cells) & _known_columns(fields):
            return name
    return "text"


def _renamed(item: Item, temp: str, origin: str) -> Item:
    """An item of the temporary file, named as standard input."""

    def name(text: str) -> str:
        return re.sub(re.escape(temp), origin, text)

    if isinstance(item, Rejection):
        return Rejection(name(item.origin), item.reason, name(item.detail))
    return replace(item, origin=name(item.origin))


def iter_stdin(settings: Settings, stream: BinaryIO, reader_for: Callable[[Path], Reader | None]
               ) -> Iterator[Item]:  # fmt: skip
    """Items of the standard input ``stream`` (copied to a temporary file first)."""
    with tempfile.TemporaryDirectory(prefix="recoupe-stdin-") as folder:
        spooled = Path(folder) / "stdin"
        digest = hashlib.sha256()
        with spooled.open("wb") as out:
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
                out.write(chunk)
        if spooled.stat().st_size == 0:
            yield Rejection(ORIGIN, "empty", "nothing on standard input")
            return
        origin = f"<stdin:{digest.hexdigest()[:8]}>"
        fmt = settings.ingest.stdin_format or sniff(_head(spooled), settings.ingest.json_fields)
        path = spooled.rename(spooled.with_name("stdin" + _SUFFIX[fmt]))
        reader = reader_for(path)
        if reader is None:  # every format above has a reader; kept for safety
            yield Rejection(ORIGIN, "unsupported-type", f"no reader for {fmt}")
            return
        for item in guard(str(path), reader(path, settings)):
            yield _renamed(item, str(path), origin)


__all__ = ["ORIGIN", "STDIN", "iter_stdin", "sniff"]
