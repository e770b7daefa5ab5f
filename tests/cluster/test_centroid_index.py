"""The centroid index answers as a scan over every story would: the k nearest alive
and active centroids, ties on the lower id."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from recoupe.cluster.centroid_index import CentroidIndex


def _scan(stories: dict[int, tuple[np.ndarray, int | None]], vector: np.ndarray,
          day: int | None, window: int, k: int) -> list[int]:  # fmt: skip
    ids = [s for s, (_, last) in stories.items()
           if day is None or last is None or day - last <= window]  # fmt: skip
    if not ids:
        return []
    sims = np.stack([stories[s][0] for s in ids]) @ vector
    return [ids[int(i)] for i in np.lexsort((np.asarray(ids), -sims))[:k]]


_OPS = st.tuples(st.integers(0, 30), st.integers(0, 5),
                 st.one_of(st.none(), st.integers(0, 20)), st.booleans())  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(
    st.lists(_OPS, min_size=1, max_size=120),
    st.integers(0, 5),
    st.one_of(st.none(), st.integers(0, 30)),
)
def test_nearest_is_the_scan_of_every_story(
    ops: list[tuple[int, int, int | None, bool]], probe: int, day: int | None
) -> None:
    basis = np.eye(6, dtype=np.float32)  # few distinct directions: many ties
    index, stories = CentroidIndex(), {}
    for story_id, direction, last, drop in ops:
        if drop:
            index.drop(story_id)
            stories.pop(story_id, None)
        else:
            index.put(story_id, basis[direction], last)
            stories[story_id] = (basis[direction], last)
    assert len(index) == len(stories)
    for k in (1, 3, 8):
        assert index.nearest(basis[probe], day, 7, k) == _scan(stories, basis[probe], day, 7, k)


def test_an_empty_index_has_no_neighbours() -> None:
    assert CentroidIndex().nearest(np.ones(4, dtype=np.float32), 3, 7, 8) == []
