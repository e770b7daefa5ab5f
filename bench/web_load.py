"""Dropped connections under load: ``recoupe serve`` hammered on 127.0.0.1.

    python bench/web_load.py [DB] [--requests 4000] [--concurrency 20] [--probes 200]

Starts ``recoupe serve`` on a free port over DB (default: the demo corpus ingested into a
temporary store), then

* ``--requests`` GETs over the article, story, search, origin and static pages from
  ``--concurrency`` threads, each with its own keep-alive httpx client;
* ``--probes`` keep-alive probes: a connection left idle for 4.990-5.000 s, then reused.
  httpx stops reusing a connection idle for 5 s, uvicorn's default keep-alive timeout: at
  equal timeouts a request sent as the server closes the connection fails ("Server
  disconnected without sending a response"). This is what dropped one request in 4,000.

Prints ``web_load_requests``, ``web_load_failures``, ``web_load_seconds`` (wall),
``keepalive_probes``, ``keepalive_probe_failures``, and the failures seen; exits 1 on any
failure.
"""

from __future__ import annotations

import argparse
import collections
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
PAGES = ["/", "/articles", "/articles?q=incendie", "/articles?lang=fr", "/stories", "/topics",
         "/origins", "/rejections", "/static/style.css", "/nope"]  # fmt: skip


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def demo_store(folder: Path) -> Path:
    db = folder / "demo.db"
    subprocess.run([sys.executable, "-m", "recoupe", "ingest", str(REPO / "examples" / "corpus"),
                    "--db", str(db)], check=True, capture_output=True)  # fmt: skip
    return db


def start_server(db: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    command = [sys.executable, "-m", "recoupe", "serve", "--db", str(db), "--port", str(port)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(base + "/static/style.css", timeout=1)
            return proc, base
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("recoupe serve did not start")


def load(base: str, paths: list[str], requests: int, concurrency: int) -> collections.Counter[str]:
    """``requests`` GETs from ``concurrency`` threads; failures by kind."""
    local = threading.local()
    failures: collections.Counter[str] = collections.Counter()

    def one(i: int) -> None:
        client = getattr(local, "client", None)
        if client is None:
            client = local.client = httpx.Client(base_url=base, timeout=30)
        try:
            status = client.get(paths[i % len(paths)]).status_code
            if status >= 500:
                failures[f"HTTP {status}"] += 1
        except httpx.HTTPError as exc:
            failures[f"{type(exc).__name__}: {exc}"] += 1

    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, range(requests)))
    return failures


def keepalive_probes(base: str, probes: int) -> collections.Counter[str]:
    """Connections reused after an idle time around 5 s (the client's keep-alive expiry)."""
    failures: collections.Counter[str] = collections.Counter()

    def probe(i: int) -> None:
        with httpx.Client(base_url=base, timeout=10) as client:
            client.get("/static/style.css")
            time.sleep(4.990 + (i % 20) * 0.0005)
            try:
                client.get("/static/style.css")
            except httpx.HTTPError as exc:
                failures[f"{type(exc).__name__}: {exc}"] += 1

    with ThreadPoolExecutor(min(probes, 200)) as pool:
        list(pool.map(probe, range(probes)))
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db", nargs="?", type=Path)
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--probes", type=int, default=400)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or demo_store(Path(tmp))
        proc, base = start_server(db)
        try:
            started = time.perf_counter()
            failures = load(base, PAGES, args.requests, args.concurrency)
            seconds = time.perf_counter() - started
            probe_failures = keepalive_probes(base, args.probes)
        finally:
            proc.terminate()
            proc.wait(10)
    print(f"web_load_requests={args.requests}")
    print(f"web_load_concurrency={args.concurrency}")
    print(f"web_load_failures={sum(failures.values())}")
    print(f"web_load_seconds={seconds:.1f}")
    print(f"keepalive_probes={args.probes}")
    print(f"keepalive_probe_failures={sum(probe_failures.values())}")
    for what, n in (failures + probe_failures).most_common():
        print(f"FAIL: {n} x {what}", file=sys.stderr)
    return 1 if failures or probe_failures else 0


if __name__ == "__main__":
    sys.exit(main())
