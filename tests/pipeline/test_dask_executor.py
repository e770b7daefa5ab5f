"""The Dask executor keeps the ``Executor`` contract: results in batch order, a kernel's
exception raised as itself, a worker killed with SIGKILL mid-map costs a retry and
nothing else (no batch lost, none returned twice), and a cluster that cannot be reached
is a one-line error. One local cluster of 2 worker processes serves the module."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from recoupe.app.run import executor_for
from recoupe.cli import main
from recoupe.errors import PipelineError, UsageError
from recoupe.pipeline.dask_executor import DaskExecutor
from recoupe.pipeline.stage import SerialExecutor
from tests.pipeline.dask_kernels import (
    Failing,
    KernelBug,
    KillOnce,
    squares,
    worker_pid,
)


@pytest.fixture(scope="module")
def dask() -> Iterator[DaskExecutor]:
    with DaskExecutor(None, 2) as executor:
        yield executor


def test_results_come_back_in_batch_order(dask: DaskExecutor) -> None:
    batches = [[i, i + 1] for i in range(0, 60, 2)]
    assert dask.workers == 2
    assert list(dask.map(squares, batches)) == list(SerialExecutor().map(squares, batches))


def test_batches_run_on_both_workers(dask: DaskExecutor) -> None:
    pids = set()
    deadline = time.monotonic() + 60
    while len(pids) < 2 and time.monotonic() < deadline:
        pids |= set(dask.map(worker_pid, [[i] for i in range(16)]))
    assert len(pids) == 2


def test_a_kernel_bug_is_raised_as_itself_after_its_retry(
    dask: DaskExecutor, tmp_path: Path
) -> None:
    tally = tmp_path / "tally"
    with pytest.raises(KernelBug, match="batch with 7"):
        list(dask.map(Failing(7, str(tally)), [[i] for i in range(12)]))
    assert tally.read_text() == "xx"  # the first attempt and one retry


def test_a_worker_killed_mid_map_loses_and_repeats_nothing(
    dask: DaskExecutor, tmp_path: Path
) -> None:
    marker, attempts = tmp_path / "killed", tmp_path / "attempts"
    batches = [[i] for i in range(40)]
    got = list(dask.map(KillOnce(13, str(marker), str(attempts)), batches))
    assert marker.exists(), "the kernel did not kill its worker"
    pids = attempts.read_text().split()
    assert len(pids) == 2 and pids[0] != pids[1]  # killed once, then ran on a live worker
    assert got == [[i * i] for i in range(40)]


def test_the_local_cluster_survives_kills_in_a_row(dask: DaskExecutor, tmp_path: Path) -> None:
    """Each kill leaves a worker restarting while the next one lands: Dask's local
    cluster would drop such a worker for good after 15 s (``LOCAL_LOST_WORKER_TIMEOUT``)."""
    for k in range(6):
        kernel = KillOnce(3, str(tmp_path / f"killed-{k}"), str(tmp_path / f"attempts-{k}"))
        assert list(dask.map(kernel, [[i] for i in range(6)])) == [[i * i] for i in range(6)]
        assert (tmp_path / f"killed-{k}").exists()
    deadline = time.monotonic() + 120  # the nannies restart the dead workers
    while len(dask.client.scheduler_info()["workers"]) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(dask.client.scheduler_info()["workers"]) == 2
    assert list(dask.map(squares, [[2], [3]])) == [[4], [9]]


def test_an_unreachable_scheduler_is_a_pipeline_error() -> None:
    started = time.monotonic()
    with pytest.raises(PipelineError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9"):
        DaskExecutor("tcp://127.0.0.1:9", connect_timeout=1)
    assert time.monotonic() - started < 30


def test_a_scheduler_that_is_no_address_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="--scheduler foo"):
        executor_for("dask", None, "foo")
    with pytest.raises(UsageError, match="--scheduler needs --engine dask"):
        executor_for("local", None, "tcp://127.0.0.1:8786")


@pytest.mark.parametrize(
    ("scheduler", "code", "says"),
    [
        ("foo", 2, "--scheduler foo: missing port number"),
        ("tcp://127.0.0.1:9", 8, "cannot reach the Dask scheduler at tcp://127.0.0.1:9"),
    ],
)
def test_the_cli_says_what_is_wrong_with_the_scheduler_in_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
    scheduler: str, code: int, says: str,
) -> None:  # fmt: skip
    monkeypatch.setattr("recoupe.pipeline.dask_executor.CONNECT_TIMEOUT", 1.0)
    monkeypatch.setattr("sys.argv", ["recoupe", "run", str(tmp_path), "--db",
                                     str(tmp_path / "s.db"), "--engine", "dask",
                                     "--scheduler", scheduler])  # fmt: skip
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == code
    err = capsys.readouterr().err.strip()
    assert err.startswith("recoupe: error: ") and says in err and "\n" not in err
