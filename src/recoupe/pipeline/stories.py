"""Corpus stage: stories. Entities per article, then online clustering of the articles
not in a story yet, then story rows and topics.

Incremental by design: the store keeps each article's story and its position in the
clustering stream. A run replays the stored stream into a fresh clusterer (``restore``:
no scoring, just state - cheap), then feeds only the new articles through ``add`` in
stream order (dated articles by publication day, then undated ones, each in ingestion
order). ``rebuild=True`` forgets the stored stream and clusters every article again in
that order: same store, same stories (deterministic).

Per-article work (NER, lead vectors) runs as kernels on the executor's workers; the
clusterer is the one sequential consumer, fed in stream order from what they stored.

Document-level only: a lead vector (title + lead, cached in the store by encoder and
text digest) and NER over the start of each article. Nothing here reads sentences.
What a story *shows* (``story_entities``) is computed apart, on demand, from the whole
text of each member (NER once per article, stored under ``TEXT_ENTITY_MODEL``): the
clustering features stay the lead entities they were measured with.
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping, Sequence
from dataclasses import dataclass

import numpy as np

from recoupe.cluster.features import (
    ENCODE_BATCH,
    NER_CHARS,
    ArticleFeatures,
    ArticleInput,
    build_features,
    lead_text,
    lead_text_for_ner,
)
from recoupe.cluster.model import DEFAULT_WEIGHTS, Weights
from recoupe.cluster.online import OnlineClusterer
from recoupe.cluster.stories import group_topics, story_records
from recoupe.nlp import entity_summary
from recoupe.nlp.encoder import F32, Encoder
from recoupe.nlp.entities import extract_entities_batch, warm_entities
from recoupe.nlp.entity_summary import keyed_mentions, summarise_entities
from recoupe.pipeline import vectors
from recoupe.pipeline.stage import (
    Executor,
    SerialExecutor,
    Step,
    batched,
    no_progress,
    one_blas_thread,
)
from recoupe.store.base import LeadRow, Store, StoriesStore, StreamEntry
from recoupe.types import Entity, Story

# Version tag of the entity extraction: changing the NER, its input or the key scheme
# changes this, and a run then re-extracts every article.
ENTITY_MODEL = f"spacy-sm-3.8-ner-lead{NER_CHARS}-v3"
BATCH = 256


@dataclass(frozen=True, slots=True)
class StoriesReport:
    articles: int
    clustered_now: int
    stories: int
    topics: int
    merges: int
    rebuilt: bool


class StoreVectorCache(MutableMapping[str, F32]):
    """The clusterer's vector cache, read through from the store and written back in
    batches by ``flush`` (one transaction per batch, not per vector)."""

    def __init__(self, stories: StoriesStore) -> None:
        self._stories = stories
        self._seen: dict[str, F32] = {}
        self._new: dict[str, F32] = {}

    def __getitem__(self, key: str) -> F32:
        if key not in self._seen:
            blob = self._stories.get_text_vectors([key]).get(key)
            if blob is None:
                raise KeyError(key)
            self._seen[key] = np.frombuffer(blob, dtype="<f4").astype(np.float32)
        return self._seen[key]

    def __setitem__(self, key: str, value: F32) -> None:
        self._seen[key] = self._new[key] = np.asarray(value, dtype=np.float32)

    def __delitem__(self, key: str) -> None:
        raise TypeError("the vector cache is append-only")

    def __iter__(self) -> Iterator[str]:
        return iter(self._seen)

    def __len__(self) -> int:
        return len(self._seen)

    def flush(self) -> None:
        if self._new:
            self._stories.put_text_vectors(
                {k: np.ascontiguousarray(v, dtype="<f4").tobytes() for k, v in self._new.items()}
            )
            self._new.clear()

    def forget_loaded(self) -> None:
        """Drop vectors read so far (memory) - they are in the store."""
        self.flush()
        self._seen.clear()


def article_input(row: LeadRow) -> ArticleInput:
    return ArticleInput(row.id, row.text, row.title, row.language, row.published, row.outlet)


def article_entity_records(inputs: Sequence[ArticleInput]) -> dict[str, list[Entity]]:
    """Entities of each article's start (title + first paragraphs), NER batched per
    language."""
    out: dict[str, list[Entity]] = {}
    by_lang: dict[str | None, list[ArticleInput]] = {}
    for a in inputs:
        by_lang.setdefault(a.language, []).append(a)
    for lang in sorted(by_lang, key=lambda x: x or ""):
        group = by_lang[lang]
        texts = [lead_text_for_ner(a) for a in group]
        for a, mentions in zip(group, extract_entities_batch(texts, lang), strict=True):
            out[a.id] = summarise_entities(keyed_mentions(mentions, lang))
    return out


# Version tag of the whole-text entities a story shows (not a clustering feature).
TEXT_ENTITY_MODEL = "spacy-sm-3.8-ner-fulltext-v1"
WHOLE_TEXT = 1 << 30  # as a length for ``leads``: the whole text


def article_text_entity_records(inputs: Sequence[ArticleInput]) -> dict[str, list[Entity]]:
    """Entities of each article's title and whole text, NER batched per language."""
    out: dict[str, list[Entity]] = {}
    by_lang: dict[str | None, list[ArticleInput]] = {}
    for a in inputs:
        by_lang.setdefault(a.language, []).append(a)
    for lang in sorted(by_lang, key=lambda x: x or ""):
        group = by_lang[lang]
        texts = [a.text for a in group]
        for a, text, mentions in zip(
            group, texts, extract_entities_batch(texts, lang), strict=True
        ):
            out[a.id] = summarise_entities(keyed_mentions(mentions, lang, text))
    return out


