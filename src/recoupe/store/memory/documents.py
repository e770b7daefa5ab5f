"""Documents of an in-memory store (``DocumentStore``), with the behaviour of the SQLite
backend: same ordering, filters, prefix lookup, rejections and outlet lines."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime

from recoupe.errors import NotFoundError, StoreError, UsageError
from recoupe.store.base import DocumentListPage, StoredBatch, StoredRejection
from recoupe.store.memory.search import Matcher, WordIndex
from recoupe.store.memory.state import MemoryState, StoredDocument
from recoupe.store.rows import outlet_key
from recoupe.types import Document, DocumentFilter, DocumentSummary, Rejection

MIN_PREFIX = 4
_MAX_CANDIDATES = 10
_HEX = frozenset("0123456789abcdef")


def _utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _check_text(doc: Document) -> None:
    """StoreError for text no UTF-8 store can hold (a lone surrogate), as SQLite."""
    for value in (doc.text, doc.origin, doc.meta.title or "", doc.meta.outlet or ""):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            msg = f"adding documents failed: text is not valid Unicode ({exc})"
            raise StoreError(msg) from exc


def listing_order(rows: Iterable[StoredDocument]) -> list[StoredDocument]:
    """Newest published first, undated last, then by id (the SQL listings' order)."""
    by_id = sorted(rows, key=lambda r: r.doc.id)
    return sorted(by_id, key=lambda r: r.doc.meta.published or "", reverse=True)


def summary(row: StoredDocument) -> DocumentSummary:
    d = row.doc
    return DocumentSummary(d.id, d.origin, d.kind, d.meta.title, d.meta.outlet,
                           d.meta.published, d.language, len(d.text), len(d.removed),
                           row.ingested)  # fmt: skip


def store_languages(state: MemoryState) -> list[str | None]:
    return list({r.doc.language for r in state.documents.values()})


def matching(state: MemoryState, flt: DocumentFilter) -> list[StoredDocument]:
    """The stored documents passing ``flt``'s filters (no order, no paging)."""
    rows: Iterable[StoredDocument] = state.documents.values()
    if flt.language is not None:
        lang = flt.language.strip().lower()
        rows = [r for r in rows if r.doc.language == lang]
    if flt.outlet is not None:
        key = outlet_key(flt.outlet)
        rows = [r for r in rows if r.outlet_key == key]
    if flt.since:
        since = flt.since.strip()
        rows = [r for r in rows if r.doc.meta.published and r.doc.meta.published >= since]
    if flt.until:
        until = flt.until.strip() + "\U0010ffff"
        rows = [r for r in rows if r.doc.meta.published and r.doc.meta.published <= until]
    if flt.ids is not None:
        wanted = set(flt.ids)
        rows = [r for r in rows if r.doc.id in wanted]
    if flt.query is not None:
        matcher = Matcher(flt.query, store_languages(state))
        rows = [r for r in rows if matcher.matches(r.index)]
    return list(rows)


class MemoryDocuments:
    """Documents, rejections and outlet lines of one in-memory store."""

    def __init__(self, state: MemoryState) -> None:
        self._s = state

    def has_content(self, content_hash: str) -> bool:
        with self._s.lock:
            self._s.check_open()
            return content_hash in self._s.hashes

    def add_documents(
        self,
        docs: Sequence[Document],
        outlet_lines: Mapping[str, tuple[str, Iterable[str]]] | None = None,
    ) -> int:
        return len(self._add(docs, outlet_lines or {}))

    def store_documents(
        self,
        docs: Sequence[Document],
        outlet_lines: Mapping[str, tuple[str, Iterable[str]]] | None = None,
    ) -> StoredBatch:
        lines = outlet_lines or {}
        try:
            ids = self._add(docs, lines)
            return StoredBatch(len(ids), len(docs) - len(ids), (), frozenset(ids))
        except (StoreError, NotFoundError):
            pass
        added: set[str] = set()
        failed = []
        for doc in docs:
            own = {doc.id: lines[doc.id]} if doc.id in lines else {}
            try:
                added |= self._add([doc], own)
            except (StoreError, NotFoundError) as exc:
                detail = f"the store could not take it: {type(exc).__name__}: {exc}"
                detail = detail.encode("utf-8", "backslashreplace").decode("utf-8")
                failed.append(Rejection(doc.origin, "store-error", detail))
        already = len(docs) - len(added) - len(failed)
        return StoredBatch(len(added), already, tuple(failed), frozenset(added))

    def _add(
        self, docs: Sequence[Document], outlet_lines: Mapping[str, tuple[str, Iterable[str]]]
    ) -> set[str]:
        ingested = _utc_now()
        s = self._s
        with s.lock:
            s.check_open()
            new: dict[str, Document] = {}
            for doc in docs:
                if doc.content_hash in s.hashes or doc.content_hash in new:
                    continue
                _check_text(doc)
                if doc.id in s.documents or any(d.id == doc.id for d in new.values()):
                    raise StoreError(f"cannot store document {doc.id} ({doc.origin}): id taken")
                new[doc.content_hash] = doc
            known = set(s.documents) | {d.id for d in new.values()}
            for doc_id in outlet_lines:
                if doc_id not in known:
                    raise NotFoundError(
                        f"outlet lines given for document {doc_id!r}, which is not stored"
                    )
            for doc in new.values():
                s.documents[doc.id] = StoredDocument(
                    s.next_num, doc, ingested,
                    None if doc.meta.outlet is None else outlet_key(doc.meta.outlet),
                    WordIndex.of(doc.meta.title, doc.text, doc.language),
                )  # fmt: skip
                s.hashes[doc.content_hash] = doc.id
                s.next_num += 1
            for doc_id, (outlet, hashes) in outlet_lines.items():
                self._insert_lines(outlet, doc_id, hashes)
            return {d.id for d in new.values()}

    def get_document(self, id_or_prefix: str) -> Document:
        prefix = id_or_prefix.strip().lower()
        if len(prefix) < MIN_PREFIX:
            raise UsageError(
                f"document id {id_or_prefix!r} is too short: give at least {MIN_PREFIX} characters"
            )
        if not set(prefix) <= _HEX:
            raise NotFoundError(f"no document with id {id_or_prefix!r} (ids are hexadecimal)")
        with self._s.lock:
            self._s.check_open()
            rows = self._s.documents.values()
            if len(prefix) <= 16:
                ids = sorted(r.doc.id for r in rows if r.doc.id.startswith(prefix))
            else:
                ids = sorted(r.doc.id for r in rows if r.doc.content_hash.startswith(prefix))
            if not ids:
                raise NotFoundError(f"no document with id {id_or_prefix!r}")
            if len(ids) > 1:
                shown = ", ".join(ids[:_MAX_CANDIDATES])
                more = ", ..." if len(ids) > _MAX_CANDIDATES else ""
                raise UsageError(
                    f"document id {id_or_prefix!r} is ambiguous; it matches {shown}{more}"
                )
            return self._s.documents[ids[0]].doc

    def get_documents(self, ids: Sequence[str]) -> dict[str, Document]:
        with self._s.lock:
            self._s.check_open()
            return {i: self._s.documents[i].doc for i in ids if i in self._s.documents}

    def document_ids(self, batch: int = 1000) -> Iterator[list[str]]:
        last = 0
        while True:
            with self._s.lock:
                self._s.check_open()
                rows = sorted(
                    (r.num, r.doc.id) for r in self._s.documents.values() if r.num > last
                )[:batch]
            if not rows:
                return
            last = rows[-1][0]
            yield [r[1] for r in rows]

    def replace_document_text(self, doc: Document) -> None:
        with self._s.lock:
            self._s.check_open()
            row = self._s.documents.get(doc.id)
            if row is None:
                raise NotFoundError(f"no document with id {doc.id!r}")
            _check_text(doc)
            # Only text, removed lines, sentences and language change (as in SQL).
            kept = replace(row.doc, text=doc.text, removed=doc.removed,
                           sentences=doc.sentences, language=doc.language)  # fmt: skip
            row.doc = kept
            row.index = WordIndex.of(kept.meta.title, kept.text, kept.language)

    def list_documents(self, flt: DocumentFilter | None = None) -> list[DocumentSummary]:
        flt = flt or DocumentFilter()
        if (flt.limit is not None and flt.limit < 0) or flt.offset < 0:
            raise UsageError("limit and offset must not be negative")
        with self._s.lock:
            self._s.check_open()
            rows = listing_order(matching(self._s, flt))
        end = None if flt.limit is None else flt.offset + flt.limit
        return [summary(r) for r in rows[flt.offset : end]]

    def count_documents(self, flt: DocumentFilter | None = None) -> int:
        with self._s.lock:
            self._s.check_open()
            return len(matching(self._s, flt or DocumentFilter()))

    def page_documents(self, flt: DocumentFilter | None = None) -> DocumentListPage:
        with self._s.lock:
            return DocumentListPage(self.list_documents(flt), self.count_documents(flt), True)

    def language_counts(self) -> dict[str | None, int]:
        with self._s.lock:
            self._s.check_open()
            counts: dict[str | None, int] = {}
            for r in self._s.documents.values():
                counts[r.doc.language] = counts.get(r.doc.language, 0) + 1
        order = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0] is not None, kv[0] or ""))
        return dict(order)

    def outlet_counts(self) -> dict[str, int]:
        """Documents per outlet, most frequent first; spellings differing by case count
        as one, shown with the first stored spelling."""
        spelling: dict[str, str] = {}
        counts: dict[str, int] = {}
        with self._s.lock:
            self._s.check_open()
            for r in sorted(self._s.documents.values(), key=lambda r: r.num):
                if r.outlet_key is not None:
                    spelling.setdefault(r.outlet_key, r.doc.meta.outlet or r.outlet_key)
                    counts[r.outlet_key] = counts.get(r.outlet_key, 0) + 1
        return {spelling[k]: n for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))}

    def count_rejections(self) -> int:
        with self._s.lock:
            self._s.check_open()
            return len(self._s.rejections)

    def stats(self) -> dict[str, int]:
        with self._s.lock:
            self._s.check_open()
            rows = self._s.documents.values()
            return {
                "documents": len(rows),
                "rejections": len(self._s.rejections),
                "languages": len({r.doc.language for r in rows} - {None}),
                "outlets": len({r.outlet_key for r in rows} - {None}),
            }

    def add_rejections(self, rejections: Sequence[Rejection]) -> int:
        recorded = _utc_now()
        with self._s.lock:
            self._s.check_open()
            added = 0
            for r in rejections:
                key = (r.origin, r.reason)
                if key not in self._s.rejections:
                    self._s.rejections[key] = StoredRejection(r.origin, r.reason, r.detail,
                                                              recorded)  # fmt: skip
                    added += 1
            return added

    def list_rejections(self, limit: int | None = None) -> list[StoredRejection]:
        with self._s.lock:
            self._s.check_open()
            return list(self._s.rejections.values())[:limit]

    def _insert_lines(self, outlet: str, doc_id: str, hashes: Iterable[str]) -> None:
        key = outlet_key(outlet)
        for h in hashes:
            self._s.outlet_lines.setdefault((key, h), set()).add(doc_id)

    def add_outlet_lines(self, outlet: str, doc_id: str, line_hashes: Iterable[str]) -> None:
        with self._s.lock:
            self._s.check_open()
            if doc_id not in self._s.documents:
                raise NotFoundError(
                    f"outlet lines given for document {doc_id!r}, which is not stored"
                )
            self._insert_lines(outlet, doc_id, line_hashes)

    def outlet_line_counts(self, outlet: str, line_hashes: Iterable[str]) -> Mapping[str, int]:
        key = outlet_key(outlet)
        with self._s.lock:
            self._s.check_open()
            found = ((h, self._s.outlet_lines.get((key, h))) for h in dict.fromkeys(line_hashes))
            return {h: len(docs) for h, docs in found if docs}
