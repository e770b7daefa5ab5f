"""``recoupe serve`` as a user runs it: a busy port is one error line, and under load
(keep-alive connections reused at the client's idle limit) no request is dropped."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from recoupe import app
from recoupe.cli.web import KEEP_ALIVE_S, listen
from recoupe.config import Settings
from recoupe.errors import UsageError

REPO = Path(__file__).resolve().parents[2]


def test_busy_port_is_one_error_line(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with app.open_store(Settings(db=db)):
        pass
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(UsageError, match="Address already in use"):
            listen("127.0.0.1", port)
        proc = subprocess.run(
            [sys.executable, "-m", "recoupe", "serve", "--db", str(db), "--port", str(port)],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and f"cannot listen on 127.0.0.1:{port}" in lines[0]


def test_keep_alive_outlasts_clients_idle_limit() -> None:
    import httpx

    # httpx stops reusing a connection idle this long; the server must not close it
    # first, or a request sent at that moment is dropped.
    expiry = httpx.Limits().keepalive_expiry
    assert expiry is not None and expiry < KEEP_ALIVE_S


@pytest.mark.slow
def test_no_request_dropped_under_load() -> None:
    """600 requests at concurrency 20, and 200 connections reused after sitting idle
    right at httpx's 5 s limit (uvicorn's default keep-alive: ~2 % of those failed)."""
    proc = subprocess.run(
        [sys.executable, str(REPO / "bench" / "web_load.py"), "--requests", "600",
         "--probes", "200"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "web_load_failures=0" in proc.stdout
    assert "keepalive_probe_failures=0" in proc.stdout


def test_listening_socket_lets_asyncio_turn_nagle_off() -> None:
    """asyncio sets TCP_NODELAY only on sockets whose proto is IPPROTO_TCP; with Nagle
    on, every keep-alive response after the first waited ~40 ms for a delayed ACK."""
    import asyncio

    with listen("127.0.0.1", 0) as sock:
        assert sock.proto == socket.IPPROTO_TCP
        port = sock.getsockname()[1]

        async def accepted_nodelay() -> int:
            seen: list[int] = []

            def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
                raw = writer.get_extra_info("socket")
                seen.append(raw.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                writer.close()

            server = await asyncio.start_server(on_connect, sock=sock)
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            for _ in range(100):
                if seen:
                    break
                await asyncio.sleep(0.01)
            writer.close()
            server.close()
            return seen[0]

        assert asyncio.run(accepted_nodelay()) != 0
