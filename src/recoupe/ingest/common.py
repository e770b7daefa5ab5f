"""Checks and helpers shared by every reader, so each reason code is decided in one place.

Readers raise :class:`Reject` for a bad input; :func:`guard` turns it (and any unexpected
exception) into a :class:`~recoupe.types.Rejection`, so one bad input never stops a run.
"""

from __future__ import annotations

import codecs
import gzip
import re
import zlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from charset_normalizer import from_bytes

from recoupe.types import Metadata, RawDocument, Rejection

Item = RawDocument | Rejection

#: Every reason code ingest can give, with what it means (mirrored in docs/inputs.md;
#: ``http-<status>`` stands for the HTTP status codes, e.g. ``http-404``).
REASONS: dict[str, str] = {
    "empty": "0 bytes, or only whitespace",
    "too-large": "larger than the size limit (file, record, decompressed data or response)",
    "binary": "NUL bytes or many control characters: not text",
    "undecodable": "no character encoding fits the bytes",
    "unsupported-type": "a file whose extension (or lack of one) no reader handles",
    "symlink-outside": "a symbolic link leading out of the folder ingested (not followed)",
    "malformed-gzip": "gzip data that is corrupt or truncated",
    "malformed-json": "a JSON document or line that does not parse, or is not an object",
    "no-text-field": "a JSON record with none of the text/html fields",
    "malformed-warc": "a WARC file that is corrupt or truncated from that record on",
    "unsupported-content-type": "a web response or WARC response that is not HTML/text/feed",
    "empty-feed": "a feed with no entries",
    "no-link": "a feed entry without a link (and too little text of its own)",
    "http-<status>": "the server answered with that HTTP status (error or unexpected)",
    "fetch-error": "network failure: DNS, connection, timeout, TLS",
    "too-many-redirects": "more than 5 redirects",
    "robots-disallowed": "robots.txt forbids fetching the URL",
    "scheme-refused": "a URL scheme other than http/https (e.g. file://)",
    "private-address": "the host resolves to a private/loopback/link-local/reserved address",
    "invalid-url": "a URL without a host or that cannot be parsed",
    "read-error": "an unexpected error while reading (the message says which)",
    "malformed-csv": "a CSV/TSV row that does not fit the header, or a file without one",
    "malformed-sidecar": "the sidecar NAME.json beside a file is not a JSON object",
}

GZIP_MAGIC = b"\x1f\x8b"
SNIFF_BYTES = 8192
_CHUNK = 1 << 16
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# C0 controls that never appear in text (tab, LF, VT, FF, CR and ESC do), plus DEL.
_CONTROL_BYTES = bytes([*range(0, 9), *range(14, 27), *range(28, 32), 127])
_CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_NEWLINES = re.compile(r"\r\n?")
_LANG_TAG = re.compile(r"^([a-zA-Z]{2,3})(?:[-_][a-zA-Z0-9-]*)?$")


class Reject(Exception):
    """Raised inside a reader when an input cannot become a document; caught by guard()."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail

    def to_rejection(self, origin: str) -> Rejection:
        return Rejection(origin, self.reason, self.detail)


def unexpected(origin: str, exc: BaseException) -> Rejection:
    """An exception nobody planned for still only costs the one input it happened on."""
    return Rejection(origin, "read-error", f"{type(exc).__name__}: {exc}")


def guard(origin: str, items: Iterable[Item]) -> Iterator[Item]:
    """Yield ``items``; if producing them fails, end with one Rejection for ``origin``.

    Items already yielded are kept: a truncated container still gives what it held.
    """
    try:
        yield from items
    except Reject as rej:
        yield rej.to_rejection(origin)
    except Exception as exc:  # one bad input must never stop the run
        yield unexpected(origin, exc)


def read_limited(stream: BinaryIO, max_bytes: int, what: str = "data") -> bytes:
    """Read a stream in chunks, refusing past ``max_bytes`` so a gzip bomb cannot fill RAM."""
    chunks: list[bytes] = []
    total = 0
    while chunk := stream.read(_CHUNK):
        total += len(chunk)
        if total > max_bytes:
            raise Reject("too-large", f"{what} exceeds the limit of {max_bytes} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def open_stream(path: Path) -> BinaryIO:
    """Open a file for reading, decompressing it when it starts with the gzip magic number.

    Sniffing the magic rather than trusting ``.gz`` accepts both mislabelled files and
    pages saved still gzip-encoded.
    """
    with path.open("rb") as raw:
        magic = raw.read(2)
    if magic == GZIP_MAGIC:
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def read_file(path: Path, max_bytes: int) -> bytes:
    """All bytes of a (possibly gzipped) file, checking size before and while reading."""
    size = path.stat().st_size
    if size > max_bytes:
        raise Reject("too-large", f"{size} bytes, limit {max_bytes}")
    try:
        with open_stream(path) as stream:
            data = read_limited(stream, max_bytes, "decompressed content")
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise Reject("malformed-gzip", str(exc)) from exc
    check_bytes(data)
    return data


def check_bytes(data: bytes) -> None:
    """Reject empty and binary content; the cheap checks every input goes through."""
    if not data.strip():
        raise Reject("empty", "no content" if not data else "only whitespace")
    check_binary(data)


def check_binary(data: bytes) -> None:
    """Reject bytes that are not text: NUL bytes or >10 % control bytes in the first 8 KB."""
    if _bom_codec(data) in ("utf-16", "utf-32"):
        return  # NUL bytes are normal there
    head = data[:SNIFF_BYTES]
    if b"\x00" in head:
        raise Reject("binary", "NUL bytes in the first 8 KB")
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if controls > 0.1 * len(head):
        raise Reject("binary", f"{controls} control bytes in the first {len(head)}")


def check_text(text: str) -> None:
    """Same checks as :func:`check_bytes` for text that arrives already decoded (JSON)."""
    if not text.strip():
        raise Reject("empty", "only whitespace")
    head = text[:SNIFF_BYTES]
    if "\x00" in head or len(_CONTROL_CHARS.findall(head)) > 0.1 * len(head):
        raise Reject("binary", "control characters in the text")


def _bom_codec(data: bytes) -> str | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec
    return None


def _valid_codec(name: str | None) -> str | None:
    """A Python codec for a declared charset; Latin-1/ASCII mean windows-1252 on the web."""
    if not name:
        return None
    try:
        codec = codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None
    return "cp1252" if codec in ("latin-1", "iso8859-1", "ascii") else codec


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 with a few stray bytes (e.g. a truncated concatenation) stays UTF-8.

    Guessing a legacy code page for the whole file would garble every accented letter to
    save a handful; so a file with plenty of valid multi-byte characters and at most one
    bad byte per ten of them is decoded as UTF-8 with replacement characters.
    """
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    good = sum(1 for ch in text if ord(ch) > 127) - bad
    return text if good >= 3 and bad * 10 <= good else None


