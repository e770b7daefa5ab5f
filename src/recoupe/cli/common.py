"""What the command modules share: consoles, common options, settings, progress."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress, TaskID
from rich.text import Text

from recoupe.app import IngestReport
from recoupe.config import Settings, load_settings, store_location
from recoupe.errors import AllRejectedError

# Counts and numbers given on the command line end in SQL, where integers stop at 2**63:
# past this, "as many as there are" is what a user means.
MAX_COUNT = 1_000_000_000
# The date filters' rule, as in the web UI (recoupe.web.params): a date or its start.
_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?)?)?")


def count(value: int | None) -> int | None:
    """Option callback for a count: negative is a usage error, huge means "all"."""
    if value is None:
        return None
    if value < 0:
        raise typer.BadParameter(f"must be 0 or more, not {value}")
    return min(value, MAX_COUNT)


def identifier(value: int | None) -> int | None:
    """Option callback for a numeric id: outside 0..MAX_COUNT no id exists."""
    if value is not None and not 0 <= value <= MAX_COUNT:
        raise typer.BadParameter(f"must be a number from 0 to {MAX_COUNT}, not {value}")
    return value


def iso_date(value: str | None) -> str | None:
    """Option callback for --since/--until: an ISO date or its start (2025, 2025-09)."""
    if value is None or not value.strip():
        return None
    if not _DATE.fullmatch(value.strip()):
        raise typer.BadParameter(f"must be an ISO date or its start (2025, 2025-09), not {value!r}")
    return value.strip()

out = Console()
err = Console(stderr=True)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="The store: a SQLite file (default: ./recoupe.db or [db] in recoupe.toml) or "
        "a postgresql:// URL.",
        envvar="RECOUPE_DB",
    ),
]
ConfigOption = Annotated[
    Path | None, typer.Option("--config", help="TOML settings file (default: ./recoupe.toml).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
FollowSymlinksOption = Annotated[
    bool,
    typer.Option(
        "--follow-symlinks", help="Follow symbolic links that lead out of a folder ingested."
    ),
]


WorkersOption = Annotated[
    int | None,
    typer.Option(
        "--workers",
        min=1,
        help="Worker processes for per-article work (default: one per core).",
        envvar="RECOUPE_WORKERS",
    ),
]
EngineOption = Annotated[
    str,
    typer.Option(
        "--engine",
        help="Where per-article work runs: local (worker processes) or dask.",
        envvar="RECOUPE_ENGINE",
    ),
]
SchedulerOption = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        help="Dask scheduler address (tcp://HOST:PORT); without it, --engine dask starts "
        "a local cluster of --workers processes.",
        envvar="RECOUPE_SCHEDULER",
    ),
]


def settings_for(config: Path | None, db: str | None) -> Settings:
    settings = load_settings(config)
    return dataclasses.replace(settings, db=store_location(db)) if db else settings


def ingest_settings(settings: Settings, allow_private: bool, follow_symlinks: bool) -> Settings:
    """``settings`` with the ingest command-line switches applied (a switch only turns
    its setting on)."""
    if allow_private:
        fetch = dataclasses.replace(settings.fetch, allow_private=True)
        settings = dataclasses.replace(settings, fetch=fetch)
    if follow_symlinks:
        ingest = dataclasses.replace(settings.ingest, follow_symlinks=True)
        settings = dataclasses.replace(settings, ingest=ingest)
    return settings


def print_ingest_outcome(report: IngestReport, show: int) -> None:
    """The first ``show`` rejections and repairs of an ingest, one line each (as plain
    text: an origin or a reason code is never read as markup). Raises AllRejectedError
    (exit 7) when every input was rejected."""
    for rej in report.rejections[:show]:
        detail = f": {rej.detail}" if rej.detail else ""
        out.print(Text(f"  rejected {rej.origin} [{rej.reason}]{detail}"), soft_wrap=True)
    if len(report.rejections) > show:
        out.print(f"  ... {len(report.rejections) - show} more: recoupe rejections")
    for note in report.repaired[:show]:
        out.print(Text(f"  repaired {note.origin}: {note.detail}"), soft_wrap=True)
    if len(report.repaired) > show:
        out.print(f"  ... {len(report.repaired) - show} more input(s) repaired")
    if report.rejected and not report.accepted and not report.duplicates:
        raise AllRejectedError(
            f"every input was rejected ({report.rejected}): nothing was stored"
        )


def step_progress(bar: Progress) -> Callable[[str, int, int], None]:
    tasks: dict[str, TaskID] = {}

    def step(name: str, done: int, total: int) -> None:
        if name not in tasks:
            tasks[name] = bar.add_task(name, total=total)
        bar.update(tasks[name], completed=done, total=total)

    return step
