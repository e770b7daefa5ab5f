"""WARC archives (web crawls), optionally gzipped: one item per HTML response record.

Archives are streamed record by record, so the size limit applies to each record's
payload, not to the file. warcio tolerates truncation silently (a cut record just comes
out short), so this reader checks that each record was complete itself and decompresses
gzip with the standard library, which does notice a missing end of stream.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from warcio.archiveiterator import WARCIterator

from recoupe.config import Settings
from recoupe.ingest.common import (
    GZIP_MAGIC,
    Item,
    Reject,
    charset_of,
    check_bytes,
    read_limited,
    unexpected,
)
from recoupe.ingest.html import decode_html
from recoupe.types import InputKind, Metadata, RawDocument, Rejection

_DRAIN = 1 << 16
_HTML_TYPES = ("text/html", "application/xhtml+xml")


class CorruptArchive(Exception):
    """Broken compressed data. Deliberately not an EOFError: warcio takes those for the
    normal end of the archive and would hide the damage."""


class _StrictGzip:
    """A gzip reader whose errors cannot be mistaken by warcio for a clean end.

    ``read1`` decompresses at most one chunk per call, so the records before the damage
    are handed over before the error is raised (``read`` would lose its whole buffer).
    """

    def __init__(self, raw: BinaryIO) -> None:
        self._gz = gzip.GzipFile(fileobj=raw, mode="rb")

    def read(self, size: int = -1) -> bytes:
        try:
            return self._gz.read1(size)
        except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
            raise CorruptArchive(f"compressed data is truncated or corrupt: {exc}") from exc

    def tell(self) -> int:
        return self._gz.tell()


def _drain(record: Any) -> None:
    """Read what is left of a record and fail if it ends before its Content-Length
    (mandatory in WARC: a record without one was cut inside its headers)."""
    if not record.rec_headers.get_header("Content-Length"):
        raise CorruptArchive("record without Content-Length (truncated headers?)")
    stream = record.raw_stream
    while stream.read(_DRAIN):
        pass
    if getattr(stream, "limit", 0) > 0:
        raise CorruptArchive(f"record ends {stream.limit} bytes before its declared length")


def _response_item(origin: str, record: Any, max_bytes: int) -> Item:
    """A response record -> RawDocument if it is a successful HTML page, else a Rejection."""
    http = record.http_headers
    status = http.get_statuscode() if http else None
    content_type = (http or record.rec_headers).get_header("Content-Type") or ""
    if status and not status.startswith("2"):
        return Rejection(origin, f"http-{status}", f"archived response status {status}")
    if not content_type.lower().startswith(_HTML_TYPES):
        return Rejection(origin, "unsupported-content-type", content_type or "no content type")
    try:
        payload = read_limited(record.content_stream(), max_bytes, "record payload")
        check_bytes(payload)
        html = decode_html(payload, charset_of(content_type))
    except Reject as rej:
        return rej.to_rejection(origin)
    url = record.rec_headers.get_header("WARC-Target-URI")
    # what the archive knows; the page's own metadata is read by cleaning
    meta = Metadata(url=url, fetched=record.rec_headers.get_header("WARC-Date"))
    return RawDocument(origin, InputKind.WARC, html, True, meta)


def _open(path: Path) -> tuple[BinaryIO, Any]:
    raw = path.open("rb")
    if raw.read(2) == GZIP_MAGIC:
        raw.seek(0)
        return raw, _StrictGzip(raw)
    raw.seek(0)
    return raw, raw


def iter_warc(path: Path, settings: Settings) -> Iterator[Item]:
    """A WARC file -> one item per response record (others are skipped), origin ``path#N``.

    On a corrupt or truncated archive the records read so far are kept and one
    ``malformed-warc`` rejection names the record where reading stopped.
    """
    if path.stat().st_size == 0:
        raise Reject("empty", "no content")
    position = 1  # the record being read, named if reading fails
    responses = 0
    raw, stream = _open(path)
    with raw:
        try:
            records = WARCIterator(stream)
            for record in records:
                origin = f"{path}#{position}"
                item = None
                if record.rec_type == "response":
                    responses += 1
                    try:
                        item = _response_item(origin, record, settings.ingest.max_bytes)
                    except Exception as exc:  # one odd record must not lose the rest
                        item = unexpected(origin, exc)
                _drain(record)
                if item is not None:
                    yield item
                position += 1
            if records.offset < stream.tell():  # warcio stops quietly inside a cut header
                raise CorruptArchive("the archive ends inside a record's headers")
        except Exception as exc:  # whatever warcio raises, the archive is broken here
            yield Rejection(f"{path}#{position}", "malformed-warc", f"{type(exc).__name__}: {exc}")
            return
    if not responses:  # nothing to show for the file: say so rather than stay silent
        raise Reject("empty", "no response records in the archive")
