"""What the command modules share: consoles, common options, settings, progress."""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress, TaskID
from rich.text import Text

from recoupe.app import IngestReport, InputOutcome, iso_prefix, with_ingest_options
from recoupe.config import STDIN_FORMATS, Settings, load_settings, store_location
from recoupe.errors import AllRejectedError, UsageError

# Counts and numbers given on the command line end in SQL, where integers stop at 2**63:
# past this, "as many as there are" is what a user means.
MAX_COUNT = 1_000_000_000


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
    try:
        return iso_prefix(value)
    except UsageError as exc:
        raise typer.BadParameter(str(exc)) from None


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
MetaFromPathOption = Annotated[
    str | None,
    typer.Option(
        "--meta-from-path",
        metavar="PATTERN",
        help="Read metadata from each input's path, e.g. '{lang}/{topic}/{date}/{name}' "
        "(placeholders: lang, date, year, month, day, outlet, author, title; others ignored).",
    ),
]
FormatOption = Annotated[
    str | None,
    typer.Option(
        "--format",
        metavar="FORMAT",
        help="Format of standard input (target -): " + ", ".join(f for f in STDIN_FORMATS if f)
        + " (default: sniffed).",
    ),
]
JsonLinesOption = Annotated[
    bool,
    typer.Option("--json", help="Print one JSON record per input, then a summary record."),
]


def settings_for(config: Path | None, db: str | None) -> Settings:
    settings = load_settings(config)
    return dataclasses.replace(settings, db=store_location(db)) if db else settings


def ingest_settings(
    settings: Settings,
    allow_private: bool,
    follow_symlinks: bool,
    meta_from_path: str | None = None,
    stdin_format: str | None = None,
) -> Settings:
    """``settings`` with the ingest command-line switches applied (``app.with_ingest_options``,
    as the Python API does); a bad pattern or format is a usage error (exit 2)."""
    try:
        return with_ingest_options(settings, allow_private=allow_private,
                                   follow_symlinks=follow_symlinks,
                                   meta_from_path=meta_from_path, stdin_format=stdin_format,
                                   names=("--meta-from-path", "--format"))  # fmt: skip
    except UsageError as exc:
        raise typer.BadParameter(str(exc)) from None


def check_stdin(targets: list[str]) -> None:
    """``-`` reads standard input: refuse it on a terminal, where it would wait forever."""
    if "-" in targets and sys.stdin.isatty():
        raise typer.BadParameter("'-' reads standard input: pipe something in "
                                 "(cat articles.jsonl | recoupe ingest -)")  # fmt: skip


def json_record(record: dict[str, Any]) -> None:
    """One JSON Lines record on standard output, flushed (a script reads as it comes)."""
    sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def input_record(outcome: InputOutcome) -> None:
    """The JSON record of one input's outcome (``--json`` of ingest and run)."""
    data = {"record": "input", **dataclasses.asdict(outcome)}
    json_record({k: v for k, v in data.items() if v is not None})


def ingest_summary(report: IngestReport, db: Path | str) -> dict[str, Any]:
    return {
        "accepted": report.accepted, "duplicates": report.duplicates,
        "rejected": report.rejected, "inputs": report.total,
        "seconds": round(report.seconds, 3), "db": str(db),
        "repaired": [dataclasses.asdict(r) for r in report.repaired],
        "reasons": _reason_counts(report),
    }  # fmt: skip


def _reason_counts(report: IngestReport) -> dict[str, int]:
    counts: dict[str, int] = {}
    for rej in report.rejections:
        counts[rej.reason] = counts.get(rej.reason, 0) + 1
    return dict(sorted(counts.items()))


def raise_if_all_rejected(report: IngestReport) -> None:
    if report.rejected and not report.accepted and not report.duplicates:
        raise AllRejectedError(
            f"every input was rejected ({report.rejected}): nothing was stored"
        )


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
    raise_if_all_rejected(report)


def step_progress(bar: Progress) -> Callable[[str, int, int], None]:
    tasks: dict[str, TaskID] = {}

    def step(name: str, done: int, total: int) -> None:
        if name not in tasks:
            tasks[name] = bar.add_task(name, total=total)
        bar.update(tasks[name], completed=done, total=total)

    return step
