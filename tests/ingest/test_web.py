"""URLs and feeds, against a real HTTP server on 127.0.0.1 (no other network)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from recoupe.config import FetchSettings
from recoupe.ingest.common import Reject
from recoupe.ingest.fetch import Fetcher
from recoupe.ingest.safety import RateLimiter, check_url
from recoupe.ingest.web import iter_url
from recoupe.types import InputKind, RawDocument, Rejection

from .helpers import (
    ARTICLE_HTML,
    LATIN1_TEXT,
    collect,
    make_settings,
    only_doc,
    page_meta,
    reasons,
)

LONG_SUMMARY = "Full story in the feed. " * 30  # 720 characters
HUGE = 300_000


def rss(base: str) -> str:
    items = [
        ("Feed title", f"{base}/article.html", "Short teaser."),
        ("Gone but complete", f"{base}/missing", LONG_SUMMARY),
        ("Gone and short", f"{base}/gone", "Too short."),
        ("Forbidden", f"{base}/private/page.html", "Too short."),
        ("No link", None, "Too short."),
    ]
    body = "".join(
        f"<item><title>{title}</title>"
        + (f"<link>{link}</link>" if link else "")
        + f"<description>{text}</description><author>ed@example.com (Ed Itor)</author>"
        "<pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate></item>"
        for title, link, text in items
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{body}</channel></rss>'
    )


class Handler(BaseHTTPRequestHandler):
    """Routes for every case; robots.txt answers 500 when asked as 'localhost'."""

    requests: list[str] = []  # noqa: RUF012 -- shared log, reset by the fixture

    def log_message(self, *args: object) -> None:
        pass

    def send(
        self, status: int, body: bytes, content_type: str = "text/html", **headers: str
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def drip(self, headers: bool) -> None:
        """A byte every 0.1 s: of the status line and headers, or of the body."""
        body = ARTICLE_HTML.encode()
        head = f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {len(body)}\r\n\r\n"
        slow, fast = (head.encode(), body) if headers else (body, head.encode())
        try:
            if not headers:
                self.wfile.write(fast)
            for i in range(len(slow)):
                self.wfile.write(slow[i : i + 1])
                time.sleep(0.1)
            if headers:
                self.wfile.write(fast)
        except OSError:
            pass  # the client gave up, as it should

    def do_GET(self) -> None:
        Handler.requests.append(self.path)
        host = self.headers.get("Host", "")
        base = f"http://{host}"
        port = self.server.server_address[1]
        routes = {
            "/article.html": lambda: self.send(
                200, ARTICLE_HTML.encode(), "text/html; charset=utf-8"
            ),
            "/private/page.html": lambda: self.send(200, ARTICLE_HTML.encode()),
            "/latin1.html": lambda: self.send(
                200,
                f"<html><p>{LATIN1_TEXT}</p></html>".encode("latin-1"),
                "text/html; charset=iso-8859-1",
            ),
            "/plain": lambda: self.send(200, b"Plain text body.\r\n", "text/plain; charset=utf-8"),
            "/image.png": lambda: self.send(200, b"\x89PNG\r\n\x1a\n" + b"x" * 100, "image/png"),
            "/feed.rss": lambda: self.send(200, rss(base).encode(), "application/rss+xml"),
            "/atom": lambda: self.send(200, rss(base).encode(), "application/xml"),
            "/empty.rss": lambda: self.send(200, b"<rss><channel></channel></rss>", "text/xml"),
            "/redirect": lambda: self.send(302, b"", Location="/article.html"),
            "/loop": lambda: self.send(302, b"", Location="/loop"),
            "/to-file": lambda: self.send(302, b"", Location="file:///etc/passwd"),
            "/to-private": lambda: self.send(
                302, b"", Location=f"http://127.0.0.1:{port}/article.html"
            ),
            "/huge": lambda: self.send(200, b"<html>" + b"x" * HUGE),
            "/error": lambda: self.send(500, b"oops"),
        }
        if self.path == "/robots.txt":
            if host.startswith("localhost"):
                self.send(500, b"")
            else:
                self.send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        elif self.path == "/huge-stream":  # no Content-Length: the cap must work while reading
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(HUGE // 10_000):
                self.wfile.write(b"x" * 10_000)
        elif self.path == "/slow":
            time.sleep(1.0)
            self.send(200, ARTICLE_HTML.encode())
        elif self.path in ("/drip-headers", "/drip-body"):
            self.drip(self.path == "/drip-headers")
        elif self.path in routes:
            routes[self.path]()
        else:
            self.send(404, b"not found")


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients hang up on purpose (size cap, timeout): not worth a traceback


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    server = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def _reset_log() -> None:
    Handler.requests.clear()


def fetch_settings(**options: object) -> FetchSettings:
    defaults: dict[str, object] = {"allow_private": True, "min_interval": 0.0, "timeout": 5.0}
    return FetchSettings(**{**defaults, **options})  # type: ignore[arg-type]


def web(*urls: str, **options: object) -> list[RawDocument | Rejection]:
    return collect(list(urls), make_settings(fetch=fetch_settings(**options)))


def test_article(base: str) -> None:
    doc = only_doc(web(f"{base}/article.html"))
    assert doc.origin == f"{base}/article.html"
    assert doc.kind is InputKind.URL
    assert doc.is_html and doc.content == ARTICLE_HTML
    assert doc.meta.url == f"{base}/article.html"
    assert doc.meta.title is None  # the page's own metadata is read by cleaning
    assert doc.meta.fetched and doc.meta.fetched.endswith("+00:00")
    meta = page_meta(doc)
    assert meta.url == f"{base}/article.html"  # what we fetched, not the canonical
    assert meta.title == "Le budget adopté"
    assert meta.fetched == doc.meta.fetched


def test_charset_from_header_and_plain_text(base: str) -> None:
    latin, plain = web(f"{base}/latin1.html", f"{base}/plain")
    assert isinstance(latin, RawDocument) and LATIN1_TEXT in latin.content
    assert isinstance(plain, RawDocument)
    assert (plain.content, plain.is_html) == ("Plain text body.\n", False)


def test_redirect_is_followed(base: str) -> None:
    doc = only_doc(web(f"{base}/redirect"))
    assert doc.origin == f"{base}/redirect"
    assert doc.meta.url == f"{base}/article.html"


def test_refusals_and_errors(base: str) -> None:
    urls = ["/private/page.html", "/loop", "/to-file", "/missing", "/error", "/image.png"]
    assert reasons(web(*(base + u for u in urls))) == [
        "robots-disallowed",
        "too-many-redirects",
        "scheme-refused",
        "http-404",
        "http-500",
        "unsupported-content-type",
    ]
    assert "/private/page.html" not in Handler.requests


def test_robots_can_be_ignored(base: str) -> None:
    assert reasons(web(f"{base}/private/page.html", respect_robots=False)) == ["doc"]


def test_robots_server_error_means_disallowed(base: str) -> None:
    port = base.rsplit(":", 1)[1]
    assert reasons(web(f"http://localhost:{port}/article.html")) == ["robots-disallowed"]


@pytest.mark.parametrize("path", ["/huge", "/huge-stream"])
def test_response_size_cap(base: str, path: str) -> None:
    assert reasons(web(base + path, max_bytes=50_000)) == ["too-large"]


def test_timeout(base: str) -> None:
    assert reasons(web(f"{base}/slow", timeout=0.3)) == ["fetch-error"]


@pytest.mark.parametrize("path", ["/drip-headers", "/drip-body"])
def test_one_deadline_for_headers_and_body(base: str, path: str) -> None:
    """A server trickling its headers (or body) a byte every 0.1 s never lets one read wait
    long: the request's own deadline must stop it (the whole page would take ~10 s)."""
    started = time.monotonic()
    items = web(f"{base}{path}", timeout=1.0, respect_robots=False)
    elapsed = time.monotonic() - started
    assert reasons(items) == ["fetch-error"]
    assert "timed out after 1.0 s" in items[0].detail  # type: ignore[union-attr]
    assert elapsed < 2.0, f"a 1 s deadline took {elapsed:.1f} s"


