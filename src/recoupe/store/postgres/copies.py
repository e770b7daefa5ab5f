"""PostgreSQL tables of the copies stage (the ``CopiesStore`` protocol): signatures,
near-duplicate pairs, reuse links and origin groups. Same behaviour as
``store.copies`` (SQLite); arrays are ``bytea``, writes are upserts."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

from recoupe.store.base import fold_origin_groups
from recoupe.store.postgres.database import PostgresDatabase
from recoupe.types import NearDuplicate, OriginGroup, ReuseKind, ReuseLink, Span


def _ordered(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


class PostgresCopies:
    """The copies tables of one PostgreSQL store."""

    def __init__(self, db: PostgresDatabase) -> None:
        self._db = db

    def ids_without_signature(self) -> list[str]:
        with self._db.transaction("listing unsigned documents", write=False) as conn:
            rows = conn.execute(
                "SELECT d.id FROM documents d LEFT JOIN signatures s ON s.doc_id = d.id "
                "WHERE s.doc_id IS NULL ORDER BY d.num"
            ).fetchall()
        return [r[0] for r in rows]

    def put_signatures(self, sigs: Mapping[str, bytes]) -> None:
        with self._db.transaction("storing signatures", write=True) as conn, conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO signatures (doc_id, sig) VALUES (%s, %s) "
                "ON CONFLICT (doc_id) DO UPDATE SET sig = excluded.sig",
                list(sigs.items()),
            )

    def iter_signatures(self, batch: int = 10_000) -> Iterator[list[tuple[str, bytes]]]:
        """Every stored signature in ingestion order, ``batch`` at a time (keyset paging)."""
        last = 0
        while True:
            with self._db.transaction("reading signatures", write=False) as conn:
                rows = conn.execute(
                    "SELECT d.num, s.doc_id, s.sig FROM signatures s JOIN documents d "
                    "ON d.id = s.doc_id WHERE d.num > %s ORDER BY d.num LIMIT %s",
                    (last, batch),
                ).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            yield [(r[1], bytes(r[2])) for r in rows]

    def put_near_duplicates(self, pairs: Iterable[NearDuplicate]) -> None:
        rows = [(*_ordered(p.a, p.b), p.jaccard, p.exact) for p in pairs]
        with self._db.transaction("storing near-duplicates", write=True) as conn:
            conn.cursor().executemany(
                "INSERT INTO near_duplicates (a, b, jaccard, exact) VALUES (%s, %s, %s, %s) "
                "ON CONFLICT (a, b) DO UPDATE SET jaccard = excluded.jaccard, "
                "exact = excluded.exact",
                rows,
            )

    def near_duplicates(self, doc_ids: Sequence[str] | None = None) -> list[NearDuplicate]:
        sql = "SELECT a, b, jaccard, exact FROM near_duplicates"
        with self._db.transaction("reading near-duplicates", write=False) as conn:
            if doc_ids is None:
                rows = conn.execute(sql + " ORDER BY a, b").fetchall()
            else:
                ids = list(doc_ids)
                rows = conn.execute(
                    f"{sql} WHERE a = ANY(%s) OR b = ANY(%s) ORDER BY a, b", (ids, ids)
                ).fetchall()
        return [NearDuplicate(a, b, jaccard, bool(exact)) for a, b, jaccard, exact in rows]

    def aligned_pairs(self, model: str) -> set[tuple[str, str]]:
        with self._db.transaction("reading aligned pairs", write=False) as conn:
            rows = conn.execute("SELECT a, b FROM aligned_pairs WHERE model = %s", (model,))
            return {(a, b) for a, b in rows}

    def put_alignments(
        self, model: str, alignments: Mapping[tuple[str, str], Sequence[ReuseLink]]
    ) -> None:
        """Store the links of aligned pairs (replacing earlier alignments of them), in one
        transaction; links are stored with the pair in id order."""
        pairs, rows = [], []
        for (a, b), links in alignments.items():
            first, second = _ordered(a, b)
            pairs.append((first, second, model, len(links)))
            for link in links:
                x, y = (link.a, link.b) if link.a.doc_id == first else (link.b, link.a)
                rows.append(
                    (first, x.start, x.end, second, y.start, y.end, link.kind.value, link.score)
                )
        with self._db.transaction("storing alignments", write=True) as conn, conn.cursor() as cur:
            if pairs:
                cur.executemany(
                    "DELETE FROM aligned_pairs WHERE a = %s AND b = %s", [p[:2] for p in pairs]
                )
                cur.executemany(
                    "INSERT INTO aligned_pairs (a, b, model, n_links) VALUES (%s, %s, %s, %s)",
                    pairs,
                )
            if rows:
                cur.executemany(
                    "INSERT INTO reuse_links VALUES (%s, %s, %s, %s, %s, %s, %s, %s) "
                    "ON CONFLICT (a, b, a_start, b_start) DO UPDATE SET a_end = excluded.a_end, "
                    "b_end = excluded.b_end, kind = excluded.kind, score = excluded.score",
                    rows,
                )

    def reuse_links(self, doc_id: str | None = None, other: str | None = None) -> list[ReuseLink]:
        """Links of the whole store, of one document, or of one pair."""
        sql = "SELECT a, a_start, a_end, b, b_start, b_end, kind, score FROM reuse_links"
        args: tuple[str, ...] = ()
        if doc_id and other:
            sql += " WHERE a = %s AND b = %s"
            args = _ordered(doc_id, other)
        elif doc_id:
            sql += " WHERE a = %s OR b = %s"
            args = (doc_id, doc_id)
        with self._db.transaction("reading reuse links", write=False) as conn:
            rows = conn.execute(sql + " ORDER BY a, b, a_start", args).fetchall()
        return [
            ReuseLink(Span(a, a0, a1), Span(b, b0, b1), ReuseKind(kind), score)
            for a, a0, a1, b, b0, b1, kind, score in rows
        ]

    def linked_documents(self) -> list[str]:
        with self._db.transaction("listing linked documents", write=False) as conn:
            rows = conn.execute(
                "SELECT a FROM reuse_links UNION SELECT b FROM reuse_links "
                "UNION SELECT a FROM near_duplicates UNION SELECT b FROM near_duplicates "
                "ORDER BY 1"
            ).fetchall()
        return [r[0] for r in rows]

    def forget_document(self, doc_id: str) -> None:
        with self._db.transaction("forgetting derived data", write=True) as conn:
            for table in ("signatures", "origin_groups"):
                conn.execute(f"DELETE FROM {table} WHERE doc_id = %s", (doc_id,))
            conn.execute("DELETE FROM aligned_pairs WHERE a = %s OR b = %s", (doc_id, doc_id))
            conn.execute("DELETE FROM near_duplicates WHERE a = %s OR b = %s", (doc_id, doc_id))

    def put_origin_groups(self, groups: Iterable[OriginGroup], covering: Iterable[str]) -> None:
        """Replace the groups with a member in ``covering`` by ``groups``."""
        covered = sorted(set(covering))
        rows = [(m, g.id, g.root, g.direction) for g in groups for m in g.members]
        with self._db.transaction("storing origin groups", write=True) as conn:
            conn.execute(
                "DELETE FROM origin_groups WHERE group_id IN (SELECT group_id FROM "
                "origin_groups WHERE doc_id = ANY(%s))",
                (covered,),
            )
            with conn.cursor() as cur:
                cur.executemany("INSERT INTO origin_groups VALUES (%s, %s, %s, %s)", rows)

    def origin_groups(self) -> list[OriginGroup]:
        with self._db.transaction("reading origin groups", write=False) as conn:
            rows = conn.execute(
                "SELECT group_id, doc_id, root, direction FROM origin_groups "
                "ORDER BY group_id, doc_id"
            ).fetchall()
        return fold_origin_groups(rows)

    def origin_group_of(self, doc_id: str) -> OriginGroup | None:
        found = self.origin_groups_of([doc_id])
        return found[0] if found else None

    def origin_groups_of(self, doc_ids: Sequence[str]) -> list[OriginGroup]:
        with self._db.transaction("reading origin groups", write=False) as conn:
            rows = conn.execute(
                "SELECT group_id, doc_id, root, direction FROM origin_groups WHERE group_id "
                "IN (SELECT group_id FROM origin_groups WHERE doc_id = ANY(%s)) "
                "ORDER BY group_id, doc_id",
                (list(doc_ids),),
            ).fetchall()
        return fold_origin_groups(rows)

    def origin_group(self, group_id: str) -> OriginGroup | None:
        with self._db.transaction("reading an origin group", write=False) as conn:
            rows = conn.execute(
                "SELECT doc_id, root, direction FROM origin_groups WHERE group_id = %s "
                "ORDER BY doc_id",
                (group_id,),
            ).fetchall()
        if not rows:
            return None
        return OriginGroup(group_id, tuple(r[0] for r in rows), rows[0][1], rows[0][2])
