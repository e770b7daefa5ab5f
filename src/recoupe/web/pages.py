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
from urllib.parse import parse_qs

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from recoupe import app
from recoupe.errors import UsageError
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
    """Article list: full-text search (each found article with a snippet, the words
    found marked), filters by language, outlet and dates, pages."""
    ctx = web_context(request)
    query = article_query(request.query_params)
    flt = query.filter()
    listing = app.article_listing(ctx.store, flt)
    facets: app.ArticleFacets = ctx.cached("facets", lambda: app.article_facets(ctx.store))
    pages = page_count(listing.total, listing.exact, len(listing.rows), query.page)
    snippets = app.snippets(ctx.store, [r.id for r in listing.rows], flt.query)
    return render(
        request, "articles.html", query=query, listing=listing, page=query.page,
        snippets=snippets,
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
    restored = request.query_params.get("restored", "")
    return render(
        request, "article.html", doc=view.doc, others=view.others, group=view.origin_group,
        blocks=article_blocks(view.doc.text, view.doc.removed, view.links, hl),
        shared_with=per_article.most_common(), n_links=len(view.links),
        story=app.story_of_article(store, view.doc.id), highlighted=hl,
        asked_highlight="hl" in request.query_params,
        csrf=web_context(request).csrf_token(f"restore:{view.doc.id}"),
        restored=int(restored) if restored.isdigit() and len(restored) < 9 else None,
    )  # fmt: skip


MAX_FORM_BYTES = 4096


async def restore(request: Request) -> Response:
    """POST: put a removed line back into an article's text - the one write the UI
    allows. The form must carry the token its article page gave (CSRF) and, when the
    browser names the page it comes from (``Origin``), come from this server; then back
    to the article (303), the line restored."""
    ctx = web_context(request)
    origin = request.headers.get("origin")  # "null" under our no-referrer policy: the token decides
    if origin not in (None, "null") and origin != f"{request.url.scheme}://{request.url.netloc}":
        return PlainTextResponse("cross-site request refused", status_code=403,
                                 headers=dict(SECURITY_HEADERS))  # fmt: skip
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        return PlainTextResponse("form too large", status_code=413, headers=dict(SECURITY_HEADERS))
    form = parse_qs(body.decode("utf-8", "replace"), max_num_fields=4)
    doc_id = request.path_params["doc_id"]
    token, line = form.get("csrf", [""])[0], form.get("line", [""])[0]
    if not ctx.csrf_valid(f"restore:{doc_id}", token):
        return PlainTextResponse("missing or stale form token: reload the article page",
                                 status_code=403, headers=dict(SECURITY_HEADERS))  # fmt: skip
    if not line.isdigit() or len(line) > 8:
        raise UsageError(f"line must be a removed line's number, not {line[:20]!r}")
    doc = await run_in_threadpool(app.restore, ctx.store, doc_id, int(line))
    ctx.forget_cache()
    return RedirectResponse(f"/articles/{doc.id}?restored={int(line)}", status_code=303)


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
    Route("/articles/{doc_id}/restore", restore, methods=["POST"]),
    Route("/reuse/{first}/{second}", reuse),
    Route("/origins", origins),
    Route("/origins/{group_id}", origin),
    Route("/rejections", rejections),
]
