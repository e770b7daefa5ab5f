"""What a user sees of the clustering: stories (title, dates, languages, outlets,
entities) and topics above them.

Topics group stories that belong together ("war in Syria" above "shelling of Homs" and
"Assad's speech"): average-linkage agglomeration of stories, with a similarity that
blends the cosine of the story centroids - after subtracting the encoder's fixed
background vector (``cluster.background``: what all news shares) - and the cosine of the
stories' entity counts, cut at ``TOPIC_MIN`` (``TOPIC_MIN_UNCENTRED`` for an encoder
without a background). Stories are few next to articles, so topics are recomputed from
all stories in one pass whenever wanted (deterministic: ties break on the lower index).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from scipy import sparse  # type: ignore[import-untyped]

from recoupe.cluster.background import BACKGROUNDS
from recoupe.cluster.online import OnlineClusterer
from recoupe.cluster.split import average_linkage
from recoupe.types import Story

# Both chosen by the mean of the topic B-cubed F1 on ECB+ and RPM2 (the calibration
# corpora; docs/stories.md); CL-TLS is held out.
TOPIC_MIN = 0.2
TOPIC_MIN_UNCENTRED = 0.3
TOP_ENTITIES = 10


def _iso(day: int | None) -> str | None:
    return dt.date.fromordinal(day).isoformat() if day is not None else None


def story_records(clusterer: OnlineClusterer) -> list[Story]:
    """Stories in id order; the title is the headline of the member closest to the
    centroid (the most central headline), the earlier member on a tie."""
    out = []
    centroids = clusterer.centroids()
    entities = clusterer.entity_counts()
    for sid, members in clusterer.members().items():
        sims = [float(m.vector @ centroids[sid]) for m in members]
        best = max(range(len(members)), key=lambda k: (sims[k], -k))
        days = [m.day for m in members if m.day is not None]
        top = sorted(entities[sid].items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_ENTITIES]
        out.append(
            Story(
                sid,
                members[best].title,
                tuple(m.id for m in members),
                _iso(min(days)) if days else None,
                _iso(max(days)) if days else None,
                tuple(sorted({m.language for m in members if m.language})),
                tuple(sorted({m.outlet for m in members if m.outlet})),
                tuple(k for k, _ in top),
            )
        )
    return out


def _entity_cosines(counts: Sequence[Counter[str]]) -> NDArray[np.float64]:
    """Cosines of sublinear entity counts. No IDF on purpose: the entities many stories
    share (the country of a crisis) are what a topic is made of (ECB+ topics: same F1
    0.89 with or without IDF; CL-TLS: IDF splits every crisis into fragments).

    A sparse stories x entities matrix: a story names a few dozen of the tens of
    thousands of entities of a store, and the dense one grew with both."""
    vocab: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for row, c in enumerate(counts):
        for k, n in c.items():
            rows.append(row)
            cols.append(vocab.setdefault(k, len(vocab)))
            vals.append(1.0 + math.log(n))
    data = np.asarray(vals, dtype=np.float64)
    norms = np.sqrt(np.bincount(np.asarray(rows, dtype=np.intp), weights=data * data,
                                minlength=len(counts)))  # fmt: skip
    if len(data):
        data /= np.where(norms > 0, norms, 1.0)[rows]
    mat = sparse.csr_matrix((data, (rows, cols)), shape=(len(counts), max(len(vocab), 1)))
    out: NDArray[np.float64] = (mat @ mat.T).toarray()
    return out


def background_of(clusterer: OnlineClusterer) -> NDArray[np.float64] | None:
    """The background vector of the clusterer's encoder (None if unknown)."""
    if not clusterer.articles:
        return None
    values = BACKGROUNDS.get(clusterer.articles[0].encoder)
    if values is None or len(values) != len(clusterer.articles[0].vector):
        return None
    return np.asarray(values, dtype=np.float64)


def story_similarity(
    clusterer: OnlineClusterer, background: NDArray[np.float64] | None = None
) -> tuple[list[int], NDArray[np.float64]]:
    """Story ids and their pairwise topic similarity: mean of the centroid cosine (the
    centroids minus ``background`` when given) and the entity cosine."""
    cents = clusterer.centroids()
    ids = sorted(cents)
    if not ids:
        return [], np.zeros((0, 0))
    vecs = np.stack([cents[i] for i in ids]).astype(np.float64)
    if background is not None:
        vecs = vecs - background
        norms = np.linalg.norm(vecs, axis=1)
        vecs /= np.where(norms > 0, norms, 1.0)[:, None]
    ents = clusterer.entity_counts()
    sim = 0.5 * (vecs @ vecs.T) + 0.5 * _entity_cosines([ents[i] for i in ids])
    return ids, sim


def group_topics(clusterer: OnlineClusterer, threshold: float | None = None) -> dict[int, int]:
    """Story id -> topic id (the lowest story id of the topic). ``threshold`` defaults
    to ``TOPIC_MIN`` (``TOPIC_MIN_UNCENTRED`` when the encoder has no background)."""
    background = background_of(clusterer)
    if threshold is None:
        threshold = TOPIC_MIN if background is not None else TOPIC_MIN_UNCENTRED
    ids, sim = story_similarity(clusterer, background)
    return average_linkage(ids, sim, threshold)


__all__ = ["average_linkage", "group_topics", "story_records", "story_similarity"]
