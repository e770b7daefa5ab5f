"""``recoupe run --engine dask`` on a local cluster of 2 workers stores what a serial run
stores, even when a worker is killed with SIGKILL in the middle of each kind of kernel
(signatures, entities, lead vectors, alignment, attribution, findings): nothing lost,
nothing duplicated. When the cluster gives up on a task (its workers died more often
than allowed), the run stops with a one-line error and running it again finishes the
job. Runs the CLI with the unit tests' stand-ins (``tests/app/dask_stand_in.py``,
preloaded by every worker, restarted ones too) on the demo corpus."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.app.test_kill_rerun import _differences, _dump, _finish

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "examples" / "corpus"
KERNELS = {"sign_batch", "EntityKernel", "LeadVectorKernel", "AlignKernel", "AttributionKernel",
           "FindingsKernel"}  # fmt: skip
pytestmark = pytest.mark.slow


def _run(db: Path, cwd: Path, *engine: str, **env: str) -> subprocess.Popen[bytes]:
    environ = dict(os.environ, PYTHONUNBUFFERED="1", PYTHONPATH=str(REPO), **env)
    environ["DASK_DISTRIBUTED__WORKER__PRELOAD"] = '["tests.app.dask_stand_in"]'
    return subprocess.Popen(
        [sys.executable, "-m", "tests.app.stand_in", "run", str(DEMO), "--db", str(db), *engine],
        cwd=cwd, env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


@pytest.fixture(scope="module")
def serial(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple[object, ...]]]:
    """The store of a serial run (one process) of the demo corpus."""
    folder = tmp_path_factory.mktemp("serial")
    _finish(_run(folder / "serial.db", folder, "--workers", "1"))
    dump = _dump(folder / "serial.db")
    assert dump["stories"] and dump["origin_groups"] and dump["claim_groups"]
    return dump


def test_a_kill_in_every_kernel_changes_nothing(
    serial: dict[str, list[tuple[object, ...]]], tmp_path: Path
) -> None:
    kills = tmp_path / "kills"
    kills.mkdir()
    db = tmp_path / "dask.db"
    _finish(_run(db, tmp_path, "--engine", "dask", "--workers", "2",
                 RECOUPE_TEST_KILL_DIR=str(kills)))  # fmt: skip
    assert {p.name for p in kills.iterdir()} == KERNELS  # each kind killed a worker once
    assert _dump(db) == serial, _differences(_dump(db), serial)


def test_a_run_the_cluster_gives_up_on_is_finished_by_a_rerun(
    serial: dict[str, list[tuple[object, ...]]], tmp_path: Path
) -> None:
    kills = tmp_path / "kills"
    kills.mkdir()
    db = tmp_path / "dask.db"
    first = _run(db, tmp_path, "--engine", "dask", "--workers", "2",
                 RECOUPE_TEST_KILL_DIR=str(kills),
                 DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES="0")  # fmt: skip
    _, err = first.communicate(timeout=600)
    assert first.returncode == 8, err.decode()
    message = [line for line in err.decode().splitlines() if line.startswith("recoupe:")]
    assert message and "Dask workers died" in message[0] and "run the command again" in message[0]
    assert "Traceback" not in err.decode()
    stopped = _dump(db)
    assert len(stopped["documents"]) == 13 and not stopped["stories"]  # stopped in copies

    rerun = _finish(_run(db, tmp_path, "--engine", "dask", "--workers", "2"))
    assert "0 accepted, 13 duplicate" in rerun
    assert _dump(db) == serial, _differences(_dump(db), serial)
