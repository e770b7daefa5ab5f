"""The findings part of an in-memory store (``FindingsStore``)."""

from __future__ import annotations

from recoupe.store.memory.state import MemoryState
from recoupe.types import StoryFindings


class MemoryFindings:
    """Findings of one in-memory store, keyed by story."""

    def __init__(self, state: MemoryState) -> None:
        self._s = state

    def digest(self, story_id: int) -> str | None:
        with self._s.lock:
            self._s.check_open()
            found = self._s.findings.get(story_id)
        return None if found is None else found[0]

    def put(self, story_id: int, digest: str, findings: StoryFindings) -> None:
        with self._s.lock:
            self._s.check_open()
            self._s.findings[story_id] = (digest, findings)

    def get(self, story_id: int) -> StoryFindings | None:
        with self._s.lock:
            self._s.check_open()
            found = self._s.findings.get(story_id)
        return None if found is None else found[1]

    def forget(self, story_id: int) -> None:
        with self._s.lock:
            self._s.check_open()
            self._s.findings.pop(story_id, None)
