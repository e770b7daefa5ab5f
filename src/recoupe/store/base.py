"""The store contract: what ``app``, ``web`` and the pipeline drivers may ask of a store.

A ``Store`` composes four parts - documents, copies, stories, findings - each a protocol
of its own, and every backend (``sqlite.SQLiteStore``, ``memory.MemoryStore``,
``postgres.PostgresStore``) implements all four; ``tests/store/test_contract.py`` runs one
suite against each. Algorithms never see a store: drivers read records from it in bulk
and hand plain records to the kernels.

Rules every method follows, so a second backend needs no change above this module:

* records in, records out (``recoupe.types``); arrays as bytes (the store does not
  interpret them); no SQL, no backend query syntax (a search is a ``TextQuery``);
* writes are upserts or targeted deletes, never "replace the whole table", and each call
  is one transaction: a killed run leaves the store as of the last call;
* bulk reads take a list of ids; a listing that may be large is paged (filters with
  ``limit``/``offset``) or is a cursor yielding batches.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Protocol, Self

from recoupe.types import (
    Analysis,
    Attribution,
    Document,
    DocumentFilter,
    DocumentSummary,
    Entity,
    FindingsOverview,
    NearDuplicate,
    OriginGroup,
    Rejection,
    ReuseLink,
    Story,
    StoryFilter,
    StoryFindings,
)


@dataclass(frozen=True, slots=True)
class StoredBatch:
    """What ``store_documents`` did with a batch: documents added, documents skipped
    because their content was stored already (by an earlier or a concurrent run), and
    documents the store could not take, as ``store-error`` rejections."""

    added: int
    already: int
    failed: tuple[Rejection, ...] = ()
    added_ids: frozenset[str] = frozenset()  # which documents were added


@dataclass(frozen=True, slots=True)
class StoredRejection:
    origin: str
    reason: str
    detail: str
    recorded: str


@dataclass(frozen=True, slots=True)
class StreamEntry:
    """One article of the clustering stream: its story and position."""

    doc_id: str
    story_id: int
    seq: int


@dataclass(frozen=True, slots=True)
class LeadRow:
    """The start of an article and what clustering needs besides: enough to compute
    document-level features without loading whole documents."""

    id: str
    title: str | None
    text: str
    language: str | None
    published: str | None
    outlet: str | None


@dataclass(frozen=True, slots=True)
class DocumentListPage:
    """One page of a document listing, the number of matching documents, and whether
    that number is exact (a backend may bound a very broad full-text count)."""

    documents: list[DocumentSummary]
    total: int
    exact: bool


@dataclass(frozen=True, slots=True)
class StoryListPage:
    """One page of a story listing, like ``DocumentListPage``."""

    stories: list[Story]
    total: int
    exact: bool


class DocumentStore(Protocol):
    """Documents, rejections and the outlet line statistics used by cleaning."""

    def has_content(self, content_hash: str) -> bool:
        """True if a document with this raw-content hash is already stored."""
        ...

    def add_documents(
        self,
        docs: Sequence[Document],
        outlet_lines: Mapping[str, tuple[str, Iterable[str]]] | None = None,
    ) -> int:
        """Store documents atomically (all or none); skip those already present.
        ``outlet_lines`` maps a document id to (outlet, line keys) and is stored in the same
        transaction. Returns how many were new."""
        ...

    def store_documents(
        self,
        docs: Sequence[Document],
        outlet_lines: Mapping[str, tuple[str, Iterable[str]]] | None = None,
    ) -> StoredBatch:
        """``add_documents``, except that a batch failing because of one document's data
        is stored one document at a time: the others are kept and the bad one becomes a
        rejection. A failure of the store itself (locked, full) still raises."""
        ...

    def add_rejections(self, rejections: Sequence[Rejection]) -> int:
        """Record rejections; one already recorded (same origin and reason) is not
        duplicated. Returns how many were new."""
        ...

    def get_document(self, id_or_prefix: str) -> Document:
        """The document whose id starts with ``id_or_prefix``. Raises NotFoundError
        (none) or UsageError (ambiguous prefix)."""
        ...

    def get_documents(self, ids: Sequence[str]) -> dict[str, Document]:
        """Whole documents by exact id, in one read (unknown ids are absent)."""
        ...

    def document_ids(self, batch: int = 1000) -> Iterator[list[str]]:
        """Every document id in ingestion order, ``batch`` at a time (a cursor)."""
        ...

    def list_documents(self, flt: DocumentFilter | None = None) -> list[DocumentSummary]:
        """Summaries, newest published first (undated last), then by ingestion."""
        ...

    def count_documents(self, flt: DocumentFilter | None = None) -> int: ...

    def page_documents(self, flt: DocumentFilter | None = None) -> DocumentListPage:
        """``list_documents`` and its count from one snapshot (a paged listing)."""
        ...

    def language_counts(self) -> dict[str | None, int]:
        """Documents per language (None: unknown)."""
        ...

    def outlet_counts(self) -> dict[str, int]:
        """Documents per outlet (documents without an outlet are not counted)."""
        ...

    def count_rejections(self) -> int: ...

    def stats(self) -> dict[str, int]:
        """Counts for a summary: documents, rejections, languages, outlets."""
        ...

    def list_rejections(self, limit: int | None = None) -> list[StoredRejection]: ...

    def outlet_line_counts(self, outlet: str, line_hashes: Iterable[str]) -> Mapping[str, int]:
        """For each given line hash, in how many stored documents of ``outlet`` the line
        occurs (hashes never seen are absent)."""
        ...

    def add_outlet_lines(self, outlet: str, doc_id: str, line_hashes: Iterable[str]) -> None:
        """Remember that document ``doc_id`` of ``outlet`` contains these lines
        (idempotent)."""
        ...

    def replace_document_text(self, doc: Document) -> None:
        """Overwrite the cleaned text, removed lines and sentences of a stored document
        (used when a user restores a removed line)."""
        ...


class CopiesStore(Protocol):
    """The copies stage: signatures, near-duplicates, reuse links, origin groups.
    Arrays are passed as bytes; the store does not interpret them."""

    def ids_without_signature(self) -> list[str]:
        """Documents without a MinHash signature, in ingestion order."""
        ...

    def put_signatures(self, sigs: Mapping[str, bytes]) -> None: ...

    def iter_signatures(self, batch: int = 10_000) -> Iterator[list[tuple[str, bytes]]]:
        """Every stored signature in ingestion order, ``batch`` at a time."""
        ...

    def put_near_duplicates(self, pairs: Iterable[NearDuplicate]) -> None:
        """Add or update near-duplicate pairs (a pair is unordered)."""
        ...

    def near_duplicates(self, doc_ids: Sequence[str] | None = None) -> list[NearDuplicate]:
        """Every pair, or the pairs involving one of ``doc_ids``; ordered by (a, b)."""
        ...

    def aligned_pairs(self, model: str) -> set[tuple[str, str]]:
        """Pairs (in id order) already aligned by ``model``."""
        ...

    def put_alignments(
        self, model: str, alignments: Mapping[tuple[str, str], Sequence[ReuseLink]]
    ) -> None:
        """Store the links of aligned pairs (replacing earlier alignments of them), in
        one transaction. Links are stored with the pair in id order."""
        ...

    def reuse_links(
        self, doc_id: str | None = None, other: str | None = None
    ) -> list[ReuseLink]:
        """Links of the whole store, of one document, or of one pair."""
        ...

    def linked_documents(self) -> list[str]:
        """Documents with at least one reuse link or near-duplicate, in id order."""
        ...

    def forget_document(self, doc_id: str) -> None:
        """Drop what was derived from a document's text (its text changed)."""
        ...

    def put_origin_groups(self, groups: Iterable[OriginGroup], covering: Iterable[str]) -> None:
        """Replace the groups of the documents in ``covering`` (every group with a member
        there is dropped) by ``groups``, whose members must all be in ``covering``."""
        ...

    def origin_groups(self) -> list[OriginGroup]: ...

    def origin_group_of(self, doc_id: str) -> OriginGroup | None: ...

    def origin_groups_of(self, doc_ids: Sequence[str]) -> list[OriginGroup]:
        """Every group with a member in ``doc_ids`` (whole, with its members outside
        them), by group id: a story page needs its members' groups in one read, not one
        query per member."""
        ...

    def origin_group(self, group_id: str) -> OriginGroup | None: ...


