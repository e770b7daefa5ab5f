"""The SQLite backend of the Repository protocol (stdlib ``sqlite3`` only).

Why it is built this way:

* **Crash safety.** Every write is one ``BEGIN IMMEDIATE ... COMMIT`` transaction, so a
  process killed at any point (even SIGKILL) leaves the store as it was after the last
  commit; re-running an ingest adds only what is missing because documents are keyed by
  their content hash. WAL + ``synchronous=NORMAL`` keeps commits cheap: committed work
  survives a killed process; only a power cut may lose the last commits, never consistency.
* **Concurrency.** WAL lets readers (the web UI) run while a writer ingests; writers queue
  on ``busy_timeout`` instead of failing. ``BEGIN IMMEDIATE`` takes the write lock up front
  so two writers never deadlock upgrading a read lock. One connection is shared by the
  threads of a process behind a lock, so transactions never interleave.
* **Schema evolution.** ``schema.MIGRATIONS`` is applied in order, one transaction each;
  a store written by a newer recoupe is refused rather than misread.

See ``schema.py`` for the table layout.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from recoupe.errors import NotFoundError, StoreError, UsageError
from recoupe.store.base import DocumentFilter, StoredBatch, StoredRejection
from recoupe.store.rows import (
    DOC_COLUMNS,
    INSERT_DOC,
    INSERT_REMOVED,
    SUMMARY_COLUMNS,
    document_from_row,
    document_row,
    outlet_key,
    packed_sentences,
    removed_rows,
    run_filtered,
    where_clause,
)
from recoupe.store.schema import SCHEMA_VERSION, migrate

if TYPE_CHECKING:
    from recoupe.store.copies import SQLiteCopies
    from recoupe.store.stories import SQLiteStories
from recoupe.types import Document, DocumentSummary, InputKind, Rejection

__all__ = ["SCHEMA_VERSION", "SQLiteRepository"]

BUSY_TIMEOUT_S = 30.0
MIN_PREFIX = 4
_MAX_VARS = 500  # bound parameters per IN (...) chunk, far under any SQLite build's limit
_MAX_CANDIDATES = 10
# Past this many full-text matches, a listing walks an index and filters by the matches
# instead of sorting them all (measured at 100k articles: both ~8 ms at 2,000 matches).
_FTS_DRIVE_MAX = 2000
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


def _utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class SQLiteRepository:
    """Store of documents, rejections and outlet-line evidence in one SQLite file.

    ``path`` may be ``":memory:"`` (tests). Raises StoreError if the file cannot be opened,
    is not a recoupe store, or was written by a newer schema version. Usable as a context
    manager (closes on exit) and from several threads (calls are serialised).
    """

    def __init__(self, path: Path | str) -> None:
        self.path = path if str(path) == ":memory:" else Path(path)
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        if isinstance(self.path, Path):
            if self.path.is_dir():
                raise StoreError(f"cannot open store {self.path}: it is a folder")
            if not self.path.parent.is_dir():
                raise StoreError(f"cannot open store {self.path}: folder does not exist")
        try:
            conn = sqlite3.connect(
                str(self.path),
                timeout=BUSY_TIMEOUT_S,
                isolation_level=None,  # we issue BEGIN/COMMIT ourselves
                check_same_thread=False,  # guarded by self._lock
            )
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open store {self.path}: {exc}") from exc
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            migrate(conn, str(self.path))
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StoreError(
                f"cannot open store {self.path}: {exc} (is it a recoupe database?)"
            ) from exc
        except BaseException:
            conn.close()
            raise
        self._conn = conn

    # -- plumbing ------------------------------------------------------------------------

    @contextmanager
    def _transaction(self, what: str, *, write: bool) -> Iterator[sqlite3.Connection]:
        """One transaction; sqlite3 errors become StoreError, anything raised rolls back.
        Reads use a (deferred) transaction too, so multi-query reads see one snapshot."""
        with self._lock:
            if self._conn is None:
                raise StoreError(f"store {self.path} is closed")
            conn = self._conn
            try:
                conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                try:
                    yield conn
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
            except sqlite3.Error as exc:
                raise StoreError(f"{what} failed: {exc}") from exc
            except UnicodeEncodeError as exc:
                raise StoreError(f"{what} failed: text is not valid Unicode ({exc})") from exc

    @property
    def copies(self) -> SQLiteCopies:
        """The tables of the copies stage, on this connection."""
        from recoupe.store.copies import SQLiteCopies

        return SQLiteCopies(self)

    @property
    def stories(self) -> SQLiteStories:
        """The tables of the stories and attribution stages, on this connection."""
        from recoupe.store.stories import SQLiteStories

        return SQLiteStories(self)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                with suppress(sqlite3.Error):  # best effort: query-planner statistics only
                    self._conn.execute("PRAGMA optimize")
                self._conn.close()
                self._conn = None

    def __enter__(self) -> SQLiteRepository:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- documents -----------------------------------------------------------------------

    def has_content(self, content_hash: str) -> bool:
        with self._transaction("looking up content", write=False) as conn:
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
        with self._transaction("adding documents", write=True) as conn:
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
        with self._transaction("reading a document", write=False) as conn:
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

    def replace_document_text(self, doc: Document) -> None:
        """Overwrite text, removed lines, sentences (and detected language) of ``doc.id``;
        the full-text index follows. NotFoundError if the document is not stored."""
        removed = removed_rows(doc)
        sentences = packed_sentences(doc)
        with self._transaction("replacing a document's text", write=True) as conn:
            cur = conn.execute(
                "UPDATE documents SET text = ?, sentences = ?, language = ?, n_chars = ?, "
                "n_removed = ? WHERE id = ?",
                (doc.text, sentences, doc.language, len(doc.text), len(doc.removed), doc.id),
            )
            if cur.rowcount == 0:
                raise NotFoundError(f"no document with id {doc.id!r}")
            conn.execute("DELETE FROM removed_lines WHERE doc_id = ?", (doc.id,))
            conn.executemany(INSERT_REMOVED, removed)

    def list_documents(self, flt: DocumentFilter | None = None) -> list[DocumentSummary]:
        """Summaries matching ``flt``: newest published first, undated last, then by id.

        ``outlet`` is compared case-insensitively; ``since``/``until`` are inclusive ISO
        prefixes (``until="2022-09"`` includes every date in September 2022) and exclude
        undated documents; ``query`` is FTS5 syntax over title and text, accent-insensitive
        (a malformed query raises UsageError)."""
        flt = flt or DocumentFilter()
        with self._transaction("listing documents", write=False) as conn:
            return self._list(conn, flt, self._matches(conn, flt.query))

    def count_documents(self, flt: DocumentFilter | None = None) -> int:
        """How many documents (matching ``flt``; its limit and offset are ignored)."""
        flt = flt or DocumentFilter()
        with self._transaction("counting documents", write=False) as conn:
            return self._count(conn, flt, self._matches(conn, flt.query))

    def page_documents(
        self, flt: DocumentFilter | None = None
    ) -> tuple[list[DocumentSummary], int, bool]:
        """``list_documents(flt)``, how many documents match, and whether that count is
        exact, from one snapshot (what a paged listing needs).

        The count is exact except where it would cost more than the page itself: a
        full-text query matching many documents combined with other filters (each match
        must be checked against the filters: ~30-50 ms for a word in most of 100k
        articles). Then the count returned is the number of documents the query alone
        matches, an upper bound, and ``exact`` is False."""
        flt = flt or DocumentFilter()
        with self._transaction("listing documents", write=False) as conn:
            matches = self._matches(conn, flt.query)
            rows = self._list(conn, flt, matches)
            if matches is not None and matches > _FTS_DRIVE_MAX and not _only_query(flt):
                return rows, matches, False
            return rows, self._count(conn, flt, matches), True

    def _list(
        self, conn: sqlite3.Connection, flt: DocumentFilter, matches: int | None
    ) -> list[DocumentSummary]:
        if (flt.limit is not None and flt.limit < 0) or flt.offset < 0:
            raise UsageError("limit and offset must not be negative")
        where, params = where_clause(flt, matches is not None and matches > _FTS_DRIVE_MAX)
        params += [-1 if flt.limit is None else flt.limit, flt.offset]
        # SQLite sorts NULL below every value, so "published DESC" puts undated documents
        # last by itself; spelling it out ("published IS NULL, ...") would keep SQLite from
        # walking the published index and make it sort the whole table (~200 ms at 100k).
        sql = (
            f"SELECT {SUMMARY_COLUMNS} FROM documents{where} "
            "ORDER BY published DESC, id LIMIT ? OFFSET ?"
        )
        rows = run_filtered(conn, sql, params, flt.query)
        # Column order of SUMMARY_COLUMNS is the field order of DocumentSummary.
        return [DocumentSummary(r[0], r[1], InputKind(r[2]), *r[3:]) for r in rows]

    def _count(self, conn: sqlite3.Connection, flt: DocumentFilter, matches: int | None) -> int:
        if matches is not None and _only_query(flt):
            return matches
        where, params = where_clause(flt, matches is not None and matches > _FTS_DRIVE_MAX)
        rows = run_filtered(conn, f"SELECT count(*) FROM documents{where}", params, flt.query)
        return int(rows[0][0])

    def _matches(self, conn: sqlite3.Connection, query: str | None) -> int | None:
        """How many documents a full-text query matches (None without a query), read from
        the FTS index alone: no document row is read (a few ms for a word in most of 100k
        articles). Decides how a listing is planned (see ``where_clause``)."""
        if query is None or not query.strip():
            return None
        sql = "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH ?"
        return int(run_filtered(conn, sql, [query], query)[0][0])

    # -- rejections ----------------------------------------------------------------------

    def add_rejections(self, rejections: Sequence[Rejection]) -> int:
        recorded = _utc_now()
        with self._transaction("recording rejections", write=True) as conn:
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
        with self._transaction("listing rejections", write=False) as conn:
            rows = conn.execute(
                "SELECT origin, reason, detail, recorded FROM rejections ORDER BY num LIMIT ?",
                (-1 if limit is None else limit,),
            ).fetchall()
        return [StoredRejection(*r) for r in rows]

    def count_rejections(self) -> int:
        with self._transaction("counting rejections", write=False) as conn:
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
        with self._transaction("recording outlet lines", write=True) as conn:
            self._insert_outlet_lines(conn, outlet, doc_id, line_hashes)

    def outlet_line_counts(self, outlet: str, line_hashes: Iterable[str]) -> Mapping[str, int]:
        """For each given hash seen in ``outlet``, how many distinct documents contain it."""
        key = outlet_key(outlet)
        hashes = list(dict.fromkeys(line_hashes))
        counts: dict[str, int] = {}
        with self._transaction("counting outlet lines", write=False) as conn:
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
        with self._transaction("computing statistics", write=False) as conn:
            row = conn.execute(
                "SELECT count(*), count(DISTINCT language), count(DISTINCT outlet_key), "
                "(SELECT count(*) FROM rejections) FROM documents"
            ).fetchone()
        return {"documents": row[0], "rejections": row[3], "languages": row[1], "outlets": row[2]}

    def language_counts(self) -> dict[str | None, int]:
        """Documents per detected language (``None``: undetermined), most frequent first."""
        with self._transaction("counting languages", write=False) as conn:
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
        with self._transaction("counting outlets", write=False) as conn:
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
