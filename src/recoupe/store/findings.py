"""The findings of a SQLite store: each corroborated story's claim groups, mentions,
disagreements, unique content and cited summary, in the tables of schema version 5,
through the one codec (``findings_codec``) every backend shares."""

from __future__ import annotations

from recoupe.store.database import SQLiteDatabase
from recoupe.store.findings_codec import COLUMNS, ORDER, TABLES, decode, encode
from recoupe.types import StoryFindings


class SQLiteFindings:
    """Findings of one SQLite store (``FindingsStore`` protocol)."""

    def __init__(self, db: SQLiteDatabase) -> None:
        self._db = db

    def digest(self, story_id: int) -> str | None:
        """The digest the stored findings of ``story_id`` were computed for (None: none)."""
        with self._db.transaction("reading a findings digest", write=False) as conn:
            row = conn.execute(
                "SELECT digest FROM findings WHERE story_id = ?", (story_id,)
            ).fetchone()
        return None if row is None else str(row[0])

    def put(self, story_id: int, digest: str, findings: StoryFindings) -> None:
        """Store the findings of ``story_id`` (replacing what was stored), in one
        transaction."""
        rows = encode(story_id, digest, findings)
        with self._db.transaction("storing findings", write=True) as conn:
            conn.execute("DELETE FROM findings WHERE story_id = ?", (story_id,))
            for table in TABLES:
                if rows[table]:
                    cols = COLUMNS[table]
                    conn.executemany(
                        f"INSERT INTO {table} ({', '.join(cols)}) "
                        f"VALUES ({', '.join('?' * len(cols))})",
                        rows[table],
                    )

    def get(self, story_id: int) -> StoryFindings | None:
        """The stored findings of ``story_id`` (None when never corroborated)."""
        with self._db.transaction("reading findings", write=False) as conn:
            rows = {}
            for table in TABLES:
                order = f" ORDER BY {ORDER[table]}" if table in ORDER else ""
                rows[table] = conn.execute(
                    f"SELECT {', '.join(COLUMNS[table])} FROM {table} WHERE story_id = ?{order}",
                    (story_id,),
                ).fetchall()
        return decode(rows) if rows["findings"] else None

    def forget(self, story_id: int) -> None:
        with self._db.transaction("forgetting findings", write=True) as conn:
            conn.execute("DELETE FROM findings WHERE story_id = ?", (story_id,))
