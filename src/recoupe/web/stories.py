"""The pages about stories: list (search, filters with counts), topics, one story (a
header at a glance, its articles in time order with a timeline and a copy graph,
entities, origin groups and, once a run corroborated it, the cited summary, claims with
their independent origins, disagreements, what each article adds, quotes) and its
export as JSON. Claim pages and CSV downloads: ``claims.py``; pictures: ``pictures.py``.

Like ``pages.py``: parameters -> ``recoupe.app`` -> template, and nothing is computed:
a story that no run corroborated (``recoupe run`` does every story of 2+ articles) says
so and gives the command, it is not corroborated by a GET.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import TypeVar

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from recoupe import app
from recoupe.errors import NotFoundError
from recoupe.web import pictures
from recoupe.web.context import SECURITY_HEADERS, html_response, render, render_html, web_context
from recoupe.web.pages import MAX_OUTLET_CHOICES, page_count
from recoupe.web.params import MAX_PAGE, PAGE_SIZE, page_number, story_query
from recoupe.web.refs import refs_for

TOPICS_TTL_S = 30.0  # the topic list reads every story: shared by requests this long
SECTION_PAGE = 50  # articles, claims, disagreements, speakers a story page shows at once
UNIQUE_SHOWN = 6  # claims shown of what each article adds (the others are counted)
T = TypeVar("T")


STORY_FACETS = 12  # outlets offered as one-click filters beside the story list


def stories(request: Request) -> Response:
    """Story list, most recent first: full-text search over their articles, filters by
    language, outlet, dates and topic (with how many stories each has), pages; each
    row with its articles, independent origins, disputed claims and lead sentence."""
    ctx = web_context(request)
    query = story_query(request.query_params)
    listing = app.story_listing(ctx.store, query.filter())
    facets: app.ArticleFacets = ctx.cached("story-facets", lambda: app.story_facets(ctx.store))
    pages = page_count(listing.total, listing.exact, len(listing.rows), query.page)
    origins = {s.id: app.independent_origins(s, listing.overviews[s.id])
               for s in listing.rows if s.id in listing.overviews}  # fmt: skip
    return render(
        request, "stories.html", query=query, listing=listing, page=query.page,
        pages=min(pages, MAX_PAGE), capped=pages > MAX_PAGE, page_size=PAGE_SIZE,
        languages=facets.languages, origins=origins,
        outlets=list(facets.outlets.items())[:MAX_OUTLET_CHOICES],
        top_outlets=list(facets.outlets.items())[:STORY_FACETS],
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


def path_story_id(request: Request) -> int:
    """The story id of the path (digits, by the route), 404 past SQLite's integers."""
    story_id: int = request.path_params["story_id"]
    if story_id >= 1 << 63:
        raise NotFoundError(f"no story {story_id}")
    return story_id


def _paged(request: Request, name: str, items: Sequence[T]) -> tuple[Sequence[T], int, int]:
    """One page of ``items`` (the ``name`` query parameter numbers it), the page and the
    number of pages: a story of hundreds of articles or claims shows them in pages."""
    pages = max(1, math.ceil(len(items) / SECTION_PAGE))
    page = min(page_number(request.query_params, name=name), pages)
    return items[(page - 1) * SECTION_PAGE : page * SECTION_PAGE], page, pages


def story_page_view(request: Request, version: object | None = None) -> app.StoryView:
    """The story page's read model (``app.story_page``) of the story in the path,
    memoised: rebuilt when the story row or its findings change (the entities and
    findings of a 150-article story cost ~0.3 s of CPU to read and summarise).
    ``version`` is the story's ``story_version`` when the caller has just read it."""
    ctx, story_id = web_context(request), path_story_id(request)
    if version is None:
        version = story_version(request, story_id)
    view: app.StoryView = ctx.memo(f"story:{story_id}", version,
                                   lambda: app.story_page(ctx.store, story_id))  # fmt: skip
    return view


def story_version(request: Request, story_id: int) -> object:
    """What a story page depends on: the story row and its findings' digest (two
    indexed reads), so a run that changes either shows at the next visit."""
    store = web_context(request).store
    return (store.stories.get_story(story_id), store.findings.digest(story_id))


def story(request: Request) -> Response:
    """One story: a header at a glance, a table of contents, then sections that fold -
    summary, pictures (timeline, copy graph), articles, claims, disagreements, what each
    article adds, quotes - long ones in pages; every article named by its citation
    number. The rendered page is kept while the story and its findings are unchanged."""
    story_id = path_story_id(request)
    key = f"story:{story_id}?{request.url.query}"
    version = story_version(request, story_id)
    html = web_context(request).page(key, version,
                                     lambda: _story_html(request, version))  # fmt: skip
    return html_response(html)


def _story_html(request: Request, version: object) -> str:
    view = story_page_view(request, version)
    timeline, numbers = view.timeline, view.numbers
    group_of = {m: g for g in view.origin_groups for m in g.members}
    findings = view.findings
    cited: set[str] = set()
    if findings is not None:
        cited = {c.doc_id for s in findings.summary.sentences for c in s.citations}
        cited |= {a for c in findings.claims for a in c.articles}
    by_doc: dict[str, list[app.QuoteRow]] = {}
    for q in view.quotes:
        by_doc.setdefault(q.doc_id, []).append(q)
    articles, a_page, a_pages = _paged(request, "articles", timeline)
    claims = findings.claims if findings else []
    shown_claims, c_page, c_pages = _paged(request, "claims", claims)
    speakers, q_page, q_pages = _paged(request, "quotes", view.speakers)
    disagreements, d_page, d_pages = _paged(
        request, "disagreements", findings.disagreements if findings else ())
    unique, u_page, u_pages = _paged(request, "unique", [] if findings is None else sorted(
        (u for u in findings.unique if u.mentions),
        key=lambda u: numbers.get(u.doc_id, len(numbers) + 1)))  # fmt: skip
    origins = app.independent_origins(view.story, findings.overview) if findings else None
    return render_html(
        request, "story.html", view=view, story=view.story, timeline=articles,
        numbers=numbers, ref_of=refs_for(timeline, numbers), group_of=group_of,
        findings=findings, stale=bool(cited - numbers.keys()), origins=origins,
        lead=findings.summary.sentences[0] if findings and findings.summary.sentences else None,
        pictures=pictures.story_pictures(view, numbers),
        most=max((c.support.articles for c in claims), default=1),
        claims=shown_claims, claims_page=(c_page, c_pages), articles_page=(a_page, a_pages),
        speakers=speakers, quotes_page=(q_page, q_pages), disagreements=disagreements,
        disagreements_page=(d_page, d_pages), unique=unique, unique_page=(u_page, u_pages),
        unique_shown=UNIQUE_SHOWN,
    )  # fmt: skip


def story_export(request: Request) -> Response:
    """The story's export (docs/schema/export-v1.schema.json) from its stored findings,
    as a download; 404 when no run corroborated it."""
    story_id = path_story_id(request)
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