def test_connection_refused() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nobody listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert reasons(web(f"http://127.0.0.1:{port}/nothing", timeout=1.0)) == ["fetch-error"]


def test_feed(base: str) -> None:
    items = web(f"{base}/feed.rss")
    assert reasons(items) == ["doc", "doc", "http-404", "robots-disallowed", "no-link"]
    fetched, from_feed = items[0], items[1]
    assert isinstance(fetched, RawDocument) and isinstance(from_feed, RawDocument)
    assert fetched.kind is InputKind.FEED and fetched.origin == f"{base}/article.html"
    assert fetched.content == ARTICLE_HTML
    assert fetched.meta.title == "Feed title"
    assert fetched.meta.outlet is None  # the page's own metadata is read by cleaning
    meta = page_meta(fetched)
    assert meta.title == "Feed title"  # the feed's word beats the page's
    assert meta.published == "2024-03-05T10:00:00+00:00"
    assert meta.author and "Ed Itor" in meta.author
    assert meta.outlet == "La Gazette"  # completed from the page
    assert meta.url == f"{base}/article.html"
    assert from_feed.origin == f"{base}/missing"
    assert "Full story in the feed." in from_feed.content
    assert items[4].origin == f"{base}/feed.rss#5"
    assert "too short" in items[2].detail  # type: ignore[union-attr]


