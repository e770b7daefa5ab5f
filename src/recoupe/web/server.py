"""The web UI application: ``create_app(store, settings)`` returns an ASGI app (Starlette)
that ``recoupe serve`` runs with uvicorn and tests drive in-process.

Server-rendered pages (Jinja2, autoescaped), one small local script and stylesheet, no
third-party assets: the UI works offline and its Content-Security-Policy can forbid
everything not served by itself (see ``context.py``). The store is opened once, read-only
in spirit (no page writes), and closed when the server stops.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from recoupe import app
from recoupe.config import Settings, store_location
from recoupe.errors import NotFoundError, RecoupeError, StoreError, UsageError
from recoupe.store.base import Store
from recoupe.web import pages, stories
from recoupe.web.context import HERE, SECURITY_HEADERS, WebContext, render

log = logging.getLogger(__name__)

NAV = (
    ("/articles", "Articles"),
    ("/stories", "Stories"),
    ("/topics", "Topics"),
    ("/origins", "Origin groups"),
    ("/rejections", "Rejections"),
)
"""Top navigation (path, label); a new family of pages adds its entry here."""


class SecurityHeaders:
    """Adds the security headers to every response that lacks them (static files, the
    router's own 404/405): rendered pages already carry them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS:
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _error_page(request: Request, status: int, title: str, message: str) -> Response:
    return render(request, "error.html", status_code=status, status=status, title=title,
                  message=message)  # fmt: skip


def _recoupe_error(request: Request, exc: Exception) -> Response:
    """Known errors become pages that say what is wrong: unknown id 404, bad parameter 400,
    store unusable 503."""
    if isinstance(exc, NotFoundError):
        return _error_page(request, 404, "Not found", str(exc))
    if isinstance(exc, UsageError):
        return _error_page(request, 400, "Bad request", str(exc))
    if isinstance(exc, StoreError):
        return _error_page(request, 503, "Store unavailable", str(exc))
    return _error_page(request, 500, "Error", str(exc))


def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        message = f"There is no page at {request.url.path}."
        return _error_page(request, 404, "Not found", message)
    return _error_page(request, exc.status_code, "Error", str(exc.detail))


def _server_error(request: Request, exc: Exception) -> Response:
    """A bug: logged with its traceback, shown as one line without internals."""
    log.exception("error serving %s", request.url.path, exc_info=exc)
    message = "Something went wrong on our side; the server log has the details."
    return _error_page(request, 500, "Server error", message)


def routes() -> list[BaseRoute]:
    static = StaticFiles(directory=HERE / "static")
    return [*pages.ROUTES, *stories.ROUTES, Mount("/static", app=static, name="static")]


def create_app(store: Store | Path | str, settings: Settings | None = None) -> Starlette:
    """The web app over ``store``: an open store of any backend (the caller closes it),
    or the location of an existing one, opened here and closed when the app stops
    (StoreError if there is none: serving an empty new file would hide a wrong path)."""
    owned = isinstance(store, Path | str)
    opened: Store = app.open_existing_store(store) if isinstance(store, Path | str) else store
    context = WebContext(opened, settings or Settings(db=store_location(opened.location)))
    context.env.globals["nav"] = NAV

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        yield
        if owned:
            opened.close()

    web = Starlette(
        routes=routes(),
        lifespan=lifespan,
        exception_handlers={
            RecoupeError: _recoupe_error,
            HTTPException: _http_error,
            Exception: _server_error,
        },
    )
    web.add_middleware(SecurityHeaders)
    web.state.web = context
    return web
