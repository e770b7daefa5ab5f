"""The web context's caches: one computation per key and version at a time, the size
budget kept, errors passed to every waiting reader."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from recoupe.config import Settings
from recoupe.store.memory import MemoryStore
from recoupe.web.context import WebContext


def _context(tmp_path: Path) -> WebContext:
    return WebContext(MemoryStore(), Settings(db=tmp_path / "unused.db"))


def test_readers_arriving_during_a_render_wait_for_it(tmp_path: Path) -> None:
    ctx = _context(tmp_path)
    started, release = threading.Event(), threading.Event()
    calls: list[int] = []

    def render() -> str:
        calls.append(1)
        started.set()
        assert release.wait(10)
        return "<html>page</html>"

    arrived = threading.Semaphore(0)

    def reader() -> str:
        arrived.release()
        page: str = ctx.page("story:1", "v1", render)
        return page

    with ThreadPoolExecutor(6) as pool:
        first = pool.submit(ctx.page, "story:1", "v1", render)
        assert started.wait(10)
        waiting = [pool.submit(reader) for _ in range(5)]
        for _ in waiting:
            assert arrived.acquire(timeout=10)
        time.sleep(0.2)  # the readers are inside page() while the render still runs
        release.set()
        pages = [f.result(10) for f in [first, *waiting]]
    assert pages == ["<html>page</html>"] * 6
    assert len(calls) == 1
    assert ctx.page("story:1", "v1", lambda: "recomputed") == "<html>page</html>"
    assert ctx.page("story:1", "v2", lambda: "new version") == "new version"


def test_an_error_reaches_every_waiting_reader_and_is_not_kept(tmp_path: Path) -> None:
    ctx = _context(tmp_path)
    started, release = threading.Event(), threading.Event()

    def failing() -> str:
        started.set()
        assert release.wait(10)
        raise LookupError("no such story")

    with ThreadPoolExecutor(3) as pool:
        first = pool.submit(ctx.page, "story:9", "v", failing)
        assert started.wait(10)
        second = pool.submit(ctx.page, "story:9", "v", failing)
        release.set()
        for future in (first, second):
            with pytest.raises(LookupError):
                future.result(10)
    assert ctx.page("story:9", "v", lambda: "fixed") == "fixed"


def test_pages_are_evicted_oldest_first_past_the_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("recoupe.web.context.PAGES_BYTES", 25)
    ctx = _context(tmp_path)
    for k in range(4):
        ctx.page(f"p{k}", "v", lambda k=k: str(k) * 10)  # type: ignore[misc]
    assert list(ctx._pages) == ["p2", "p3"]
    ctx.page("p3", "v2", lambda: "y" * 10)  # a new version replaces, not adds, its size
    assert list(ctx._pages) == ["p2", "p3"]
    ctx.page("p4", "v", lambda: "z" * 30)  # over the budget alone: kept, the rest go
    assert list(ctx._pages) == ["p4"]
