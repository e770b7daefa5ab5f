"""Command line: parse arguments, call ``recoupe.app``, render. Nothing else lives here.

One module per command group (``corpus``, ``stories``, ``findings``, ``web``), each with a
``register(group)``; ``common`` holds the shared options and renderers.

Exit codes: 0 success (an ingest run that rejected some inputs still succeeds: rejections are
data, listed in the summary), 1 unexpected error, 2 usage, 3 input, 4 not found, 5 store,
6 config, 7 every input rejected, 130 interrupted. Errors are printed as one line on stderr.
"""

from __future__ import annotations

import logging
import sys
from typing import Annotated

import typer
from rich.markup import escape

from recoupe import __version__
from recoupe.cli import corpus, findings, stories, web
from recoupe.cli.common import err, out
from recoupe.errors import RecoupeError

cli = typer.Typer(
    name="recoupe",
    help="Cross-check the news: ingest articles, clean them, inspect what was removed.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

corpus.register(cli)
stories.register(cli)
findings.register(cli)
web.register(cli)


def _version(value: bool) -> None:
    if value:
        out.print(f"recoupe {__version__}")
        raise typer.Exit()


@cli.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print version.")
    ] = False,
) -> None:
    """recoupe: cross-check the news."""


def _quiet_libraries() -> None:
    """trafilatura and its helpers log an ERROR for every odd page; for us an odd page is
    a rejection or an audit entry, not a console message."""
    for name in ("trafilatura", "htmldate", "courlan", "charset_normalizer"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def main() -> None:
    """Console entry point: map errors to exit codes and one-line messages. Usage errors
    (exit 2) are reported by the argument parser itself."""
    _quiet_libraries()
    try:
        cli()
    except RecoupeError as exc:
        err.print(f"recoupe: error: {escape(str(exc))}", highlight=False, soft_wrap=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        err.print("recoupe: interrupted")
        sys.exit(130)
    except Exception as exc:  # a bug: one line, not a traceback
        message = f"{type(exc).__name__}: {escape(str(exc))}"
        err.print(f"recoupe: unexpected error: {message}", highlight=False, soft_wrap=True)
        sys.exit(1)
