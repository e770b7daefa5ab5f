"""Online story clustering (after Miranda et al. 2018, "Multilingual Clustering of
Streaming News"): each new article joins its best candidate story or starts a new one.

1. Document frequencies are updated with the article (IDF is learnt online).
2. Candidate stories come from indexes, never from a scan of every story: an inverted
   index from the article's ``TOP_TERMS`` rarest terms and its entity keys to the stories
   holding them (each posting keeps its ``POSTING_CAP`` most recent stories), plus the
   ``VECTOR_CANDIDATES`` nearest centroids among *active* stories (last article within
   ``window_days``). A story idle for longer is *dormant*: it leaves the centroid scan
   (the decay) and only the capped postings still reach it, so the work per article
   stays bounded by the active stories and ``POSTING_CAP``.
3. Each candidate is scored by ``model.Weights``: the same-language model when the story
   has a member in the article's language, else the cross-language model (language-
   neutral signals only). The article joins the best candidate if its probability
   reaches that model's ``threshold``, else starts a story; a dormant story counts as a
   candidate only at ``revive_threshold`` or more (a follow-up months on - the trial
   after the killing - is the same story, but needs stronger evidence: the low join
   threshold is calibrated on a stream where the story is still running).
4. Merge: when an article matches two stories both at ``merge_threshold`` or more, the
   stories have converged and are merged (the older id survives).
5. Split: when a story reaches one of ``split.CHECK_SIZES`` members, its members are
   re-clustered by average linkage of their pairwise probabilities; groups that fall
   apart at ``split_threshold`` become stories of their own (``cluster.split``). An
   early wrong join - the first article of a look-alike event joining a one-article
   story - is undone once each event has a few articles.

Deterministic: ties break on the lower story id, term order is sorted, no randomness.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from recoupe.cluster.centroid_index import CentroidIndex
from recoupe.cluster.features import ArticleFeatures
from recoupe.cluster.model import CROSS_INDEX, DEFAULT_WEIGHTS, FEATURES, Weights
from recoupe.cluster.split import CHECK_SIZES, split_groups

TOP_TERMS = 12
POSTING_CAP = 50
VECTOR_CANDIDATES = 8
MAX_DF_SHARE = 0.05  # terms in more documents than this are not used for retrieval
RECENT_MEMBERS = 40


@dataclass(slots=True)
class _Story:
    id: int
    members: list[int] = field(default_factory=list)
    vec_sum: NDArray[np.float64] | None = None
    recent: list[NDArray[np.float32]] = field(default_factory=list)
    numbers: Counter[str] = field(default_factory=Counter)
    words: dict[str, Counter[str]] = field(default_factory=dict)  # language -> word counts
    entities: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    first_day: int | None = None
    last_day: int | None = None
    # cached when the story changes: centroid, recent-member matrix, TF-IDF norms
    centroid: NDArray[np.float32] | None = None
    recent_mat: NDArray[np.float32] | None = None
    word_norm: dict[str, float] = field(default_factory=dict)
    entity_norm: float = 0.0


@dataclass(frozen=True, slots=True)
class Candidate:
    """A scored candidate story: its feature row (``FEATURES``), whether the story
    has no member in the article's language (then the cross-language model scores it),
    and whether it is dormant (idle past ``window_days``: ``revive_threshold`` applies)."""

    story: int
    row: list[float]
    cross: bool
    dormant: bool = False


@dataclass(slots=True)
class _Prepared:
    """Per-article quantities shared by all its candidates."""

    words: dict[str, float]
    word_norm: float
    entities: dict[str, float]
    entity_norm: float
    numbers: dict[str, float]
    idf: dict[str, float]  # the article's terms ("@" entity keys too) -> their IDF now


def _sublinear(n: int) -> float:
    return 1.0 + math.log(n)


class OnlineClusterer:
    """Feed ``ArticleFeatures`` with ``add``; read ``story_of`` / ``members``.

    ``cross_only``: score every candidate with the cross-language model (calibrating
    that model's thresholds on a monolingual stream)."""

    def __init__(self, weights: Weights = DEFAULT_WEIGHTS, cross_only: bool = False) -> None:
        self.weights = weights
        self.cross_weights = weights.cross or weights
        self.cross_only = cross_only
        self.articles: list[ArticleFeatures] = []
        self.story_of: dict[str, int] = {}  # article id -> story id
        self._stories: dict[int, _Story] = {}
        self._alias: dict[int, int] = {}  # merged story -> survivor
        self._df: Counter[str] = Counter()
        self._postings: dict[str, list[int]] = {}
        self._next_id = 0
        self._centroids = CentroidIndex()
        self._changed: set[int] = set()  # stories whose centroid row is out of date
        self.merges = 0
        self.splits = 0

    # ----- document frequencies -------------------------------------------------------
    def idf(self, term: str) -> float:
        return math.log((len(self.articles) + 1) / (self._df[term] + 1)) + 1.0

    # ----- candidate retrieval --------------------------------------------------------
    def _active(self, story: _Story, f: ArticleFeatures) -> bool:
        if f.day is not None and story.last_day is not None:
            return f.day - story.last_day <= self.weights.window_days
        return True

    def candidates(self, f: ArticleFeatures) -> list[int]:
        """Story ids worth scoring for ``f`` (sorted): the postings of its rare terms and
        entities (dormant stories included: postings are capped) and the nearest active
        centroids."""
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
        return sorted(s for s in found if s in self._stories)

    def _nearest(self, f: ArticleFeatures) -> list[int]:
        for sid in sorted(self._changed):
            story = self._stories.get(sid)
            if story is None:
                self._centroids.drop(sid)
            else:
                self._centroids.put(sid, self._centroid(story), story.last_day)
        self._changed.clear()
        return self._centroids.nearest(f.vector, f.day, self.weights.window_days,
                                       VECTOR_CANDIDATES)  # fmt: skip

    @staticmethod
    def _centroid(story: _Story) -> NDArray[np.float32]:
        if story.centroid is None:
            assert story.vec_sum is not None
            norm = float(np.linalg.norm(story.vec_sum))
            vec = story.vec_sum / norm if norm > 0 else story.vec_sum
            story.centroid = vec.astype(np.float32)
        return story.centroid

    # ----- scoring --------------------------------------------------------------------
    def _prepare(self, f: ArticleFeatures) -> _Prepared:
        idf = {t: self.idf(t) for t in f.terms}
        words = {t: _sublinear(n) * idf[t] for t, n in f.terms.items() if not t.startswith("@")}
        ents = {t[1:]: _sublinear(n) * idf[t] for t, n in f.terms.items() if t.startswith("@")}
        numbers = {t: idf[t] for t in f.terms if t.isdigit()}
        return _Prepared(
            words,
            math.sqrt(sum(v * v for v in words.values())),
            ents,
            math.sqrt(sum(v * v for v in ents.values())),
            numbers,
            idf,
        )

    @staticmethod
    def _cosine(
        a: dict[str, float], a_norm: float, counts: Counter[str], norm: float, prefix: str,
        idf: dict[str, float],
    ) -> float:  # fmt: skip
        """``idf``: the article's (``_Prepared.idf``): the document frequencies do not
        change while one article's candidates are scored, and a logarithm per term and
        candidate was a third of the clustering's cost."""
        if not a_norm or not norm:
            return 0.0
        dot = sum(w * _sublinear(counts[t]) * idf[prefix + t]
                  for t, w in a.items() if counts.get(t, 0) > 0)  # fmt: skip
        return dot / (a_norm * norm)

    def features(
        self, f: ArticleFeatures, story: _Story, pre: _Prepared | None = None
    ) -> list[float]:
        """The ``FEATURES`` row of (article, story)."""
        pre = pre or self._prepare(f)
        vec_c = float(self._centroid(story) @ f.vector)
        if story.recent_mat is None:
            story.recent_mat = np.stack(story.recent)
        vec_m = float((story.recent_mat @ f.vector).max())
        lang = f.language or ""
        words = story.words.get(lang)
        lex_w = 0.0
        if words is not None:
            lex_w = self._cosine(pre.words, pre.word_norm, words, story.word_norm[lang], "",
                                 pre.idf)  # fmt: skip
        lex_e = self._cosine(pre.entities, pre.entity_norm, story.entities, story.entity_norm,
                             "@", pre.idf)  # fmt: skip
        total = sum(pre.numbers.values())
        shared = sum(v for t, v in pre.numbers.items() if story.numbers.get(t, 0) > 0)
        gap = 0
        if f.day is not None and story.first_day is not None and story.last_day is not None:
            gap = max(story.first_day - f.day, f.day - story.last_day, 0)
        has_numbers = 1.0 if total else 0.0
        numbers = shared / total if total else 0.0
        return [vec_c, vec_m, lex_w, lex_e, numbers, has_numbers, math.log1p(gap)]

    def is_cross(self, f: ArticleFeatures, story_id: int) -> bool:
        """True when ``story_id`` has no member in ``f``'s language (or ``cross_only``)."""
        story = self._stories[story_id]
        return self.cross_only or story.languages.get(f.language or "", 0) == 0

    def scored_candidates(self, f: ArticleFeatures) -> list[Candidate]:
        """Every candidate of ``f`` with its feature row (call after ``observe``)."""
        pre = self._prepare(f)
        out = []
        for sid in self.candidates(f):
            story = self._stories[sid]
            row = self.features(f, story, pre)
            out.append(Candidate(sid, row, self.is_cross(f, sid), not self._active(story, f)))
        return out

    def scored(self, f: ArticleFeatures) -> list[tuple[int, list[float]]]:
        """(story id, feature row) for each candidate of ``f`` (call after ``observe``)."""
        return [(c.story, c.row) for c in self.scored_candidates(f)]

    def probabilities(
        self, rows: NDArray[np.float64], cross: NDArray[np.bool_]
    ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
        """Join probability, join threshold and merge threshold of each row; rows where
        ``cross`` are scored by the cross-language model (by this one with ``lex_words``
        at 0 when there is none)."""
        n = len(rows)
        prob, join, merge = np.zeros(n), np.zeros(n), np.zeros(n)
        for is_cross in (False, True):
            mask = cross if is_cross else ~cross
            if not mask.any():
                continue
            model, x = self.weights, rows[mask]
            if is_cross and self.weights.cross is not None:
                model, x = self.weights.cross, x[:, list(CROSS_INDEX)]
            elif is_cross:
                x = x.copy()
                x[:, FEATURES.index("lex_words")] = 0.0
            prob[mask] = model.probability(x)
            join[mask], merge[mask] = model.threshold, model.merge_threshold
        return prob, join, merge

    # ----- updates --------------------------------------------------------------------
    def observe(self, f: ArticleFeatures) -> None:
        """Count ``f`` in the document frequencies (first step of ``add``)."""
        self.articles.append(f)
        self._df.update(f.terms.keys())

    def _new_story(self) -> _Story:
        story = _Story(self._next_id)
        self._stories[story.id] = story
        self._next_id += 1
        return story

    def assign(self, f: ArticleFeatures, story_id: int | None, norms: bool = True) -> int:
        """Put ``f`` (already observed) into ``story_id``, or a new story if None;
        ``norms=False`` leaves the story's TF-IDF norms to a later refresh."""
        story = self._new_story() if story_id is None else self._stories[story_id]
        self._add_member(story, len(self.articles) - 1)
        self._refresh(story, norms)
        return story.id

    def _add_member(self, story: _Story, index: int) -> None:
        f = self.articles[index]
        story.members.append(index)
        vec = f.vector.astype(np.float64)
        story.vec_sum = vec if story.vec_sum is None else story.vec_sum + vec
        story.recent = [*story.recent[-(RECENT_MEMBERS - 1) :], f.vector]
        lang = f.language or ""
        story.words.setdefault(lang, Counter()).update(
            {t: n for t, n in f.terms.items() if not t.startswith("@")}
        )
        story.numbers.update(t for t in f.terms if t.isdigit())
        story.entities.update(f.entities)
        story.languages.update([lang])
        if f.day is not None:
            first, last = story.first_day, story.last_day
            story.first_day = f.day if first is None else min(first, f.day)
            story.last_day = f.day if last is None else max(last, f.day)
        for term in f.terms:
            posting = self._postings.setdefault(term, [])
            if not posting or posting[-1] != story.id:
                if story.id in posting:
                    posting.remove(story.id)
                posting.append(story.id)
                del posting[:-POSTING_CAP]
        self.story_of[f.id] = story.id

    def restore(self, f: ArticleFeatures, story_id: int, last: bool = True) -> int:
        """Replay a stored decision: count ``f`` and put it into ``story_id`` (created
        if new) without scoring. Replaying a store's assignments in their original order
        rebuilds the clusterer's state, so an incremental run only scores new articles.

        ``last``: ``f`` is the story's last member in the replayed stream. Nothing is
        scored during a replay, so only the norms computed at that member (with the
        document frequencies of that moment) are ever read: the earlier ones, a sum over
        every term of the story per member, were most of the replay's cost."""
        self.observe(f)
        if story_id not in self._stories:
            self._stories[story_id] = _Story(story_id)
            self._next_id = max(self._next_id, story_id + 1)
        return self.assign(f, story_id, norms=last)

    def _refresh(self, story: _Story, norms: bool = True) -> None:
        story.centroid = story.recent_mat = None
        self._changed.add(story.id)
        if not norms:
            return

        def norm(counts: Counter[str], prefix: str) -> float:
            return math.sqrt(sum((_sublinear(n) * self.idf(prefix + t)) ** 2
                                 for t, n in counts.items()))  # fmt: skip

        story.word_norm = {lang: norm(c, "") for lang, c in story.words.items()}
        story.entity_norm = norm(story.entities, "@")

    def add(self, f: ArticleFeatures) -> int:
        """Cluster one article; returns its story id (``story_of`` holds every
        article's current story: merges and splits move earlier articles)."""
        self.observe(f)
        found = self.scored_candidates(f)
        if not found:
            return self.assign(f, None)
        rows = np.asarray([c.row for c in found], dtype=np.float64)
        prob, join, merge = self.probabilities(rows, np.asarray([c.cross for c in found]))
        revive = self.weights.revive_threshold
        kept = [k for k, c in enumerate(found) if not c.dormant or prob[k] >= revive]
        if not kept:
            return self.assign(f, None)
        order = sorted(kept, key=lambda k: (-prob[k], found[k].story))
        best = order[0]
        if prob[best] < join[best]:
            return self.assign(f, None)
        story_id = self.assign(f, found[best].story)
        for k in order[1:]:
            if prob[k] >= merge[k]:
                story_id = self.merge(story_id, found[k].story)
        self._check_split(story_id)
        return self.story_of[f.id]

    def merge(self, a: int, b: int) -> int:
        """Merge two stories; the lower id survives and is returned."""
        keep, gone = min(a, b), max(a, b)
        members = sorted(self._stories[keep].members + self._stories.pop(gone).members)
        self._changed.add(gone)
        self._rebuild(keep, members)
        self._alias[gone] = keep
        for old, new in list(self._alias.items()):
            if new == gone:
                self._alias[old] = keep
        self.merges += 1
        return keep

    def _rebuild(self, story_id: int, members: list[int]) -> None:
        """(Re)create ``story_id`` from article indexes (merge, split)."""
        story = _Story(story_id)
        self._stories[story_id] = story
        for index in members:
            self._add_member(story, index)
        self._refresh(story)

    def _check_split(self, story_id: int) -> None:
        story = self._stories[story_id]
        if self.weights.split_threshold > 1 or len(story.members) not in CHECK_SIZES:
            return
        groups = split_groups(self, [self.articles[i] for i in story.members])
        if len(groups) < 2:
            return
        parts = [[story.members[k] for k in g] for g in groups]
        self._rebuild(story_id, parts[0])
        for part in parts[1:]:
            self._rebuild(self._new_story().id, part)
        self.splits += 1

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


def cluster_stream(
    features: Iterable[ArticleFeatures], weights: Weights = DEFAULT_WEIGHTS
) -> OnlineClusterer:
    """Run a stream through a fresh clusterer."""
    clusterer = OnlineClusterer(weights)
    for f in features:
        clusterer.add(f)
    return clusterer


__all__ = ["FEATURES", "Candidate", "OnlineClusterer", "cluster_stream"]
