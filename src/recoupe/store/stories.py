"""SQLite tables of the stories and attribution stages (schema version 3).

* ``text_vectors``: encoder vectors keyed by model and text digest (a cache: a rebuild
  or a repeated lead never re-encodes);
* ``article_entities`` / ``entity_runs``: canonical entities per article and which
  articles were analysed (an article with no entity is still "done");
* ``story_members``: each article's story and its position in the clustering stream,
  which an incremental run replays; ``stories``: the per-story summary rows, upserted
  for the stories a run changed;
* ``analyses``: the attribution analysis of an article as JSON (``store.analyses``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from recoupe.store import analyses as codec
from recoupe.store.base import LeadRow, StoryListPage, StreamEntry
from recoupe.store.database import SQLiteDatabase
from recoupe.store.fts import Search, resolve
from recoupe.store.rows import outlet_key
from recoupe.types import Analysis, Attribution, Entity, Story, StoryFilter

_CHUNK = 500
# A full-text query over stories matches articles; which stories hold them costs ~3-7 us
# an article to find (documents row, then membership): 0.3-0.6 s for a word in all of
# 100k articles. So how a page is found depends on how many articles match:
# * up to _FTS_SET_MAX: the stories holding them are collected (and counted exactly);
# * up to _FTS_ROWIDS_MAX: the matching rowids are read from the index (~1 us each) and
#   the stories are walked in listing order by batches, each kept if one of its
#   articles is among them;
# * past it, most stories hold a match: the walk asks the index about each story's
#   articles (~60 us a question, a few per page row).
# Past _FTS_SET_MAX the stories are not counted (the page gives an upper bound).
_FTS_SET_MAX = 5_000
_FTS_ROWIDS_MAX = 40_000
_WALK_BATCH = 400
_COLUMNS = "s.id, s.title, s.first_day, s.last_day, s.languages, s.outlets, s.entities, s.topic_id"
# NULL sorts below every value in SQLite, so undated stories come last without saying so;
# saying so (``last_day IS NULL, ...``) would keep SQLite from walking ``stories_last``
# and make it sort every story (~30 ms for 20,000 stories).
_ORDER = " ORDER BY s.last_day DESC, s.n_articles DESC, s.id"


def _chunks(ids: Sequence[str]) -> Iterable[Sequence[str]]:
    for lo in range(0, len(ids), _CHUNK):
        yield ids[lo : lo + _CHUNK]


def _story_where(
    flt: StoryFilter, search: Search | None = None, fts_walk: bool = False
) -> tuple[str, list[object]]:
    """``WHERE ...`` and its parameters; ``fts_walk``: check the full-text query story by
    story (see ``_FTS_SET_MAX``)."""
    clauses: list[str] = []
    params: list[object] = []
    if flt.language:
        # ``languages`` is a JSON array of codes: the code with its quotes is an element
        # (2.5x faster than json_each over every story).
        clauses.append("instr(s.languages, ?) > 0")
        params.append(json.dumps(flt.language.strip().lower()))
    if flt.outlet:
        clauses.append(
            "s.id IN (SELECT m.story_id FROM story_members m JOIN documents d "
            "ON d.id = m.doc_id WHERE d.outlet_key = ?)"
        )
        params.append(outlet_key(flt.outlet))
    if flt.since:
        clauses.append("s.last_day >= ?")
        params.append(flt.since.strip()[:10])
    if flt.until:
        clauses.append("s.first_day <= ?")
        params.append(flt.until.strip() + "\U0010ffff")
    if flt.topic is not None:
        clauses.append("s.topic_id = ?")
        params.append(flt.topic)
    if search is not None and fts_walk:
        clauses.append(
            "EXISTS (SELECT 1 FROM story_members m JOIN documents d ON d.id = m.doc_id "
            "JOIN documents_fts f ON f.rowid = d.num "
            "WHERE m.story_id = s.id AND f.documents_fts MATCH ?)"
        )
        params.append(search.expression)
    elif search is not None:
        clauses.append(
            "s.id IN (SELECT m.story_id FROM story_members m JOIN documents d "
            "ON d.id = m.doc_id WHERE d.num IN "
            "(SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?))"
        )
        params.append(search.expression)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


class SQLiteStories:
    """The stories, entities and analyses tables of one SQLite store."""

    def __init__(self, db: SQLiteDatabase) -> None:
        self._db = db

    # -- vector cache ------------------------------------------------------------------

    def get_text_vectors(self, keys: Sequence[str]) -> dict[str, bytes]:
        out: dict[str, bytes] = {}
        with self._db.transaction("reading cached vectors", write=False) as conn:
            for chunk in _chunks(list(keys)):
                marks = ",".join("?" * len(chunk))
                sql = f"SELECT key, data FROM text_vectors WHERE key IN ({marks})"
                out.update((k, bytes(v)) for k, v in conn.execute(sql, tuple(chunk)))
        return out

    def put_text_vectors(self, data: Mapping[str, bytes]) -> None:
        with self._db.transaction("caching vectors", write=True) as conn:
            conn.executemany("INSERT OR REPLACE INTO text_vectors VALUES (?, ?)", data.items())

    # -- entities ----------------------------------------------------------------------

    def ids_without_entities(self, model: str) -> list[str]:
        with self._db.transaction("listing articles to analyse", write=False) as conn:
            rows = conn.execute(
                "SELECT d.id FROM documents d LEFT JOIN entity_runs r ON r.doc_id = d.id "
                "AND r.model = ? WHERE r.doc_id IS NULL ORDER BY d.num",
                (model,),
            ).fetchall()
        return [r[0] for r in rows]

    def put_entities(self, model: str, entities: Mapping[str, Sequence[Entity]]) -> None:
        """Replace the entities of these articles (one transaction)."""
        rows = [(d, e.key, e.label, e.surface, e.count) for d, es in entities.items() for e in es]
        with self._db.transaction("storing entities", write=True) as conn:
            conn.executemany(
                "DELETE FROM article_entities WHERE doc_id = ?", [(d,) for d in entities]
            )
            conn.executemany("INSERT INTO article_entities VALUES (?, ?, ?, ?, ?)", rows)
            conn.executemany(
                "INSERT OR REPLACE INTO entity_runs VALUES (?, ?)",
                [(d, model) for d in entities],
            )

    def entities_of(self, ids: Sequence[str]) -> dict[str, list[Entity]]:
        """Entities of each article, most mentioned first."""
        out: dict[str, list[Entity]] = {i: [] for i in ids}
        with self._db.transaction("reading entities", write=False) as conn:
            for chunk in _chunks(list(ids)):
                marks = ",".join("?" * len(chunk))
                for doc_id, key, label, surface, n in conn.execute(
                    f"SELECT doc_id, key, label, surface, n FROM article_entities "
                    f"WHERE doc_id IN ({marks}) ORDER BY doc_id, n DESC, key",
                    tuple(chunk),
                ):
                    out[doc_id].append(Entity(key, label, surface, n))
        return out

    def text_entities_done(self, model: str, ids: Sequence[str]) -> set[str]:
        """Which of ``ids`` have whole-text entities by ``model`` stored."""
        done: set[str] = set()
        with self._db.transaction("reading entity runs", write=False) as conn:
            for chunk in _chunks(list(ids)):
                marks = ",".join("?" * len(chunk))
                done.update(
                    r[0]
                    for r in conn.execute(
                        f"SELECT doc_id FROM text_entity_runs WHERE model = ? "
                        f"AND doc_id IN ({marks})",
                        (model, *chunk),
                    )
                )
        return done

    def put_text_entities(self, model: str, entities: Mapping[str, Sequence[Entity]]) -> None:
        """Replace the whole-text entities of these articles (one transaction)."""
        rows = [(d, e.key, e.label, e.surface, e.count) for d, es in entities.items() for e in es]
        with self._db.transaction("storing text entities", write=True) as conn:
            conn.executemany(
                "DELETE FROM article_text_entities WHERE doc_id = ?", [(d,) for d in entities]
            )
            conn.executemany("INSERT INTO article_text_entities VALUES (?, ?, ?, ?, ?)", rows)
            conn.executemany(
                "INSERT OR REPLACE INTO text_entity_runs VALUES (?, ?)",
                [(d, model) for d in entities],
            )

    def text_entities_of(self, ids: Sequence[str]) -> dict[str, list[Entity]]:
        """Whole-text entities of each article, most mentioned first."""
        out: dict[str, list[Entity]] = {i: [] for i in ids}
        with self._db.transaction("reading text entities", write=False) as conn:
            for chunk in _chunks(list(ids)):
                marks = ",".join("?" * len(chunk))
                for doc_id, key, label, surface, n in conn.execute(
                    f"SELECT doc_id, key, label, surface, n FROM article_text_entities "
                    f"WHERE doc_id IN ({marks}) ORDER BY doc_id, n DESC, key",
                    tuple(chunk),
                ):
                    out[doc_id].append(Entity(key, label, surface, n))
        return out

    # -- the clustering stream -----------------------------------------------------------

    def stream(self) -> list[StreamEntry]:
        """Every clustered article in stream order."""
        with self._db.transaction("reading story members", write=False) as conn:
            rows = conn.execute(
                "SELECT doc_id, story_id, seq FROM story_members ORDER BY seq"
            ).fetchall()
        return [StreamEntry(d, s, q) for d, s, q in rows]

    def ids_to_cluster(self, everything: bool = False) -> list[str]:
        """Articles not in a story yet (all articles if ``everything``), in stream order:
        dated ones by publication day, then undated ones, each in ingestion order."""
        where = "" if everything else "WHERE m.doc_id IS NULL "
        with self._db.transaction("listing new articles", write=False) as conn:
            rows = conn.execute(
                "SELECT d.id FROM documents d LEFT JOIN story_members m ON m.doc_id = d.id "
                f"{where}ORDER BY d.published IS NULL, substr(d.published, 1, 10), d.num"
            ).fetchall()
        return [r[0] for r in rows]

    def leads(self, ids: Sequence[str], chars: int) -> list[LeadRow]:
        """The first ``chars`` characters of each article and its metadata, in ``ids``
        order (unknown ids are skipped)."""
        found: dict[str, LeadRow] = {}
        with self._db.transaction("reading article leads", write=False) as conn:
            for chunk in _chunks(list(ids)):
                marks = ",".join("?" * len(chunk))
                for row in conn.execute(
                    "SELECT id, title, substr(text, 1, ?), language, published, outlet "
                    f"FROM documents WHERE id IN ({marks})",
                    (chars, *chunk),
                ):
                    found[row[0]] = LeadRow(*row)
        return [found[i] for i in ids if i in found]

    def put_stories(
        self,
        stream: Sequence[StreamEntry],
        stories: Sequence[Story],
        dropped: Sequence[int] = (),
    ) -> None:
        """Upsert memberships and story rows, delete the stories in ``dropped``, in one
        transaction. A story's members are its membership rows: every member of a story
        written here must be in ``stream`` now or from an earlier call."""
        member_rows = [(e.doc_id, e.story_id, e.seq) for e in stream]
        story_rows = [
            (
                s.id, s.title, s.first, s.last, json.dumps(list(s.languages)),
                json.dumps(list(s.outlets), ensure_ascii=False),
                json.dumps(list(s.entities), ensure_ascii=False),
                len(s.members), s.topic if s.topic is not None else s.id,
            )
            for s in stories
        ]  # fmt: skip
        with self._db.transaction("storing stories", write=True) as conn:
            conn.executemany("DELETE FROM stories WHERE id = ?", [(i,) for i in dropped])
            conn.executemany(
                "INSERT INTO story_members VALUES (?, ?, ?) ON CONFLICT (doc_id) DO UPDATE "
                "SET story_id = excluded.story_id, seq = excluded.seq",
                member_rows,
            )
            conn.executemany(
                "INSERT OR REPLACE INTO stories VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", story_rows
            )

    def clear_stories(self) -> None:
        with self._db.transaction("forgetting stories", write=True) as conn:
            conn.execute("DELETE FROM story_members")
            conn.execute("DELETE FROM stories")

    # -- reading stories -----------------------------------------------------------------

    def _members(self, conn: sqlite3.Connection, ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
        out: dict[int, list[str]] = {i: [] for i in ids}
        for lo in range(0, len(ids), _CHUNK):
            chunk = ids[lo : lo + _CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = conn.execute(
                f"SELECT story_id, doc_id FROM story_members WHERE story_id IN ({marks}) "
                "ORDER BY story_id, seq",
                tuple(chunk),
            )
            for sid, doc_id in rows:
                out[sid].append(doc_id)
        return {k: tuple(v) for k, v in out.items()}

    def _stories(self, conn: sqlite3.Connection, rows: Sequence[Sequence[Any]]) -> list[Story]:
        members = self._members(conn, [r[0] for r in rows])
        return [
            Story(sid, title, members[sid], first, last, tuple(json.loads(langs)),
                  tuple(json.loads(outs)), tuple(json.loads(ents)), topic)
            for sid, title, first, last, langs, outs, ents, topic in rows
        ]  # fmt: skip

    def _page(
        self,
        conn: sqlite3.Connection,
        flt: StoryFilter,
        search: Search | None,
        fts_walk: bool = False,
    ) -> list[Sequence[Any]]:
        where, params = _story_where(flt, search, fts_walk)
        sql = f"SELECT {_COLUMNS} FROM stories s{where}{_ORDER}"
        if flt.limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [flt.limit, flt.offset]
        rows: list[Sequence[Any]] = conn.execute(sql, params).fetchall()
        return rows

    def list_stories(self, flt: StoryFilter | None = None) -> list[Story]:
        """Stories, most recent last day first (undated last), then larger first."""
        flt = flt or StoryFilter()
        with self._db.transaction("listing stories", write=False) as conn:
            search = resolve(conn, flt.query)
            walk = flt.limit is not None and search is not None and search.matches > _FTS_SET_MAX
            return self._stories(conn, self._page(conn, flt, search, walk))

    def page_stories(self, flt: StoryFilter | None = None) -> StoryListPage:
        """``list_stories(flt)``, how many stories match, and whether that count is
        exact, from one snapshot (what a paged listing needs). The count is exact except
        for a full-text query matching more than ``_FTS_SET_MAX`` articles: then it is an
        upper bound (no more stories than matching articles, nor than stories)."""
        flt = flt or StoryFilter()
        with self._db.transaction("listing stories", write=False) as conn:
            search = resolve(conn, flt.query)
            if search is None:
                where, params = _story_where(flt)
                total = conn.execute(f"SELECT count(*) FROM stories s{where}", params).fetchone()
                rows = self._page(conn, flt, None)
                return StoryListPage(self._stories(conn, rows), int(total[0]), True)
            if search.matches <= _FTS_SET_MAX:
                # One pass collects the matching stories in order (counting them in another
                # query would collect the matching articles' stories again).
                everything = replace(flt, limit=None, offset=0)
                ids = [r[0] for r in self._page(conn, everything, search)]
                end = None if flt.limit is None else flt.offset + flt.limit
                page = ids[flt.offset : end]
                found = {r[0]: r for r in conn.execute(
                    f"SELECT {_COLUMNS} FROM stories s WHERE s.id IN "
                    "(SELECT value FROM json_each(?))", (json.dumps(page),),
                )}  # fmt: skip
                return StoryListPage(self._stories(conn, [found[i] for i in page]), len(ids), True)
            if search.matches <= _FTS_ROWIDS_MAX:
                sql = "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?"
                matched = {r[0] for r in conn.execute(sql, [search.expression])}
                rows = self._walk(conn, flt, matched)
            else:
                rows = self._page(conn, flt, search, True)
            n_stories = conn.execute("SELECT count(*) FROM stories").fetchone()[0]
            total = min(search.matches, int(n_stories))
            return StoryListPage(self._stories(conn, rows), total, False)

    def _walk(
        self, conn: sqlite3.Connection, flt: StoryFilter, matched: set[int]
    ) -> list[Sequence[Any]]:
        """The page of ``flt`` among the stories with an article whose rowid is in
        ``matched`` (the full-text query's matches), walking the stories that pass the
        other filters in listing order, ``_WALK_BATCH`` at a time."""
        others = replace(flt, query=None, limit=_WALK_BATCH)
        end = None if flt.limit is None else flt.offset + flt.limit
        kept: list[Sequence[Any]] = []
        offset = 0
        while end is None or len(kept) < end:
            rows = self._page(conn, replace(others, offset=offset), None)
            nums: dict[int, list[int]] = {}
            for sid, num in conn.execute(
                "SELECT m.story_id, d.num FROM story_members m JOIN documents d "
                "ON d.id = m.doc_id WHERE m.story_id IN (SELECT value FROM json_each(?))",
                (json.dumps([r[0] for r in rows]),),
            ):
                nums.setdefault(sid, []).append(num)
            kept += [r for r in rows if not matched.isdisjoint(nums.get(r[0], ()))]
            if len(rows) < _WALK_BATCH:
                break
            offset += _WALK_BATCH
        return kept[flt.offset : end]

    def count_stories(self, flt: StoryFilter | None = None) -> int:
        flt = flt or StoryFilter()
        with self._db.transaction("counting stories", write=False) as conn:
            where, params = _story_where(flt, resolve(conn, flt.query))
            rows = conn.execute(f"SELECT count(*) FROM stories s{where}", params).fetchall()
        return int(rows[0][0])

    def get_story(self, story_id: int) -> Story | None:
        with self._db.transaction("reading a story", write=False) as conn:
            row = conn.execute(
                "SELECT id, title, first_day, last_day, languages, outlets, entities, topic_id "
                "FROM stories WHERE id = ?",
                (story_id,),
            ).fetchone()
            if row is None:
                return None
            members = self._members(conn, [story_id])
        sid, title, first, last, langs, outs, ents, topic = row
        return Story(sid, title, members[sid], first, last, tuple(json.loads(langs)),
                     tuple(json.loads(outs)), tuple(json.loads(ents)), topic)  # fmt: skip

    def story_of(self, doc_id: str) -> int | None:
        with self._db.transaction("reading a story membership", write=False) as conn:
            row = conn.execute(
                "SELECT story_id FROM story_members WHERE doc_id = ?", (doc_id,)
            ).fetchone()
        return None if row is None else int(row[0])

    # -- attribution analyses ------------------------------------------------------------

    def analysed(self, analyser: str, ids: Sequence[str]) -> set[str]:
        """Which of ``ids`` have an analysis by this analyser version."""
        out: set[str] = set()
        with self._db.transaction("listing analyses", write=False) as conn:
            for chunk in _chunks(list(ids)):
                marks = ",".join("?" * len(chunk))
                out.update(
                    r[0]
                    for r in conn.execute(
                        f"SELECT doc_id FROM analyses WHERE analyser = ? AND doc_id IN ({marks})",
                        (analyser, *chunk),
                    )
                )
        return out

    def put_analyses(self, analyser: str, data: Mapping[str, Analysis]) -> None:
        with self._db.transaction("storing analyses", write=True) as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO analyses VALUES (?, ?, ?)",
                [(d, analyser, codec.encode(a)) for d, a in data.items()],
            )

    def _analyses(self, ids: Sequence[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        with self._db.transaction("reading analyses", write=False) as conn:
            for chunk in _chunks(list(ids)):
                marks = ",".join("?" * len(chunk))
                out.update(
                    conn.execute(
                        f"SELECT doc_id, data FROM analyses WHERE doc_id IN ({marks})",
                        tuple(chunk),
                    ).fetchall()
                )
        return out

    def get_analyses(self, ids: Sequence[str]) -> dict[str, Analysis]:
        return {d: codec.decode(data) for d, data in self._analyses(ids).items()}

    def get_quotes(self, ids: Sequence[str]) -> dict[str, tuple[Attribution, ...]]:
        """Only the quotes of each analysis, extracted by SQLite's JSON functions (the
        attributions and claims beside them are most of the text and not decoded).
        ``json_quote`` keeps the extract JSON text whatever it is (``json_extract``
        alone gives a string's content unquoted)."""
        rows: list[tuple[str, object, str]] = []
        with self._db.transaction("reading quotes", write=False) as conn:
            for chunk in _chunks(list(ids)):
                marks = ",".join("?" * len(chunk))
                rows += conn.execute(
                    "SELECT doc_id, json_extract(data, '$.format'), "
                    "json_quote(json_extract(data, '$.quotes')) "
                    f"FROM analyses WHERE doc_id IN ({marks})",
                    tuple(chunk),
                ).fetchall()
        return {d: codec.decode_quote_json(form, quotes) for d, form, quotes in rows}

    def forget_document(self, doc_id: str) -> None:
        """Drop what was derived from a document's text (its text changed); its story
        membership stays (the story is still right about the article as a whole)."""
        with self._db.transaction("forgetting derived data", write=True) as conn:
            for table in (
                "article_entities", "entity_runs", "article_text_entities",
                "text_entity_runs", "analyses",
            ):  # fmt: skip
                conn.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc_id,))
