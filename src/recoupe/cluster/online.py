"""Online story clustering (after Miranda et al. 2018, "Multilingual Clustering of
Streaming News"): each new article joins its best candidate story or starts a new one.

1. Document frequencies are updated with the article (IDF is learnt online).
2. Candidate stories come from indexes, never from a scan of every story: an inverted
   index from the article's ``TOP_TERMS`` rarest terms and its entity keys to the stories
   holding them (each posting keeps its ``POSTING_CAP`` most recent stories), plus the
   ``VECTOR_CANDIDATES`` nearest centroids among *active* stories (last article within
   ``window_days``; stories idle for longer are forgotten by every index - the decay).
3. Each candidate is scored by ``model.Weights`` (a calibrated logistic model over vector,
   lexical, entity and time signals); the article joins the best one if its probability
   reaches ``threshold``, else starts a story.
4. Merge: when an article matches two stories both at ``merge_threshold`` or more, the
   stories have converged and are merged (the older id survives).

Deterministic: ties break on the lower story id, term order is sorted, no randomness.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from recoupe.cluster.features import ArticleFeatures
from recoupe.cluster.model import DEFAULT_WEIGHTS, FEATURES, Weights, saturate

TOP_TERMS = 12
POSTING_CAP = 50
VECTOR_CANDIDATES = 8
MAX_DF_SHARE = 0.05  # terms in more documents than this are not used for retrieval
RECENT_MEMBERS = 40


@dataclass(slots=True)
class _Story:
    id: int
    members: list[int] = field(default_factory=list)
    vec_sum: NDArray[np.float32] | None = None
    recent: list[NDArray[np.float32]] = field(default_factory=list)
    terms: Counter[str] = field(default_factory=Counter)
    entities: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    first_day: int | None = None
    last_day: int | None = None
    last_seen: int = 0  # stream position of the last article (for undated streams)
    norm: float = 0.0  # cached lexical norm (recomputed when the story changes)


class OnlineClusterer:
    """Feed ``ArticleFeatures`` with ``add``; read ``story_of`` / ``stories``."""

    def __init__(self, weights: Weights = DEFAULT_WEIGHTS) -> None:
        self.weights = weights
        self.articles: list[ArticleFeatures] = []
        self.story_of: dict[str, int] = {}  # article id -> story id
        self._stories: dict[int, _Story] = {}
        self._alias: dict[int, int] = {}  # merged story -> survivor
        self._df: Counter[str] = Counter()
        self._postings: dict[str, list[int]] = {}
        self._next_id = 0
        self.merges = 0

    # ----- document frequencies -------------------------------------------------------
    def idf(self, term: str) -> float:
        return math.log((len(self.articles) + 1) / (self._df[term] + 1)) + 1.0

    def _weights_of(self, counts: Counter[str]) -> dict[str, float]:
        return {t: (1.0 + math.log(n)) * self.idf(t) for t, n in counts.items() if n > 0}

    # ----- candidate retrieval --------------------------------------------------------
    def _active(self, story: _Story, f: ArticleFeatures) -> bool:
        if f.day is not None and story.last_day is not None:
            return f.day - story.last_day <= self.weights.window_days
        return True

    def candidates(self, f: ArticleFeatures) -> list[int]:
        """Story ids worth scoring for ``f`` (sorted)."""
        found: set[int] = set()
        limit = MAX_DF_SHARE * max(len(self.articles), 1)
        rare = sorted(
            (t for t in f.terms if t.startswith("@") or self._df[t] <= max(limit, 2)),
            key=lambda t: (-self.idf(t), t),
        )[:TOP_TERMS]
        for term in rare + sorted(t for t in f.terms if t.startswith("@")):
            for sid in self._postings.get(term, ()):
                found.add(self._alias.get(sid, sid))
        found |= set(self._nearest(f))
        return sorted(s for s in found if s in self._stories and self._active(self._stories[s], f))

    def _nearest(self, f: ArticleFeatures) -> list[int]:
        ids = [s.id for s in self._stories.values() if self._active(s, f)]
        if not ids:
            return []
        cents = np.stack([self._centroid(self._stories[i]) for i in ids])
        sims = cents @ f.vector
        order = np.lexsort((np.asarray(ids), -sims))[:VECTOR_CANDIDATES]
        return [ids[int(k)] for k in order]

    @staticmethod
    def _centroid(story: _Story) -> NDArray[np.float32]:
        assert story.vec_sum is not None
        norm = float(np.linalg.norm(story.vec_sum))
        return story.vec_sum / norm if norm > 0 else story.vec_sum

    # ----- scoring --------------------------------------------------------------------
    def features(self, f: ArticleFeatures, story: _Story) -> list[float]:
        """The ``FEATURES`` row of (article, story)."""
        vec_c = float(self._centroid(story) @ f.vector)
        vec_m = max(float(v @ f.vector) for v in story.recent)
        lexical = saturate(self._lexical(f, story))
        ent_total = sum(self.idf("@" + e) for e in f.entities)
        ent_shared = sum(self.idf("@" + e) for e in f.entities if story.entities.get(e, 0) > 0)
        entities = ent_shared / ent_total if ent_total else 0.0
        gap = 0
        if f.day is not None and story.first_day is not None and story.last_day is not None:
            gap = max(story.first_day - f.day, f.day - story.last_day, 0)
        return [vec_c, vec_m, lexical, entities, math.log1p(gap)]

    def _lexical(self, f: ArticleFeatures, story: _Story) -> float:
        """TF-IDF cosine of article and story terms. Across languages (the article's
        language is not in the story) only language-neutral terms count - entity keys and
        numbers - on both sides, so a translation is not penalised for its words."""
        if story.languages.get(f.language or "", 0) > 0:
            a = self._weights_of(f.terms)
            s_norm = story.norm
        else:
            a = self._weights_of(Counter({t: n for t, n in f.terms.items() if _neutral(t)}))
            s_norm = math.sqrt(sum(((1.0 + math.log(n)) * self.idf(t)) ** 2
                                   for t, n in story.terms.items() if _neutral(t)))  # fmt: skip
        a_norm = math.sqrt(sum(v * v for v in a.values()))
        if not a_norm or not s_norm:
            return 0.0
        dot = sum(w * (1.0 + math.log(story.terms[t])) * self.idf(t)
                  for t, w in a.items() if story.terms.get(t, 0) > 0)  # fmt: skip
        return dot / (a_norm * s_norm)

    def scored(self, f: ArticleFeatures) -> list[tuple[int, list[float]]]:
        """(story id, feature row) for each candidate of ``f`` (call after ``observe``)."""
        return [(sid, self.features(f, self._stories[sid])) for sid in self.candidates(f)]

    # ----- updates --------------------------------------------------------------------
    def observe(self, f: ArticleFeatures) -> None:
        """Count ``f`` in the document frequencies (first step of ``add``)."""
        self.articles.append(f)
        self._df.update(f.terms.keys())

    def assign(self, f: ArticleFeatures, story_id: int | None) -> int:
        """Put ``f`` (already observed) into ``story_id``, or a new story if None."""
        if story_id is None:
            story_id = self._next_id
            self._next_id += 1
            self._stories[story_id] = _Story(story_id)
        story = self._stories[story_id]
        story.members.append(len(self.articles) - 1)
        story.vec_sum = f.vector.copy() if story.vec_sum is None else story.vec_sum + f.vector
        story.recent = [*story.recent[-(RECENT_MEMBERS - 1) :], f.vector]
        story.terms.update(f.terms)
        story.entities.update(f.entities)
        story.languages.update([f.language or ""])
        if f.day is not None:
            story.first_day = min(story.first_day or f.day, f.day)
            story.last_day = max(story.last_day or f.day, f.day)
        story.last_seen = len(self.articles)
        self._refresh(story)
        for term in f.terms:
            posting = self._postings.setdefault(term, [])
            if not posting or posting[-1] != story_id:
                if story_id in posting:
                    posting.remove(story_id)
                posting.append(story_id)
                del posting[:-POSTING_CAP]
        self.story_of[f.id] = story_id
        return story_id

    def restore(self, f: ArticleFeatures, story_id: int) -> int:
        """Replay a stored decision: count ``f`` and put it into ``story_id`` (created
        if new) without scoring. Replaying a store's assignments in their original order
        rebuilds the clusterer's state, so an incremental run only scores new articles."""
        self.observe(f)
        if story_id not in self._stories:
            self._stories[story_id] = _Story(story_id)
            self._next_id = max(self._next_id, story_id + 1)
        return self.assign(f, story_id)

    def _refresh(self, story: _Story) -> None:
        story.norm = math.sqrt(
            sum(((1.0 + math.log(n)) * self.idf(t)) ** 2 for t, n in story.terms.items())
        )

    def add(self, f: ArticleFeatures) -> int:
        """Cluster one article; returns its story id."""
        self.observe(f)
        scored = self.scored(f)
        if not scored:
            return self.assign(f, None)
        probs = self.weights.probability(np.asarray([x for _, x in scored], dtype=np.float64))
        order = sorted(range(len(scored)), key=lambda k: (-probs[k], scored[k][0]))
        best = order[0]
        if probs[best] < self.weights.threshold:
            return self.assign(f, None)
        story_id = self.assign(f, scored[best][0])
        for k in order[1:]:
            if probs[k] < self.weights.merge_threshold:
                break
            story_id = self.merge(story_id, scored[k][0])
        return story_id

    def merge(self, a: int, b: int) -> int:
        """Merge two stories; the lower id survives and is returned."""
        keep, gone = min(a, b), max(a, b)
        s, g = self._stories[keep], self._stories.pop(gone)
        s.members = sorted(s.members + g.members)
        assert s.vec_sum is not None and g.vec_sum is not None
        s.vec_sum = s.vec_sum + g.vec_sum
        s.recent = (s.recent + g.recent)[-RECENT_MEMBERS:]
        s.terms.update(g.terms)
        s.entities.update(g.entities)
        s.languages.update(g.languages)
        days = [d for d in (s.first_day, s.last_day, g.first_day, g.last_day) if d is not None]
        s.first_day, s.last_day = (min(days), max(days)) if days else (None, None)
        s.last_seen = max(s.last_seen, g.last_seen)
        self._refresh(s)
        self._alias[gone] = keep
        for old, new in list(self._alias.items()):
            if new == gone:
                self._alias[old] = keep
        for m in g.members:
            self.story_of[self.articles[m].id] = keep
        self.merges += 1
        return keep

    # ----- reading --------------------------------------------------------------------
    def members(self) -> dict[int, list[ArticleFeatures]]:
        """Story id -> its articles in arrival order."""
        return {
            sid: [self.articles[m] for m in s.members] for sid, s in sorted(self._stories.items())
        }

    def centroids(self) -> dict[int, NDArray[np.float32]]:
        return {sid: self._centroid(s) for sid, s in sorted(self._stories.items())}

    def entity_counts(self) -> dict[int, Counter[str]]:
        return {sid: s.entities for sid, s in sorted(self._stories.items())}


def _neutral(term: str) -> bool:
    return term.startswith("@") or term.isdigit()


def cluster_stream(
    features: Iterable[ArticleFeatures], weights: Weights = DEFAULT_WEIGHTS
) -> OnlineClusterer:
    """Run a stream through a fresh clusterer."""
    clusterer = OnlineClusterer(weights)
    for f in features:
        clusterer.add(f)
    return clusterer


__all__ = ["FEATURES", "OnlineClusterer", "cluster_stream"]
