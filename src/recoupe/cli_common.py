"""What the command modules share: consoles, common options, settings, progress."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress, TaskID

from recoupe.config import Settings, load_settings

out = Console()
err = Console(stderr=True)

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="SQLite store (default: ./recoupe.db or [db] in recoupe.toml).",
        envvar="RECOUPE_DB",
    ),
]
ConfigOption = Annotated[
    Path | None, typer.Option("--config", help="TOML settings file (default: ./recoupe.toml).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def settings_for(config: Path | None, db: Path | None) -> Settings:
    settings = load_settings(config)
    return dataclasses.replace(settings, db=db) if db else settings


def step_progress(bar: Progress) -> Callable[[str, int, int], None]:
    tasks: dict[str, TaskID] = {}

    def step(name: str, done: int, total: int) -> None:
        if name not in tasks:
            tasks[name] = bar.add_task(name, total=total)
        bar.update(tasks[name], completed=done, total=total)

    return step
