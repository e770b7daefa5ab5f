"""URLs: a single article page, or an RSS/Atom feed whose entries are fetched as articles.

A feed is recognised by its content type (rss/atom/xml with entries feedparser can read)
or by a ``.rss``/``.xml``/``.atom`` URL. Feed entries carry the publisher's own title,
author and date, which are kept in preference to what the page says (cleaning reads the
page's metadata later and only fills what is still blank).

When an entry's page cannot be fetched, the feed's own summary stands in only if it is
long enough to be the article (>= 500 characters): most feeds carry a teaser, and a
teaser stored as an article would later look like a short, complete story.
"""

from __future__ import annotations

import calendar
import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import feedparser

from recoupe.ingest.common import (
    Item,
    Reject,
    charset_of,
    check_bytes,
    decode,
    merge_meta,
    unexpected,
)
from recoupe.ingest.fetch import Fetcher, Page
from recoupe.ingest.html import decode_html, looks_like_html
from recoupe.types import InputKind, Metadata, RawDocument, Rejection

MIN_FEED_TEXT = 500
_FEED_SUFFIXES = (".rss", ".xml", ".atom")
_TAGS = re.compile(r"<[^>]+>")


def iter_url(url: str, fetcher: Fetcher) -> Iterator[Item]:
    """Items of one URL target: one article, or one item per feed entry."""
    try:
        page = fetcher.fetch(url)
        feed = _parse_feed(url, page)
        if feed is None:
            yield article(url, page, InputKind.URL)
            return
    except Reject as rej:
        yield rej.to_rejection(url)
        return
    yield from _iter_feed(url, page, feed, fetcher)


def article(origin: str, page: Page, kind: InputKind, known: Metadata | None = None) -> RawDocument:
    """A fetched page -> RawDocument (HTML kept as HTML, plain text as text)."""
    check_bytes(page.body)
    content_type = page.content_type.lower()
    # What the transport knows (the feed entry's values first); the page's own metadata is
    # read by cleaning, which fills only what is still blank.
    meta = merge_meta(known or Metadata(), Metadata(url=page.url, fetched=page.fetched))
    if "html" in content_type or (not content_type and looks_like_html(page.body[:512])):
        html = decode_html(page.body, charset_of(content_type))
        return RawDocument(origin, kind, html, True, meta)
    if content_type.startswith("text/plain"):
        text = decode(page.body, [charset_of(content_type)])
        return RawDocument(origin, kind, text, False, meta)
    raise Reject("unsupported-content-type", page.content_type or "no content type")


def _parse_feed(url: str, page: Page) -> Any | None:
    """The parsed feed if ``page`` is one, None if it is a page; Reject if it claims to be
    a feed but has no entries."""
    content_type = page.content_type.lower()
    paths = (urlsplit(url).path.lower(), urlsplit(page.url).path.lower())
    by_name = any(path.endswith(_FEED_SUFFIXES) for path in paths)
    by_type = "rss" in content_type or "atom" in content_type
    if "html" in content_type or not (by_name or by_type or "xml" in content_type):
        return None
    # A stream, never a string: feedparser would fetch a URL or open a file named by one.
    headers = {"content-type": page.content_type, "content-location": page.url}
    feed = feedparser.parse(io.BytesIO(page.body), response_headers=headers)
    if feed.entries:
        return feed
    if by_name or by_type:
        raise Reject("empty-feed", "the feed has no entries")
    return None


def _iso(parsed: Any) -> str | None:
    """feedparser's UTC struct_time -> ISO 8601."""
    if not parsed:
        return None
    return datetime.fromtimestamp(calendar.timegm(parsed), UTC).isoformat()


def _entry_text(entry: Any) -> tuple[str, bool]:
    """The longest text the feed gives for an entry (full content beats summary)."""
    candidates = [(c.get("value", ""), c.get("type", "")) for c in entry.get("content", [])]
    detail = entry.get("summary_detail") or {}
    candidates.append((entry.get("summary", ""), detail.get("type", "text/html")))
    value, kind = max(candidates, key=lambda c: len(c[0]))
    return value, "html" in kind


def _entry_item(feed_url: str, number: int, entry: Any, page: Page, fetcher: Fetcher) -> Item:
    link = entry.get("link")
    known = Metadata(
        title=entry.get("title") or None,
        author=entry.get("author") or None,
        published=_iso(entry.get("published_parsed") or entry.get("updated_parsed")),
    )
    origin = link or f"{feed_url}#{number}"
    if link:
        try:
            return article(link, fetcher.fetch(link), InputKind.FEED, known)
        except Reject as rej:
            failure = rej
    else:
        failure = Reject("no-link", "the feed entry has no link")
    text, is_html = _entry_text(entry)
    length = len(_TAGS.sub("", text).strip())
    if length >= MIN_FEED_TEXT:
        meta = merge_meta(known, Metadata(url=link, fetched=page.fetched))
        return RawDocument(origin, InputKind.FEED, text, is_html, meta)
    detail = f"{failure.detail}; the feed's own text ({length} chars) is too short to use"
    return Rejection(origin, failure.reason, detail)


def _iter_feed(url: str, page: Page, feed: Any, fetcher: Fetcher) -> Iterator[Item]:
    """One item per entry, up to ``max_feed_items``; an entry's failure is its own."""
    for number, entry in enumerate(feed.entries[: fetcher.settings.max_feed_items], start=1):
        try:
            yield _entry_item(url, number, entry, page, fetcher)
        except Exception as exc:  # one odd entry must not lose the rest of the feed
            yield unexpected(entry.get("link") or f"{url}#{number}", exc)
