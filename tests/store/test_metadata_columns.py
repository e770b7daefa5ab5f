"""Schema: the precision and source of a date, the source of an outlet (issue 18)."""

from __future__ import annotations

import sqlite3
import zlib
from pathlib import Path

import pytest

from recoupe.store.schema import (
    APPLICATION_ID,
    MIGRATIONS,
    SCHEMA_VERSION,
    Migration,
    statements,
)
from recoupe.store.sqlite import SQLiteStore
from tests.store.backends import BACKENDS, open_backend

from .test_sqlite import make_doc


@pytest.mark.parametrize("kind", BACKENDS)
def test_provenance_round_trips(kind: str, tmp_path: Path) -> None:
    """Every backend keeps a date's precision and source and the outlet's source, and
    says which documents of a batch it added."""
    doc = make_doc("raw", published="2025-09-17T07:15:00+02:00", published_precision="second",
                   published_source="page", outlet="L'Écho des Quais",
                   outlet_source="page")  # fmt: skip
    with open_backend(kind, tmp_path) as store:
        batch = store.documents.store_documents([doc, doc])
        assert (batch.added, batch.already, batch.added_ids) == (1, 1, frozenset({doc.id}))
        assert store.documents.get_document(doc.id).meta == doc.meta
        assert store.documents.store_documents([doc]).added_ids == frozenset()


def _at_version(conn: sqlite3.Connection, version: int) -> None:
    """Run the first ``version`` migrations by hand, as an older recoupe did."""
    for migration in MIGRATIONS[:version]:
        if isinstance(migration, str):
            migration = Migration(migration, lambda _: None, "")
        for stmt in statements(migration.before):
            conn.execute(stmt)
        migration.fill(conn)
        for stmt in statements(migration.after):
            conn.execute(stmt)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(version),))


def test_a_store_of_the_previous_version_is_migrated(tmp_path: Path) -> None:
    """Version 6 -> 7: the precision of a stored date is read from its form; where the
    date and the outlet came from stays unknown."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    _at_version(conn, SCHEMA_VERSION - 1)
    dates = {"a": "2011-02-03", "b": "2011-02-03T10:15+01:00", "c": "2011-02-03T10:15:30Z",
             "d": None, "e": "2011"}  # fmt: skip
    for key, published in dates.items():
        conn.execute(
            "INSERT INTO documents (id, content_hash, origin, kind, is_html, published, "
            "n_chars, n_removed, ingested, raw, text, sentences) VALUES (substr(?, 1, 16), ?, "
            "?, 'text', 0, ?, 1, 0, '2025', ?, 't', x'')",
            (key * 64, key * 64, f"{key}.txt", published, zlib.compress(b"t")),
        )
    conn.close()
    with SQLiteStore(path) as store:
        stored = {r.origin: r.published for r in store.documents.list_documents()}
        assert stored == {f"{k}.txt": v for k, v in dates.items()}
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT origin, published_precision, published_source, outlet_source "
                        "FROM documents ORDER BY origin").fetchall()  # fmt: skip
    assert rows == [("a.txt", "day", None, None), ("b.txt", "minute", None, None),
                    ("c.txt", "second", None, None), ("d.txt", None, None, None),
                    ("e.txt", None, None, None)]  # fmt: skip
