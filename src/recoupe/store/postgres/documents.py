"""The documents of a PostgreSQL store (the ``DocumentStore`` protocol): articles,
rejections and outlet-line evidence. Same behaviour as ``store.documents`` (SQLite);
rows are converted by ``store.rows`` where the encodings are shared."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import psycopg

from recoupe.errors import NotFoundError, StoreError, UsageError
from recoupe.store.base import DocumentListPage, StoredBatch, StoredRejection
from recoupe.store.postgres.database import PostgresDatabase
from recoupe.store.postgres.search import fold, predicate, text_config
from recoupe.store.rows import (
    DOC_COLUMNS,
    SUMMARY_COLUMNS,
    document_from_row,
    document_row,
    outlet_key,
    packed_sentences,
)
from recoupe.store.stemming import words
from recoupe.types import Document, DocumentFilter, DocumentSummary, InputKind, Rejection

MIN_PREFIX = 4
_MAX_CANDIDATES = 10
_HEX = frozenset("0123456789abcdef")
_VECTORS = (
    "to_tsvector('simple', %s), to_tsvector(%s::regconfig, %s) || to_tsvector(%s::regconfig, %s)"
)
# No conflict target: a concurrent writer of the same article (a worker of a cluster)
# may be caught on ``id`` or on ``content_hash`` first; either way it is stored already.
INSERT_DOC = (
    f"INSERT INTO documents ({DOC_COLUMNS}, exact, stems) VALUES "
    f"({', '.join(['%s'] * 23)}, {_VECTORS}) ON CONFLICT DO NOTHING RETURNING id"
)
INSERT_REMOVED = (
    "INSERT INTO removed_lines (doc_id, idx, line_no, text, reason, anchor, is_caption) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s)"
)
_REMOVED = "SELECT doc_id, line_no, text, reason, anchor, is_caption FROM removed_lines"
# A document's data can cause these (text PostgreSQL refuses: NUL characters, a lone
# surrogate; a constraint): worth retrying the batch one document at a time. Anything
# else (server gone, disk full) is the store's own failure.
_DOCUMENT_FAULTS = (
    UnicodeError, ValueError, OverflowError, TypeError, psycopg.DataError,
    psycopg.IntegrityError, psycopg.ProgrammingError, NotFoundError,
)  # fmt: skip
Connection = psycopg.Connection[tuple[Any, ...]]


def _storable(text: str) -> str:
    """``text`` as PostgreSQL can store it: lone surrogates escaped, NUL removed."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text.replace("\x00", "")


def _is_document_fault(exc: BaseException) -> bool:
    return isinstance(exc, _DOCUMENT_FAULTS) or isinstance(exc.__cause__, _DOCUMENT_FAULTS)


def _utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _removed_rows(doc: Document) -> list[tuple[object, ...]]:
    return [
        (doc.id, i, r.line_no, r.text, r.reason, r.anchor, r.is_caption)
        for i, r in enumerate(doc.removed)
    ]


def _search_params(doc: Document, configs: frozenset[str]) -> list[object]:
    """Parameters of ``_VECTORS``: the folded words, then the words to stem as written
    and folded. The words are cut in Python (``stemming.words``, as SQLite's index cuts
    them) and handed over space-separated: the server's parser would keep a URL, a path
    or a hyphenated name as a token of its own ("al-assad", "t.co/x#egypt"), which a
    phrase or a word typed by a user would then miss."""
    found = " ".join(words(f"{doc.meta.title or ''}\n{doc.text}"))
    config = text_config(doc.language, configs)
    return [fold(found), config, found, config, fold(found)]


def _document_row(doc: Document, ingested: str, configs: frozenset[str]) -> list[object]:
    row = list(document_row(doc, ingested)[:23])  # DOC_COLUMNS, not the stems
    row[4] = doc.is_html
    return row + _search_params(doc, configs)


def store_languages(conn: Connection) -> list[str | None]:
    """The languages of the stored articles (None: unknown), from table ``languages``."""
    return [r[0] or None for r in conn.execute("SELECT language FROM languages")]


def _record_languages(conn: Connection, docs: Iterable[Document]) -> None:
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO languages (language) VALUES (%s) ON CONFLICT DO NOTHING",
            [(lang,) for lang in sorted({d.language or "" for d in docs})],
        )


