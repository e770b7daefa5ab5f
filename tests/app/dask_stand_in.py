"""Preloaded by each Dask worker of the CLI-level Dask tests
(``DASK_DISTRIBUTED__WORKER__PRELOAD``, so a worker restarted after a kill has it too):
the stand-ins of ``tests.app.stand_in`` (no model loaded), and, when
``RECOUPE_TEST_KILL_DIR`` is set, the first task of each kind of kernel SIGKILLs the
worker running it (one marker file per kind in that folder, created before the kill, so
the task's next attempt goes through). Not a test module."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import recoupe.pipeline.dask_executor as dask_executor
import tests.app.stand_in  # noqa: F401  (installs the stand-ins)
from tests.pipeline.dask_kernels import kill_first_time

_apply = dask_executor._apply


def kernel_kind(kernel: Any) -> str:
    return str(getattr(kernel, "__name__", type(kernel).__name__))


def _apply_or_die(kernel: Any, batch: Any) -> Any:
    folder = os.environ.get("RECOUPE_TEST_KILL_DIR")
    if folder:
        kill_first_time(Path(folder) / kernel_kind(kernel))
    return _apply(kernel, batch)


dask_executor._apply = _apply_or_die
