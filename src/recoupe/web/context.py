"""What every page handler shares: the open store, the settings, the template
environment and the response headers; ``render`` turns a template into a response.

Security choices live here, in one place:

* Jinja2 autoescaping is on for every template, so article text, titles, outlets,
  origins and rejection details (all attacker-controlled: they come from scraped pages)
  are always escaped; nothing in the templates marks text as safe.
* Every response carries a strict Content-Security-Policy: scripts and styles only from
  this server's own ``/static`` files (no inline script, no inline style, no
  ``javascript:`` URLs), nothing loaded from elsewhere, no framing. Even a bug in
  escaping could not run a script.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse

from recoupe.app.web import first_words
from recoupe.config import Settings
from recoupe.store.base import Store
from recoupe.web.text import HIGHLIGHT_ID

HERE = Path(__file__).resolve().parent
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("content-security-policy", CSP),
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "no-referrer"),
    ("cross-origin-opener-policy", "same-origin"),
)
FACETS_TTL_S = 60.0  # counts shown beside filters may be this old: they cost a scan


def query_string(params: Mapping[str, object]) -> str:
    """``?a=1&b=2`` from the non-empty values of ``params`` ("" when none)."""
    kept = {k: str(v) for k, v in params.items() if v not in (None, "")}
    return "?" + urlencode(kept) if kept else ""


def safe_url(url: str | None) -> str | None:
    """``url`` if it is an http(s) address we may link to, else None (a ``javascript:``
    or ``data:`` URL from a hostile page must not become a link)."""
    if url and url.lower().startswith(("http://", "https://")):
        return url
    return None


def cite_url(doc_id: str, start: int, end: int) -> str:
    """The page of an article with ``[start, end)`` of its text highlighted, scrolled to
    it (a citation)."""
    return f"/articles/{doc_id}?hl={start}-{end}#{HIGHLIGHT_ID}"


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(query_string=query_string, safe_url=safe_url, cite_url=cite_url,
                       first_words=first_words)  # fmt: skip
    return env


@dataclass
class WebContext:
    """State of one web app: one store shared by the request threads (each thread reads
    on a connection of its own), settings, templates, and a small cache."""

    store: Store
    settings: Settings
    env: jinja2.Environment = field(default_factory=_environment)
    _cache: dict[str, tuple[float, Any]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def cached(self, key: str, compute: Callable[[], Any], ttl: float = FACETS_TTL_S) -> Any:
        """``compute()``, reused for ``ttl`` seconds: for figures that need a scan of the
        store (filter counts) and may lag behind a running ingest."""
        now = time.monotonic()
        with self._lock:
            hit = self._cache.get(key)
        if hit is not None and now - hit[0] < ttl:
            return hit[1]
        value = compute()
        with self._lock:
            self._cache[key] = (now, value)
        return value


def web_context(request: Request) -> WebContext:
    ctx: WebContext = request.app.state.web
    return ctx


def render(request: Request, template: str, status_code: int = 200, **values: Any) -> HTMLResponse:
    """The page ``template`` filled with ``values`` (autoescaped), with the security
    headers."""
    ctx = web_context(request)
    html = ctx.env.get_template(template).render(request_path=request.url.path, **values)
    return HTMLResponse(html, status_code=status_code, headers=dict(SECURITY_HEADERS))