def story_entities(
    stories: StoriesStore, members: Sequence[str], step: Step | None = None
) -> list[Entity]:
    """The entities a story shows: whole-text entities of every member (computed now for
    members without them, then stored), aggregated by ``nlp.entity_summary``."""
    done = stories.text_entities_done(TEXT_ENTITY_MODEL, members)
    todo = [m for m in members if m not in done]
    for lo in range(0, len(todo), BATCH):
        rows = stories.leads(todo[lo : lo + BATCH], WHOLE_TEXT)
        stories.put_text_entities(TEXT_ENTITY_MODEL, article_text_entity_records(
            [article_input(r) for r in rows]))  # fmt: skip
        if step is not None:
            step("entities", lo + len(rows), len(todo))
    found = stories.text_entities_of(list(members))
    return entity_summary.story_entities([found[m] for m in members if m in found])


def stored_story_entities(stories: StoriesStore, members: Sequence[str]) -> list[Entity]:
    """``story_entities`` from what is stored only (a web page computes nothing): the
    whole-text entities of the members that have them, the lead entities the stories
    stage stored of the others."""
    found = stories.text_entities_of(list(members))
    missing = [m for m in members if m not in found]
    if missing:
        found |= stories.entities_of(missing)
    return entity_summary.story_entities([found[m] for m in members if m in found])


@dataclass(frozen=True, slots=True)
class EntityKernel:
    """NER over the start of each article (title + first paragraphs), batched per
    language; spaCy loads once per worker process."""

    def __call__(self, batch: Sequence[ArticleInput]) -> dict[str, list[Entity]]:
        return article_entity_records(batch)

    def warm(self) -> None:
        """The NER pipelines and the place gazetteer, loaded before workers fork."""
        warm_entities()


@dataclass(frozen=True, slots=True)
class LeadVectorKernel:
    """Encoder vectors of lead texts (``cluster.features.lead_text``), keyed for the
    store-wide cache."""

    encoder: Encoder

    def warm(self) -> None:
        vectors.warm_encoder(self.encoder)

    def __call__(self, texts: Sequence[str]) -> dict[str, bytes]:
        vecs = self.encoder.encode(list(texts))
        return {vectors.text_key(self.encoder.name, t): vectors.to_bytes(v)
                for t, v in zip(texts, vecs, strict=True)}  # fmt: skip


def extract_entities(store: Store, executor: Executor, step: Step = no_progress) -> int:
    """NER on every article not analysed by ``ENTITY_MODEL`` yet; returns how many."""
    todo = store.stories.ids_without_entities(ENTITY_MODEL)

    def tasks() -> Iterator[list[ArticleInput]]:
        for ids in batched(todo, BATCH):
            yield [article_input(r) for r in store.stories.leads(ids, NER_CHARS)]

    done = 0
    for found in executor.map(EntityKernel(), tasks()):
        store.stories.put_entities(ENTITY_MODEL, found)
        done += len(found)
        step("entities", done, len(todo))
    return len(todo)


def encode_missing_leads(
    store: Store, executor: Executor, encoder: Encoder, ids: Sequence[str], step: Step
) -> int:
    """Lead vectors of ``ids`` not in the cache yet, encoded by the executor's workers;
    returns how many were encoded."""
    missing: list[str] = []
    for chunk in batched(ids, BATCH * 4):
        texts = {lead_text(article_input(r)) for r in store.stories.leads(chunk, NER_CHARS)}
        keys = {vectors.text_key(encoder.name, t): t for t in texts}
        stored = store.stories.get_text_vectors(sorted(keys))
        missing += sorted(t for k, t in keys.items() if k not in stored)
    done = 0
    for fresh in executor.map(LeadVectorKernel(encoder), batched(missing, ENCODE_BATCH)):
        store.stories.put_text_vectors(fresh)
        done += len(fresh)
        step("lead vectors", done, len(missing))
    return len(missing)


