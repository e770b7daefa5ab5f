"""The pages about stories: list (search, filters), topics, one story (its articles in
time order, entities, origin groups and, once a run corroborated it, the cited summary,
claims with their independent origins, disagreements, what each article adds, quotes)
and its export as JSON.

Like ``pages.py``: parameters -> ``recoupe.app`` -> template, and nothing is computed:
a story that no ``recoupe summary``/``corroborate`` run corroborated says so and gives
the command, it is not corroborated by a GET.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from recoupe import app
from recoupe.errors import NotFoundError
from recoupe.types import DocumentSummary
from recoupe.web.context import SECURITY_HEADERS, render, web_context
from recoupe.web.pages import MAX_OUTLET_CHOICES, page_count
from recoupe.web.params import MAX_PAGE, PAGE_SIZE, page_number, story_query

TOPICS_TTL_S = 30.0  # the topic list reads every story: shared by requests this long


def stories(request: Request) -> Response:
    """Story list, most recent first: full-text search over their articles, filters by
    language, outlet, dates and topic, pages."""
    ctx = web_context(request)
    query = story_query(request.query_params)
    listing = app.story_listing(ctx.store, query.filter())
    facets: app.ArticleFacets = ctx.cached("facets", lambda: app.article_facets(ctx.store))
    pages = page_count(listing.total, listing.exact, len(listing.rows), query.page)
    return render(
        request, "stories.html", query=query, listing=listing, page=query.page,
        pages=min(pages, MAX_PAGE), capped=pages > MAX_PAGE, page_size=PAGE_SIZE,
        languages=facets.languages,
        outlets=list(facets.outlets.items())[:MAX_OUTLET_CHOICES],
    )  # fmt: skip


def topics(request: Request) -> Response:
    """Topics (stories that belong together), largest first, with their stories."""
    ctx = web_context(request)
    page = page_number(request.query_params)
    found: list[app.Topic] = ctx.cached("topics", lambda: app.list_topics(ctx.store), TOPICS_TTL_S)
    pages = max(1, math.ceil(len(found) / PAGE_SIZE))
    shown = found[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    return render(request, "topics.html", topics=shown, total=len(found), page=page,
                  pages=min(pages, MAX_PAGE))  # fmt: skip


def _timeline(articles: list[DocumentSummary]) -> list[DocumentSummary]:
    """Articles by publication date, undated last (then by id: a stable order)."""
    return sorted(articles, key=lambda r: (r.published is None, r.published or "", r.id))


@dataclass(frozen=True, slots=True)
class Ref:
    """How a story page names one of its articles: its number in the timeline
    (``label``), outlet (or input name), ``tip`` (outlet · day) and title."""

    label: str
    outlet: str
    tip: str
    title: str


def _refs(timeline: list[DocumentSummary]) -> Callable[[str], Ref]:
    """``ref_of(doc_id)`` for the template; findings that predate a change of the story
    may name an article no longer in it: it is named by its id."""
    refs = {}
    for n, row in enumerate(timeline, start=1):
        outlet = row.outlet or row.origin
        day = (row.published or "undated")[:10]
        refs[row.id] = Ref(str(n), outlet, f"{outlet} · {day}", row.title or row.origin)
    return lambda doc_id: refs.get(doc_id) or Ref(doc_id[:8], doc_id, "not in the story now", "")


def _story_id(request: Request) -> int:
    """The story id of the path (digits, by the route), 404 past SQLite's integers."""
    story_id: int = request.path_params["story_id"]
    if story_id >= 1 << 63:
        raise NotFoundError(f"no story {story_id}")
    return story_id


def story(request: Request) -> Response:
    """One story: its articles in time order (numbered: citations use the numbers),
    entities, origin groups, and its stored findings when there are some."""
    view = app.story_page(web_context(request).store, _story_id(request))
    timeline = _timeline(view.articles)
    numbers = {row.id: n for n, row in enumerate(timeline, start=1)}
    group_of = {m: g for g in view.origin_groups for m in g.members}
    findings = view.findings
    cited: set[str] = set()
    if findings is not None:
        cited = {c.doc_id for s in findings.summary.sentences for c in s.citations}
        cited |= {a for c in findings.claims for a in c.articles}
    by_doc: dict[str, list[app.QuoteRow]] = {}
    for q in view.quotes:
        by_doc.setdefault(q.doc_id, []).append(q)
    return render(
        request, "story.html", view=view, story=view.story, timeline=timeline,
        numbers=numbers, ref_of=_refs(timeline), group_of=group_of,
        findings=findings, stale=bool(cited - numbers.keys()),
        quotes=[q for row in timeline for q in by_doc.get(row.id, [])],
        unique=[] if findings is None else sorted(
            findings.unique, key=lambda u: numbers.get(u.doc_id, len(numbers) + 1)),
    )  # fmt: skip


def story_export(request: Request) -> Response:
    """The story's export (docs/schema/export-v1.schema.json) from its stored findings,
    as a download; 404 when no run corroborated it."""
    story_id = _story_id(request)
    document = app.stored_story_export(web_context(request).store, story_id)
    body = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    headers = dict(SECURITY_HEADERS)
    headers["content-disposition"] = f'attachment; filename="story-{story_id}.json"'
    return Response(body, media_type="application/json", headers=headers)


ROUTES = [
    Route("/stories", stories),
    Route("/stories/{story_id:int}", story),
    Route("/stories/{story_id:int}/export.json", story_export),
    Route("/topics", topics),
]
