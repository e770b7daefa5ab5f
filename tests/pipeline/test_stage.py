"""The stage contract's local executors: order, warm-up before the workers fork, and a
dead worker reported as a PipelineError."""

from __future__ import annotations

import os
import signal
from collections.abc import Sequence
from dataclasses import dataclass

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
