"""Query parameters of the pages, checked: a bad value is a 400 page that says what
is wrong (UsageError), never a server error or a silently ignored filter."""

from __future__ import annotations

import re
from dataclasses import dataclass

from starlette.datastructures import QueryParams

from recoupe.errors import UsageError
from recoupe.types import DocumentFilter, StoryFilter, text_query

PAGE_SIZE = 50
# Listing pages cost grows with their depth (SQLite skips rows one by one, ~7 us each
# here); past this many rows a user narrows the filters instead of paging on.
MAX_OFFSET = 1000
MAX_PAGE = MAX_OFFSET // PAGE_SIZE
MAX_QUERY_CHARS = 500
_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?)?)?")
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})?")


def _text(params: QueryParams, name: str, max_chars: int = 200) -> str | None:
    value = params.get(name, "").strip()
    if len(value) > max_chars:
        raise UsageError(f"{name} is too long ({len(value)} characters, at most {max_chars})")
    return value or None


def page_number(params: QueryParams, last: int = MAX_PAGE) -> int:
    """The ``page`` parameter: 1 when absent, a UsageError when not a page we serve."""
    raw = params.get("page", "").strip() or "1"
    if not raw.isdigit() or not 1 <= int(raw) <= last:
        raise UsageError(f"page must be a number from 1 to {last}, not {raw[:20]!r}")
    return int(raw)


@dataclass(frozen=True, slots=True)
class ArticleQuery:
    """The filters of the article list as typed (to refill the form and build links)
    and as a store filter for one page."""

    q: str | None
    lang: str | None
    outlet: str | None
    since: str | None
    until: str | None
    page: int

    def filter(self) -> DocumentFilter:
        offset = (self.page - 1) * PAGE_SIZE
        return DocumentFilter(self.lang, self.outlet, self.since, self.until, text_query(self.q),
                              PAGE_SIZE, offset)  # fmt: skip

    @property
    def params(self) -> dict[str, str | None]:
        """The filters as query parameters (for links to other pages of this list)."""
        return {"q": self.q, "lang": self.lang, "outlet": self.outlet, "since": self.since,
                "until": self.until}  # fmt: skip

    @property
    def filtered(self) -> bool:
        return any((self.q, self.lang, self.outlet, self.since, self.until))


def _filters(params: QueryParams) -> dict[str, str | None]:
    """The filters lists share (search, language, outlet, dates), checked."""
    lang = _text(params, "lang", 16)
    if lang is not None and not _LANGUAGE.fullmatch(lang):
        raise UsageError(f"lang must be a language code such as fr or en, not {lang!r}")
    found = {"q": _text(params, "q", MAX_QUERY_CHARS), "lang": lang,
             "outlet": _text(params, "outlet")}  # fmt: skip
    for name in ("since", "until"):
        value = _text(params, name, 40)
        if value is not None and not _DATE.fullmatch(value):
            raise UsageError(
                f"{name} must be an ISO date or its start (2025, 2025-09), not {value!r}"
            )
        found[name] = value
    return found


def article_query(params: QueryParams) -> ArticleQuery:
    """The article list's filters from a request's query string."""
    return ArticleQuery(**_filters(params), page=page_number(params))


@dataclass(frozen=True, slots=True)
class StoryQuery:
    """The filters of the story list (those of the article list, applied to a story's
    articles and date span, plus its topic) as typed and as a store filter."""

    q: str | None
    lang: str | None
    outlet: str | None
    since: str | None
    until: str | None
    topic: int | None
    page: int

    def filter(self) -> StoryFilter:
        return StoryFilter(self.lang, self.outlet, self.since, self.until, text_query(self.q),
                           self.topic, PAGE_SIZE, (self.page - 1) * PAGE_SIZE)  # fmt: skip

    @property
    def params(self) -> dict[str, str | int | None]:
        return {"q": self.q, "lang": self.lang, "outlet": self.outlet, "since": self.since,
                "until": self.until, "topic": self.topic}  # fmt: skip

    @property
    def filtered(self) -> bool:
        return any(v is not None for v in self.params.values())


def story_query(params: QueryParams) -> StoryQuery:
    """The story list's filters from a request's query string."""
    topic = _text(params, "topic", 12)
    if topic is not None and not topic.isdigit():
        raise UsageError(f"topic must be a topic number (see /topics), not {topic!r}")
    return StoryQuery(**_filters(params), topic=None if topic is None else int(topic),
                      page=page_number(params))  # fmt: skip


_SPAN = re.compile(r"(\d{1,9})-(\d{1,9})")


def highlight(params: QueryParams) -> tuple[int, int] | None:
    """The ``hl=START-END`` parameter of an article page: a ``[start, end)`` span of its
    clean text to highlight (a citation of a story page)."""
    value = _text(params, "hl", 20)
    if value is None:
        return None
    found = _SPAN.fullmatch(value)
    if found is None or int(found[1]) >= int(found[2]):
        raise UsageError(f"hl must be a span START-END of the text with START < END, not {value!r}")
    return int(found[1]), int(found[2])
