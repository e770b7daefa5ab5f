"""A per-document budget: one document's work runs in a worker process that is stopped
when it uses more CPU time or memory than allowed.

Why a process: the costly work (lxml parsing, trafilatura, text cleaning) runs in C or in
long Python loops that no timer inside the process can interrupt, and memory taken by a
huge tree is only reliably given back by ending the process. A page with 100,000
attributes on one tag, or 20 MB of markup, must cost its own rejection (``too-slow``,
``too-complex``), not the run.

How: :class:`Worker` keeps one process, forked from this one (on Linux; elsewhere from a
forkserver), so it starts in milliseconds with the cleaning modules and models already in
memory: ``prepare`` (e.g. loading the language model) runs once here before the first
fork, and every replacement shares it. The worker never touches what it inherits but
its pipe (no store, no console) and leaves with ``os._exit``. Each task is sent over a
pipe; while waiting for the answer the parent reads the worker's CPU time and resident
memory from ``/proc`` every ``poll`` seconds and kills the worker past its budget. The
worker also runs under an address-space limit (twice the memory budget), which stops a
sudden allocation between two polls. A killed or crashed worker is replaced on the next
task. CPU time, not wall time, is what is budgeted, so a page costs the same on a busy
machine; the wall clock only stops a task that is stuck (four times the CPU budget plus
10 s).

:class:`InProcess` runs tasks directly (no budget): used when both limits are 0.
Both are context managers; a later pool of several workers can reuse :class:`Worker`.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import resource
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, Protocol, TypeVar

T = TypeVar("T")

# Forking is fast and shares what this process has loaded; where fork is unsafe (macOS)
# a forkserver, which imports the cleaning modules once, stands in.
START_METHOD = "fork" if sys.platform.startswith("linux") else "forkserver"
PRELOAD = ["recoupe.pipeline.documents"]  # what a forkserver imports once
_START_TIMEOUT_S = 120.0
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
_MB = 1 << 20
_LONG_TASK_S = 0.05


@dataclass(frozen=True, slots=True)
class Budget:
    """What one task may use: CPU seconds and memory in MB above the idle worker's own
    (0 = no limit for that resource)."""

    cpu_seconds: float = 30.0
    memory_mb: int = 1024

    @property
    def enabled(self) -> bool:
        return self.cpu_seconds > 0 or self.memory_mb > 0


@dataclass(frozen=True, slots=True)
class Overrun:
    """A task stopped for exceeding its budget (or because the worker died under it)."""

    reason: str  # "too-slow" | "too-complex"
    detail: str
    cpu_seconds: float  # CPU time the task had used when it was stopped
    wall_seconds: float


class TaskError(Exception):
    """The task raised an exception in the worker (its type and message, as text)."""


class Runner(Protocol):
    def run(self, fn: Callable[..., T], *args: Any) -> T | Overrun:
        """``fn(*args)``, or an Overrun; an exception in ``fn`` is raised (TaskError in a
        worker, the exception itself in-process)."""
        ...

    def close(self) -> None: ...


class InProcess:
    """Runs tasks in this process, without a budget."""

    def run(self, fn: Callable[..., T], *args: Any) -> T | Overrun:
        return fn(*args)

    def close(self) -> None:
        pass

    def __enter__(self) -> InProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _proc_cpu(pid: int) -> float | None:
    """CPU seconds (user + system) used so far by process ``pid``; None without /proc."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / _TICK


def _proc_rss(pid: int) -> int | None:
    """Resident memory of process ``pid`` in bytes; None without /proc."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE
    except OSError:
        return None


def _limit_address_space(memory_bytes: int) -> None:
    """Let this process map at most twice ``memory_bytes`` more than it has now: a
    backstop for an allocation faster than the parent's polling (Linux; elsewhere the
    polled memory alone, or nothing without /proc)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            size = int(statm.read().split()[0]) * _PAGE
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = size + 2 * memory_bytes
        if hard == resource.RLIM_INFINITY or limit < hard:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (OSError, ValueError):
        pass


