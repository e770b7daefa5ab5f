"""HTML files (optionally gzipped): decoded, but kept as HTML.

Reading is I/O only: the page is not parsed here. What the page says about itself (title,
author, site name, date, canonical URL, ``<html lang>``) is read by cleaning
(``recoupe.clean.html``), which parses the page anyway.
"""

from __future__ import annotations

import re
from pathlib import Path

from recoupe.config import Settings
from recoupe.ingest.common import Reject, decode, read_file
from recoupe.types import InputKind, Metadata, RawDocument

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""", re.IGNORECASE)
_HTML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<!doctype\s+html|<html)", re.IGNORECASE)


def looks_like_html(head: bytes) -> bool:
    """True when bytes open like an HTML document: only used for files with no extension."""
    return _HTML_START.match(head) is not None


def declared_charset(data: bytes) -> str | None:
    """Charset declared in the document itself (``<meta>`` or XML declaration).

    Browsers look in the first 1024 bytes; we look a little further because some pages
    put long scripts before their meta tags.
    """
    head = data[:4096]
    match = _META_CHARSET.search(head) or _XML_ENCODING.match(head)
    return match.group(1).decode("ascii") if match else None


def decode_html(data: bytes, header_charset: str | None = None) -> str:
    """Decode like a browser (BOM, then the HTTP charset, then ``<meta>``, then guessing),
    except that bytes which are valid UTF-8 are taken as UTF-8 whatever the label."""
    return decode(data, [header_charset, declared_charset(data)])


def read_html(path: Path, settings: Settings) -> RawDocument:
    """One HTML file -> one RawDocument whose content is the decoded HTML."""
    html = decode_html(read_file(path, settings.ingest.max_bytes))
    if not html.strip():
        raise Reject("empty", "only whitespace")
    return RawDocument(
        origin=str(path),
        kind=InputKind.HTML,
        content=html,
        is_html=True,
        meta=Metadata(),  # a file knows no URL or date: cleaning reads them from the page
    )