class StoriesStore(Protocol):
    """The stories and attribution stages: the store-wide encoder cache (``text_vectors``:
    every lead and sentence vector, keyed by model and text digest), entities per article,
    the clustering stream (article -> story, position), story rows and topics,
    attribution analyses."""

    def get_text_vectors(self, keys: Sequence[str]) -> dict[str, bytes]: ...

    def put_text_vectors(self, data: Mapping[str, bytes]) -> None: ...

    def ids_without_entities(self, model: str) -> list[str]: ...

    def put_entities(self, model: str, entities: Mapping[str, Sequence[Entity]]) -> None: ...

    def entities_of(self, ids: Sequence[str]) -> dict[str, list[Entity]]: ...

    def text_entities_done(self, model: str, ids: Sequence[str]) -> set[str]: ...

    def put_text_entities(self, model: str, entities: Mapping[str, Sequence[Entity]]) -> None: ...

    def text_entities_of(self, ids: Sequence[str]) -> dict[str, list[Entity]]: ...

    def stream(self) -> list[StreamEntry]:
        """Every clustered article in stream order."""
        ...

    def ids_to_cluster(self, everything: bool = False) -> list[str]:
        """Articles not in a story yet (all if ``everything``), in stream order: dated
        ones by publication day, then undated ones, each in ingestion order."""
        ...

    def leads(self, ids: Sequence[str], chars: int) -> list[LeadRow]:
        """The first ``chars`` characters of each article and its metadata, in ``ids``
        order (unknown ids are skipped)."""
        ...

    def put_stories(
        self,
        stream: Sequence[StreamEntry],
        stories: Sequence[Story],
        dropped: Sequence[int] = (),
    ) -> None:
        """Upsert memberships and story rows (a story's topic is ``Story.topic``) and
        delete the stories in ``dropped`` (merged into others), in one transaction."""
        ...

    def clear_stories(self) -> None:
        """Forget every story and membership (a rebuild clusters everything again)."""
        ...

    def list_stories(self, flt: StoryFilter | None = None) -> list[Story]:
        """Stories, most recent last day first (undated last), then larger first."""
        ...

    def page_stories(self, flt: StoryFilter | None = None) -> StoryListPage: ...

    def count_stories(self, flt: StoryFilter | None = None) -> int: ...

    def get_story(self, story_id: int) -> Story | None: ...

    def story_of(self, doc_id: str) -> int | None: ...

    def analysed(self, analyser: str, ids: Sequence[str]) -> set[str]:
        """Which of ``ids`` have an analysis by this analyser version."""
        ...

    def put_analyses(self, analyser: str, data: Mapping[str, Analysis]) -> None: ...

    def get_analyses(self, ids: Sequence[str]) -> dict[str, Analysis]: ...

    def get_quotes(self, ids: Sequence[str]) -> dict[str, tuple[Attribution, ...]]:
        """Only the quotes of stored analyses (a page listing quotes builds no claims)."""
        ...

    def forget_document(self, doc_id: str) -> None:
        """Drop what was derived from a document's text; its story membership stays."""
        ...


