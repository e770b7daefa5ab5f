"""One polite, bounded HTTP GET: the only place ingest touches the network.

Redirects are followed by hand (at most 5) so that every hop goes through the same
checks as the first URL: scheme, private address, robots.txt, rate limit. Bodies are
streamed and abandoned past ``max_bytes``. Each request (each hop, and robots.txt) has
one deadline, ``timeout`` seconds after it starts, covering name resolution, connect,
TLS, headers and body (``recoupe.ingest.deadline``): a server trickling its headers or
its body a byte at a time cannot hold the run.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from recoupe.config import FetchSettings
from recoupe.ingest.common import Reject, normalise_newlines
from recoupe.ingest.deadline import DeadlineBackend, deadline_transport, resolve_within
from recoupe.ingest.safety import RateLimiter, Resolver, check_url, host_of

MAX_REDIRECTS = 5
ROBOTS_MAX_BYTES = 512_000
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True, slots=True)
class Page:
    """A successful response: the URL it finally came from, its type and its bytes."""

    url: str
    content_type: str
    body: bytes
    fetched: str  # UTC ISO 8601


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Fetcher:
    """Fetches URLs under ``FetchSettings``; keeps robots.txt and rate state per host,
    so use one Fetcher for a whole run. ``client``, ``resolver``, ``clock`` and ``sleep``
    are injectable for tests."""

    def __init__(
        self,
        settings: FetchSettings,
        client: httpx.Client | None = None,
        resolver: Resolver | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self._backend = DeadlineBackend()
        self._client = client or httpx.Client(
            timeout=settings.timeout,
            follow_redirects=False,
            headers={"User-Agent": settings.user_agent},
            transport=deadline_transport(self._backend),
        )
        self._resolver = resolver or self._resolve
        self._limiter = RateLimiter(settings.min_interval, clock, sleep)
        self._robots: dict[str, RobotFileParser] = {}

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _resolve(self, host: str) -> list[str]:
        """Resolve for the private-address check, within the current request's deadline."""
        left = self._backend.remaining(self.settings.timeout)
        return resolve_within(host, None, self.settings.timeout if left is None else left)

    def fetch(self, url: str) -> Page:
        """GET ``url`` following redirects; raises Reject on any refusal or failure."""
        return self._follow(url, self.settings.max_bytes, check_robots=True)

    def _follow(self, url: str, max_bytes: int, check_robots: bool) -> Page:
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            self._checked(current)
            if check_robots and self.settings.respect_robots and not self._allowed(current):
                raise Reject("robots-disallowed", f"robots.txt forbids {current}")
            self._limiter.wait(host_of(current))
            deadline = time.monotonic() + self.settings.timeout
            with self._backend.until(deadline):
                status, location, page = self._get(current, max_bytes, deadline)
            if page is not None:
                return page
            if status in _REDIRECTS and location:
                current = urljoin(current, location)
                continue
            raise Reject(f"http-{status}", f"{current} answered HTTP {status}")
        raise Reject("too-many-redirects", f"more than {MAX_REDIRECTS} redirects from {url}")

    def _checked(self, url: str) -> None:
        """Scheme, host and address checks (resolving the name takes at most ``timeout``,
        and failing to is a fetch error like any other timeout)."""
        try:
            check_url(url, self.settings.allow_private, self._resolver)
        except TimeoutError as exc:
            raise Reject("fetch-error", f"timed out: {exc}") from exc

    def _get(
        self, url: str, max_bytes: int, deadline: float
    ) -> tuple[int, str | None, Page | None]:
        """One request: (status, Location, Page if 2xx). Network errors become Rejects."""
        try:
            with self._client.stream("GET", url) as response:
                status = response.status_code
                if not 200 <= status < 300:
                    return status, response.headers.get("location"), None
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > max_bytes:
                    raise Reject("too-large", f"{declared} bytes announced, limit {max_bytes}")
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > max_bytes:
                        raise Reject("too-large", f"response exceeds {max_bytes} bytes")
                    if time.monotonic() > deadline:
                        raise Reject("fetch-error", f"timed out after {self.settings.timeout} s")
                content_type = response.headers.get("content-type", "")
                page = Page(str(response.url), content_type, bytes(body), utc_now())
                return status, None, page
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            if isinstance(exc, httpx.TimeoutException) or time.monotonic() >= deadline:
                raise Reject("fetch-error", f"timed out after {self.settings.timeout} s") from exc
            raise Reject("fetch-error", f"{type(exc).__name__}: {exc}") from exc

    def _allowed(self, url: str) -> bool:
        """robots.txt verdict for ``url`` (one download per scheme+host+port, cached)."""
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}"
        if key not in self._robots:
            self._robots[key] = self._load_robots(key)
        return self._robots[key].can_fetch(self.settings.user_agent, url)

    def _load_robots(self, site: str) -> RobotFileParser:
        """Per RFC 9309: missing (4xx) means allowed, server error (5xx) means disallowed.
        If it cannot be fetched at all, the page request will fail and say why."""
        parser = RobotFileParser(f"{site}/robots.txt")
        try:
            page = self._follow(f"{site}/robots.txt", ROBOTS_MAX_BYTES, check_robots=False)
        except Reject as rej:
            server_error = rej.reason.startswith("http-5")
            parser.parse(["User-agent: *", "Disallow: /"] if server_error else [])
            return parser
        text = normalise_newlines(page.body.decode("utf-8", errors="replace"))
        parser.parse(text.split("\n"))
        return parser
