"""Everything an in-memory store holds, behind one lock (``MemoryState``)."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

from recoupe.errors import StoreError
from recoupe.store.base import StoredRejection
from recoupe.store.memory.search import WordIndex
from recoupe.types import Analysis, Document, Entity, NearDuplicate, ReuseLink, StoryFindings


@dataclass(slots=True)
class StoredDocument:
    num: int
    doc: Document
    ingested: str
    outlet_key: str | None
    index: WordIndex


@dataclass(slots=True)
class StoryRow:
    id: int
    title: str
    first: str | None
    last: str | None
    languages: tuple[str, ...]
    outlets: tuple[str, ...]
    entities: tuple[str, ...]
    n_articles: int
    topic: int


@dataclass(slots=True)
class MemoryState:
    """The tables of one in-memory store, as dicts; a write takes ``lock`` and checks
    everything before changing anything, so it is all or none, like a transaction."""

    lock: threading.RLock = field(default_factory=threading.RLock)
    closed: bool = False
    next_num: int = 1
    documents: dict[str, StoredDocument] = field(default_factory=dict)  # by id
    hashes: dict[str, str] = field(default_factory=dict)  # content hash -> id
    rejections: dict[tuple[str, str], StoredRejection] = field(default_factory=dict)
    outlet_lines: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    signatures: dict[str, bytes] = field(default_factory=dict)
    near: dict[tuple[str, str], NearDuplicate] = field(default_factory=dict)
    aligned: dict[tuple[str, str], str] = field(default_factory=dict)  # pair -> model
    links: dict[tuple[str, str], dict[tuple[int, int], ReuseLink]] = field(default_factory=dict)
    origin: dict[str, tuple[str, str | None, str]] = field(default_factory=dict)
    vectors: dict[str, bytes] = field(default_factory=dict)
    entities: dict[str, list[Entity]] = field(default_factory=dict)
    entity_runs: dict[str, str] = field(default_factory=dict)
    text_entities: dict[str, list[Entity]] = field(default_factory=dict)
    text_entity_runs: dict[str, str] = field(default_factory=dict)
    members: dict[str, tuple[int, int]] = field(default_factory=dict)  # doc -> (story, seq)
    stories: dict[int, StoryRow] = field(default_factory=dict)
    analyses: dict[str, tuple[str, Analysis]] = field(default_factory=dict)
    findings: dict[int, tuple[str, StoryFindings]] = field(default_factory=dict)

    def check_open(self) -> None:
        if self.closed:
            raise StoreError("store :memory: is closed")

    def require(self, ids: Iterable[str], what: str) -> None:
        """StoreError unless every id is a stored document (the foreign keys of SQL)."""
        missing = sorted({i for i in ids if i not in self.documents})
        if missing:
            raise StoreError(f"{what} failed: unknown document {missing[0]!r}")
