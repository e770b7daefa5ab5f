"""Use cases over the corpus: open a store, ingest, list and show articles, restore a
removed line, find copies."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import BinaryIO

from recoupe.config import Settings
from recoupe.errors import NotFoundError, UsageError
from recoupe.ingest import count_inputs, iter_inputs
from recoupe.nlp.encoder import Encoder, shared_usem3
from recoupe.pipeline.copies import AlignKernel, AlignTask, CopiesReport, run_copies
from recoupe.pipeline.documents import Repaired, build_documents, document_runner, restore_line
from recoupe.pipeline.stage import Executor, Step, default_workers, no_progress
from recoupe.pipeline.vectors import SentenceKeys, load
from recoupe.reuse.align import AlignInput
from recoupe.reuse.groups import near_duplicate_clusters
from recoupe.store.base import Store, StoredRejection
from recoupe.store.factory import open_store as open_location
from recoupe.types import (
    Document,
    DocumentFilter,
    DocumentSummary,
    NearDuplicate,
    OriginGroup,
    RawDocument,
    Rejection,
    ReuseLink,
)

Progress = Callable[[int], None]
"""Called with the number of inputs just processed (accepted, duplicate or rejected)."""


@dataclass(frozen=True, slots=True)
class InputOutcome:
    """What became of one input: ``accepted`` (stored as document ``id``), ``duplicate``
    (its content is stored already) or ``rejected`` (``reason``, ``detail``). For an
    accepted input, the metadata it was stored with."""

    origin: str
    outcome: str
    id: str | None = None
    reason: str | None = None
    detail: str | None = None
    title: str | None = None
    outlet: str | None = None
    outlet_source: str | None = None
    published: str | None = None
    published_precision: str | None = None
    published_source: str | None = None
    language: str | None = None


Outcomes = Callable[[InputOutcome], None]
"""Called once per input, in the order batches are stored (``recoupe ingest --json``)."""


def _accepted(doc: Document) -> InputOutcome:
    m = doc.meta
    return InputOutcome(doc.origin, "accepted", doc.id, title=m.title, outlet=m.outlet,
                        outlet_source=m.outlet_source, published=m.published,
                        published_precision=m.published_precision,
                        published_source=m.published_source, language=doc.language)  # fmt: skip


def _report_batch(
    outcome: Outcomes, docs: Sequence[Document], added: frozenset[str],
    duplicates: Mapping[str, str], rejected: Sequence[Rejection],
) -> None:  # fmt: skip
    failed = {r.origin for r in rejected if r.reason == "store-error"}
    for doc in docs:
        if doc.id in added:
            outcome(_accepted(doc))
        elif doc.origin not in failed:
            outcome(InputOutcome(doc.origin, "duplicate", doc.id))
    for origin, doc_id in duplicates.items():
        outcome(InputOutcome(origin, "duplicate", doc_id))
    for rej in rejected:
        outcome(InputOutcome(rej.origin, "rejected", reason=rej.reason, detail=rej.detail))


@dataclass(slots=True)
class IngestReport:
    """Counts of one ingest run; ``rejections`` lists this run's rejections, ``repaired``
    the accepted inputs whose text had invalid characters replaced."""

    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0
    seconds: float = 0.0
    rejections: list[Rejection] = field(default_factory=list)
    repaired: list[Repaired] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.accepted + self.duplicates + self.rejected


@contextmanager
def open_store(settings: Settings, db: Path | str | None = None) -> Iterator[Store]:
    """The store of a command: ``db`` (a path or a ``postgresql://`` URL) or the one the
    settings name, closed when the command ends."""
    store = open_location(db or settings.db)
    try:
        yield store
    finally:
        store.close()


def estimate_inputs(targets: Sequence[str], settings: Settings) -> int | None:
    return count_inputs(targets, settings)


def _batches(
    items: Iterator[RawDocument | Rejection], size: int
) -> Iterator[list[RawDocument | Rejection]]:
    while batch := list(islice(items, size)):
        yield batch


def ingest(
    store: Store,
    targets: Sequence[str],
    settings: Settings,
    progress: Progress | None = None,
    outcome: Outcomes | None = None,
    stdin: BinaryIO | None = None,
    workers: int | None = None,
) -> IngestReport:
    """Read, clean, analyse and store every input, ``workers`` documents cleaned at once
    (one budgeted worker process each; default one per core). Each batch is committed
    in one transaction, so a run killed at any point and run again loses and duplicates
    nothing. Every input is counted once: accepted, duplicate (also when a concurrent
    run stored the same content first) or rejected; ``outcome`` hears of each. Outlets
    the store knows (and those stored during the run) help name the outlet of text
    inputs. The target ``-`` reads ``stdin`` (the process's standard input by default)."""
    report = IngestReport()
    started = time.perf_counter()
    items = iter_inputs(targets, settings, stdin)
    known = set(store.documents.outlet_counts())
    with document_runner(settings, workers or default_workers()) as runner:
        for batch in _batches(items, settings.ingest.batch_size):
            raws = [item for item in batch if isinstance(item, RawDocument)]
            rejected = [item for item in batch if isinstance(item, Rejection)]
            result = build_documents(
                raws, settings, store.documents.has_content, store.documents.outlet_line_counts,
                runner, known,
            )
            stored = store.documents.store_documents(result.documents, result.outlet_lines)
            known.update(d.meta.outlet for d in result.documents if d.meta.outlet)
            rejected.extend(result.rejections)
            rejected.extend(stored.failed)
            store.documents.add_rejections(rejected)
            report.accepted += stored.added
            report.duplicates += len(result.duplicates) + stored.already
            report.rejected += len(rejected)
            report.rejections.extend(rejected)
            report.repaired.extend(result.repaired)
            if outcome:
                _report_batch(outcome, result.documents, stored.added_ids, result.duplicate_of,
                              rejected)  # fmt: skip
            if progress:
                progress(len(batch))
    report.seconds = time.perf_counter() - started
    return report


def list_articles(store: Store, flt: DocumentFilter) -> list[DocumentSummary]:
    return store.documents.list_documents(flt)


def get_article(store: Store, id_or_prefix: str) -> Document:
    return store.documents.get_document(id_or_prefix)


def list_rejections(store: Store, limit: int | None = None) -> list[StoredRejection]:
    return store.documents.list_rejections(limit)


def restore(store: Store, id_or_prefix: str, line_no: int) -> Document:
    """Put removed line ``line_no`` of a document back into its body."""
    doc = store.documents.get_document(id_or_prefix)
    try:
        restored = restore_line(doc, line_no)
    except KeyError:
        lines = ", ".join(str(r.line_no) for r in doc.removed) or "none"
        raise NotFoundError(
            f"document {doc.id} has no removed line {line_no} (removed lines: {lines})"
        ) from None
    store.documents.replace_document_text(restored)
    store.copies.forget_document(restored.id)  # offsets changed: reuse is recomputed
    store.stories.forget_document(restored.id)  # ... and so are entities and attribution
    return restored


def default_encoder(encoder: Encoder | None) -> Encoder:
    """The injected encoder, else the shared multilingual one (loaded once, lazily)."""
    return encoder if encoder is not None else shared_usem3()


def find_copies(
    store: Store,
    encoder: Encoder | None = None,
    step: Step | None = None,
    executor: Executor | None = None,
) -> CopiesReport:
    """Near-duplicates, sentence reuse between candidate pairs (near-duplicates and the
    pairs inside stories), origin groups. Work done by an earlier run (signatures,
    vectors, aligned pairs) is reused."""
    return run_copies(store, default_encoder(encoder), executor, step or no_progress)


def _align_now(store: Store, encoder: Encoder, doc_a: Document, doc_b: Document) -> None:
    """Align one pair here (a user asked for it), storing its links and vectors."""
    articles = {d.id: AlignInput.from_document(d) for d in (doc_a, doc_b)}
    keys = SentenceKeys.of(encoder.name, ((d.id, d.text, d.sentences) for d in (doc_a, doc_b)))
    pair = (min(doc_a.id, doc_b.id), max(doc_a.id, doc_b.id))
    result = AlignKernel(encoder)(AlignTask((pair,), articles, load(store.stories, keys)))
    if result.vectors:
        store.stories.put_text_vectors(result.vectors)
    store.copies.put_alignments(encoder.name, result.links)


@dataclass(frozen=True, slots=True)
class CopiesView:
    near_duplicates: list[NearDuplicate]
    near_duplicate_groups: list[tuple[str, ...]]  # articles joined by near-duplicate pairs
    origin_groups: list[OriginGroup]
    articles: dict[str, DocumentSummary]


def copies_view(store: Store) -> CopiesView:
    """What the last copies run found, with a summary of every article involved."""
    dups = store.copies.near_duplicates()
    groups = store.copies.origin_groups()
    ids = {d for dup in dups for d in (dup.a, dup.b)} | {m for g in groups for m in g.members}
    rows = {r.id: r for r in store.documents.list_documents(DocumentFilter(ids=tuple(sorted(ids))))}
    return CopiesView(dups, near_duplicate_clusters(dups), groups, rows)


def reuse_between(
    store: Store, first: str, second: str, encoder: Encoder | None = None
) -> tuple[Document, Document, list[ReuseLink]]:
    """The passages two articles share, aligning them now if no run has yet. Links are
    returned with ``a`` on the side of ``first``."""
    doc_a, doc_b = store.documents.get_document(first), store.documents.get_document(second)
    if doc_a.id == doc_b.id:
        raise UsageError("give two different articles")
    enc = default_encoder(encoder)
    pair = (min(doc_a.id, doc_b.id), max(doc_a.id, doc_b.id))
    if pair not in store.copies.aligned_pairs(enc.name):
        _align_now(store, enc, doc_a, doc_b)
    links = [
        link if link.a.doc_id == doc_a.id else ReuseLink(link.b, link.a, link.kind, link.score)
        for link in store.copies.reuse_links(doc_a.id, doc_b.id)
    ]
    return doc_a, doc_b, sorted(links, key=lambda link: link.a.start)