class FindingsStore(Protocol):
    """What corroboration established for each story, keyed by the digest of its inputs."""

    def digest(self, story_id: int) -> str | None:
        """The digest the stored findings of ``story_id`` were computed for (None: none)."""
        ...

    def put(self, story_id: int, digest: str, findings: StoryFindings) -> None:
        """Store the findings of a story, replacing what was stored, in one transaction."""
        ...

    def get(self, story_id: int) -> StoryFindings | None:
        """The stored findings of ``story_id`` (None when never corroborated)."""
        ...

    def overviews(self, story_ids: Sequence[int]) -> dict[int, FindingsOverview]:
        """The one-line overview stored with the findings of each of ``story_ids``
        (``types.findings_overview``; stories never corroborated are absent), in one
        read: a story list shows them without reading each story's findings."""
        ...

    def forget(self, story_id: int) -> None: ...


class Store(Protocol):
    """One recoupe store: its four parts and its lifetime. Usable as a context manager
    (closes on exit) and from several threads."""

    @property
    def location(self) -> str:
        """Where the store lives, for messages (a path or a URL without password)."""
        ...

    @property
    def documents(self) -> DocumentStore: ...

    @property
    def copies(self) -> CopiesStore: ...

    @property
    def stories(self) -> StoriesStore: ...

    @property
    def findings(self) -> FindingsStore: ...

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


def fold_origin_groups(rows: Iterable[tuple[str, str, str | None, str]]) -> list[OriginGroup]:
    """Origin groups from ``(group_id, doc_id, root, direction)`` rows ordered by group
    then document: every backend stores one row per member and folds them the same way."""
    groups: dict[str, OriginGroup] = {}
    for gid, doc_id, root, direction in rows:
        old = groups.get(gid)
        members = (*old.members, doc_id) if old else (doc_id,)
        groups[gid] = OriginGroup(gid, members, root, direction)
    return list(groups.values())
