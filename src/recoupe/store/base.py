"""The repository protocol every store backend implements.

Algorithms never see a store: the pipeline and app read records from it and hand plain
records to the algorithm modules. Keeping this protocol small is what lets another backend
(a server database for scale-out) replace SQLite later.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from recoupe.types import (
    Document,
    DocumentSummary,
    Entity,
    NearDuplicate,
    OriginGroup,
    Rejection,
    ReuseLink,
    Story,
)


@dataclass(frozen=True, slots=True)
class DocumentFilter:
    """Filters of an article listing; ``None`` means no filter. Dates are ISO strings
    compared as text, so ``since="2022-09"`` works."""

    language: str | None = None
    outlet: str | None = None
    since: str | None = None
    until: str | None = None
    query: str | None = None  # full-text query (FTS5 syntax)
    limit: int | None = None
    offset: int = 0
    ids: tuple[str, ...] | None = None  # only these articles (full ids)


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


class Repository(Protocol):
    """Storage of documents, rejections and the outlet line statistics used by cleaning."""

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

    def list_documents(self, flt: DocumentFilter | None = None) -> list[DocumentSummary]:
        """Summaries, newest published first (undated last), then by id."""
        ...

    def count_documents(self, flt: DocumentFilter | None = None) -> int: ...

    def count_rejections(self) -> int: ...

    def stats(self) -> dict[str, int]:
        """Counts for a summary: documents, rejections, languages, outlets."""
        ...

    def list_rejections(self, limit: int | None = None) -> list[StoredRejection]: ...

    def outlet_counts(self) -> dict[str, int]:
        """Documents per outlet (one spelling per case-folded outlet)."""
        ...

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

    def close(self) -> None: ...


class CopiesRepository(Protocol):
    """Storage of the copies stage (signatures, vectors, near-duplicates, reuse links,
    origin groups). Arrays are passed as bytes; the store does not interpret them."""

    def ids_without_signature(self) -> list[str]: ...

    def put_signatures(self, sigs: Mapping[str, bytes]) -> None: ...

    def all_signatures(self) -> list[tuple[str, bytes]]: ...

    def get_vectors(self, kind: str, model: str, ids: Sequence[str]) -> dict[str, bytes]: ...

    def put_vectors(self, kind: str, model: str, data: Mapping[str, bytes]) -> None: ...

    def replace_near_duplicates(self, pairs: Iterable[NearDuplicate]) -> None: ...

    def near_duplicates(self) -> list[NearDuplicate]: ...

    def aligned_pairs(self, model: str) -> set[tuple[str, str]]: ...

    def put_alignment(self, a: str, b: str, model: str, links: Sequence[ReuseLink]) -> None: ...

    def reuse_links(
        self, doc_id: str | None = None, other: str | None = None
    ) -> list[ReuseLink]: ...

    def forget_document(self, doc_id: str) -> None: ...

    def replace_origin_groups(self, groups: Iterable[OriginGroup]) -> None: ...

    def origin_groups(self) -> list[OriginGroup]: ...

    def origin_group_of(self, doc_id: str) -> OriginGroup | None: ...


@dataclass(frozen=True, slots=True)
class StoryFilter:
    """Filters of a story listing (``None``: no filter). ``query`` is a full-text query
    over the stories' articles; dates are ISO prefixes compared with the story's span."""

    language: str | None = None
    outlet: str | None = None
    since: str | None = None
    until: str | None = None
    query: str | None = None
    topic: int | None = None
    limit: int | None = None
    offset: int = 0


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


class StoriesRepository(Protocol):
    """Storage of the stories and attribution stages: cached text vectors, entities per
    article, the clustering stream (article -> story, position), story rows and topics,
    attribution analyses (JSON, see ``store.analyses``)."""

    def get_text_vectors(self, keys: Sequence[str]) -> dict[str, bytes]: ...

    def put_text_vectors(self, data: Mapping[str, bytes]) -> None: ...

    def ids_without_entities(self, model: str) -> list[str]: ...

    def put_entities(self, model: str, entities: Mapping[str, Sequence[Entity]]) -> None: ...

    def entities_of(self, ids: Sequence[str]) -> dict[str, list[Entity]]: ...

    def stream(self) -> list[StreamEntry]: ...

    def ids_to_cluster(self, everything: bool = False) -> list[str]: ...

    def leads(self, ids: Sequence[str], chars: int) -> list[LeadRow]: ...

    def replace_stories(
        self, stream: Sequence[StreamEntry], stories: Sequence[Story], topics: Mapping[int, int]
    ) -> None: ...

    def list_stories(self, flt: StoryFilter | None = None) -> list[Story]: ...

    def count_stories(self, flt: StoryFilter | None = None) -> int: ...

    def get_story(self, story_id: int) -> Story | None: ...

    def story_of(self, doc_id: str) -> int | None: ...

    def analysed(self, analyser: str, ids: Sequence[str]) -> set[str]: ...

    def put_analyses(self, analyser: str, data: Mapping[str, str]) -> None: ...

    def get_analyses(self, ids: Sequence[str]) -> dict[str, str]: ...

    def get_findings(self, story_id: int) -> tuple[str, str] | None: ...

    def put_findings(self, story_id: int, digest: str, data: str) -> None: ...

    def forget_document(self, doc_id: str) -> None: ...
