"""The stage contract's local executors: order, warm-up before the workers fork, and a
dead worker reported as a PipelineError."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from recoupe.errors import PipelineError
from recoupe.pipeline.stage import LocalExecutor, SerialExecutor, batched

_LOADED: list[int] = []  # what a kernel's warm() "loads" in this process


@dataclass(frozen=True, slots=True)
class Square:
    def __call__(self, batch: Sequence[int]) -> list[int]:
        return [x * x for x in batch]


@dataclass(frozen=True, slots=True)
class NeedsModel:
    """Reports the worker's pid and whether the "model" was in memory when it ran."""

    def warm(self) -> None:
        if not _LOADED:
            _LOADED.append(os.getpid())

    def __call__(self, batch: Sequence[int]) -> tuple[int, bool]:
        return os.getpid(), bool(_LOADED)


@dataclass(frozen=True, slots=True)
class DiesOnThree:
    def __call__(self, batch: Sequence[int]) -> list[int]:
        if 3 in batch:
            os.kill(os.getpid(), signal.SIGKILL)
        return list(batch)


def test_batched_keeps_everything_in_order() -> None:
    assert list(batched(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]


@pytest.mark.parametrize("workers", [1, 2])
def test_results_come_back_in_batch_order(workers: int) -> None:
    with LocalExecutor(workers) as ex:
        got = list(ex.map(Square(), batched(range(50), 4)))
    assert got == list(SerialExecutor().map(Square(), batched(range(50), 4)))


def test_a_kernel_is_warmed_here_and_its_workers_fork_with_the_model() -> None:
    _LOADED.clear()
    with LocalExecutor(2) as ex:
        list(ex.map(Square(), [[1], [2]]))  # the pool starts before the model is loaded
        found = list(ex.map(NeedsModel(), [[k] for k in range(6)]))
    assert [os.getpid()] == _LOADED  # loaded once, in this process
    assert all(loaded for _, loaded in found)  # every worker had it without loading it
    assert all(pid != os.getpid() for pid, _ in found)
    _LOADED.clear()


def test_no_batches_means_no_warm_up() -> None:
    _LOADED.clear()
    with LocalExecutor(2) as ex:
        assert list(ex.map(NeedsModel(), [])) == []
    assert _LOADED == []


def test_a_killed_worker_is_a_pipeline_error() -> None:
    with LocalExecutor(2) as ex, pytest.raises(PipelineError, match="worker process died"):
        list(ex.map(DiesOnThree(), [[1], [2], [3], [4]]))


_ORPHAN_SCRIPT = """
import os, sys, time
from recoupe.pipeline.stage import LocalExecutor
from tests.pipeline.test_stage import NeedsModel
ex = LocalExecutor(2)
pids = {pid for pid, _ in ex.map(NeedsModel(), [[k] for k in range(8)])}
print(" ".join(map(str, sorted(pids))), flush=True)
time.sleep(60)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux only")
def test_workers_die_with_a_killed_parent() -> None:
    """kill -9 of the process running the executor takes its workers with it."""
    proc = subprocess.Popen([sys.executable, "-c", _ORPHAN_SCRIPT], stdout=subprocess.PIPE,
                            text=True, cwd=Path(__file__).resolve().parents[2])  # fmt: skip
    assert proc.stdout is not None
    pids = [int(p) for p in proc.stdout.readline().split()]
    assert pids
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 10
    alive = pids
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = [p for p in pids if Path(f"/proc/{p}").exists()
                 and "Z" not in Path(f"/proc/{p}/stat").read_text().split()[2]]  # fmt: skip
    assert alive == []
