"""``recoupe serve``: the web UI (``recoupe.web``) run by uvicorn.

Thin like the rest of the CLI; ``register`` adds the command to the main group.

The listening socket is opened here, before uvicorn starts, so a port already in use is
one clear error line (exit 2) instead of uvicorn's log and exit code. Idle keep-alive
connections are kept :data:`KEEP_ALIVE_S` seconds: uvicorn's default (5 s) is exactly the
idle time after which httpx, and clients built on it, stop reusing a connection, so a
request sent on a connection idle for 5 s met the server closing it and failed as a
dropped connection. A server must keep idle connections longer than its clients do.
"""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING, Annotated

import typer

from recoupe.cli.common import ConfigOption, DbOption, err, out, settings_for
from recoupe.errors import UsageError

if TYPE_CHECKING:
    import uvicorn

KEEP_ALIVE_S = 75  # longer than common clients keep an idle connection (httpx 5 s, aiohttp 15 s)
BACKLOG = 2048  # pending connections the kernel queues before the server accepts them


def listen(host: str, port: int) -> socket.socket:
    """A socket listening on ``host:port``; UsageError when the address cannot be had.

    The protocol is named (IPPROTO_TCP), not left 0: asyncio turns Nagle's algorithm
    off (TCP_NODELAY) only on sockets whose ``proto`` says TCP, and with it on, every
    response after the first on a keep-alive connection waited ~40 ms for the client's
    delayed ACK (headers and body are two writes)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # restart right after a stop
    try:
        sock.bind((host, port))
        sock.listen(BACKLOG)
    except OSError as exc:
        sock.close()
        hint = " (another server? choose another --port)" if port else ""
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}{hint}") from exc
    return sock


def server(web: object, sock: socket.socket) -> uvicorn.Server:
    """The uvicorn server for ``web`` on ``sock`` (not started)."""
    import uvicorn  # imported here: other commands should not pay for the web stack

    host, port = sock.getsockname()[:2]
    config = uvicorn.Config(
        web,  # type: ignore[arg-type]
        host=host,
        port=port,
        log_level="warning",
        timeout_keep_alive=KEEP_ALIVE_S,
        backlog=BACKLOG,
    )
    return uvicorn.Server(config)


def serve(
    db: DbOption = None,
    config: ConfigOption = None,
    host: Annotated[
        str, typer.Option(help="Address to listen on. Keep the default unless you mean it.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
) -> None:
    """Serve the web UI: articles, search, copies side by side, origin groups."""
    from recoupe.web import create_app

    settings = settings_for(config, db)
    web = create_app(settings.db, settings)
    sock = listen(host, port)
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"warning: serving on {host}: anyone who can reach it can read the store")
    out.print(f"recoupe web UI: http://{host}:{port}/ (store {settings.db}; Ctrl-C stops)")
    with sock:
        server(web, sock).run(sockets=[sock])


def register(group: typer.Typer) -> None:
    group.command()(serve)
