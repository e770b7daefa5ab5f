"""CSV and TSV files: one article per row, columns named by a header row.

The most common hand-off of articles is a spreadsheet export (``url,title,text,date,
source``), and Media Cloud, GDELT and Event Registry all export CSV. Columns are matched to
the same configurable field names as JSON (``[ingest.json_fields]``, whose defaults include
those exports' column names, docs/inputs.md), case-insensitively; a dotted name
("source.title") matches a flattened column. Each row then goes the way of a JSON record
(``recoupe.ingest.jsonl.record_to_item``): a row without text is a ``no-text-field``
rejection (GDELT rows hold only a link), a row whose cells do not fit the header a
``malformed-csv`` one; other rows are unaffected.

Files are streamed: quoted fields may span lines and the size limit applies to each row.
The encoding is read from a byte-order mark, else UTF-8 when the first 64 KB are UTF-8,
else detected on them. The delimiter is a tab for ``.tsv``; for ``.csv`` whichever of
comma, semicolon and tab the header row holds most (European spreadsheets write ";").
"""

from __future__ import annotations

import codecs
import csv
import io
import zlib
from collections.abc import Iterator
from gzip import BadGzipFile
from pathlib import Path
from typing import Any

from charset_normalizer import from_bytes

from recoupe.config import JsonFields, Settings
from recoupe.ingest.common import SNIFF_BYTES, Item, Reject, check_binary, open_stream
from recoupe.ingest.jsonl import record_to_item
from recoupe.types import InputKind, Rejection

_SAMPLE = 1 << 16
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))  # fmt: skip


def _encoding(sample: bytes) -> str:
    for bom, codec in _BOMS:
        if sample.startswith(bom):
            return codec
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 4:  # a character cut by the end of the sample
            return "utf-8"
    best = from_bytes(sample).best()
    if best is None:
        raise Reject("undecodable", "not UTF-8 and no other encoding fits")
    return "cp1252" if best.encoding in ("latin_1", "ascii") else best.encoding


def _delimiter(header: str, tsv: bool) -> str:
    if tsv:
        return "\t"
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def _columns(header: list[str], fields: JsonFields) -> dict[int, str]:
    """Column index -> the field name it stands for (the configured spelling), matched
    case-insensitively; unknown columns keep their own name."""
    groups = (fields.url, fields.title, fields.text, fields.html, fields.date, fields.source,
              fields.author, fields.language)  # fmt: skip
    names = [n for group in groups for n in group]
    by_key: dict[str, str] = {}
    for name in names:
        by_key.setdefault(name.casefold(), name)
    return {i: by_key.get(h.strip().casefold(), h.strip()) for i, h in enumerate(header)}


def iter_table(path: Path, settings: Settings) -> Iterator[Item]:
    """A CSV/TSV file -> one item per data row; origin ``path#N`` (N-th row after the
    header, 1-based)."""
    if path.stat().st_size == 0:
        raise Reject("empty", "no content")
    name = path.name.lower()
    tsv = name.endswith((".tsv", ".tsv.gz", ".tab"))
    with open_stream(path) as stream:
        try:
            sample = stream.read(_SAMPLE)
            check_binary(sample[:SNIFF_BYTES])
            stream.seek(0)
            text = io.TextIOWrapper(stream, encoding=_encoding(sample), newline="")
            yield from _rows(text, str(path), tsv, settings)
        except (EOFError, zlib.error, BadGzipFile) as exc:
            raise Reject("malformed-gzip", str(exc)) from exc
        except UnicodeDecodeError as exc:
            detail = f"the file changes encoding after its start: {exc}"
            raise Reject("undecodable", detail) from exc


def _rows(text: io.TextIOWrapper, origin: str, tsv: bool, settings: Settings) -> Iterator[Item]:
    first = text.readline()
    while first and not first.strip():
        first = text.readline()
    if not first.strip():
        raise Reject("empty", "no header row")
    delimiter = _delimiter(first, tsv)
    max_bytes, fields = settings.ingest.max_bytes, settings.ingest.json_fields
    csv.field_size_limit(max(max_bytes, 1 << 17))
    header = next(csv.reader([first], delimiter=delimiter))
    columns = _columns(header, fields)
    if len(set(columns.values())) < len(columns) or not any(h.strip() for h in header):
        raise Reject("malformed-csv", "the header row names a column twice or names none")
    reader = csv.reader(text, delimiter=delimiter, strict=True)
    seen = False
    number = 0
    while True:
        number += 1
        item_origin = f"{origin}#{number}"
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            yield Rejection(item_origin, _csv_reason(exc, max_bytes), str(exc))
            if "field larger" not in str(exc):
                return  # the quoting is broken: what follows cannot be read as rows
            continue
        if not any(cell.strip() for cell in row):
            number -= 1
            continue
        seen = True
        yield _row_item(item_origin, row, columns, fields)
    if not seen:
        raise Reject("empty", "a header row and no data rows")


def _csv_reason(exc: csv.Error, max_bytes: int) -> str:
    return "too-large" if "field larger" in str(exc) else "malformed-csv"


def _row_item(origin: str, row: list[str], columns: dict[int, str], fields: JsonFields) -> Item:
    if len(row) != len(columns):
        detail = f"{len(row)} cells where the header has {len(columns)} columns"
        return Rejection(origin, "malformed-csv", detail)
    record: dict[str, Any] = {columns[i]: cell for i, cell in enumerate(row) if cell.strip()}
    return record_to_item(origin, record, fields, InputKind.CSV)


__all__ = ["iter_table"]