def document_where(
    conn: Connection, flt: DocumentFilter, configs: frozenset[str]
) -> tuple[str, list[object]]:
    """``WHERE ...`` (or ``""``) over documents ``d`` for the filters of ``flt``;
    ``since``/``until`` are inclusive ISO prefixes, as in SQLite."""
    clauses: list[str] = []
    params: list[object] = []
    if flt.language is not None:
        clauses.append("d.language = %s")
        params.append(flt.language.strip().lower())
    if flt.outlet is not None:
        clauses.append("d.outlet_key = %s")
        params.append(outlet_key(flt.outlet))
    if flt.since:
        clauses.append("d.published >= %s")
        params.append(flt.since.strip())
    if flt.until:
        clauses.append("d.published <= %s")
        params.append(flt.until.strip() + "\U0010ffff")
    if flt.ids is not None:
        clauses.append("d.id = ANY(%s)")
        params.append(list(flt.ids))
    if flt.query is not None:
        sql, more = predicate(flt.query, store_languages(conn), configs)
        clauses.append(sql)
        params += more
        prefer_search_indexes(conn)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def prefer_search_indexes(conn: Connection) -> None:
    """Keep the planner off sequential scans for the rest of this read. It does not
    count the cost of reading every row's ``tsvector`` back from TOAST, so for a word in
    a third of the articles it scans the table and checks each vector; the GIN indexes
    answer the same count 40-100 times faster (measured on 2,171 articles: 0.5-1 ms
    instead of 40-57 ms)."""
    conn.execute("SET LOCAL enable_seqscan = off")


