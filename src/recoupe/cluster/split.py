"""Splitting a story whose members disagree ("merge and split when evidence changes").

The online join is decided with the evidence of the moment: the first article of an
event can join a one-article story of a look-alike event (two pirate attacks foiled by
the Indian navy three years apart), and the story then gathers both events. Once the
story has ``CHECK_SIZES`` members, their pairwise join probabilities - each article
scored against each other member as a one-article story, with the same model and
signals as the online join - are agglomerated by average linkage; when the members fall
into groups whose average pairwise probability is under ``Weights.split_threshold``,
and every group has at least ``MIN_PART`` articles, the groups become stories.

Cost: one ``m x m`` comparison at a few sizes per story (6, 9, 13... up to 63 members),
numpy over the members' terms; stories past the last size are no longer checked.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from recoupe.cluster.features import ArticleFeatures
from recoupe.cluster.model import FEATURES, Weights

CHECK_SIZES = frozenset({6, 9, 13, 19, 28, 42, 63})
MIN_PART = 3


class Scorer(Protocol):
    weights: Weights

    def idf(self, term: str) -> float: ...

    def probabilities(
        self, rows: NDArray[np.float64], cross: NDArray[np.bool_]
    ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]: ...


def pair_features(
    scorer: Scorer, feats: Sequence[ArticleFeatures]
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """``(m, m, len(FEATURES))`` rows: article i against article j as a one-article
    story; and whether each pair is cross-language."""
    m = len(feats)
    vecs = np.stack([f.vector for f in feats]).astype(np.float64)
    cos = vecs @ vecs.T
    vocab = sorted({t for f in feats for t in f.terms})
    col = {t: k for k, t in enumerate(vocab)}
    idf = np.array([scorer.idf(t) for t in vocab])
    weight = np.zeros((m, len(vocab)))
    for row, f in enumerate(feats):
        for t, n in f.terms.items():
            weight[row, col[t]] = (1.0 + math.log(n)) * idf[col[t]]
    is_entity = np.array([t.startswith("@") for t in vocab], dtype=bool)
    is_number = np.array([t.isdigit() for t in vocab], dtype=bool)
    langs = [f.language or "" for f in feats]
    same = np.array([[a == b for b in langs] for a in langs], dtype=bool)
    present = (weight > 0).astype(np.float64)
    number_mass = present * (idf * is_number)[None, :]
    total = number_mass.sum(axis=1)
    days = [f.day for f in feats]
    gap = np.array(
        [[math.log1p(abs(a - b)) if a is not None and b is not None else 0.0 for b in days]
         for a in days]
    )  # fmt: skip
    out = np.zeros((m, m, len(FEATURES)))
    out[..., FEATURES.index("vec_centroid")] = cos
    out[..., FEATURES.index("vec_max")] = cos
    out[..., FEATURES.index("lex_words")] = np.where(same, _cosines(weight * ~is_entity), 0.0)
    out[..., FEATURES.index("lex_entities")] = _cosines(weight * is_entity)
    out[..., FEATURES.index("numbers")] = (number_mass @ present.T) / np.where(
        total > 0, total, 1.0
    )[:, None]
    out[..., FEATURES.index("has_numbers")] = (total > 0).astype(np.float64)[:, None]
    out[..., FEATURES.index("log_gap")] = gap
    return out, ~same


def _cosines(mat: NDArray[np.float64]) -> NDArray[np.float64]:
    norms = np.linalg.norm(mat, axis=1)
    unit = mat / np.where(norms > 0, norms, 1.0)[:, None]
    out: NDArray[np.float64] = unit @ unit.T
    return out


def split_groups(scorer: Scorer, feats: Sequence[ArticleFeatures]) -> list[list[int]]:
    """Groups of indexes into ``feats`` (each sorted, ordered by first index): one group
    when the story holds together."""
    m = len(feats)
    rows, cross = pair_features(scorer, feats)
    prob, _, _ = scorer.probabilities(rows.reshape(m * m, -1), cross.reshape(-1))
    pairs = prob.reshape(m, m)
    labels = average_linkage(
        list(range(m)), 0.5 * (pairs + pairs.T), scorer.weights.split_threshold
    )
    groups: dict[int, list[int]] = {}
    for k in range(m):
        groups.setdefault(labels[k], []).append(k)
    parts = sorted(groups.values(), key=lambda g: g[0])
    if len(parts) < 2 or min(len(p) for p in parts) < MIN_PART:
        return [list(range(m))]
    return parts


def average_linkage(
    ids: Sequence[int], sim: NDArray[np.float64], threshold: float
) -> dict[int, int]:
    """Agglomerate while the best average-linkage similarity is >= ``threshold``;
    id -> the lowest id of its group.

    Each row keeps its best partner (the first column holding its maximum), so a merge
    costs one pass over the rows plus a rescan of the rows whose partner was merged,
    not a scan of the whole matrix: the merges are the same, in the same order, as
    taking the first maximum of the matrix each time (ties: lower row, lower column).
    """
    n = len(ids)
    s = sim.astype(np.float64).copy()
    np.fill_diagonal(s, -np.inf)
    groups: list[list[int]] = [[k] for k in range(n)]
    if n < 2:
        return _topic_ids(ids, groups)
    sizes = np.ones(n)
    alive = np.ones(n, dtype=bool)
    best = np.argmax(s, axis=1)
    value = s[np.arange(n), best]
    for _ in range(n - 1):
        i = int(np.argmax(np.where(alive, value, -np.inf)))
        j = int(best[i])
        if value[i] < threshold:
            break
        i, j = min(i, j), max(i, j)
        merged = (s[i] * sizes[i] + s[j] * sizes[j]) / (sizes[i] + sizes[j])
        s[i, :], s[:, i] = merged, merged
        s[j, :], s[:, j] = -np.inf, -np.inf
        s[i, i] = -np.inf
        sizes[i] += sizes[j]
        alive[j], value[j] = False, -np.inf
        groups[i].extend(groups[j])
        groups[j] = []
        _update_partners(s, alive, best, value, i, j)
    return _topic_ids(ids, groups)


def _update_partners(
    s: NDArray[np.float64], alive: NDArray[np.bool_], best: NDArray[np.intp],
    value: NDArray[np.float64], i: int, j: int,
) -> None:  # fmt: skip
    """After ``j`` merged into ``i``: rows whose partner was ``i`` or ``j`` (and row
    ``i``) rescan; the others take ``i`` if its new value beats (or ties from a lower
    column) their partner."""
    col = s[:, i]
    stale = alive & ((best == i) | (best == j))
    stale[i] = True
    better = alive & ~stale & ((col > value) | ((col == value) & (best > i)))
    best[better], value[better] = i, col[better]
    rows = np.flatnonzero(stale)
    if len(rows):
        best[rows] = np.argmax(s[rows], axis=1)
        value[rows] = s[rows, best[rows]]


def _topic_ids(ids: Sequence[int], groups: list[list[int]]) -> dict[int, int]:
    out = {}
    for g in groups:
        if g:
            topic = min(ids[k] for k in g)
            out.update({ids[k]: topic for k in g})
    return out