class _Clustering:
    """The sequential part: features (from stored entities and cached vectors) fed to
    one online clusterer in stream order."""

    def __init__(self, store: Store, encoder: Encoder, weights: Weights) -> None:
        self.store, self.encoder = store, encoder
        self.clusterer = OnlineClusterer(weights)
        self.cache = StoreVectorCache(store.stories)

    def features(self, ids: Sequence[str]) -> list[ArticleFeatures]:
        inputs = [article_input(r) for r in self.store.stories.leads(ids, NER_CHARS)]
        stored = self.store.stories.entities_of([a.id for a in inputs])
        entities = [frozenset(e.key for e in stored.get(a.id, ())) for a in inputs]
        out = build_features(inputs, self.encoder, self.cache, entities)
        self.cache.forget_loaded()
        return out

    def batches(self, ids: Sequence[str]) -> Iterator[list[ArticleFeatures]]:
        for chunk in batched(ids, BATCH):
            yield self.features(chunk)


def run_stories(
    store: Store,
    encoder: Encoder,
    executor: Executor | None = None,
    step: Step = no_progress,
    rebuild: bool = False,
    weights: Weights = DEFAULT_WEIGHTS,
) -> StoriesReport:
    """Entities and lead vectors for new articles (parallel kernels), then the articles
    not in a story yet fed to the clusterer in stream order, then the story rows that
    changed are upserted (and the stories merged away deleted). Nothing new to cluster
    and no entities extracted again (a restored text): the stored stories stand as
    they are, without a replay."""
    executor = executor or SerialExecutor()
    extracted = extract_entities(store, executor, step)
    before = {} if rebuild else {s.id: s for s in store.stories.list_stories()}
    stream = [] if rebuild else store.stories.stream()
    new = store.stories.ids_to_cluster(everything=rebuild)
    if not (new or rebuild or extracted):  # the stored stories are current: no replay
        n_topics = len({s.topic if s.topic is not None else s.id for s in before.values()})
        return StoriesReport(len(stream), 0, len(before), n_topics, 0, False)
    # the leads of the stored stream were encoded when it was clustered (a missing one,
    # from an older store, is encoded by the replay itself)
    encode_missing_leads(store, executor, encoder, new, step)
    with one_blas_thread():
        clusterer, order, topics = _cluster(_Clustering(store, encoder, weights), stream, new,
                                            step)  # fmt: skip
    added = len(order) - len(stream)
    records = _with_topics(story_records(clusterer), topics)
    entries = [StreamEntry(d, clusterer.story_of[d], k) for k, d in enumerate(order)]
    changed = [s for s in records if before.get(s.id) != s]
    dropped = sorted(set(before) - {s.id for s in records})
    if rebuild:
        store.stories.clear_stories()
    old = {e.doc_id: e for e in stream}
    store.stories.put_stories([e for e in entries if old.get(e.doc_id) != e], changed, dropped)
    return StoriesReport(
        len(order), added, len(records), len(set(topics.values())), clusterer.merges, rebuild
    )


def _cluster(
    run: _Clustering, stream: Sequence[StreamEntry], new: Sequence[str], step: Step
) -> tuple[OnlineClusterer, list[str], dict[int, int]]:
    """The stored stream replayed, then the new articles clustered in order, then the
    topics: (clusterer, stream order, story -> topic). The caller gives it one BLAS
    thread (``stage.one_blas_thread``, as every kernel): its products are small, a second
    thread only spun (24.1 -> 15.8 CPU-s over the 5,015-article real stream, the same
    stories)."""
    order = [e.doc_id for e in stream]
    last = {e.story_id: k for k, e in enumerate(stream)}
    done = 0
    for batch in run.batches(order):
        for f in batch:
            story_id = stream[done].story_id
            run.clusterer.restore(f, story_id, last=last[story_id] == done)
            done += 1
        step("replaying stored stories", done, len(stream))
    added = 0
    for batch in run.batches(new):
        for f in batch:
            run.clusterer.add(f)
            order.append(f.id)
        added += len(batch)
        step("clustering", added, len(new))
    return run.clusterer, order, group_topics(run.clusterer)


def _with_topics(records: Sequence[Story], topics: dict[int, int]) -> list[Story]:
    return [
        Story(s.id, s.title, s.members, s.first, s.last, s.languages, s.outlets, s.entities,
              topics.get(s.id, s.id))
        for s in records
    ]  # fmt: skip
