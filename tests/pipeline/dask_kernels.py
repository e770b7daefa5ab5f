"""Kernels for the Dask executor tests, in a module of their own so Dask workers import
them by name (a test module's functions would drag pytest's collection state along).
Not a test module."""

from __future__ import annotations

import os
import signal
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


def squares(batch: Sequence[int]) -> list[int]:
    return [x * x for x in batch]


def worker_pid(batch: Sequence[int]) -> int:
    return os.getpid()


class KernelBug(Exception):
    """What ``Failing`` raises: a bug of a kernel, as a test can tell it apart."""


@dataclass(frozen=True, slots=True)
class Failing:
    """Raises on every batch that holds ``bad``; counts its attempts in ``tally``."""

    bad: int
    tally: str

    def __call__(self, batch: Sequence[int]) -> list[int]:
        if self.bad in batch:
            with open(self.tally, "a", encoding="utf-8") as fh:
                fh.write("x")
            raise KernelBug(f"batch with {self.bad}")
        return squares(batch)


@dataclass(frozen=True, slots=True)
class KillOnce:
    """Squares, but the first attempt of the batch that holds ``victim`` SIGKILLs the
    worker process running it (the marker file says an attempt was made), and every
    attempt at that batch is logged in ``attempts``."""

    victim: int
    marker: str
    attempts: str

    def __call__(self, batch: Sequence[int]) -> list[int]:
        if self.victim in batch:
            with open(self.attempts, "a", encoding="utf-8") as fh:
                fh.write(f"{os.getpid()}\n")
            if kill_first_time(Path(self.marker)):
                raise AssertionError("unreachable: the process was killed")
        return squares(batch)


def kill_first_time(marker: Path) -> bool:
    """SIGKILL this process unless ``marker`` exists (creating it first, so the task's
    next attempt, on any worker, goes through). False when it already existed."""
    try:
        os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return False
    os.kill(os.getpid(), signal.SIGKILL)
    return True
