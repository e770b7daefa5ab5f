"""The stories' centroids as one matrix, for the nearest-centroid scan of each article.

Why: the scan compared every new article with the centroid of every active story, and
the matrix of those centroids was stacked again for each article - a copy of stories x
dimensions floats per article, quadratic in the stream (a tenth of the clustering's
cost at 5,000 articles, growing with every story). Here a story's row is written when
the story changes and the scan is one product over the rows still alive and active.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


class CentroidIndex:
    """Story id -> its centroid and last day, with ``nearest`` over the active ones."""

    def __init__(self) -> None:
        self._row: dict[int, int] = {}
        self._n = 0
        self._vectors: NDArray[np.float32] = np.zeros((0, 0), dtype=np.float32)
        self._ids: NDArray[np.int64] = np.zeros(0, dtype=np.int64)
        self._last: NDArray[np.float64] = np.zeros(0, dtype=np.float64)  # NaN: no date
        self._alive: NDArray[np.bool_] = np.zeros(0, dtype=bool)

    def __len__(self) -> int:
        return int(self._alive[: self._n].sum())

    def put(self, story_id: int, centroid: NDArray[np.float32], last_day: int | None) -> None:
        """Write (or add) the story's row."""
        row = self._row.get(story_id)
        if row is None:
            row = self._row[story_id] = self._n
            self._grow(row + 1, len(centroid))
            self._n += 1
        self._vectors[row] = centroid
        self._ids[row] = story_id
        self._last[row] = np.nan if last_day is None else float(last_day)
        self._alive[row] = True

    def drop(self, story_id: int) -> None:
        """The story is gone (merged into another): its row is never returned again."""
        row = self._row.get(story_id)
        if row is not None:
            self._alive[row] = False

    def nearest(
        self, vector: NDArray[np.float32], day: int | None, window_days: int, k: int
    ) -> list[int]:
        """The ``k`` story ids of highest cosine with ``vector`` among those alive and
        active on ``day`` (last day within ``window_days``; every story when either
        date is unknown), ties on the lower id."""
        mask = self._alive[: self._n].copy()
        if day is not None:
            last = self._last[: self._n]
            mask &= np.isnan(last) | (day - last <= window_days)
        rows = np.flatnonzero(mask)
        if not len(rows):
            return []
        sims = self._vectors[rows] @ vector
        ids = self._ids[rows]
        return [int(ids[i]) for i in np.lexsort((ids, -sims))[:k]]

    def _grow(self, size: int, dim: int) -> None:
        if size <= len(self._ids):
            return
        capacity = max(size, 2 * len(self._ids), 64)
        vectors = np.zeros((capacity, dim), dtype=np.float32)
        if self._n:
            vectors[: self._n] = self._vectors[: self._n]
        self._vectors = vectors
        self._ids = np.concatenate([self._ids, np.zeros(capacity - len(self._ids), np.int64)])
        self._last = np.concatenate([self._last, np.full(capacity - len(self._last), np.nan)])
        self._alive = np.concatenate([self._alive, np.zeros(capacity - len(self._alive), bool)])
