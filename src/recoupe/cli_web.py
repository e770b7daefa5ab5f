"""``recoupe serve``: the web UI (``recoupe.web``) run by uvicorn.

Thin like the rest of the CLI; ``register`` adds the command to the main group.
"""

from __future__ import annotations

from typing import Annotated

import typer

from recoupe.cli_common import ConfigOption, DbOption, err, out, settings_for


def serve(
    db: DbOption = None,
    config: ConfigOption = None,
    host: Annotated[
        str, typer.Option(help="Address to listen on. Keep the default unless you mean it.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
) -> None:
    """Serve the web UI: articles, search, copies side by side, origin groups."""
    import uvicorn  # imported here: other commands should not pay for the web stack

    from recoupe.web import create_app

    settings = settings_for(config, db)
    web = create_app(settings.db, settings)
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"warning: serving on {host}: anyone who can reach it can read the store")
    out.print(f"recoupe web UI: http://{host}:{port}/ (store {settings.db}; Ctrl-C stops)")
    uvicorn.run(web, host=host, port=port, log_level="warning")


def register(group: typer.Typer) -> None:
    group.command()(serve)