def _serve(conn: Connection, parent_end: Connection, memory_bytes: int) -> None:
    """The worker's loop: announce itself, then run tasks until the pipe closes (also
    when the parent dies: the parent's end, inherited by the fork, is closed first)."""
    parent_end.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if memory_bytes:
        _limit_address_space(memory_bytes)
    conn.send(("ready", None))
    while True:
        try:
            fn, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            answer: tuple[str, Any] = ("ok", fn(*args))
        except MemoryError:
            answer = ("memory", None)
        except BaseException as exc:  # the task's failure is data for the parent
            answer = ("error", f"{type(exc).__name__}: {exc}")
        try:
            conn.send(answer)
        except MemoryError:
            conn.send(("memory", None))
        except Exception as exc:  # e.g. a result that cannot be pickled
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


class Worker:
    """One worker process running tasks one at a time under ``budget`` (see the module
    docstring). Not thread-safe: one caller at a time."""

    def __init__(
        self, budget: Budget, prepare: Callable[[], None] | None = None, poll: float = 0.02
    ) -> None:
        self.budget = budget
        self.poll = poll
        self._prepare = prepare
        self.tasks = 0  # tasks run, for reports
        self.restarts = 0  # workers replaced after an overrun, a crash or a memory recycle
        self.last_cpu = 0.0  # CPU seconds the last task used in the worker
        self._proc: BaseProcess | None = None
        self._conn: Connection | None = None
        self._base_rss = 0
        self._memory = budget.memory_mb * _MB
        self._lock = threading.Lock()

    # -- lifecycle -----------------------------------------------------------------------

    def _ready(self) -> tuple[BaseProcess, Connection]:
        """The running worker, started if needed."""
        proc, conn = self._proc, self._conn
        if proc is None or conn is None or not proc.is_alive():
            self._stop()
            proc, conn = self._start()
        return proc, conn

    def _start(self) -> tuple[BaseProcess, Connection]:
        if self._prepare is not None:
            self._prepare()
            self._prepare = None
        if START_METHOD == "fork":
            ctx: Any = multiprocessing.get_context("fork")
        else:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(PRELOAD)
        parent, child = ctx.Pipe()
        proc = ctx.Process(
            target=_serve, args=(child, parent, self.budget.memory_mb * _MB), daemon=True,
            name="recoupe-budget-worker",
        )  # fmt: skip
        proc.start()
        child.close()
        if not parent.poll(_START_TIMEOUT_S):
            proc.kill()
            raise RuntimeError("the document worker did not start")
        parent.recv()  # ("ready", None)
        assert proc.pid is not None
        with self._lock:
            self._base_rss = _proc_rss(proc.pid) or 0
            self._proc, self._conn = proc, parent
        return proc, parent

    def _stop(self) -> None:
        with self._lock:
            proc, conn = self._proc, self._conn
            self._proc = self._conn = None
        if conn is not None:
            conn.close()
        if proc is not None:
            if proc.is_alive():
                proc.kill()
            proc.join(5)
            proc.close()

    def close(self) -> None:
        self._stop()

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- running -------------------------------------------------------------------------

    def run(self, fn: Callable[..., T], *args: Any) -> T | Overrun:
        proc, conn = self._ready()
        self.tasks += 1
        start_cpu = _proc_cpu(proc.pid or 0)
        started = time.monotonic()
        try:
            conn.send((fn, args))
        except OSError:  # the worker died between two tasks: start another, once
            self._stop()
            proc, conn = self._start()
            start_cpu = _proc_cpu(proc.pid or 0)
            conn.send((fn, args))
        result: T | Overrun = self._wait(proc, conn, proc.pid or 0, start_cpu, started)
        return result

    def _wait(
        self, proc: BaseProcess, conn: Connection, pid: int, start_cpu: float | None,
        started: float,
    ) -> Any:  # fmt: skip
        budget = self.budget
        wall_limit = 4 * budget.cpu_seconds + 10 if budget.cpu_seconds else None
        cpu = 0.0
        while True:
            if conn.poll(self.poll):
                try:
                    kind, value = conn.recv()
                except (EOFError, OSError):
                    return self._died(proc, cpu, started)
                return self._answer(kind, value, pid, start_cpu, started)
            if not proc.is_alive():
                return self._died(proc, cpu, started)
            cpu = self._used(pid, start_cpu, started)
            wall = time.monotonic() - started
            if budget.cpu_seconds and cpu > budget.cpu_seconds:
                return self._overrun(
                    "too-slow", f"stopped after {cpu:.1f} s of CPU time (budget "
                    f"{budget.cpu_seconds:g} s)", cpu, wall,
                )  # fmt: skip
            if wall_limit is not None and wall > wall_limit:
                return self._overrun("too-slow", f"stopped after {wall:.0f} s", cpu, wall)
            rss = _proc_rss(pid)
            if budget.memory_mb and rss is not None and rss - self._base_rss > self._memory:
                detail = f"stopped at {rss // _MB} MB of memory (budget {budget.memory_mb} MB)"
                return self._overrun("too-complex", detail, cpu, wall)

    def _used(self, pid: int, start_cpu: float | None, started: float) -> float:
        now = _proc_cpu(pid)
        if now is None or start_cpu is None:  # no /proc: wall time stands in
            return time.monotonic() - started
        return now - start_cpu

    def _answer(self, kind: str, value: Any, pid: int, start_cpu: float | None,
                started: float) -> Any:  # fmt: skip
        wall = time.monotonic() - started
        self.last_cpu = self._used(pid, start_cpu, started)
        if kind == "memory":
            detail = f"ran out of memory (budget {self.budget.memory_mb} MB)"
            return self._overrun("too-complex", detail, self.last_cpu, wall)
        # A worker left big by a large document is replaced, giving its memory back. Only
        # a long task can have grown it much; short ones are checked now and then.
        if self.budget.memory_mb and (wall > _LONG_TASK_S or self.tasks % 32 == 0):
            rss = _proc_rss(pid)
            if rss is not None and rss - self._base_rss > self._memory // 2:
                self.restarts += 1
                self._stop()
        if kind == "error":
            raise TaskError(value)
        return value

    def _overrun(self, reason: str, detail: str, cpu: float, wall: float) -> Overrun:
        self.last_cpu = cpu
        self.restarts += 1
        self._stop()
        return Overrun(reason, detail, cpu, wall)

    def _died(self, proc: BaseProcess, cpu: float, started: float) -> Overrun:
        """The worker ended under a task (killed by the kernel for memory, a crash in C
        code): that input is what broke it."""
        proc.join(1)
        code = proc.exitcode
        how = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
        detail = f"the worker stopped ({how}): out of memory or a crash in the parser"
        return self._overrun("too-complex", detail, cpu, time.monotonic() - started)