class PostgresDocuments:
    """Documents, rejections and outlet lines of one PostgreSQL store."""

    def __init__(self, db: PostgresDatabase) -> None:
        self._db = db

    def has_content(self, content_hash: str) -> bool:
        with self._db.transaction("looking up content", write=False) as conn:
            row = conn.execute(
                "SELECT 1 FROM documents WHERE content_hash = %s", (content_hash,)
            ).fetchone()
        return row is not None

    def add_documents(
        self,
        docs: Sequence[Document],
        outlet_lines: Mapping[str, tuple[str, Iterable[str]]] | None = None,
    ) -> int:
        """Store ``docs`` in one transaction (all or none), skipping those whose content
        is stored (or repeated); ``outlet_lines`` as in ``store.documents``."""
        return len(self._add(docs, outlet_lines or {}))

    def store_documents(
        self,
        docs: Sequence[Document],
        outlet_lines: Mapping[str, tuple[str, Iterable[str]]] | None = None,
    ) -> StoredBatch:
        """``add_documents``; a batch failing because of one document's data is stored
        one document at a time, the bad ones becoming ``store-error`` rejections."""
        lines = outlet_lines or {}
        try:
            ids = self._add(docs, lines)
            return StoredBatch(len(ids), len(docs) - len(ids), (), frozenset(ids))
        except Exception as exc:
            if not _is_document_fault(exc):
                raise
        added: set[str] = set()
        failed = []
        for doc in docs:
            own = {doc.id: lines[doc.id]} if doc.id in lines else {}
            try:
                added |= self._add([doc], own)
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
    ) -> set[str]:
        ingested = _utc_now()
        unique: dict[str, Document] = {}
        for doc in docs:
            unique.setdefault(doc.content_hash, doc)
        configs = self._db.configs
        rows = [_document_row(doc, ingested, configs) for doc in unique.values()]
        with self._db.transaction("adding documents", write=True) as conn, conn.cursor() as cur:
            added: set[str] = set()
            if rows:
                cur.executemany(INSERT_DOC, rows, returning=True)
                while True:
                    found = cur.fetchone()
                    if found is not None:
                        added.add(found[0])
                    if not cur.nextset():
                        break
            _record_languages(conn, (d for d in unique.values() if d.id in added))
            removed = [r for doc in unique.values() if doc.id in added for r in _removed_rows(doc)]
            if removed:
                cur.executemany(INSERT_REMOVED, removed)
            for doc_id, (outlet, hashes) in outlet_lines.items():
                self._insert_outlet_lines(conn, outlet, doc_id, hashes)
        return added

    def get_document(self, id_or_prefix: str) -> Document:
        """The document whose id (past 16 characters: content hash) starts with
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
                    f"SELECT id FROM documents WHERE {column} LIKE %s ORDER BY id LIMIT %s",
                    (prefix + "%", _MAX_CANDIDATES + 1),
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
        return self.get_documents(ids)[ids[0]]

    def get_documents(self, ids: Sequence[str]) -> dict[str, Document]:
        """Whole documents by exact id, in one snapshot (unknown ids are absent)."""
        wanted = list(ids)
        with self._db.transaction("reading documents", write=False) as conn:
            rows = conn.execute(
                f"SELECT {DOC_COLUMNS} FROM documents WHERE id = ANY(%s)", (wanted,)
            ).fetchall()
            removed: dict[str, list[tuple[object, ...]]] = {}
            for doc_id, *rest in conn.execute(
                f"{_REMOVED} WHERE doc_id = ANY(%s) ORDER BY doc_id, idx", (wanted,)
            ):
                removed.setdefault(doc_id, []).append(tuple(rest))
        return {row[0]: document_from_row(row, removed.get(row[0], [])) for row in rows}

    def document_ids(self, batch: int = 1000) -> Iterator[list[str]]:
        """Every document id in ingestion order, ``batch`` at a time (keyset paging)."""
        last = 0
        while True:
            with self._db.transaction("listing document ids", write=False) as conn:
                rows = conn.execute(
                    "SELECT num, id FROM documents WHERE num > %s ORDER BY num LIMIT %s",
                    (last, batch),
                ).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            yield [r[1] for r in rows]

    def replace_document_text(self, doc: Document) -> None:
        """Overwrite text, removed lines, sentences and language of ``doc.id`` (the
        search vectors follow). NotFoundError if the document is not stored."""
        vectors = _search_params(doc, self._db.configs)
        with self._db.transaction("replacing a document's text", write=True) as conn:
            cur = conn.execute(
                "UPDATE documents SET text = %s, sentences = %s, language = %s, n_chars = %s, "
                "n_removed = %s, exact = to_tsvector('simple', %s), "
                "stems = to_tsvector(%s::regconfig, %s) || to_tsvector(%s::regconfig, %s) "
                "WHERE id = %s",
                (doc.text, packed_sentences(doc), doc.language, len(doc.text), len(doc.removed),
                 *vectors, doc.id),
            )  # fmt: skip
            if cur.rowcount == 0:
                raise NotFoundError(f"no document with id {doc.id!r}")
            _record_languages(conn, [doc])
            conn.execute("DELETE FROM removed_lines WHERE doc_id = %s", (doc.id,))
            with conn.cursor() as c:
                c.executemany(INSERT_REMOVED, _removed_rows(doc))

    def list_documents(self, flt: DocumentFilter | None = None) -> list[DocumentSummary]:
        """Summaries matching ``flt``: newest published first, undated last, then by id."""
        flt = flt or DocumentFilter()
        with self._db.transaction("listing documents", write=False) as conn:
            return self._list(conn, flt)

    def count_documents(self, flt: DocumentFilter | None = None) -> int:
        flt = flt or DocumentFilter()
        with self._db.transaction("counting documents", write=False) as conn:
            return self._count(conn, flt)

    def page_documents(self, flt: DocumentFilter | None = None) -> DocumentListPage:
        """A page and its exact count, from one snapshot (GIN indexes count any query)."""
        flt = flt or DocumentFilter()
        with self._db.transaction("listing documents", write=False) as conn:
            return DocumentListPage(self._list(conn, flt), self._count(conn, flt), True)

    def _list(self, conn: Connection, flt: DocumentFilter) -> list[DocumentSummary]:
        if (flt.limit is not None and flt.limit < 0) or flt.offset < 0:
            raise UsageError("limit and offset must not be negative")
        where, params = document_where(conn, flt, self._db.configs)
        columns = ", ".join(f"d.{c.strip()}" for c in SUMMARY_COLUMNS.split(","))
        rows = conn.execute(
            f"SELECT {columns} FROM documents d{where} "
            "ORDER BY d.published DESC NULLS LAST, d.id LIMIT %s OFFSET %s",
            [*params, flt.limit, flt.offset],
        ).fetchall()
        return [DocumentSummary(r[0], r[1], InputKind(r[2]), *r[3:]) for r in rows]

    def _count(self, conn: Connection, flt: DocumentFilter) -> int:
        where, params = document_where(conn, flt, self._db.configs)
        row = conn.execute(f"SELECT count(*) FROM documents d{where}", params).fetchone()
        return int(row[0]) if row else 0

    # -- rejections ----------------------------------------------------------------------

    def add_rejections(self, rejections: Sequence[Rejection]) -> int:
        recorded = _utc_now()
        rows = [(_storable(r.origin), _storable(r.reason), _storable(r.detail), recorded)
                for r in rejections]  # fmt: skip
        with self._db.transaction("recording rejections", write=True) as conn:
            added = 0
            for row in rows:
                cur = conn.execute(
                    "INSERT INTO rejections (origin, reason, detail, recorded) "
                    "VALUES (%s, %s, %s, %s) ON CONFLICT (origin, reason) DO NOTHING",
                    row,
                )
                added += cur.rowcount
            return added

    def list_rejections(self, limit: int | None = None) -> list[StoredRejection]:
        """Rejections in the order they were first recorded."""
        with self._db.transaction("listing rejections", write=False) as conn:
            rows = conn.execute(
                "SELECT origin, reason, detail, recorded FROM rejections ORDER BY num LIMIT %s",
                (limit,),
            ).fetchall()
        return [StoredRejection(*r) for r in rows]

    def count_rejections(self) -> int:
        with self._db.transaction("counting rejections", write=False) as conn:
            row = conn.execute("SELECT count(*) FROM rejections").fetchone()
        return int(row[0]) if row else 0

    # -- outlet boilerplate evidence -----------------------------------------------------

    def _insert_outlet_lines(
        self, conn: Connection, outlet: str, doc_id: str, hashes: Iterable[str]
    ) -> None:
        if conn.execute("SELECT 1 FROM documents WHERE id = %s", (doc_id,)).fetchone() is None:
            raise NotFoundError(f"outlet lines given for document {doc_id!r}, which is not stored")
        key = outlet_key(outlet)
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO outlet_lines (outlet, line_hash, doc_id) VALUES (%s, %s, %s) "
                "ON CONFLICT DO NOTHING",
                [(key, h, doc_id) for h in dict.fromkeys(hashes)],
            )

    def add_outlet_lines(self, outlet: str, doc_id: str, line_hashes: Iterable[str]) -> None:
        with self._db.transaction("recording outlet lines", write=True) as conn:
            self._insert_outlet_lines(conn, outlet, doc_id, line_hashes)

    def outlet_line_counts(self, outlet: str, line_hashes: Iterable[str]) -> Mapping[str, int]:
        """For each given hash seen in ``outlet``, how many distinct documents contain it."""
        hashes = list(dict.fromkeys(line_hashes))
        with self._db.transaction("counting outlet lines", write=False) as conn:
            rows = conn.execute(
                "SELECT line_hash, count(*) FROM outlet_lines WHERE outlet = %s "
                "AND line_hash = ANY(%s) GROUP BY line_hash",
                (outlet_key(outlet), hashes),
            ).fetchall()
        return {h: int(n) for h, n in rows}

    # -- summary -------------------------------------------------------------------------

    def stats(self) -> dict[str, int]:
        with self._db.transaction("computing statistics", write=False) as conn:
            row = conn.execute(
                "SELECT count(*), count(DISTINCT language), count(DISTINCT outlet_key), "
                "(SELECT count(*) FROM rejections) FROM documents"
            ).fetchone()
        if row is None:
            raise StoreError("computing statistics failed: no row")
        return {"documents": row[0], "rejections": row[3], "languages": row[1], "outlets": row[2]}

    def language_counts(self) -> dict[str | None, int]:
        """Documents per detected language (None: undetermined), most frequent first."""
        with self._db.transaction("counting languages", write=False) as conn:
            rows = conn.execute(
                "SELECT language, count(*) AS n FROM documents GROUP BY language "
                "ORDER BY n DESC, language NULLS FIRST"
            ).fetchall()
        return {lang: int(n) for lang, n in rows}

    def outlet_counts(self) -> dict[str, int]:
        """Documents per outlet, most frequent first; spellings differing by case count
        as one, shown with one stored spelling."""
        with self._db.transaction("counting outlets", write=False) as conn:
            rows = conn.execute(
                "SELECT min(outlet), count(*) AS n FROM documents WHERE outlet_key IS NOT NULL "
                "GROUP BY outlet_key ORDER BY n DESC, outlet_key"
            ).fetchall()
        return {outlet: int(n) for outlet, n in rows}
