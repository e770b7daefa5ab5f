"""What a user sees of the clustering: stories (title, dates, languages, outlets,
entities) and topics above them.

Topics group stories that belong together ("war in Syria" above "shelling of Homs" and
"Assad's speech"): average-linkage agglomeration of story centroids, with a similarity
that blends the centroid cosine and the cosine of the stories' entity counts, cut at
``TOPIC_MIN``. Stories are few next to articles, so topics are recomputed from all
stories in one pass whenever wanted (deterministic: ties break on the lower index).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from recoupe.cluster.online import OnlineClusterer
from recoupe.types import Story

TOPIC_MIN = 0.3  # best B-cubed F1 vs ECB+ topic labels (0.25-0.45 tried); CL-TLS is held out
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
    0.89 with or without IDF; CL-TLS: IDF splits every crisis into fragments)."""
    vocab = {k: i for i, k in enumerate(sorted({k for c in counts for k in c}))}
    mat = np.zeros((len(counts), max(len(vocab), 1)))
    for row, c in enumerate(counts):
        for k, n in c.items():
            mat[row, vocab[k]] = 1.0 + math.log(n)
    norms = np.linalg.norm(mat, axis=1)
    mat /= np.where(norms > 0, norms, 1.0)[:, None]
    out: NDArray[np.float64] = mat @ mat.T
    return out


def story_similarity(clusterer: OnlineClusterer) -> tuple[list[int], NDArray[np.float64]]:
    """Story ids and their pairwise topic similarity (mean of centroid cosine and
    entity cosine)."""
    cents = clusterer.centroids()
    ids = sorted(cents)
    if not ids:
        return [], np.zeros((0, 0))
    vecs = np.stack([cents[i] for i in ids]).astype(np.float64)
    ents = clusterer.entity_counts()
    sim = 0.5 * (vecs @ vecs.T) + 0.5 * _entity_cosines([ents[i] for i in ids])
    return ids, sim


def group_topics(clusterer: OnlineClusterer, threshold: float = TOPIC_MIN) -> dict[int, int]:
    """Story id -> topic id (the lowest story id of the topic)."""
    ids, sim = story_similarity(clusterer)
    return average_linkage(ids, sim, threshold)


def average_linkage(
    ids: Sequence[int], sim: NDArray[np.float64], threshold: float
) -> dict[int, int]:
    """Agglomerate while the best average-linkage similarity is >= ``threshold``."""
    n = len(ids)
    groups: list[list[int]] = [[k] for k in range(n)]
    alive = np.ones(n, dtype=bool)
    s = sim.astype(np.float64).copy()
    np.fill_diagonal(s, -np.inf)
    sizes = np.ones(n)
    while n > 1:
        masked = np.where(alive[:, None] & alive[None, :], s, -np.inf)
        flat = int(np.argmax(masked))
        i, j = divmod(flat, len(ids))
        if masked[i, j] < threshold:
            break
        i, j = min(i, j), max(i, j)
        merged = (s[i] * sizes[i] + s[j] * sizes[j]) / (sizes[i] + sizes[j])
        s[i, :], s[:, i] = merged, merged
        s[i, i] = -np.inf
        sizes[i] += sizes[j]
        alive[j] = False
        groups[i].extend(groups[j])
        groups[j] = []
        n -= 1
    out = {}
    for g in groups:
        if g:
            topic = min(ids[k] for k in g)
            out.update({ids[k]: topic for k in g})
    return out
