"""An in-memory backend of the ``Store`` contract, in plain Python (dicts behind one
lock). It holds nothing beyond the process, so it is for tests and experiments: it
proves the contract needs no SQL (``tests/store/test_contract.py`` runs the same suite
on it, SQLite and PostgreSQL) and makes unit tests of app code fast.

Behaviour follows the SQLite backend: the same orders, filters, upserts and text search
semantics (``search.py``: stems from ``store.stemming``, phrases and prefixes exact).
"""

from __future__ import annotations

from types import TracebackType

from recoupe.store.memory.copies import MemoryCopies
from recoupe.store.memory.documents import MemoryDocuments
from recoupe.store.memory.findings import MemoryFindings
from recoupe.store.memory.state import MemoryState
from recoupe.store.memory.stories import MemoryStories

__all__ = ["MemoryStore"]


class MemoryStore:
    """A recoupe store in this process's memory (gone when it closes)."""

    def __init__(self) -> None:
        self._state = MemoryState()
        self._documents = MemoryDocuments(self._state)
        self._copies = MemoryCopies(self._state)
        self._stories = MemoryStories(self._state)
        self._findings = MemoryFindings(self._state)

    @property
    def location(self) -> str:
        return "memory:"

    @property
    def documents(self) -> MemoryDocuments:
        return self._documents

    @property
    def copies(self) -> MemoryCopies:
        return self._copies

    @property
    def stories(self) -> MemoryStories:
        return self._stories

    @property
    def findings(self) -> MemoryFindings:
        return self._findings

    def close(self) -> None:
        with self._state.lock:
            self._state.closed = True

    def __enter__(self) -> MemoryStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
