"""JSON and JSON Lines exports (news APIs, scrapers, datasets), optionally gzipped.

Field names vary between sources, so they come from ``settings.ingest.json_fields``: the
first field present and non-empty wins. A bad record costs only that record.

JSON Lines files are streamed line by line (they can be far larger than memory); the size
limit then applies to each line, not to the file. A ``.json`` file is parsed whole, so the
limit applies to the file.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from gzip import BadGzipFile
from pathlib import Path
from typing import Any, BinaryIO

from recoupe.config import JsonFields, Settings
from recoupe.ingest.common import (
    SNIFF_BYTES,
    Item,
    Reject,
    check_binary,
    check_text,
    decode,
    normalise_language,
    normalise_newlines,
    open_stream,
    read_file,
    unexpected,
)
from recoupe.types import InputKind, Metadata, RawDocument, Rejection

# GDELT writes its times as YYYYMMDDHHMMSS in UTC without saying so in the value.
_UTC_FIELDS = frozenset({"DATE", "DATEADDED", "MentionTimeDate"})


def _as_text(value: Any) -> str | None:
    """A field value as text: lists joined with ", ", objects by their ``name`` (or
    ``title``, Event Registry's sources)."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, Mapping):
        return _as_text(value.get("name")) or _as_text(value.get("title"))
    if isinstance(value, list):
        parts = [part for part in map(_as_text, value) if part]
        return ", ".join(parts) or None
    return None


def _lookup(record: Mapping[str, Any], name: str) -> Any:
    """``record[name]``, or for a dotted name ("source.title") the nested value."""
    if name in record or "." not in name:
        return record.get(name)
    head, _, rest = name.partition(".")
    inner = record.get(head)
    return _lookup(inner, rest) if isinstance(inner, Mapping) else None


def _first_named(record: Mapping[str, Any], names: Sequence[str]) -> tuple[str | None, str]:
    """(the first non-empty value among ``names``, the name that gave it)."""
    for name in names:
        text = _as_text(_lookup(record, name))
        if text:
            return text, name
    return None, ""


def _first(record: Mapping[str, Any], names: Sequence[str]) -> str | None:
    return _first_named(record, names)[0]


def _date(record: Mapping[str, Any], names: Sequence[str]) -> str | None:
    value, name = _first_named(record, names)
    if value and name in _UTC_FIELDS and value.isdigit():
        return value + "Z"
    return value


def _body(record: Mapping[str, Any], fields: JsonFields) -> tuple[str, bool]:
    """The article body and whether it is HTML; text fields are tried before html ones."""
    present = False
    for names, is_html in ((fields.text, False), (fields.html, True)):
        for name in names:
            value = record.get(name)
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                value = "\n\n".join(value)  # a list of paragraphs
            if isinstance(value, str):
                present = True
                if value.strip():
                    return normalise_newlines(value), is_html
    if present:
        raise Reject("empty", "the text field is empty")
    tried = ", ".join([*fields.text, *fields.html])
    url = _first(record, fields.url)
    if url:
        raise Reject("no-text-field", f"no text, only a link (ingest the link itself to "
                                      f"fetch it: {url}); fields tried: {tried}")  # fmt: skip
    raise Reject("no-text-field", f"none of these fields holds text: {tried}")


def record_to_item(
    origin: str, record: Any, fields: JsonFields, kind: InputKind = InputKind.JSON
) -> Item:
    """One decoded JSON value (or CSV row) -> RawDocument, or a Rejection saying what is
    missing."""
    if not isinstance(record, dict):
        return Rejection(
            origin, "malformed-json", f"expected an object, got {type(record).__name__}"
        )
    try:
        content, is_html = _body(record, fields)
        check_text(content)
    except Reject as rej:
        return rej.to_rejection(origin)
    outlet, published = _first(record, fields.source), _date(record, fields.date)
    meta = Metadata(
        url=_first(record, fields.url),
        outlet=outlet,
        title=_first(record, fields.title),
        author=_first(record, fields.author),
        published=published,
        language=normalise_language(_first(record, fields.language)),
        published_source="metadata" if published else None,
        outlet_source="metadata" if outlet else None,
    )
    return RawDocument(origin, kind, content, is_html, meta)


def _safely(make: Callable[[str, Any, JsonFields], Item], origin: str, *args: Any) -> Item:
    """``make(origin, ...)``, or a read-error Rejection: one odd record must not lose the
    rest."""
    try:
        return make(origin, *args)
    except Exception as exc:
        return unexpected(origin, exc)


def _parse_line(origin: str, line: bytes, fields: JsonFields) -> Item:
    try:
        record = json.loads(line.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        return Rejection(origin, "undecodable", f"JSON Lines must be UTF-8: {exc}")
    except json.JSONDecodeError as exc:
        return Rejection(origin, "malformed-json", str(exc))
    return record_to_item(origin, record, fields)


def _lines(stream: BinaryIO, max_bytes: int) -> Iterator[bytes | None]:
    """Lines of a stream, each read with a cap; None stands for a line over the cap
    (whose remainder is skipped without being held in memory)."""
    while line := stream.readline(max_bytes + 1):
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while (rest := stream.readline(max_bytes)) and not rest.endswith(b"\n"):
                pass
            yield None
        else:
            yield line


def iter_jsonl(path: Path, settings: Settings) -> Iterator[Item]:
    """A JSON Lines file -> one item per non-blank line; origin ``path#LINE``."""
    max_bytes, fields = settings.ingest.max_bytes, settings.ingest.json_fields
    if path.stat().st_size == 0:
        raise Reject("empty", "no content")
    with open_stream(path) as stream:
        try:
            check_binary(stream.read(SNIFF_BYTES))
            stream.seek(0)
            yield from _records(_lines(stream, max_bytes), str(path), max_bytes, fields)
        except (EOFError, zlib.error, BadGzipFile) as exc:
            raise Reject("malformed-gzip", str(exc)) from exc


def _records(
    lines: Iterator[bytes | None], path: str, max_bytes: int, fields: JsonFields
) -> Iterator[Item]:
    """Items for an iterator of lines (None = over the cap); 'empty' if there were none."""
    seen = False
    for number, line in enumerate(lines, start=1):
        origin = f"{path}#{number}"
        if line is None:
            seen = True
            yield Rejection(origin, "too-large", f"line longer than {max_bytes} bytes")
        elif line.strip():
            seen = True
            yield _safely(_parse_line, origin, line, fields)
    if not seen:
        raise Reject("empty", "no records")


def iter_json(path: Path, settings: Settings) -> Iterator[Item]:
    """A JSON file: one object (origin ``path``) or a list of them (``path#N``).

    A file that is really JSON Lines under a ``.json`` name is read as JSON Lines.
    """
    fields = settings.ingest.json_fields
    text = decode(read_file(path, settings.ingest.max_bytes))
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg != "Extra data":
            raise Reject("malformed-json", str(exc)) from exc
        lines = iter(line.encode("utf-8") for line in text.split("\n"))
        yield from _records(lines, str(path), settings.ingest.max_bytes, fields)
        return
    if not isinstance(document, list):
        yield record_to_item(str(path), document, fields)
        return
    if not document:
        raise Reject("empty", "an empty list")
    for number, record in enumerate(document, start=1):
        origin = f"{path}#{number}"
        yield _safely(record_to_item, origin, record, fields)
