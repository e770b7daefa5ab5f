"""SQLite tables of the copies stage: MinHash signatures, near-duplicate pairs, sentence
reuse links and origin groups (schema version 2; encoder vectors live in the store-wide
``text_vectors`` cache, see ``pipeline.vectors``).

All of it is derived from documents and can be recomputed; each write is one transaction
so an interrupted ``recoupe copies`` resumes where it stopped. Arrays arrive as bytes (the
pipeline serialises them) so the store does not depend on numpy.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

from recoupe.store.base import fold_origin_groups
from recoupe.store.database import SQLiteDatabase
from recoupe.types import NearDuplicate, OriginGroup, ReuseKind, ReuseLink, Span

_CHUNK = 500  # ids per IN (...) clause, under SQLite's variable limit


def _chunks(ids: Sequence[str]) -> Iterable[Sequence[str]]:
    for lo in range(0, len(ids), _CHUNK):
        yield ids[lo : lo + _CHUNK]


def _ordered(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


class SQLiteCopies:
    """The copies tables of one SQLite store."""

    def __init__(self, db: SQLiteDatabase) -> None:
        self._db = db

    # -- signatures and vectors -------------------------------------------------------

    def ids_without_signature(self) -> list[str]:
        with self._db.transaction("listing unsigned documents", write=False) as conn:
            rows = conn.execute(
                "SELECT d.id FROM documents d LEFT JOIN signatures s ON s.doc_id = d.id "
                "WHERE s.doc_id IS NULL ORDER BY d.num"
            ).fetchall()
        return [r[0] for r in rows]

    def put_signatures(self, sigs: Mapping[str, bytes]) -> None:
        with self._db.transaction("storing signatures", write=True) as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO signatures (doc_id, sig) VALUES (?, ?)", sigs.items()
            )

    def iter_signatures(self, batch: int = 10_000) -> Iterator[list[tuple[str, bytes]]]:
        """Every stored signature in ingestion order, ``batch`` at a time (keyset paging)."""
        last = 0
        while True:
            with self._db.transaction("reading signatures", write=False) as conn:
                rows = conn.execute(
                    "SELECT d.num, s.doc_id, s.sig FROM signatures s "
                    "JOIN documents d ON d.id = s.doc_id WHERE d.num > ? ORDER BY d.num LIMIT ?",
                    (last, batch),
                ).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            yield [(r[1], bytes(r[2])) for r in rows]

    # -- near-duplicates ---------------------------------------------------------------

    def put_near_duplicates(self, pairs: Iterable[NearDuplicate]) -> None:
        rows = [(*_ordered(p.a, p.b), p.jaccard, int(p.exact)) for p in pairs]
        with self._db.transaction("storing near-duplicates", write=True) as conn:
            conn.executemany("INSERT OR REPLACE INTO near_duplicates VALUES (?, ?, ?, ?)", rows)

    def near_duplicates(self, doc_ids: Sequence[str] | None = None) -> list[NearDuplicate]:
        sql = "SELECT a, b, jaccard, exact FROM near_duplicates"
        with self._db.transaction("reading near-duplicates", write=False) as conn:
            if doc_ids is None:
                rows = conn.execute(sql + " ORDER BY a, b").fetchall()
            else:
                found = set()
                for chunk in _chunks(list(doc_ids)):
                    marks = ",".join("?" * len(chunk))
                    found.update(conn.execute(
                        f"{sql} WHERE a IN ({marks}) OR b IN ({marks})", (*chunk, *chunk)
                    ).fetchall())  # fmt: skip
                rows = sorted(found)
        return [NearDuplicate(a, b, jaccard, bool(exact)) for a, b, jaccard, exact in rows]

    # -- alignments --------------------------------------------------------------------

    def aligned_pairs(self, model: str) -> set[tuple[str, str]]:
        with self._db.transaction("reading aligned pairs", write=False) as conn:
            rows = conn.execute("SELECT a, b FROM aligned_pairs WHERE model = ?", (model,))
            return {(a, b) for a, b in rows}

    def put_alignments(
        self, model: str, alignments: Mapping[tuple[str, str], Sequence[ReuseLink]]
    ) -> None:
        """Store the links of aligned pairs (replacing earlier alignments of them), in one
        transaction. Links are stored with the pair in id order, whichever side they came
        from."""
        pairs, rows = [], []
        for (a, b), links in alignments.items():
            first, second = _ordered(a, b)
            pairs.append((first, second, model, len(links)))
            for link in links:
                x, y = (link.a, link.b) if link.a.doc_id == first else (link.b, link.a)
                rows.append(
                    (first, x.start, x.end, second, y.start, y.end, link.kind.value, link.score)
                )
        with self._db.transaction("storing alignments", write=True) as conn:
            conn.executemany(
                "DELETE FROM aligned_pairs WHERE a = ? AND b = ?", [p[:2] for p in pairs]
            )
            conn.executemany(
                "INSERT INTO aligned_pairs (a, b, model, n_links) VALUES (?, ?, ?, ?)", pairs
            )
            conn.executemany("INSERT OR REPLACE INTO reuse_links VALUES (?,?,?,?,?,?,?,?)", rows)

    def reuse_links(self, doc_id: str | None = None, other: str | None = None) -> list[ReuseLink]:
        """Links of the whole store, of one document, or of one pair."""
        sql = "SELECT a, a_start, a_end, b, b_start, b_end, kind, score FROM reuse_links"
        args: tuple[str, ...] = ()
        if doc_id and other:
            sql += " WHERE a = ? AND b = ?"
            args = _ordered(doc_id, other)
        elif doc_id:
            sql += " WHERE a = ? OR b = ?"
            args = (doc_id, doc_id)
        sql += " ORDER BY a, b, a_start"
        with self._db.transaction("reading reuse links", write=False) as conn:
            rows = conn.execute(sql, args).fetchall()
        return [
            ReuseLink(Span(a, a0, a1), Span(b, b0, b1), ReuseKind(kind), score)
            for a, a0, a1, b, b0, b1, kind, score in rows
        ]

    def linked_documents(self) -> list[str]:
        """Documents with at least one reuse link or near-duplicate, in id order."""
        with self._db.transaction("listing linked documents", write=False) as conn:
            rows = conn.execute(
                "SELECT a FROM reuse_links UNION SELECT b FROM reuse_links "
                "UNION SELECT a FROM near_duplicates UNION SELECT b FROM near_duplicates "
                "ORDER BY 1"
            ).fetchall()
        return [r[0] for r in rows]

    def forget_document(self, doc_id: str) -> None:
        """Drop what was derived from a document's text (its text changed)."""
        with self._db.transaction("forgetting derived data", write=True) as conn:
            for table in ("signatures", "origin_groups"):
                conn.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc_id,))
            conn.execute("DELETE FROM aligned_pairs WHERE a = ? OR b = ?", (doc_id, doc_id))
            conn.execute("DELETE FROM near_duplicates WHERE a = ? OR b = ?", (doc_id, doc_id))

    # -- origin groups -----------------------------------------------------------------

    def put_origin_groups(self, groups: Iterable[OriginGroup], covering: Iterable[str]) -> None:
        """Replace the groups with a member in ``covering`` by ``groups``."""
        covered = sorted(set(covering))
        rows = [(m, g.id, g.root, g.direction) for g in groups for m in g.members]
        with self._db.transaction("storing origin groups", write=True) as conn:
            for chunk in _chunks(covered):
                marks = ",".join("?" * len(chunk))
                conn.execute(
                    "DELETE FROM origin_groups WHERE group_id IN (SELECT group_id FROM "
                    f"origin_groups WHERE doc_id IN ({marks}))",
                    tuple(chunk),
                )
            conn.executemany("INSERT INTO origin_groups VALUES (?, ?, ?, ?)", rows)

    def origin_groups(self) -> list[OriginGroup]:
        with self._db.transaction("reading origin groups", write=False) as conn:
            rows = conn.execute(
                "SELECT group_id, doc_id, root, direction FROM origin_groups "
                "ORDER BY group_id, doc_id"
            ).fetchall()
        return fold_origin_groups(rows)

    def origin_group_of(self, doc_id: str) -> OriginGroup | None:
        """The origin group ``doc_id`` belongs to, if any (one page needs one group, not
        all of them)."""
        found = self.origin_groups_of([doc_id])
        return found[0] if found else None

    def origin_groups_of(self, doc_ids: Sequence[str]) -> list[OriginGroup]:
        rows: list[tuple[str, str, str | None, str]] = []
        with self._db.transaction("reading origin groups", write=False) as conn:
            for chunk in _chunks(sorted(set(doc_ids))):
                marks = ",".join("?" * len(chunk))
                rows += conn.execute(
                    "SELECT group_id, doc_id, root, direction FROM origin_groups WHERE "
                    f"group_id IN (SELECT group_id FROM origin_groups WHERE doc_id IN ({marks}))",
                    tuple(chunk),
                ).fetchall()
        return fold_origin_groups(sorted(set(rows), key=lambda r: (r[0], r[1])))

    def origin_group(self, group_id: str) -> OriginGroup | None:
        """One origin group by id, or None."""
        with self._db.transaction("reading an origin group", write=False) as conn:
            rows = conn.execute(
                "SELECT doc_id, root, direction FROM origin_groups WHERE group_id = ? "
                "ORDER BY doc_id",
                (group_id,),
            ).fetchall()
        if not rows:
            return None
        return OriginGroup(group_id, tuple(r[0] for r in rows), rows[0][1], rows[0][2])
