"""The findings of a PostgreSQL store (``FindingsStore``), through the codec every
backend shares (``store.findings_codec``): same tables and rows as SQLite."""

from __future__ import annotations

from recoupe.store.findings_codec import COLUMNS, ORDER, TABLES, decode, encode
from recoupe.store.postgres.database import PostgresDatabase
from recoupe.types import StoryFindings


class PostgresFindings:
    """Findings of one PostgreSQL store."""

    def __init__(self, db: PostgresDatabase) -> None:
        self._db = db

    def digest(self, story_id: int) -> str | None:
        with self._db.transaction("reading a findings digest", write=False) as conn:
            row = conn.execute(
                "SELECT digest FROM findings WHERE story_id = %s", (story_id,)
            ).fetchone()
        return None if row is None else str(row[0])

    def put(self, story_id: int, digest: str, findings: StoryFindings) -> None:
        """Store the findings of ``story_id`` (replacing what was stored), in one
        transaction."""
        rows = encode(story_id, digest, findings)
        with self._db.transaction("storing findings", write=True) as conn, conn.cursor() as cur:
            cur.execute("DELETE FROM findings WHERE story_id = %s", (story_id,))
            for table in TABLES:
                if rows[table]:
                    cols = COLUMNS[table]
                    cur.executemany(
                        f"INSERT INTO {table} ({', '.join(cols)}) "
                        f"VALUES ({', '.join(['%s'] * len(cols))})",
                        rows[table],
                    )

    def get(self, story_id: int) -> StoryFindings | None:
        with self._db.transaction("reading findings", write=False) as conn:
            rows = {}
            for table in TABLES:
                order = f" ORDER BY {ORDER[table]}" if table in ORDER else ""
                rows[table] = conn.execute(
                    f"SELECT {', '.join(COLUMNS[table])} FROM {table} WHERE story_id = %s{order}",
                    (story_id,),
                ).fetchall()
        return decode(rows) if rows["findings"] else None

    def forget(self, story_id: int) -> None:
        with self._db.transaction("forgetting findings", write=True) as conn:
            conn.execute("DELETE FROM findings WHERE story_id = %s", (story_id,))
