"""The average-linkage agglomeration against the plain algorithm it speeds up: each step
merges the first maximum of the whole matrix (lower row, then lower column)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from recoupe.cluster.split import average_linkage
from recoupe.cluster.stories import _entity_cosines


def _reference(ids: list[int], sim: np.ndarray, threshold: float) -> dict[int, int]:
    n = len(ids)
    groups = [[k] for k in range(n)]
    alive = np.ones(n, dtype=bool)
    s = sim.astype(np.float64).copy()
    np.fill_diagonal(s, -np.inf)
    sizes = np.ones(n)
    while alive.sum() > 1:
        masked = np.where(alive[:, None] & alive[None, :], s, -np.inf)
        i, j = divmod(int(np.argmax(masked)), n)
        if masked[i, j] < threshold:
            break
        i, j = min(i, j), max(i, j)
        merged = (s[i] * sizes[i] + s[j] * sizes[j]) / (sizes[i] + sizes[j])
        s[i, :], s[:, i] = merged, merged
        s[i, i] = -np.inf
        sizes[i] += sizes[j]
        alive[j] = False
        groups[i] += groups[j]
        groups[j] = []
    return {ids[k]: min(ids[x] for x in g) for g in groups for k in g}


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 30).flatmap(
        lambda n: st.tuples(
            st.lists(st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0]) if n % 2 else
                     st.floats(0, 1), min_size=n * n, max_size=n * n),
            st.permutations(list(range(100)))
            .map(lambda p, n=n: p[:n]),  # type: ignore[misc]
        )
    ),
    st.sampled_from([0.2, 0.5, 0.8]),
)
def test_average_linkage_merges_as_the_whole_matrix_scan(
    case: tuple[list[float], list[int]], threshold: float
) -> None:
    values, ids = case
    n = len(ids)
    a = np.asarray(values, dtype=np.float64).reshape(n, n)
    sim = (a + a.T) / 2  # ties on purpose when the values are quantised
    assert average_linkage(ids, sim, threshold) == _reference(ids, sim, threshold)


def test_entity_cosines_match_the_dense_computation() -> None:
    from collections import Counter

    counts = [Counter({"a": 3, "b": 1}), Counter(), Counter({"b": 2, "c": 1}), Counter({"a": 1})]
    vocab = ["a", "b", "c"]
    dense = np.array([[1 + np.log(c[k]) if c[k] else 0.0 for k in vocab] for c in counts])
    norms = np.linalg.norm(dense, axis=1)
    dense /= np.where(norms > 0, norms, 1)[:, None]
    np.testing.assert_allclose(_entity_cosines(counts), dense @ dense.T, atol=1e-12)
    assert _entity_cosines([]).shape == (0, 0)
