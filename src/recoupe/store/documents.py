"""The documents of a SQLite store: articles, rejections and the outlet-line evidence
cleaning uses (the ``DocumentStore`` protocol). Connections and transactions belong to
``database.SQLiteDatabase``; see ``schema.py`` for the table layout.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime

from recoupe.errors import NotFoundError, StoreError, UsageError
from recoupe.store.base import DocumentListPage, StoredBatch, StoredRejection
from recoupe.store.database import SQLiteDatabase
from recoupe.store.fts import Search, resolve
from recoupe.store.rows import (
    DOC_COLUMNS,
    INSERT_DOC,
    INSERT_REMOVED,
    SUMMARY_COLUMNS,
    document_from_row,
    document_row,
    document_stems,
    outlet_key,
    packed_sentences,
    removed_rows,
    where_clause,
)
from recoupe.types import Document, DocumentFilter, DocumentSummary, InputKind, Rejection

MIN_PREFIX = 4
_MAX_VARS = 500  # bound parameters per IN (...) chunk, far under any SQLite build's limit
_MAX_CANDIDATES = 10
# Past this many full-text matches, a listing walks an index and filters by the matches
# instead of sorting them all (measured at 100k articles: both ~8 ms at 2,000 matches).
_FTS_DRIVE_MAX = 2000
_PROBE_RATIO = 400  # ~ per-row probe cost / per-match read cost (measured: 0.1 ms / 0.3 us)
_HEX = frozenset("0123456789abcdef")
# Errors a single document's data can cause (text UTF-8 cannot encode, a value SQLite
# refuses, a constraint): worth retrying the batch one document at a time. Anything else
# (locked, disk full, I/O) is the store's own failure and would fail every retry too.
_DOCUMENT_FAULTS = (
    UnicodeError, ValueError, OverflowError, TypeError, sqlite3.IntegrityError,
    sqlite3.DataError, sqlite3.InterfaceError, sqlite3.ProgrammingError, NotFoundError,
)  # fmt: skip


def _storable(text: str) -> str:
    """``text`` as SQLite can store it: a lone surrogate is written as its escape."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def _is_document_fault(exc: BaseException) -> bool:
    return isinstance(exc, _DOCUMENT_FAULTS) or isinstance(exc.__cause__, _DOCUMENT_FAULTS)


def _only_query(flt: DocumentFilter) -> bool:
    """True when the full-text query is the only filter (the FTS index alone counts)."""
    return flt == DocumentFilter(query=flt.query, limit=flt.limit, offset=flt.offset)


def _drives(search: Search | None) -> bool:
    """Whether so many documents match that the listing should walk an index and check
    the matches as a filter (see ``rows.where_clause``)."""
    return search is not None and search.matches > _FTS_DRIVE_MAX


def _probes(conn: sqlite3.Connection, flt: DocumentFilter, search: Search | None) -> bool:
    """Whether a page of the listing is found sooner by asking the FTS index about each
    row walked in listing order (~0.1 ms a row; about ``wanted * n / matches`` rows) than
    by reading every match first (~0.3 us a match): only for a query matching most of
    the store and a short page (``rows.where_clause``)."""
    if search is None or flt.limit is None or search.matches <= _FTS_DRIVE_MAX:
        return False
    wanted = flt.offset + flt.limit
    n_docs = conn.execute("SELECT max(num) FROM documents").fetchone()[0] or 0
    return search.matches * search.matches > _PROBE_RATIO * wanted * n_docs


