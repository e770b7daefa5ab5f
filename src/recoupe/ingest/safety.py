"""Fetch policies that protect other people's servers and our own network.

* Only http(s): a URL must not make us read local files (``file://``) or talk other
  protocols.
* No private addresses (unless ``allow_private``): a crafted link or redirect must not
  make us probe the intranet or a cloud metadata service (server-side request forgery).
  Every redirect hop is checked again. Known limit: the name is resolved once for the
  check and again by the HTTP client, so a hostile DNS server could answer differently
  the second time (DNS rebinding).
* A minimum interval between two requests to one host, so a feed of 200 links does not
  hammer its site.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from recoupe.ingest.common import Reject

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str], list[str]]
ALLOWED_SCHEMES = ("http", "https")


def resolve(host: str) -> list[str]:
    """All addresses a host name resolves to (the client may connect to any of them)."""
    infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def is_public(address: IPAddress) -> bool:
    """False for loopback, private, link-local, reserved, shared and multicast ranges."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def host_of(url: str) -> str:
    """The host name of a URL, lower case ('' if it has none)."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def check_url(url: str, allow_private: bool, resolver: Resolver = resolve) -> None:
    """Raise Reject unless ``url`` is http(s), has a host, and (unless ``allow_private``)
    every address of that host is public."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises ValueError on a bad port
    except ValueError as exc:
        raise Reject("invalid-url", str(exc)) from exc
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise Reject("scheme-refused", f"only http and https are fetched, not {parts.scheme!r}")
    host = host_of(url)
    if not host:
        raise Reject("invalid-url", "the URL has no host")
    if allow_private:
        return
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            addresses = [ipaddress.ip_address(a.split("%")[0]) for a in resolver(host)]
        except (OSError, UnicodeError) as exc:
            raise Reject("fetch-error", f"cannot resolve {host}: {exc}") from exc
    for address in addresses:
        if not is_public(address):
            raise Reject("private-address", f"{host} is {address}, a non-public address")


class RateLimiter:
    """Waits so that two requests to one host are at least ``min_interval`` seconds apart.

    ``clock`` and ``sleep`` are injectable so tests run without really waiting.
    """

    def __init__(
        self,
        min_interval: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.min_interval = min_interval
        self._clock = clock
        self._sleep = sleep
        self._last: dict[str, float] = {}

    def wait(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None:
            delay = last + self.min_interval - self._clock()
            if delay > 0:
                self._sleep(delay)
        self._last[host] = self._clock()
