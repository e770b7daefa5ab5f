"""The findings part of an in-memory store (``FindingsStore``)."""

from __future__ import annotations

from collections.abc import Sequence

from recoupe.store.memory.state import MemoryState
from recoupe.types import FindingsOverview, StoryFindings, findings_overview


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

    def overviews(self, story_ids: Sequence[int]) -> dict[int, FindingsOverview]:
        """The overview of each of ``story_ids`` that has findings (computed on read:
        nothing is stored beside the findings here)."""
        with self._s.lock:
            self._s.check_open()
            found = {i: self._s.findings[i][1] for i in story_ids if i in self._s.findings}
        return {i: findings_overview(f) for i, f in found.items()}

    def forget(self, story_id: int) -> None:
        with self._s.lock:
            self._s.check_open()
            self._s.findings.pop(story_id, None)
