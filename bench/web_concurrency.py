"""Concurrent clients against ``recoupe serve`` on 127.0.0.1 (part of web_latency.py).

The server runs in a subprocess, as a user starts it; ``clients`` threads of this
process each keep one keep-alive httpx connection and send ``requests`` GETs in a
bounded loop (no think time: each sends its next request when the last one answered),
cycling through the pages. Every request is timed (wall clock, client side: what a user
waits) and any exception or non-200 answer is a failure. The server's CPU time comes
from /proc: it does not grow when other jobs share the cores.
"""

from __future__ import annotations

import statistics
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from web_load import start_server


@dataclass(frozen=True)
class LoadResult:
    clients: int
    latencies_ms: list[float]
    failures: int
    seconds: float
    server_cpu_s: float

    @property
    def rps(self) -> float:
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0

    def p(self, q: int) -> float:
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[q - 1]


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / 100.0  # utime, stime in clock ticks


def _client(base: str, paths: list[str], offset: int, requests: int, out: list[float],
            failures: list[int]) -> None:  # fmt: skip
    with httpx.Client(base_url=base, timeout=30) as client:
        for i in range(requests):
            path = paths[(offset + i) % len(paths)]
            started = time.perf_counter()
            try:
                ok = client.get(path).status_code == 200
            except httpx.HTTPError:
                ok = False
            out.append((time.perf_counter() - started) * 1000)
            if not ok:
                failures.append(1)


def run_load(base: str, pid: int, paths: list[str], clients: int, requests: int) -> LoadResult:
    """``clients`` clients, ``requests`` each, after one warm-up pass over the pages."""
    with httpx.Client(base_url=base, timeout=60) as warm:
        for path in paths[:30]:
            warm.get(path)
    latencies: list[list[float]] = [[] for _ in range(clients)]
    failures: list[int] = []
    threads = [
        threading.Thread(target=_client, args=(base, paths, k * 7, requests, latencies[k],
                                               failures))
        for k in range(clients)
    ]  # fmt: skip
    cpu0 = _cpu_seconds(pid)
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    return LoadResult(clients, [x for lat in latencies for x in lat], len(failures), seconds,
                      _cpu_seconds(pid) - cpu0)  # fmt: skip


def measure(db: Path, label: str, paths: list[str], requests: int,
            clients: tuple[int, ...] = (1, 10)) -> list[LoadResult]:  # fmt: skip
    """``recoupe serve`` over ``db``, each client count in turn; prints name=value lines
    ``web_{label}_c{N}_*``."""
    proc, base = start_server(db)
    try:
        results = [run_load(base, proc.pid, paths, n, requests) for n in clients]
    finally:
        proc.terminate()
        proc.wait(10)
    for r in results:
        name = f"web_{label}_c{r.clients}"
        print(f"{name}_requests={len(r.latencies_ms)}")
        print(f"{name}_rps={r.rps:.1f}")
        print(f"{name}_p50_ms={r.p(50):.1f}")
        print(f"{name}_p95_ms={r.p(95):.1f}")
        print(f"{name}_failures={r.failures}")
        print(f"{name}_server_cpu_ms_per_request={1000 * r.server_cpu_s / len(r.latencies_ms):.2f}")
    return results
