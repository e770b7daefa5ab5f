"""PostgreSQL tables of the stories and attribution stages (the ``StoriesStore``
protocol): the text-vector cache, entities per article, the clustering stream, story
rows and attribution analyses. Same behaviour as ``store.stories`` (SQLite)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import psycopg

from recoupe.store import analyses as codec
from recoupe.store.base import LeadRow, StoryListPage, StreamEntry
from recoupe.store.postgres.database import PostgresDatabase
from recoupe.store.postgres.documents import prefer_search_indexes, store_languages
from recoupe.store.postgres.search import predicate
from recoupe.store.rows import outlet_key
from recoupe.types import Analysis, Attribution, Entity, Story, StoryFilter

Connection = psycopg.Connection[tuple[Any, ...]]
_COLUMNS = "s.id, s.title, s.first_day, s.last_day, s.languages, s.outlets, s.entities, s.topic_id"
_ORDER = " ORDER BY s.last_day DESC NULLS LAST, s.n_articles DESC, s.id"
_MEMBERS_OF = "SELECT m.story_id FROM story_members m JOIN documents d ON d.id = m.doc_id WHERE "


class PostgresStories:
    """The stories, entities and analyses tables of one PostgreSQL store."""

    def __init__(self, db: PostgresDatabase) -> None:
        self._db = db

    # -- vector cache ------------------------------------------------------------------

    def get_text_vectors(self, keys: Sequence[str]) -> dict[str, bytes]:
        with self._db.transaction("reading cached vectors", write=False) as conn:
            rows = conn.execute(
                "SELECT key, data FROM text_vectors WHERE key = ANY(%s)", (list(keys),)
            ).fetchall()
        return {k: bytes(v) for k, v in rows}

    def put_text_vectors(self, data: Mapping[str, bytes]) -> None:
        with self._db.transaction("caching vectors", write=True) as conn, conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO text_vectors (key, data) VALUES (%s, %s) "
                "ON CONFLICT (key) DO UPDATE SET data = excluded.data",
                list(data.items()),
            )

    # -- entities ----------------------------------------------------------------------

    def ids_without_entities(self, model: str) -> list[str]:
        with self._db.transaction("listing articles to analyse", write=False) as conn:
            rows = conn.execute(
                "SELECT d.id FROM documents d LEFT JOIN entity_runs r ON r.doc_id = d.id "
                "AND r.model = %s WHERE r.doc_id IS NULL ORDER BY d.num",
                (model,),
            ).fetchall()
        return [r[0] for r in rows]

    def _put_entities(
        self, tables: tuple[str, str], model: str, entities: Mapping[str, Sequence[Entity]]
    ) -> None:
        rows = [(d, e.key, e.label, e.surface, e.count) for d, es in entities.items() for e in es]
        table, runs = tables
        with self._db.transaction("storing entities", write=True) as conn, conn.cursor() as cur:
            cur.execute(f"DELETE FROM {table} WHERE doc_id = ANY(%s)", (list(entities),))
            cur.executemany(f"INSERT INTO {table} VALUES (%s, %s, %s, %s, %s)", rows)
            cur.executemany(
                f"INSERT INTO {runs} (doc_id, model) VALUES (%s, %s) "
                "ON CONFLICT (doc_id) DO UPDATE SET model = excluded.model",
                [(d, model) for d in entities],
            )

    def _entities_of(self, table: str, ids: Sequence[str]) -> dict[str, list[Entity]]:
        out: dict[str, list[Entity]] = {i: [] for i in ids}
        with self._db.transaction("reading entities", write=False) as conn:
            rows = conn.execute(
                f"SELECT doc_id, key, label, surface, n FROM {table} WHERE doc_id = ANY(%s) "
                "ORDER BY doc_id, n DESC, key",
                (list(ids),),
            ).fetchall()
        for doc_id, key, label, surface, n in rows:
            out[doc_id].append(Entity(key, label, surface, n))
        return out

    def put_entities(self, model: str, entities: Mapping[str, Sequence[Entity]]) -> None:
        """Replace the (lead) entities of these articles, in one transaction."""
        self._put_entities(("article_entities", "entity_runs"), model, entities)

    def entities_of(self, ids: Sequence[str]) -> dict[str, list[Entity]]:
        return self._entities_of("article_entities", ids)

    def text_entities_done(self, model: str, ids: Sequence[str]) -> set[str]:
        with self._db.transaction("reading entity runs", write=False) as conn:
            rows = conn.execute(
                "SELECT doc_id FROM text_entity_runs WHERE model = %s AND doc_id = ANY(%s)",
                (model, list(ids)),
            ).fetchall()
        return {r[0] for r in rows}

    def put_text_entities(self, model: str, entities: Mapping[str, Sequence[Entity]]) -> None:
        """Replace the whole-text entities of these articles, in one transaction."""
        self._put_entities(("article_text_entities", "text_entity_runs"), model, entities)

    def text_entities_of(self, ids: Sequence[str]) -> dict[str, list[Entity]]:
        return self._entities_of("article_text_entities", ids)

    # -- the clustering stream -----------------------------------------------------------

    def stream(self) -> list[StreamEntry]:
        with self._db.transaction("reading story members", write=False) as conn:
            rows = conn.execute(
                "SELECT doc_id, story_id, seq FROM story_members ORDER BY seq"
            ).fetchall()
        return [StreamEntry(d, int(s), int(q)) for d, s, q in rows]

    def ids_to_cluster(self, everything: bool = False) -> list[str]:
        """Articles not in a story yet (all if ``everything``), in stream order."""
        where = "" if everything else "WHERE m.doc_id IS NULL "
        with self._db.transaction("listing new articles", write=False) as conn:
            rows = conn.execute(
                "SELECT d.id FROM documents d LEFT JOIN story_members m ON m.doc_id = d.id "
                f"{where}ORDER BY d.published IS NULL, substr(d.published, 1, 10), d.num"
            ).fetchall()
        return [r[0] for r in rows]

    def leads(self, ids: Sequence[str], chars: int) -> list[LeadRow]:
        with self._db.transaction("reading article leads", write=False) as conn:
            rows = conn.execute(
                "SELECT id, title, substr(text, 1, %s), language, published, outlet "
                "FROM documents WHERE id = ANY(%s)",
                (chars, list(ids)),
            ).fetchall()
        found = {r[0]: LeadRow(*r) for r in rows}
        return [found[i] for i in ids if i in found]

    def put_stories(
        self,
        stream: Sequence[StreamEntry],
        stories: Sequence[Story],
        dropped: Sequence[int] = (),
    ) -> None:
        """Upsert memberships and story rows, delete ``dropped``, in one transaction."""
        members = [(e.doc_id, e.story_id, e.seq) for e in stream]
        rows = [
            (s.id, s.title, s.first, s.last, list(s.languages), list(s.outlets),
             list(s.entities), len(s.members), s.topic if s.topic is not None else s.id)
            for s in stories
        ]  # fmt: skip
        with self._db.transaction("storing stories", write=True) as conn, conn.cursor() as cur:
            cur.execute("DELETE FROM stories WHERE id = ANY(%s)", (list(dropped),))
            if members:
                cur.executemany(
                    "INSERT INTO story_members (doc_id, story_id, seq) VALUES (%s, %s, %s) "
                    "ON CONFLICT (doc_id) DO UPDATE SET story_id = excluded.story_id, "
                    "seq = excluded.seq",
                    members,
                )
            cur.executemany(
                "INSERT INTO stories VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) "
                "ON CONFLICT (id) DO UPDATE SET title = excluded.title, "
                "first_day = excluded.first_day, last_day = excluded.last_day, "
                "languages = excluded.languages, outlets = excluded.outlets, "
                "entities = excluded.entities, n_articles = excluded.n_articles, "
                "topic_id = excluded.topic_id",
                rows,
            )

    def clear_stories(self) -> None:
        with self._db.transaction("forgetting stories", write=True) as conn:
            conn.execute("DELETE FROM story_members")
            conn.execute("DELETE FROM stories")

    # -- reading stories -----------------------------------------------------------------

    def _stories(self, conn: Connection, rows: Sequence[Sequence[Any]]) -> list[Story]:
        ids = [r[0] for r in rows]
        members: dict[int, list[str]] = {i: [] for i in ids}
        for sid, doc_id in conn.execute(
            "SELECT story_id, doc_id FROM story_members WHERE story_id = ANY(%s) "
            "ORDER BY story_id, seq",
            (ids,),
        ):
            members[sid].append(doc_id)
        return [
            Story(int(sid), title, tuple(members[sid]), first, last, tuple(langs),
                  tuple(outs), tuple(ents), int(topic))
            for sid, title, first, last, langs, outs, ents, topic in rows
        ]  # fmt: skip

    def _where(self, conn: Connection, flt: StoryFilter) -> tuple[str, list[object]]:
        clauses: list[str] = []
        params: list[object] = []
        if flt.language:
            clauses.append("%s = ANY(s.languages)")
            params.append(flt.language.strip().lower())
        if flt.outlet:
            clauses.append(f"s.id IN ({_MEMBERS_OF}d.outlet_key = %s)")
            params.append(outlet_key(flt.outlet))
        if flt.since:
            clauses.append("s.last_day >= %s")
            params.append(flt.since.strip()[:10])
        if flt.until:
            clauses.append("s.first_day <= %s")
            params.append(flt.until.strip() + "\U0010ffff")
        if flt.topic is not None:
            clauses.append("s.topic_id = %s")
            params.append(flt.topic)
        if flt.query is not None:
            sql, more = predicate(flt.query, store_languages(conn), self._db.configs)
            clauses.append(f"s.id IN ({_MEMBERS_OF}{sql})")
            params += more
            prefer_search_indexes(conn)
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params

    def _list(self, conn: Connection, flt: StoryFilter) -> list[Story]:
        where, params = self._where(conn, flt)
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM stories s{where}{_ORDER} LIMIT %s OFFSET %s",
            [*params, flt.limit, flt.offset],
        ).fetchall()
        return self._stories(conn, rows)

    def _count(self, conn: Connection, flt: StoryFilter) -> int:
        where, params = self._where(conn, flt)
        row = conn.execute(f"SELECT count(*) FROM stories s{where}", params).fetchone()
        return int(row[0]) if row else 0

    def list_stories(self, flt: StoryFilter | None = None) -> list[Story]:
        """Stories, most recent last day first (undated last), then larger first."""
        with self._db.transaction("listing stories", write=False) as conn:
            return self._list(conn, flt or StoryFilter())

    def page_stories(self, flt: StoryFilter | None = None) -> StoryListPage:
        """A page of stories and their exact count, from one snapshot."""
        flt = flt or StoryFilter()
        with self._db.transaction("listing stories", write=False) as conn:
            return StoryListPage(self._list(conn, flt), self._count(conn, flt), True)

    def count_stories(self, flt: StoryFilter | None = None) -> int:
        with self._db.transaction("counting stories", write=False) as conn:
            return self._count(conn, flt or StoryFilter())

    def get_story(self, story_id: int) -> Story | None:
        with self._db.transaction("reading a story", write=False) as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM stories s WHERE s.id = %s", (story_id,)
            ).fetchall()
            found = self._stories(conn, rows)
        return found[0] if found else None

    def story_of(self, doc_id: str) -> int | None:
        with self._db.transaction("reading a story membership", write=False) as conn:
            row = conn.execute(
                "SELECT story_id FROM story_members WHERE doc_id = %s", (doc_id,)
            ).fetchone()
        return None if row is None else int(row[0])

    # -- attribution analyses ------------------------------------------------------------

    def analysed(self, analyser: str, ids: Sequence[str]) -> set[str]:
        with self._db.transaction("listing analyses", write=False) as conn:
            rows = conn.execute(
                "SELECT doc_id FROM analyses WHERE analyser = %s AND doc_id = ANY(%s)",
                (analyser, list(ids)),
            ).fetchall()
        return {r[0] for r in rows}

    def put_analyses(self, analyser: str, data: Mapping[str, Analysis]) -> None:
        with self._db.transaction("storing analyses", write=True) as conn, conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO analyses (doc_id, analyser, data) VALUES (%s, %s, %s) "
                "ON CONFLICT (doc_id) DO UPDATE SET analyser = excluded.analyser, "
                "data = excluded.data",
                [(d, analyser, codec.encode(a)) for d, a in data.items()],
            )

    def _analyses(self, ids: Sequence[str]) -> dict[str, str]:
        with self._db.transaction("reading analyses", write=False) as conn:
            rows = conn.execute(
                "SELECT doc_id, data FROM analyses WHERE doc_id = ANY(%s)", (list(ids),)
            ).fetchall()
        return {d: data for d, data in rows}

    def get_analyses(self, ids: Sequence[str]) -> dict[str, Analysis]:
        return {d: codec.decode(data) for d, data in self._analyses(ids).items()}

    def get_quotes(self, ids: Sequence[str]) -> dict[str, tuple[Attribution, ...]]:
        return {d: codec.decode_quotes(data) for d, data in self._analyses(ids).items()}

    def forget_document(self, doc_id: str) -> None:
        """Drop what was derived from a document's text; its story membership stays."""
        with self._db.transaction("forgetting derived data", write=True) as conn:
            for table in (
                "article_entities", "entity_runs", "article_text_entities",
                "text_entity_runs", "analyses",
            ):  # fmt: skip
                conn.execute(f"DELETE FROM {table} WHERE doc_id = %s", (doc_id,))