def decode(data: bytes, declared: Sequence[str | None] = ()) -> str:
    """Decode bytes: BOM, then strict UTF-8, then declared charsets in order, then nearly
    UTF-8, then detection. Raises ``Reject("undecodable")`` when nothing fits.

    Valid UTF-8 wins over a declaration because pages labelled Latin-1 but served as
    UTF-8 are common, while legacy-encoded text that happens to be valid UTF-8 is not.
    Newlines come out as LF.
    """
    bom = _bom_codec(data)
    candidates = [bom] if bom else ["utf-8", *map(_valid_codec, declared)]
    for codec in candidates:
        if codec:
            try:
                return normalise_newlines(data.decode(codec))
            except (UnicodeDecodeError, LookupError):
                continue
    text = _mostly_utf8(data)
    if text is None:
        best = from_bytes(data).best()
        if best is None:
            raise Reject("undecodable", "not UTF-8 and no other encoding fits")
        text = str(best)
    return normalise_newlines(text)


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF, so offsets and line counts agree across platforms."""
    return _NEWLINES.sub("\n", text)


# ISO 639-2/3 codes and English names some exports give (Event Registry "eng", GDELT
# "English") for the languages recoupe reads: as the two-letter codes used everywhere else.
_LANGUAGE_ALIASES = {
    "eng": "en", "english": "en", "fra": "fr", "fre": "fr", "french": "fr", "deu": "de",
    "ger": "de", "german": "de", "spa": "es", "spanish": "es", "ita": "it", "italian": "it",
    "por": "pt", "portuguese": "pt", "nld": "nl", "dut": "nl", "dutch": "nl", "pol": "pl",
    "polish": "pl", "rus": "ru", "russian": "ru", "ukr": "uk", "ukrainian": "uk",
    "tur": "tr", "turkish": "tr", "ara": "ar", "arabic": "ar", "zho": "zh", "chi": "zh",
    "chinese": "zh",
}  # fmt: skip


def normalise_language(value: str | None) -> str | None:
    """Primary subtag of a declared language tag ('en-GB' -> 'en', 'eng' -> 'en',
    'English' -> 'en'); None if not a tag."""
    if not value:
        return None
    text = value.strip()
    if text.lower() in _LANGUAGE_ALIASES:
        return _LANGUAGE_ALIASES[text.lower()]
    match = _LANG_TAG.match(text)
    if not match:
        return None
    code = match.group(1).lower()
    return _LANGUAGE_ALIASES.get(code, code)


def charset_of(content_type: str | None) -> str | None:
    """The ``charset=`` parameter of a Content-Type header, if any."""
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type or "", re.IGNORECASE)
    return match.group(1) if match else None


# Fields that travel with another: a date's precision and source, an outlet's source.
_COMPANIONS = {
    "published": ("published_precision", "published_source"),
    "outlet": ("outlet_source",),
}
_FOLLOWERS = {name for names in _COMPANIONS.values() for name in names}


def merge_meta(primary: Metadata, fallback: Metadata) -> Metadata:
    """Fields of ``primary``, completed by ``fallback`` where ``primary`` knows nothing;
    a date or outlet comes with its own precision and source."""
    values: dict[str, str | None] = {}
    for name in Metadata.__dataclass_fields__:
        if name in _FOLLOWERS:
            continue
        source = primary if getattr(primary, name) else fallback
        values[name] = getattr(source, name)
        for companion in _COMPANIONS.get(name, ()):
            values[companion] = getattr(source, companion)
    return Metadata(**values)