def _utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class SQLiteDocuments:
    """Documents, rejections and outlet lines of one SQLite store."""

    def __init__(self, db: SQLiteDatabase) -> None:
        self._db = db

    def has_content(self, content_hash: str) -> bool:
        with self._db.transaction("looking up content", write=False) as conn:
            row = conn.execute(
                "SELECT 1 FROM documents WHERE content_hash = ?", (content_hash,)
            ).fetchone()
        return row is not None

    def add_documents(
        self,
        docs: Sequence[Document],
        outlet_lines: Mapping[str, tuple[str, Iterable[str]]] | None = None,
    ) -> int:
        """Store ``docs`` in one transaction (all or none); a document whose content hash
        is already stored (or repeated in ``docs``) is skipped. Returns how many were new.

        ``outlet_lines`` maps a document id to ``(outlet, line_hashes)``: recorded as by
        ``add_outlet_lines`` in the same transaction, so the boilerplate evidence and the
        documents it came from are committed (or lost) together. Ids may be of documents
        in ``docs`` or already stored; an unknown id raises NotFoundError (nothing stored).
        """
        return len(self._add(docs, outlet_lines or {}))

    def store_documents(
        self,
        docs: Sequence[Document],
        outlet_lines: Mapping[str, tuple[str, Iterable[str]]] | None = None,
    ) -> StoredBatch:
        """``add_documents`` for an ingest batch, where one document must not cost the
        others: when the batch fails because of a document's data, each document is
        stored in its own transaction and those that still fail come back as
        ``store-error`` rejections. Failures of the store itself raise StoreError."""
        lines = outlet_lines or {}
        try:
            ids = self._add(docs, lines)
            return StoredBatch(len(ids), len(docs) - len(ids), (), frozenset(ids))
        except Exception as exc:
            if not _is_document_fault(exc):
                raise
        added: list[str] = []
        failed = []
        for doc in docs:
            own = {doc.id: lines[doc.id]} if doc.id in lines else {}
            try:
                added += self._add([doc], own)
            except Exception as exc:
                if not _is_document_fault(exc):
                    raise
                cause = exc.__cause__ or exc
                detail = f"the store could not take it: {type(cause).__name__}: {cause}"
                failed.append(Rejection(doc.origin, "store-error", _storable(detail)))
        already = len(docs) - len(added) - len(failed)
        return StoredBatch(len(added), already, tuple(failed), frozenset(added))

    def _add(
        self, docs: Sequence[Document], outlet_lines: Mapping[str, tuple[str, Iterable[str]]]
    ) -> list[str]:
        ingested = _utc_now()
        unique: dict[str, Document] = {}
        for doc in docs:
            unique.setdefault(doc.content_hash, doc)
        # Compress and pack before taking the write lock: other writers wait less.
        rows = [(doc, document_row(doc, ingested), removed_rows(doc)) for doc in unique.values()]
        added: list[str] = []
        with self._db.transaction("adding documents", write=True) as conn:
            for doc, row, removed in rows:
                if conn.execute(
                    "SELECT 1 FROM documents WHERE content_hash = ?", (doc.content_hash,)
                ).fetchone():
                    continue
                try:
                    conn.execute(INSERT_DOC, row)
                except sqlite3.IntegrityError as exc:
                    msg = f"cannot store document {doc.id} ({doc.origin}): {exc}"
                    raise StoreError(msg) from exc
                conn.executemany(INSERT_REMOVED, removed)
                added.append(doc.id)
            for doc_id, (outlet, hashes) in outlet_lines.items():
                self._insert_outlet_lines(conn, outlet, doc_id, hashes)
        return added

    def get_document(self, id_or_prefix: str) -> Document:
        """The document whose id (or, past 16 characters, content hash) starts with
        ``id_or_prefix`` (case-insensitive, at least 4 characters)."""
        prefix = id_or_prefix.strip().lower()
        if len(prefix) < MIN_PREFIX:
            raise UsageError(
                f"document id {id_or_prefix!r} is too short: give at least {MIN_PREFIX} characters"
            )
        if not set(prefix) <= _HEX:
            raise NotFoundError(f"no document with id {id_or_prefix!r} (ids are hexadecimal)")
        column = "id" if len(prefix) <= 16 else "content_hash"
        with self._db.transaction("reading a document", write=False) as conn:
            ids = [
                r[0]
                for r in conn.execute(
                    f"SELECT id FROM documents WHERE {column} GLOB ? ORDER BY id LIMIT ?",
                    (prefix + "*", _MAX_CANDIDATES + 1),
                )
            ]
            if not ids:
                raise NotFoundError(f"no document with id {id_or_prefix!r}")
            if len(ids) > 1:
                shown = ", ".join(ids[:_MAX_CANDIDATES])
                more = ", ..." if len(ids) > _MAX_CANDIDATES else ""
                raise UsageError(
                    f"document id {id_or_prefix!r} is ambiguous; it matches {shown}{more}"
                )
            row = conn.execute(
                f"SELECT {DOC_COLUMNS} FROM documents WHERE id = ?", (ids[0],)
            ).fetchone()
            removed = conn.execute(
                "SELECT line_no, text, reason, anchor, is_caption FROM removed_lines "
                "WHERE doc_id = ? ORDER BY idx",
                (ids[0],),
            ).fetchall()
        return document_from_row(row, removed)

    def get_documents(self, ids: Sequence[str]) -> dict[str, Document]:
        """Whole documents by exact id, in one snapshot (unknown ids are absent)."""
        out: dict[str, Document] = {}
        with self._db.transaction("reading documents", write=False) as conn:
            for lo in range(0, len(ids), _MAX_VARS):
                chunk = list(ids[lo : lo + _MAX_VARS])
                marks = ",".join("?" * len(chunk))
                rows = conn.execute(
                    f"SELECT {DOC_COLUMNS} FROM documents WHERE id IN ({marks})", chunk
                ).fetchall()
                removed: dict[str, list[tuple[object, ...]]] = {}
                for doc_id, *rest in conn.execute(
                    "SELECT doc_id, line_no, text, reason, anchor, is_caption FROM removed_lines "
                    f"WHERE doc_id IN ({marks}) ORDER BY doc_id, idx",
                    chunk,
                ):
                    removed.setdefault(doc_id, []).append(tuple(rest))
                for row in rows:
                    out[row[0]] = document_from_row(row, removed.get(row[0], []))
        return out

    def document_ids(self, batch: int = 1000) -> Iterator[list[str]]:
        """Every document id in ingestion order, ``batch`` at a time (keyset paging: each
        batch is its own short read, so a long consumer never holds a snapshot open)."""
        last = 0
        while True:
            with self._db.transaction("listing document ids", write=False) as conn:
                rows = conn.execute(
                    "SELECT num, id FROM documents WHERE num > ? ORDER BY num LIMIT ?",
                    (last, batch),
                ).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            yield [r[1] for r in rows]

    def replace_document_text(self, doc: Document) -> None:
        """Overwrite text, removed lines, sentences (and detected language) of ``doc.id``;
        the full-text index follows. NotFoundError if the document is not stored."""
        removed = removed_rows(doc)
        sentences = packed_sentences(doc)
        with self._db.transaction("replacing a document's text", write=True) as conn:
            cur = conn.execute(
                "UPDATE documents SET text = ?, sentences = ?, language = ?, n_chars = ?, "
                "n_removed = ?, stems = ? WHERE id = ?",
                (
                    doc.text,
                    sentences,
                    doc.language,
                    len(doc.text),
                    len(doc.removed),
                    document_stems(doc),
                    doc.id,
                ),
            )
            if cur.rowcount == 0:
                raise NotFoundError(f"no document with id {doc.id!r}")
            conn.execute("DELETE FROM removed_lines WHERE doc_id = ?", (doc.id,))
            conn.executemany(INSERT_REMOVED, removed)

    def list_documents(self, flt: DocumentFilter | None = None) -> list[DocumentSummary]:
        """Summaries matching ``flt``: newest published first, undated last, then by id.

        ``outlet`` is compared case-insensitively; ``since``/``until`` are inclusive ISO
        prefixes (``until="2022-09"`` includes every date in September 2022) and exclude
        undated documents; ``query`` is matched over title and text, case- and
        accent-insensitive (``store.fts``)."""
        flt = flt or DocumentFilter()
        with self._db.transaction("listing documents", write=False) as conn:
            return self._list(conn, flt, resolve(conn, flt.query))

    def count_documents(self, flt: DocumentFilter | None = None) -> int:
        """How many documents (matching ``flt``; its limit and offset are ignored)."""
        flt = flt or DocumentFilter()
        with self._db.transaction("counting documents", write=False) as conn:
            return self._count(conn, flt, resolve(conn, flt.query))

    def page_documents(self, flt: DocumentFilter | None = None) -> DocumentListPage:
        """``list_documents(flt)``, how many documents match, and whether that count is
        exact, from one snapshot (what a paged listing needs).

        The count is exact except where it would cost more than the page itself: a
        full-text query matching many documents combined with other filters (each match
        must be checked against the filters: ~30-50 ms for a word in most of 100k
        articles). Then the count returned is the number of documents the query alone
        matches, an upper bound, and ``exact`` is False."""
        flt = flt or DocumentFilter()
        with self._db.transaction("listing documents", write=False) as conn:
            search = resolve(conn, flt.query)
            rows = self._list(conn, flt, search)
            if search is not None and search.matches > _FTS_DRIVE_MAX and not _only_query(flt):
                return DocumentListPage(rows, search.matches, False)
            return DocumentListPage(rows, self._count(conn, flt, search), True)

    def _list(
        self, conn: sqlite3.Connection, flt: DocumentFilter, search: Search | None
    ) -> list[DocumentSummary]:
        if (flt.limit is not None and flt.limit < 0) or flt.offset < 0:
            raise UsageError("limit and offset must not be negative")
        where, params = where_clause(flt, search, _drives(search), _probes(conn, flt, search))
        params += [-1 if flt.limit is None else flt.limit, flt.offset]
        # SQLite sorts NULL below every value, so "published DESC" puts undated documents
        # last by itself; spelling it out ("published IS NULL, ...") would keep SQLite from
        # walking the published index and make it sort the whole table (~200 ms at 100k).
        sql = (
            f"SELECT {SUMMARY_COLUMNS} FROM documents{where} "
            "ORDER BY published DESC, id LIMIT ? OFFSET ?"
        )
        rows = conn.execute(sql, params).fetchall()
        # Column order of SUMMARY_COLUMNS is the field order of DocumentSummary.
        return [DocumentSummary(r[0], r[1], InputKind(r[2]), *r[3:]) for r in rows]

    def _count(self, conn: sqlite3.Connection, flt: DocumentFilter, search: Search | None) -> int:
        if search is not None and _only_query(flt):
            return search.matches
        where, params = where_clause(flt, search, _drives(search))
        rows = conn.execute(f"SELECT count(*) FROM documents{where}", params).fetchall()
        return int(rows[0][0])

    # -- rejections ----------------------------------------------------------------------

    def add_rejections(self, rejections: Sequence[Rejection]) -> int:
        recorded = _utc_now()
        with self._db.transaction("recording rejections", write=True) as conn:
            before = conn.total_changes
            conn.executemany(
                "INSERT OR IGNORE INTO rejections (origin, reason, detail, recorded) "
                "VALUES (?, ?, ?, ?)",
                [
                    (_storable(r.origin), _storable(r.reason), _storable(r.detail), recorded)
                    for r in rejections
                ],
            )
            return conn.total_changes - before

    def list_rejections(self, limit: int | None = None) -> list[StoredRejection]:
        """Rejections in the order they were first recorded."""
        with self._db.transaction("listing rejections", write=False) as conn:
            rows = conn.execute(
                "SELECT origin, reason, detail, recorded FROM rejections ORDER BY num LIMIT ?",
                (-1 if limit is None else limit,),
            ).fetchall()
        return [StoredRejection(*r) for r in rows]

    def count_rejections(self) -> int:
        with self._db.transaction("counting rejections", write=False) as conn:
            return int(conn.execute("SELECT count(*) FROM rejections").fetchone()[0])

    # -- outlet boilerplate evidence -----------------------------------------------------

    def _insert_outlet_lines(
        self, conn: sqlite3.Connection, outlet: str, doc_id: str, hashes: Iterable[str]
    ) -> None:
        if conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is None:
            raise NotFoundError(f"outlet lines given for document {doc_id!r}, which is not stored")
        key = outlet_key(outlet)
        conn.executemany(
            "INSERT OR IGNORE INTO outlet_lines (outlet, line_hash, doc_id) VALUES (?, ?, ?)",
            [(key, h, doc_id) for h in dict.fromkeys(hashes)],
        )

    def add_outlet_lines(self, outlet: str, doc_id: str, line_hashes: Iterable[str]) -> None:
        """Remember that stored document ``doc_id`` of ``outlet`` contains these lines
        (idempotent; outlets compared case-insensitively). Prefer the ``outlet_lines``
        argument of ``add_documents`` to commit them with the documents."""
        with self._db.transaction("recording outlet lines", write=True) as conn:
            self._insert_outlet_lines(conn, outlet, doc_id, line_hashes)

    def outlet_line_counts(self, outlet: str, line_hashes: Iterable[str]) -> Mapping[str, int]:
        """For each given hash seen in ``outlet``, how many distinct documents contain it."""
        key = outlet_key(outlet)
        hashes = list(dict.fromkeys(line_hashes))
        counts: dict[str, int] = {}
        with self._db.transaction("counting outlet lines", write=False) as conn:
            for i in range(0, len(hashes), _MAX_VARS):
                chunk = hashes[i : i + _MAX_VARS]
                marks = ", ".join("?" * len(chunk))
                counts.update(
                    conn.execute(
                        "SELECT line_hash, count(*) FROM outlet_lines WHERE outlet = ? "
                        f"AND line_hash IN ({marks}) GROUP BY line_hash",
                        (key, *chunk),
                    ).fetchall()
                )
        return counts

    # -- summary -------------------------------------------------------------------------

    def stats(self) -> dict[str, int]:
        """Counts for a CLI summary: documents, rejections, distinct detected languages,
        distinct outlets."""
        with self._db.transaction("computing statistics", write=False) as conn:
            row = conn.execute(
                "SELECT count(*), count(DISTINCT language), count(DISTINCT outlet_key), "
                "(SELECT count(*) FROM rejections) FROM documents"
            ).fetchone()
        return {"documents": row[0], "rejections": row[3], "languages": row[1], "outlets": row[2]}

    def language_counts(self) -> dict[str | None, int]:
        """Documents per detected language (``None``: undetermined), most frequent first."""
        with self._db.transaction("counting languages", write=False) as conn:
            rows = conn.execute(
                "SELECT language, count(*) AS n FROM documents GROUP BY language "
                "ORDER BY n DESC, language"
            ).fetchall()
        return {lang: n for lang, n in rows}

    # -- lookups for pages (web UI) --------------------------------------------------------

    def outlet_counts(self) -> dict[str, int]:
        """Documents per outlet, most frequent first; outlets that differ only by case
        count as one, shown with one of their stored spellings. Reads the outlet index, then
        one row per outlet (not one per document) for its spelling."""
        with self._db.transaction("counting outlets", write=False) as conn:
            keys = conn.execute(
                "SELECT outlet_key, count(*) AS n FROM documents WHERE outlet_key IS NOT NULL "
                "GROUP BY outlet_key ORDER BY n DESC, outlet_key"
            ).fetchall()
            return {
                conn.execute(
                    "SELECT outlet FROM documents WHERE outlet_key = ? LIMIT 1", (key,)
                ).fetchone()[0]: n
                for key, n in keys
            }
