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

import hashlib
import hmac
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from concurrent.futures import Future
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
from recoupe.types import ClaimMention, TextSpan
from recoupe.web.svg import support_bar
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
MEMO_TTL_S = 300.0  # a memoised read model is rebuilt at least this often
MEMO_SIZE = 32  # read models kept (a 150-article story's: a few MB)
PAGES_BYTES = 32 << 20  # rendered pages kept, in characters of HTML (a 150-article
# story's page: ~0.35 M; a 5-article story's: ~6 k). Bounded by size, not count: readers
# paging through a day's stories revisit more pages than a count of 64 would keep.


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


def value_parts(mention: ClaimMention, value: TextSpan | None) -> tuple[str, str, str]:
    """A mention's text cut around the value a disagreement compares (``value`` is a
    span of the article's text): (before, value, after), the value empty when unknown
    or outside the mention. The template marks the middle part."""
    offset = mention.span.start
    if value is None or not offset <= value.start < value.end <= mention.span.end:
        return mention.text, "", ""
    a, b = value.start - offset, value.end - offset
    return mention.text[:a], mention.text[a:b], mention.text[b:]


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(query_string=query_string, safe_url=safe_url, cite_url=cite_url,
                       value_parts=value_parts, support_bar=support_bar,
                       first_words=first_words)  # fmt: skip
    return env


@dataclass
class WebContext:
    """State of one web app: one store shared by the request threads (each thread reads
    on a connection of its own), settings, templates, a small cache, and the secret
    that signs the forms of the one write the UI allows (restoring a removed line)."""

    store: Store
    settings: Settings
    env: jinja2.Environment = field(default_factory=_environment)
    _cache: dict[str, tuple[float, Any]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    _memo: OrderedDict[str, tuple[float, Any, Any]] = field(default_factory=OrderedDict)
    _pages: OrderedDict[str, tuple[float, Any, Any]] = field(default_factory=OrderedDict)
    _flights: dict[tuple[int, str], tuple[Any, Future[Any]]] = field(default_factory=dict)
    _weights: dict[int, int] = field(default_factory=dict)  # each table's weight in all

    def memo(self, key: str, version: Any, compute: Callable[[], Any],
             ttl: float = MEMO_TTL_S) -> Any:  # fmt: skip
        """``compute()`` for ``key``, reused while ``version`` is unchanged (and for at
        most ``ttl`` seconds), the ``MEMO_SIZE`` most recent kept: a story page's read
        model is rebuilt when the story or its findings change, not on every visit."""
        return self._versioned(self._memo, MEMO_SIZE, _one, key, version, compute, ttl)

    def page(self, key: str, version: Any, render_html: Callable[[], str]) -> str:
        """The HTML ``render_html()`` gives for ``key`` (a path and its query), reused
        while ``version`` is unchanged: rendering a 150-article story page costs ~20 ms
        of CPU, which ten readers of one story would otherwise pay on every visit. Kept
        apart from the read models so paging through one story does not evict them."""
        html: str = self._versioned(self._pages, PAGES_BYTES, len, key, version, render_html,
                                    MEMO_TTL_S)  # fmt: skip
        return html

    def _versioned(self, table: OrderedDict[str, tuple[float, Any, Any]], budget: int,
                   weight: Callable[[Any], int], key: str, version: Any,
                   compute: Callable[[], Any], ttl: float) -> Any:  # fmt: skip
        """A least-recently-used ``table`` whose values weigh at most ``budget`` in all
        (the newest is always kept), each valid while its ``version`` holds and for
        ``ttl`` seconds. One computation per key and version at a time: readers who
        arrive while it runs wait for its value (ten readers opening a story that just
        changed would otherwise render it ten times over, each slower for the others)."""
        now = time.monotonic()
        flight_key = (id(table), key)
        with self._lock:
            hit = table.get(key)
            if hit is not None and hit[1] == version and now - hit[0] < ttl:
                table.move_to_end(key)
                return hit[2]
            flight = self._flights.get(flight_key)
            running = flight[1] if flight is not None and flight[0] == version else None
            if running is None:
                future: Future[Any] = Future()
                self._flights[flight_key] = (version, future)
        if running is not None:
            return running.result()  # outside the lock: the computing thread needs it
        try:
            value = compute()
        except BaseException as exc:
            with self._lock:
                self._land(flight_key, future)
            future.set_exception(exc)
            raise
        with self._lock:
            self._land(flight_key, future)
            old = table.pop(key, None)
            total = self._weights.get(id(table), 0) - (weight(old[2]) if old else 0)
            table[key] = (now, version, value)
            total += weight(value)
            while total > budget and len(table) > 1:
                total -= weight(table.popitem(last=False)[1][2])
            self._weights[id(table)] = total
        future.set_result(value)
        return value

    def _land(self, flight_key: tuple[int, str], future: Future[Any]) -> None:
        """End the computation ``future`` stands for (not a newer one of the same key,
        started for another version); the caller holds the lock."""
        flight = self._flights.get(flight_key)
        if flight is not None and flight[1] is future:
            del self._flights[flight_key]

    def csrf_token(self, action: str) -> str:
        """The token a form for ``action`` carries (a page of this server gave it: a
        page of another site cannot read it). Valid until the server restarts."""
        return hmac.new(self._secret, action.encode(), hashlib.sha256).hexdigest()

    def csrf_valid(self, action: str, token: str) -> bool:
        return hmac.compare_digest(self.csrf_token(action), token)

    def forget_cache(self) -> None:
        """Drop cached figures and read models (after a write)."""
        with self._lock:
            self._cache.clear()
            self._memo.clear()
            self._pages.clear()
            self._weights.clear()

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


def _one(_: object) -> int:
    """Every read model weighs one: the memo keeps a count of them."""
    return 1


def web_context(request: Request) -> WebContext:
    ctx: WebContext = request.app.state.web
    return ctx


def render_html(request: Request, template: str, **values: Any) -> str:
    """The page ``template`` filled with ``values`` (autoescaped)."""
    ctx = web_context(request)
    return ctx.env.get_template(template).render(request_path=request.url.path, **values)


def html_response(html: str, status_code: int = 200) -> HTMLResponse:
    """``html`` with the security headers."""
    return HTMLResponse(html, status_code=status_code, headers=dict(SECURITY_HEADERS))


def render(request: Request, template: str, status_code: int = 200, **values: Any) -> HTMLResponse:
    """The page ``template`` filled with ``values`` (autoescaped), with the security
    headers."""
    return html_response(render_html(request, template, **values), status_code)
