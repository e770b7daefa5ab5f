"""One deadline for a whole HTTP request: name resolution, connect, TLS, headers, body.

httpx's timeouts bound each network operation, not the request: a server sending its
headers one byte every half second never lets a single read wait 3 s, and held a fetch
with ``timeout = 3`` for a minute. This module gives httpx's connection pool a network
backend (httpcore's extension point) whose every operation gets only the time left before
the request's deadline, and fails with a timeout once it has passed.

* Name resolution runs in a helper thread, waited for until the deadline (getaddrinfo
  itself cannot be interrupted; a late answer is simply dropped).
* Each read and write waits at most the time left; a read that starts after the
  deadline fails at once.
* The TLS handshake is one blocking call made of many reads: a timer shuts the socket
  down at the deadline, which ends it.

Use: ``backend = DeadlineBackend()``, ``client = httpx.Client(transport=deadline_transport(
backend))``, and around each request ``with backend.until(deadline): ...``.
"""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager, suppress
from typing import Any

import httpcore
import httpx

_RESOLVERS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="recoupe-dns")


def resolve_within(host: str, port: int | None, seconds: float) -> list[str]:
    """The addresses of ``host``, waiting at most ``seconds`` (TimeoutError past them)."""
    future = _RESOLVERS.submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
    try:
        infos = future.result(timeout=max(seconds, 0.0))
    except FutureTimeout:
        raise TimeoutError(f"resolving {host} took more than {seconds:.1f} s") from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's synchronous backend, with every operation cut at ``deadline``."""

    def __init__(self) -> None:
        self._sync = httpcore.SyncBackend()
        self.deadline: float | None = None  # time.monotonic() value; None: no deadline

    @contextmanager
    def until(self, deadline: float) -> Iterator[None]:
        """Operations inside the block end by ``deadline`` (a ``time.monotonic()``)."""
        self.deadline = deadline
        try:
            yield
        finally:
            self.deadline = None

    def remaining(self, timeout: float | None) -> float | None:
        """The time an operation may take: its own timeout, cut to the deadline."""
        if self.deadline is None:
            return timeout
        left = self.deadline - time.monotonic()
        return left if timeout is None else min(timeout, left)

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        left = self.remaining(timeout)
        if left is not None and left <= 0:
            raise httpcore.ConnectTimeout("deadline passed before connecting")
        try:
            addresses = resolve_within(host, port, 3600.0 if left is None else left)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(str(exc)) from exc
        except OSError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        error: Exception = httpcore.ConnectError(f"no address for {host}")
        for address in addresses:
            left = self.remaining(timeout)
            if left is not None and left <= 0:
                raise httpcore.ConnectTimeout("deadline passed while connecting")
            try:
                stream = self._sync.connect_tcp(address, port, left, local_address,
                                                socket_options)  # fmt: skip
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
                continue
            return _DeadlineStream(stream, self)
        raise error

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        stream = self._sync.connect_unix_socket(path, self.remaining(timeout), socket_options)
        return _DeadlineStream(stream, self)

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream, backend: DeadlineBackend) -> None:
        self._stream = stream
        self._backend = backend

    def _left(self, timeout: float | None, error: type[Exception]) -> float | None:
        left = self._backend.remaining(timeout)
        if left is not None and left <= 0:
            raise error("the request's deadline has passed")
        return left

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        left = self._left(timeout, httpcore.ConnectTimeout)
        sock = self._stream.get_extra_info("socket")
        timer = None
        if left is not None and isinstance(sock, socket.socket):
            timer = threading.Timer(left, _shut, (sock,))
            timer.daemon = True
            timer.start()
        try:
            stream = self._stream.start_tls(ssl_context, server_hostname, left)
        finally:
            if timer is not None:
                timer.cancel()
        after = self._backend.remaining(None)
        if after is not None and after <= 0:
            stream.close()
            raise httpcore.ConnectTimeout("the TLS handshake outlasted the request's deadline")
        return _DeadlineStream(stream, self._backend)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


def _shut(sock: socket.socket) -> None:
    """Wake whatever blocks on ``sock``: its reads return at once."""
    with suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def deadline_transport(backend: DeadlineBackend, **options: Any) -> httpx.HTTPTransport:
    """An httpx transport whose connections go through ``backend``.

    httpx builds its httpcore pool itself and takes no backend; the pool keeps it in
    ``_network_backend`` (httpcore 1.x), set here. If that changes, the header-drip test
    (tests/ingest/test_web.py) fails rather than the deadline silently going away."""
    transport = httpx.HTTPTransport(**options)
    pool = getattr(transport, "_pool", None)
    if pool is None or not hasattr(pool, "_network_backend"):
        raise RuntimeError("this httpx/httpcore version takes no network backend")
    pool._network_backend = backend
    return transport
