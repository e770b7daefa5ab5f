"""Conversions between records (recoupe.types) and rows of the SQLite schema.

Kept apart from the repository so the encoding decisions (compressed raw, packed
sentences, case-folded outlet key, listing filters) are in one small, testable place.
"""

from __future__ import annotations

import json
import struct
import zlib
from collections.abc import Iterable, Sequence
from typing import Any

from recoupe.errors import StoreError
from recoupe.store.fts import Search
from recoupe.store.stemming import stems_of
from recoupe.types import Document, DocumentFilter, InputKind, Metadata, RemovedLine, Sentence

DOC_COLUMNS = (
    "id, content_hash, origin, kind, is_html, url, outlet, outlet_key, title, author, "
    "published, fetched, language_declared, language, n_chars, n_removed, ingested, raw, "
    "text, sentences, published_precision, published_source, outlet_source"
)
INSERT_DOC = (
    f"INSERT INTO documents ({DOC_COLUMNS}, stems) VALUES ({', '.join('?' * 24)})"
)
INSERT_REMOVED = (
    "INSERT INTO removed_lines (doc_id, idx, line_no, text, reason, anchor, is_caption) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)
# Same order as the fields of DocumentSummary.
SUMMARY_COLUMNS = (
    "id, origin, kind, title, outlet, published, language, n_chars, n_removed, ingested"
)


def outlet_key(outlet: str) -> str:
    """How outlets are compared: trimmed and case-folded for every script
    (``"Le Monde"`` = ``"LE MONDE"``; SQLite's NOCASE would only fold ASCII)."""
    return outlet.strip().casefold()


def pack_sentences(sentences: Sequence[Sentence]) -> bytes:
    """Sentences as little-endian uint32 ``start, end`` pairs (see schema.py for why)."""
    flat = [x for s in sentences for x in (s.start, s.end)]
    return struct.pack(f"<{len(flat)}I", *flat)


def unpack_sentences(blob: bytes) -> tuple[Sentence, ...]:
    flat = struct.unpack(f"<{len(blob) // 4}I", blob)
    return tuple(Sentence(flat[i], flat[i + 1]) for i in range(0, len(flat), 2))


def removed_rows(doc: Document) -> list[tuple[object, ...]]:
    """Rows of ``removed_lines``; ``idx`` keeps the tuple order (line numbers may repeat)."""
    return [
        (doc.id, i, r.line_no, r.text, r.reason, r.anchor, int(r.is_caption))
        for i, r in enumerate(doc.removed)
    ]


def packed_sentences(doc: Document) -> bytes:
    try:
        return pack_sentences(doc.sentences)
    except struct.error as exc:
        raise StoreError(f"document {doc.id}: sentence offsets out of range") from exc


def document_row(doc: Document, ingested: str) -> tuple[object, ...]:
    """The ``documents`` row of ``doc``, in ``DOC_COLUMNS`` order, then ``stems``."""
    m = doc.meta
    raw = zlib.compress(doc.raw.encode("utf-8", "surrogatepass"))
    key = None if m.outlet is None else outlet_key(m.outlet)
    return (
        doc.id, doc.content_hash, doc.origin, doc.kind.value, int(doc.is_html), m.url,
        m.outlet, key, m.title, m.author, m.published, m.fetched, m.language, doc.language,
        len(doc.text), len(doc.removed), ingested, raw, doc.text, packed_sentences(doc),
        m.published_precision, m.published_source, m.outlet_source, document_stems(doc),
    )  # fmt: skip


def document_stems(doc: Document) -> str:
    """The ``stems`` column of ``doc`` (title and text, see ``store.stemming``)."""
    return stems_of(f"{doc.meta.title or ''}\n{doc.text}", doc.language)


def document_from_row(row: Sequence[Any], removed: Iterable[Sequence[Any]]) -> Document:
    """Inverse of ``document_row`` + ``removed_rows``."""
    (doc_id, content_hash, origin, kind, is_html, url, outlet, _key, title, author,
     published, fetched, declared, language, _n_chars, _n_removed, _ingested, raw, text,
     sentences, precision, published_source, outlet_source) = row  # fmt: skip
    meta = Metadata(
        url=url,
        outlet=outlet,
        title=title,
        author=author,
        published=published,
        fetched=fetched,
        language=declared,
        published_precision=precision,
        published_source=published_source,
        outlet_source=outlet_source,
    )
    return Document(
        id=doc_id,
        content_hash=content_hash,
        origin=origin,
        kind=InputKind(kind),
        meta=meta,
        raw=zlib.decompress(raw).decode("utf-8", "surrogatepass"),
        is_html=bool(is_html),
        text=text,
        removed=tuple(
            RemovedLine(line_no=r[0], text=r[1], reason=r[2], anchor=r[3], is_caption=bool(r[4]))
            for r in removed
        ),
        language=language,
        sentences=unpack_sentences(sentences),
    )


def where_clause(
    flt: DocumentFilter, search: Search | None = None, fts_as_filter: bool = False,
    fts_probe: bool = False,
) -> tuple[str, list[Any]]:  # fmt: skip
    """``WHERE ...`` (or ``""``) and its parameters for the filters of ``flt``.

    ``since``/``until`` are inclusive ISO prefixes: ``until="2022-09"`` keeps every date in
    September 2022 (U+10FFFF sorts after any character that can follow the prefix).

    ``fts_as_filter``: when a full-text query matches many documents, reading them all
    through the FTS result and sorting them is slow (100k articles, a word in 80% of them:
    ~170 ms); walking an index in listing order and keeping the matches finds a page in
    ~20 ms. The unary ``+`` stops SQLite from driving the query by the FTS result.

    ``fts_probe``: when the query matches most documents and one short page is wanted,
    even reading the matches into a list costs more (~25-35 ms for a word in 97% of
    100k articles) than asking the index about each row walked (~0.1 ms each: ~5 ms
    for a first page); the caller weighs the two (``documents._probes``)."""
    clauses: list[str] = []
    params: list[Any] = []
    if flt.language is not None:
        clauses.append("language = ?")
        params.append(flt.language.strip().lower())
    if flt.outlet is not None:
        clauses.append("outlet_key = ?")
        params.append(outlet_key(flt.outlet))
    if flt.since:
        clauses.append("published >= ?")
        params.append(flt.since.strip())
    if flt.until:
        clauses.append("published <= ?")
        params.append(flt.until.strip() + "\U0010ffff")
    if flt.ids is not None:
        clauses.append("id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(list(flt.ids)))
    if search is not None and fts_probe:
        clauses.append("EXISTS (SELECT 1 FROM documents_fts WHERE documents_fts MATCH ? "
                       "AND documents_fts.rowid = documents.num)")  # fmt: skip
        params.append(search.expression)
    elif search is not None:
        column = "+num" if fts_as_filter else "num"
        clauses.append(f"{column} IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)")
        params.append(search.expression)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params
