"""HTML files (optionally gzipped): decoded and described, but kept as HTML.

Only metadata is pulled here (with trafilatura's extractor, the same library that cleans
the page later, so both agree on what the page is); choosing the main text is cleaning's
job.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from recoupe.config import Settings
from recoupe.ingest.common import Reject, decode, normalise_language, read_file
from recoupe.types import InputKind, Metadata, RawDocument

_LOG = logging.getLogger(__name__)
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


def html_metadata(html: str, url: str | None = None) -> Metadata:
    """What the page says about itself. Never fails: an empty Metadata on any error,
    because a page with unreadable metadata is still a page."""
    try:
        from trafilatura.metadata import extract_metadata  # slow import: only when needed
        from trafilatura.utils import load_html

        tree = load_html(html)
        if tree is None:
            return Metadata(url=url)
        lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
        # extensive=False: dates from markup or URL, not guessed from the running text.
        found: Any = extract_metadata(tree, default_url=url, extensive=False)
    except Exception as exc:  # metadata is a bonus, never a reason to lose the page
        _LOG.warning("metadata extraction failed for %s: %s", url or "page", exc)
        return Metadata(url=url)
    return Metadata(
        url=url or found.url,
        outlet=found.sitename,
        title=found.title,
        author=found.author,
        published=found.date,
        language=normalise_language(lang),
    )


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
        meta=html_metadata(html),
    )
