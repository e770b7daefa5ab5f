"""Schema: the precision and source of a date, the source of an outlet (issue 18)."""

from __future__ import annotations

import sqlite3
import zlib
from pathlib import Path

from recoupe.store.schema import MIGRATIONS, SCHEMA_VERSION, statements
from recoupe.store.sqlite import SQLiteRepository

from .test_sqlite import make_doc


def test_provenance_round_trips(tmp_path: Path) -> None:
    doc = make_doc("raw", published="2025-09-17T07:15:00+02:00", published_precision="second",
                   published_source="page", outlet="L'Écho des Quais",
                   outlet_source="page")  # fmt: skip
    with SQLiteRepository(tmp_path / "s.db") as repo:
        repo.add_documents([doc])
        assert repo.get_document(doc.id).meta == doc.meta


def test_a_store_of_the_previous_version_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    for script in MIGRATIONS[: SCHEMA_VERSION - 1]:
        for stmt in statements(script):
            conn.execute(stmt)
    conn.execute("PRAGMA application_id = 1919119461")
    conn.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION - 1),))
    conn.execute(
        "INSERT INTO documents (id, content_hash, origin, kind, is_html, published, n_chars, "
        "n_removed, ingested, raw, text, sentences) VALUES (substr(?, 1, 16), ?, 'old.txt', "
        "'text', 0, '2011-02-03', 1, 0, '2025', ?, 't', x'')",
        ("a" * 64, "a" * 64, zlib.compress(b"t")),
    )
    conn.close()
    with SQLiteRepository(path) as repo:
        (row,) = repo.list_documents()
        assert row.published == "2011-02-03"
    conn = sqlite3.connect(path)
    precision = conn.execute("SELECT published_precision, published_source, outlet_source "
                             "FROM documents").fetchone()  # fmt: skip
    assert precision == (None, None, None)  # unknown for what was stored before
