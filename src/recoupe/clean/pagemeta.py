"""The publication time a page states in its markup, as precise as it states it.

trafilatura's metadata extractor gives a day (``2025-09-17``) even when the page says
``article:published_time = 2025-09-17T07:15:00+02:00``; but which of two articles came
first on one day is exactly what origin direction needs. So the page's own statements are
read first, in this order: Open Graph / article meta tags, schema.org ``datePublished``
(microdata or JSON-LD), ``<time pubdate>``, Dublin Core and a few common names; each with
``recoupe.clean.dates.parse_date``. Modification dates are never taken for publication.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from recoupe.clean.dates import FoundDate, parse_date

_META_NAMES = (
    "article:published_time", "og:published_time", "article:published", "article.published",
    "datepublished", "pubdate", "publishdate", "publish-date", "publish_date", "dc.date.issued",
    "dcterms.issued", "dcterms.created", "dc.date", "sailthru.date", "parsely-pub-date",
    "date", "og:article:published_time", "cxenseparse:recs:publishtime",
)  # fmt: skip
_MAX_JSON_LD = 200_000  # characters of one JSON-LD script read (a page may embed megabytes)


def _meta_values(tree: Any) -> Iterator[tuple[int, str]]:
    """(rank of its name in _META_NAMES, content) of the page's date meta tags."""
    rank = {name: k for k, name in enumerate(_META_NAMES)}
    for el in tree.iter("meta"):
        content = (el.get("content") or "").strip()
        if not content:
            continue
        for attr in ("property", "name", "itemprop"):
            for name in (el.get(attr) or "").lower().split():
                if name in rank:
                    yield rank[name], content


def _json_ld_dates(tree: Any) -> Iterator[str]:
    for el in tree.iter("script"):
        if (el.get("type") or "").strip().lower() != "application/ld+json" or not el.text:
            continue
        try:
            data = json.loads(el.text[:_MAX_JSON_LD])
        except (ValueError, RecursionError):
            continue
        yield from _find_key(data, "datePublished", 0)


def _find_key(data: Any, key: str, depth: int) -> Iterator[str]:
    if depth > 6:
        return
    if isinstance(data, dict):
        value = data.get(key)
        if isinstance(value, str):
            yield value
        for item in data.values():
            if isinstance(item, (dict, list)):
                yield from _find_key(item, key, depth + 1)
    elif isinstance(data, list):
        for item in data[:50]:
            yield from _find_key(item, key, depth + 1)


def _time_elements(tree: Any) -> Iterator[str]:
    for el in tree.iter("time"):
        stamp = (el.get("datetime") or "").strip()
        itemprop = (el.get("itemprop") or "").lower()
        if stamp and ("pubdate" in el.attrib or "datepublished" in itemprop):
            yield stamp


def page_published(tree: Any, language: str | None = None) -> FoundDate | None:
    """The most precise publication time among the page's first statement of each kind
    (meta tags by rank, then JSON-LD, then ``<time pubdate>``); None if it states none."""
    metas = sorted(_meta_values(tree))
    candidates = [value for _, value in metas]
    candidates += list(_json_ld_dates(tree)) + list(_time_elements(tree))
    best: FoundDate | None = None
    order = {"day": 0, "minute": 1, "second": 2}
    for value in candidates:
        found = parse_date(value, language)
        if found is None:
            continue
        if best is None:
            best = found
        elif found.day == best.day and order[found.precision] > order[best.precision]:
            best = found  # the same day, stated more precisely elsewhere on the page
    return best


__all__ = ["page_published"]
