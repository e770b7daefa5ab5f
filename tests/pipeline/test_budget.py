"""The per-document budget: a worker process stopped past its CPU time or memory, replaced,
and a task's own exception passed back as data."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from recoupe.pipeline.budget import Budget, InProcess, Overrun, TaskError, Worker, runner_for

# Tasks run in the worker, which imports them from this module by name.


def double(x: int) -> int:
    return 2 * x


def spin(seconds: float) -> str:
    """Burn CPU for ``seconds`` of CPU time."""
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass
    return "done"


def hog(megabytes: int) -> int:
    """Hold ``megabytes`` of touched memory for a while."""
    block = bytearray(megabytes << 20)
    for i in range(0, len(block), 4096):
        block[i] = 1
    time.sleep(2)
    return len(block)


def fail() -> None:
    raise ValueError("bad page")


def crash() -> None:
    import faulthandler

    faulthandler.disable()  # inherited from pytest: it would print the crash's traceback
    os.kill(os.getpid(), signal.SIGSEGV)


@pytest.fixture(scope="module")
def worker() -> Iterator[Worker]:
    with Worker(Budget(cpu_seconds=0.5, memory_mb=200)) as w:
        yield w


def test_tasks_run_in_another_process(worker: Worker) -> None:
    assert worker.run(double, 21) == 42
    assert worker.run(os.getpid) != os.getpid()


def test_slow_task_is_stopped_near_its_cpu_budget(worker: Worker) -> None:
    started = time.monotonic()
    result = worker.run(spin, 30.0)
    elapsed = time.monotonic() - started
    assert isinstance(result, Overrun) and result.reason == "too-slow"
    assert 0.5 <= result.cpu_seconds < 0.5 + 0.3
    assert elapsed < 5, f"a 0.5 s budget took {elapsed:.1f} s of wall time"
    assert "budget 0.5 s" in result.detail
    assert worker.run(double, 2) == 4  # a fresh worker takes the next task


def test_memory_hog_is_stopped(worker: Worker) -> None:
    result = worker.run(hog, 600)
    assert isinstance(result, Overrun) and result.reason == "too-complex"
    assert "MB" in result.detail
    assert worker.run(double, 3) == 6


def test_task_exception_is_data_and_the_worker_survives(worker: Worker) -> None:
    pid = worker.run(os.getpid)
    with pytest.raises(TaskError, match="ValueError: bad page"):
        worker.run(fail)
    assert worker.run(os.getpid) == pid


def test_a_crash_costs_only_its_task(worker: Worker) -> None:
    result = worker.run(crash)
    assert isinstance(result, Overrun) and result.reason == "too-complex"
    assert "signal" in result.detail
    assert worker.run(double, 5) == 10


def test_a_worker_killed_between_tasks_is_replaced(worker: Worker) -> None:
    pid = worker.run(os.getpid)
    os.kill(pid, signal.SIGKILL)
    time.sleep(0.2)
    assert worker.run(double, 6) == 12
    assert worker.run(os.getpid) != pid


def test_no_budget_runs_in_process() -> None:
    runner = runner_for(Budget(0, 0))
    assert isinstance(runner, InProcess)
    assert runner.run(os.getpid) == os.getpid()
    with pytest.raises(ValueError):
        runner.run(fail)


def test_prepare_runs_once_before_the_first_worker() -> None:
    calls: list[int] = []
    with Worker(Budget(0.5, 0), prepare=lambda: calls.append(1)) as worker:
        assert calls == []  # nothing starts before the first task
        assert worker.run(double, 1) == 2
        assert isinstance(worker.run(spin, 5.0), Overrun)  # replaced: not prepared again
        assert worker.run(double, 2) == 4
    assert calls == [1]


def test_the_worker_ends_with_its_parent(tmp_path: Path) -> None:
    """A parent killed with SIGKILL (as in the kill-and-rerun tests) leaves no worker."""
    script = tmp_path / "parent.py"
    script.write_text(
        "import os, sys, time\n"
        "from recoupe.pipeline.budget import Budget, Worker\n"
        "w = Worker(Budget(5, 0))\n"
        "print(w.run(os.getpid), flush=True)\n"
        "time.sleep(60)\n"
    )
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _alive(child):
        time.sleep(0.05)
    assert not _alive(child)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _pid_after(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def test_a_pool_runs_as_many_tasks_at_once_as_it_has_workers() -> None:
    from concurrent.futures import ThreadPoolExecutor

    from recoupe.pipeline.budget import WorkerPool

    with WorkerPool(Budget(cpu_seconds=10.0, memory_mb=0), 2) as pool:
        pool.run(_pid_after, 0.0)  # both workers start
        pool.run(_pid_after, 0.0)
        started = time.monotonic()
        with ThreadPoolExecutor(2) as threads:
            pids = list(threads.map(lambda _: pool.run(_pid_after, 1.0), range(2)))
        elapsed = time.monotonic() - started
    assert len(set(pids)) == 2 and os.getpid() not in pids
    assert elapsed < 1.9  # two one-second tasks side by side, not one after the other