def test_feed_by_content_type_and_item_cap(base: str) -> None:
    items = web(f"{base}/atom", max_feed_items=2)
    assert reasons(items) == ["doc", "doc"]


def test_empty_feed(base: str) -> None:
    assert reasons(web(f"{base}/empty.rss")) == ["empty-feed"]


def test_private_addresses_refused_by_default(base: str) -> None:
    items = collect([f"{base}/article.html"], make_settings())
    assert reasons(items) == ["private-address"]
    assert Handler.requests == []


def test_file_scheme_refused() -> None:
    assert reasons(collect(["file:///etc/passwd"])) == ["scheme-refused"]


def test_every_redirect_hop_is_checked(base: str) -> None:
    port = base.rsplit(":", 1)[1]
    settings = fetch_settings(allow_private=False, respect_robots=False)
    # 'localhost' passes the check (the fake resolver calls it public); its redirect to
    # 127.0.0.1 must still be refused.
    with Fetcher(settings, resolver=lambda host: ["93.184.216.34"]) as fetcher:
        items = list(iter_url(f"http://localhost:{port}/to-private", fetcher))
    assert reasons(items) == ["private-address"]
    assert Handler.requests == ["/to-private"]


@pytest.mark.parametrize(
    ("url", "addresses", "reason"),
    [
        ("http://intranet.example/", ["10.0.0.5"], "private-address"),
        ("http://metadata.example/", ["169.254.169.254"], "private-address"),
        ("http://mixed.example/", ["93.184.216.34", "127.0.0.1"], "private-address"),
        ("http://v6.example/", ["::ffff:192.168.1.1"], "private-address"),
        ("http://[::1]/", [], "private-address"),
        ("https://news.example/a", ["93.184.216.34"], None),
        ("ftp://news.example/a", [], "scheme-refused"),
        ("http:///nohost", [], "invalid-url"),
        ("http://news.example:99999/", [], "invalid-url"),
    ],
)
def test_check_url(url: str, addresses: list[str], reason: str | None) -> None:
    try:
        check_url(url, allow_private=False, resolver=lambda host: addresses)
    except Reject as rej:
        assert rej.reason == reason
    else:
        assert reason is None


def test_rate_limit_per_host_without_waiting(base: str) -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    with Fetcher(fetch_settings(min_interval=2.0), clock=lambda: now[0], sleep=sleep) as fetcher:
        fetcher.fetch(f"{base}/article.html")  # robots.txt, then the page: one wait
        fetcher.fetch(f"{base}/plain")  # robots.txt cached: one more wait
    assert slept == [2.0, 2.0]
    assert Handler.requests == ["/robots.txt", "/article.html", "/plain"]


def test_rate_limiter_hosts_are_independent() -> None:
    now = [10.0]
    slept: list[float] = []
    limiter = RateLimiter(1.0, clock=lambda: now[0], sleep=slept.append)
    limiter.wait("a.example")
    limiter.wait("b.example")
    now[0] += 0.25
    limiter.wait("a.example")
    assert slept == [0.75]
