"""Stemmed full-text search (``store.stemming``, schema v6): inflected forms find each
other in an article's language, every word of an article finds it, and a store written
before stems existed gets them when it is opened."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recoupe.store.rows import DOC_COLUMNS, document_row
from recoupe.store.schema import APPLICATION_ID, MIGRATIONS, statements
from recoupe.store.sqlite import SQLiteStore
from recoupe.store.stemming import query_stems, stems_of
from recoupe.types import DocumentFilter, text_query
from tests.store.test_sqlite import make_doc


def _found(store: SQLiteStore, query: str) -> set[str]:
    flt = DocumentFilter(query=text_query(query))
    return {r.id for r in store.documents.list_documents(flt)}


@pytest.mark.parametrize(
    ("text", "language", "query"),
    [
        ("Les incendies ont ravagé la forêt.", "fr", "incendie"),
        ("Un incendie a ravagé la forêt.", "fr", "incendies"),
        ("Fires spread along the coast.", "en", "fire"),
        ("The fire was spreading.", "en", "spreads"),
        ("Die Brände breiteten sich aus.", "de", "Brand"),
        ("Los incendios forestales avanzan.", "es", "incendio"),
    ],
)
def test_an_inflected_form_finds_the_article(
    tmp_path: Path, text: str, language: str, query: str
) -> None:
    with SQLiteStore(tmp_path / "s.db") as store:
        doc = make_doc(text, language=language)
        store.documents.add_documents([doc, make_doc("rien à voir ici", language="fr")])
        assert _found(store, query) == {doc.id}


def test_phrases_and_prefixes_stay_exact(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "s.db") as store:
        a = make_doc("Les incendies ont ravagé la forêt.", language="fr")
        b = make_doc("Un incendie ravagé hier.", language="fr")
        store.documents.add_documents([a, b])
        assert _found(store, '"incendies ont"') == {a.id}
        assert _found(store, "incendi*") == {a.id, b.id}
        assert _found(store, "incendie -forêt") == {b.id}  # excluded words are stemmed too


_words = st.text(alphabet=st.characters(categories=("Ll", "Lu")), min_size=2, max_size=12)


@settings(max_examples=60, deadline=None)
@given(st.lists(_words, min_size=1, max_size=8), st.sampled_from(["fr", "en", "de", None]))
def test_every_word_of_an_article_finds_it(words: list[str], language: str | None) -> None:
    """Whatever the words and the stemmer, an article is found by each of its words."""
    with SQLiteStore(":memory:") as store:
        doc = make_doc(" ".join(words), language=language)
        store.documents.add_documents([doc])
        for word in words:
            assert doc.id in _found(store, word), word


def test_query_forms_include_the_word_and_its_unaccented_stems() -> None:
    assert "presid" in query_stems("président", ["en"])
    assert set(query_stems("Fires", [None])) == {"fires"}
    assert stems_of("Élysée", "fr").split()[0] == "élys"


def test_a_store_without_stems_gets_them_when_opened(tmp_path: Path) -> None:
    """A version-5 store (written before stems existed) is migrated: the column of its
    articles is filled and the index rebuilt, so old articles are found by stem."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    for migration in MIGRATIONS[:5]:
        assert isinstance(migration, str)
        for stmt in statements(migration):
            conn.execute(stmt)
    conn.execute("INSERT INTO meta (key, value) VALUES ('schema_version', '5')")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    doc = make_doc("Les incendies ont ravagé la forêt.", language="fr")
    v5_columns = DOC_COLUMNS.split(", ")[:20]  # no stems nor date provenance in v5
    row = document_row(doc, "2026-01-01T00:00:00Z")[:20]
    conn.execute(f"INSERT INTO documents ({', '.join(v5_columns)}) "
                 f"VALUES ({', '.join('?' * 20)})", row)  # fmt: skip
    conn.close()
    with SQLiteStore(path) as store:
        assert _found(store, "incendie") == {doc.id}
