"""A claim's page (every mention side by side, its sources, its independent origins,
its disagreements with the differing values marked) and a story's CSV downloads
(claims, quotes, articles: ``recoupe.export.tables``, the same tables as
``recoupe export --format csv``).

Like the other page modules: parameters -> ``recoupe.app`` -> template; nothing is
computed that a run did not store.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from recoupe import app
from recoupe.errors import NotFoundError
from recoupe.export import CsvTable, to_csv
from recoupe.web.context import SECURITY_HEADERS, render, web_context
from recoupe.web.refs import refs_for
from recoupe.web.stories import path_story_id, story_page_view
from recoupe.web.svg import support_bar


def claim(request: Request) -> Response:
    """One claim of a story: its counts and bar, who it is attributed to, its
    independent origins, every mention (outlet, date, language, exact span, sources)
    and its disagreements."""
    found = app.claim_view(web_context(request).store, path_story_id(request),
                           request.path_params["claim_id"], story_page_view(request))  # fmt: skip
    view, group = found.view, found.group
    numbers = view.numbers
    mentions = sorted(group.mentions, key=lambda m: (numbers.get(m.doc_id, 1 << 30), m.span.start))
    s = group.support
    return render(
        request, "claim.html", view=view, story=view.story, group=group, mentions=mentions,
        ref_of=refs_for(view.timeline, numbers), disagreements=found.disagreements,
        disputes=found.disputes, bar=support_bar(s.articles, s.origins, s.articles,
                                                 bool(found.disputes)),
    )  # fmt: skip


def story_csv(request: Request) -> Response:
    """A story's claims, quotes or articles as CSV, built from its stored findings
    (404 when no run corroborated it)."""
    story_id = path_story_id(request)
    try:
        table = CsvTable(request.path_params["table"])
    except ValueError:
        raise NotFoundError(f"no table {request.path_params['table']!r}") from None
    document = app.stored_story_export(web_context(request).store, story_id)
    headers = dict(SECURITY_HEADERS)
    headers["content-disposition"] = f'attachment; filename="story-{story_id}-{table}.csv"'
    return Response(to_csv(document, table), media_type="text/csv; charset=utf-8",
                    headers=headers)  # fmt: skip



ROUTES = [
    Route("/stories/{story_id:int}/claims/{claim_id}", claim),
    Route("/stories/{story_id:int}/{table}.csv", story_csv),
]