class WorkerPool:
    """Several budgeted workers behind one ``Runner``: ``run`` may be called from
    ``size`` threads at once, each call taking a free worker (so ``size`` documents are
    cleaned at once, one per core). ``prepare`` runs once, before the first fork."""

    def __init__(self, budget: Budget, size: int, prepare: Callable[[], None] | None = None):
        self.size = size
        once = _Once(prepare)
        self._workers = [Worker(budget, once) for _ in range(size)]
        self._free: queue.SimpleQueue[Worker] = queue.SimpleQueue()
        for worker in self._workers:
            self._free.put(worker)

    def run(self, fn: Callable[..., T], *args: Any) -> T | Overrun:
        worker = self._free.get()
        try:
            return worker.run(fn, *args)
        finally:
            self._free.put(worker)

    def close(self) -> None:
        for worker in self._workers:
            worker.close()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Once:
    """``fn`` the first time it is called (under a lock), nothing after."""

    def __init__(self, fn: Callable[[], None] | None) -> None:
        self._fn = fn
        self._lock = threading.Lock()

    def __call__(self) -> None:
        with self._lock:  # held while fn runs: a second caller waits for it to finish
            if self._fn is not None:
                self._fn()
                self._fn = None


def runner_for(
    budget: Budget, prepare: Callable[[], None] | None = None, workers: int = 1
) -> Worker | WorkerPool | InProcess:
    """A Worker (a WorkerPool of ``workers`` when more than one) when the budget limits
    anything (``prepare`` runs before the first start), else InProcess."""
    if not budget.enabled:
        return InProcess()
    return WorkerPool(budget, workers, prepare) if workers > 1 else Worker(budget, prepare)
