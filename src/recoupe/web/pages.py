"""The pages about articles and their copies: list, article, side-by-side reuse, origin
groups, rejections.

Each handler is thin: read the request's parameters, call one ``recoupe.app`` function,
shape its records for a template (``recoupe.web.text``), render. Handlers are plain
functions, run by Starlette in its thread pool (the store is synchronous SQLite).
Another family of pages (stories, claims) goes in its own module with its own ``ROUTES``,
added to the list in ``server.py``.
"""

from __future__ import annotations

import math
from collections import Counter

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from recoupe import app
from recoupe.types import ReuseKind
from recoupe.web.context import SECURITY_HEADERS, render, web_context
from recoupe.web.params import MAX_PAGE, PAGE_SIZE, article_query, highlight, page_number
from recoupe.web.text import article_blocks, shared_words, word_runs

MAX_REJECTIONS = 1000  # one page; the CLI lists them all
MAX_OUTLET_CHOICES = 500  # suggestions offered in the outlet box, most frequent first


def home(request: Request) -> Response:
    return RedirectResponse("/articles", status_code=302)


def page_count(total: int, exact: bool, shown: int, page: int) -> int:
    """How many pages a listing has. When ``total`` is only an upper bound (``exact``
    False), offer a next page exactly when this one is full."""
    if not exact:
        return page + 1 if shown == PAGE_SIZE else page
    return max(1, math.ceil(total / PAGE_SIZE))


def articles(request: Request) -> Response:
    """Article list: full-text search, filters by language, outlet and dates, pages."""
    ctx = web_context(request)
    query = article_query(request.query_params)
    listing = app.article_listing(ctx.store, query.filter())
    facets: app.ArticleFacets = ctx.cached("facets", lambda: app.article_facets(ctx.store))
    pages = page_count(listing.total, listing.exact, len(listing.rows), query.page)
    return render(
        request, "articles.html", query=query, listing=listing, page=query.page,
        pages=min(pages, MAX_PAGE), capped=pages > MAX_PAGE, page_size=PAGE_SIZE,
        languages=facets.languages,
        outlets=list(facets.outlets.items())[:MAX_OUTLET_CHOICES],
    )  # fmt: skip


def _redirect(request: Request, path: str) -> Response:
    """To the page of the full id when a prefix (or other case) was asked for."""
    query = f"?{request.url.query}" if request.url.query else ""
    return RedirectResponse(path + query, status_code=302)


def article(request: Request) -> Response:
    """One article: clean text with removed lines in place and copied passages marked,
    its story; ``?hl=START-END`` highlights a span (a story page's citation)."""
    given = request.path_params["doc_id"]
    hl = highlight(request.query_params)
    store = web_context(request).store
    view = app.article_view(store, given)
    if given != view.doc.id:
        return _redirect(request, f"/articles/{view.doc.id}")
    if hl is not None:  # a span past the text (the article changed since it was cited)
        hl = (hl[0], min(hl[1], len(view.doc.text))) if hl[0] < len(view.doc.text) else None
    per_article = Counter(link.b.doc_id for link in view.links)
    return render(
        request, "article.html", doc=view.doc, others=view.others, group=view.origin_group,
        blocks=article_blocks(view.doc.text, view.doc.removed, view.links, hl),
        shared_with=per_article.most_common(), n_links=len(view.links),
        story=app.story_of_article(store, view.doc.id), highlighted=hl,
        asked_highlight="hl" in request.query_params,
    )  # fmt: skip


def article_raw(request: Request) -> Response:
    """The input as read, as plain text (never as HTML, whatever it contains)."""
    doc = app.get_article(web_context(request).store, request.path_params["doc_id"])
    headers = dict(SECURITY_HEADERS)
    return PlainTextResponse(doc.raw, headers=headers)


def _runs(text: str, shared: set[str] | None) -> list[tuple[str, bool]]:
    return [(text, False)] if shared is None else word_runs(text, shared)


def reuse(request: Request) -> Response:
    """Two articles side by side: the passages they share, shared words marked."""
    first, second = request.path_params["first"], request.path_params["second"]
    found = app.stored_reuse(web_context(request).store, first, second)
    if first != found.first.id or second != found.second.id:
        return _redirect(request, f"/reuse/{found.first.id}/{found.second.id}")
    rows = []
    for link in found.links:
        text_a = found.first.text[link.a.start : link.a.end]
        text_b = found.second.text[link.b.start : link.b.end]
        # Across languages every word differs: marking them would say nothing.
        shared = shared_words(text_a, text_b) if link.kind != ReuseKind.TRANSLATION else None
        rows.append((link, _runs(text_a, shared), _runs(text_b, shared)))
    covered_a = sum(link.a.end - link.a.start for link in found.links)
    covered_b = sum(link.b.end - link.b.start for link in found.links)
    return render(
        request, "reuse.html", a=found.first, b=found.second, rows=rows,
        share_a=covered_a / max(len(found.first.text), 1),
        share_b=covered_b / max(len(found.second.text), 1),
    )  # fmt: skip


def origins(request: Request) -> Response:
    """Origin groups, largest first."""
    page = page_number(request.query_params)
    listing = app.origin_group_listing(web_context(request).store, (page - 1) * PAGE_SIZE,
                                       PAGE_SIZE)  # fmt: skip
    pages = max(1, math.ceil(listing.total / PAGE_SIZE))
    return render(request, "origins.html", listing=listing, page=page, pages=pages)


def origin(request: Request) -> Response:
    """One origin group: members (root marked), why the root is known or not, and which
    members share passages."""
    view = app.origin_group_view(web_context(request).store, request.path_params["group_id"])
    return render(request, "origin.html", view=view, group=view.group,
                  members={m.id: m for m in view.members})  # fmt: skip


def rejections(request: Request) -> Response:
    """Inputs that could not become articles, with the reason."""
    rows, total = app.rejection_listing(web_context(request).store, MAX_REJECTIONS)
    return render(request, "rejections.html", rows=rows, total=total)


ROUTES = [
    Route("/", home),
    Route("/articles", articles),
    Route("/articles/{doc_id}", article),
    Route("/articles/{doc_id}/raw", article_raw),
    Route("/reuse/{first}/{second}", reuse),
    Route("/origins", origins),
    Route("/origins/{group_id}", origin),
    Route("/rejections", rejections),
]
