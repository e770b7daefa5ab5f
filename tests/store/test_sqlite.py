"""Tests of the SQLite repository: roundtrip, atomicity, lookups, filters, search,
migrations and crash safety (a writer killed with SIGKILL)."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recoupe.errors import NotFoundError, StoreError, UsageError
from recoupe.store.base import Store
from recoupe.store.sqlite import SCHEMA_VERSION, SQLiteStore
from recoupe.types import (
    Document,
    DocumentFilter,
    InputKind,
    Metadata,
    Rejection,
    RemovedLine,
    Sentence,
    TextQuery,
    text_query,
)

SRC = Path(__file__).resolve().parents[2] / "src"


def make_doc(
    raw: str,
    text: str | None = None,
    *,
    content_hash: str | None = None,
    language: str | None = "fr",
    removed: tuple[RemovedLine, ...] = (),
    sentences: tuple[Sentence, ...] = (),
    **meta: str | None,
) -> Document:
    digest = content_hash or hashlib.sha256(raw.encode()).hexdigest()
    return Document(
        id=digest[:16],
        content_hash=digest,
        origin=f"mem://{digest[:8]}",
        kind=InputKind.TEXT,
        meta=Metadata(**meta),
        raw=raw,
        is_html=False,
        text=raw if text is None else text,
        removed=removed,
        language=language,
        sentences=sentences,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[SQLiteStore]:
    with SQLiteStore(tmp_path / "store.db") as r:
        yield r


def test_implements_protocol(repo: SQLiteStore) -> None:
    store: Store = repo  # checked by mypy when tests are type-checked
    assert store.documents.count_documents() == 0


def test_roundtrip_with_removed_lines_and_sentences(repo: SQLiteStore) -> None:
    text = "Le président a parlé. « Très bien », dit-il 🎉.\n\nDeuxième paragraphe ✓."
    doc = make_doc(
        "<p>Nouvelles du Monde</p>" + text,
        text,
        removed=(
            RemovedLine(1, "Nouvelles du Monde", "boilerplate", 0),
            RemovedLine(7, "Photo : AP / Kim 🇰🇵", "caption", 22, is_caption=True),
            RemovedLine(7, "Partager ↗", "share", 22),
        ),
        sentences=(Sentence(0, 21), Sentence(22, 47), Sentence(49, len(text))),
        url="https://exemple.fr/a?b=ç",
        outlet="Le Monde",
        title="Titre — avec tiret",
        author="Zoë Émile",
        published="2022-09-06",
        fetched="2022-09-07T10:00:00Z",
        language="fr",
    )
    doc = replace(doc, is_html=True, kind=InputKind.HTML)
    assert repo.documents.add_documents([doc]) == 1
    assert repo.documents.get_document(doc.id) == doc
    assert repo.documents.get_document(doc.id).captions == (doc.removed[1],)
    assert repo.documents.has_content(doc.content_hash)
    assert not repo.documents.has_content("0" * 64)
    [summary] = repo.documents.list_documents()
    assert (summary.n_chars, summary.n_removed, summary.kind) == (len(text), 3, InputKind.HTML)
    assert summary.ingested.endswith("Z")


def test_add_is_idempotent(repo: SQLiteStore) -> None:
    a, b = make_doc("alpha " * 10), make_doc("beta " * 10)
    assert repo.documents.add_documents([a, a, b]) == 2  # a repeated inside one batch counts once
    assert repo.documents.add_documents([a, b]) == 0
    assert repo.documents.add_documents([]) == 0
    assert repo.documents.count_documents() == 2


def test_batch_is_all_or_none(repo: SQLiteStore) -> None:
    good1, good2 = make_doc("one " * 10), make_doc("two " * 10)
    bad = replace(make_doc("three " * 10), id="ffffffffffffffff")  # id must prefix the hash
    with pytest.raises(StoreError, match="cannot store document ffffffffffffffff"):
        repo.documents.add_documents([good1, bad, good2])
    assert repo.documents.count_documents() == 0
    # an id collision (same id, other content) also rolls the whole batch back
    clash = make_doc("x", content_hash=good1.content_hash[:16] + "0" * 48)
    with pytest.raises(StoreError):
        repo.documents.add_documents([good1, good2, clash])
    assert repo.documents.count_documents() == 0
    # outlet lines for a document that is neither in the batch nor stored: nothing stored
    with pytest.raises(NotFoundError):
        repo.documents.add_documents([good1], outlet_lines={"deadbeefdeadbeef": ("X", ["h1"])})
    assert repo.documents.count_documents() == 0
    assert repo.documents.add_documents([good1, good2]) == 2


def test_store_documents_keeps_the_good_documents_of_a_bad_batch(
    repo: SQLiteStore,
) -> None:
    """One document the store cannot take (a lone surrogate, a bad id) costs only itself:
    the batch is retried one document at a time."""
    good1, good2 = make_doc("one " * 10), make_doc("two " * 10)
    surrogate = replace(make_doc("three " * 10), text="bad \udc00 text")
    bad_id = replace(make_doc("four " * 10), id="ffffffffffffffff")
    lines = {good2.id: ("Outlet", ["h1"]), surrogate.id: ("Outlet", ["h2"])}
    stored = repo.documents.store_documents([good1, surrogate, good2, bad_id], lines)
    assert (stored.added, stored.already) == (2, 0)
    assert [(r.origin, r.reason) for r in stored.failed] == [
        (surrogate.origin, "store-error"),
        (bad_id.origin, "store-error"),
    ]
    assert "UnicodeEncodeError" in stored.failed[0].detail
    assert repo.documents.count_documents() == 2
    assert repo.documents.outlet_line_counts("Outlet", ["h1", "h2"]) == {"h1": 1}
    assert repo.documents.store_documents([good1, good2]) == type(stored)(0, 2)  # already stored


def test_store_documents_raises_when_the_store_itself_fails(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    SQLiteStore(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    try:
        with SQLiteStore(path) as repo:
            repo._db._writer.execute("PRAGMA busy_timeout = 50")
            with pytest.raises(StoreError, match="locked"):
                repo.documents.store_documents([make_doc("one " * 10), make_doc("two " * 10)])
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_rejection_strings_are_made_storable(repo: SQLiteStore) -> None:
    repo.documents.add_rejections([Rejection("name\udcff.txt", "binary", "detail \ud800")])
    (row,) = repo.documents.list_rejections()
    assert row.origin == "name\\udcff.txt" and row.detail == "detail \\ud800"


def test_prefix_lookup(repo: SQLiteStore) -> None:
    a = make_doc("a", content_hash="abcd1111" + "0" * 56)
    b = make_doc("b", content_hash="abcd2222" + "0" * 56)
    repo.documents.add_documents([a, b])
    assert repo.documents.get_document("abcd1").id == a.id
    assert repo.documents.get_document("ABCD2222").id == b.id  # case-insensitive
    assert repo.documents.get_document(b.content_hash).id == b.id  # a full content hash works too
    with pytest.raises(UsageError, match=r"ambiguous.*abcd11110000000.*abcd22220000000"):
        repo.documents.get_document("abcd")
    with pytest.raises(UsageError, match="too short"):
        repo.documents.get_document("abc")
    with pytest.raises(NotFoundError):
        repo.documents.get_document("abce")
    with pytest.raises(NotFoundError):
        repo.documents.get_document("zz*?[]")


def test_filters_and_order(repo: SQLiteStore) -> None:
    docs = [
        make_doc("d1 " * 9, outlet="Le Monde", published="2022-09-06", language="fr"),
        make_doc("d2 " * 9, outlet="LE MONDE", published="2022-09-30T23:00:00Z"),
        make_doc("d3 " * 9, outlet="Les Échos", published="2022-10-01", language="en"),
        make_doc("d4 " * 9, outlet="AP", published=None),
        make_doc("d5 " * 9, outlet=None, published="2021-01-01", language=None),
    ]
    repo.documents.add_documents(docs)

    def titles(**kw: Any) -> list[str]:
        return [s.id for s in repo.documents.list_documents(DocumentFilter(**kw))]

    ids = [d.id for d in docs]
    assert titles() == [ids[2], ids[1], ids[0], ids[4], ids[3]]  # undated last
    assert titles(outlet="le monde") == [ids[1], ids[0]]
    assert titles(outlet="les échos") == titles(outlet="LES ÉCHOS") == [ids[2]]
    assert titles(language="FR") == [ids[1], ids[0], ids[3]]
    assert titles(since="2022-09") == [ids[2], ids[1], ids[0]]
    assert titles(until="2022-09") == [ids[1], ids[0], ids[4]]  # until is prefix-inclusive
    assert titles(since="2022-09-07", until="2022-09-30") == [ids[1]]
    assert titles(limit=2, offset=1) == [ids[1], ids[0]]
    assert repo.documents.count_documents(DocumentFilter(outlet="le monde", limit=1)) == 2
    with pytest.raises(UsageError):
        repo.documents.list_documents(DocumentFilter(limit=-1))


def test_full_text_search_with_accents(repo: SQLiteStore) -> None:
    a = make_doc("Le président Macron a reçu l'ambassadeur à l'Élysée.", title="Diplomatie")
    b = make_doc("The president met the ambassador.", title="Élections à Noël", language="en")
    repo.documents.add_documents([a, b])

    def found(query: str) -> set[str]:
        return {
            s.id for s in repo.documents.list_documents(DocumentFilter(query=text_query(query)))
        }

    assert found("président") == found("president") == {a.id, b.id}
    assert found("elysee") == found("ÉLYSÉE") == {a.id}
    assert found("reçu") == found("recu") == {a.id}
    assert found("noel") == {b.id}  # titles are indexed
    assert found("ambassad*") == {a.id, b.id}
    assert found('"président Macron"') == {a.id}
    assert found("macron OR met") == {a.id, b.id}
    assert found("  ") == {a.id, b.id}  # a blank query is no filter
    assert repo.documents.count_documents(DocumentFilter(query=text_query("elysee"))) == 1

    # replacing the text keeps the index in sync
    new_text = "Le chancelier Scholz a reçu l'ambassadeur."
    repo.documents.replace_document_text(
        replace(a, text=new_text, sentences=(Sentence(0, len(new_text)),), removed=())
    )
    assert found("elysee") == set()
    assert found("scholz") == {a.id}
    stored = repo.documents.get_document(a.id)
    assert (stored.text, stored.sentences, stored.removed) == (new_text, (Sentence(0, 42),), ())
    with pytest.raises(NotFoundError):
        repo.documents.replace_document_text(make_doc("not stored"))


@pytest.mark.parametrize("query", ['"unterminated', "-texte", "   *  ", '""'])
def test_bad_search_query_is_a_usage_error(query: str) -> None:
    with pytest.raises(UsageError, match="invalid search query"):
        text_query(query) if query.strip() else TextQuery.parse(query)


@pytest.mark.parametrize("query", ["AND", "title:", "nosuchcolumn:x", "NEAR(a b)", "l'état"])
def test_search_syntax_of_a_backend_is_only_words(repo: SQLiteStore, query: str) -> None:
    """What FTS5 would read as operators or columns is searched as words: no query a
    user types can fail inside the store or reach its syntax."""
    other, holder = make_doc("texte"), make_doc(f"on y lit {query} ici")
    repo.documents.add_documents([other, holder])
    found = repo.documents.list_documents(DocumentFilter(query=text_query(query)))
    assert [r.id for r in found] == [holder.id]


def test_rejections_are_deduplicated(repo: SQLiteStore) -> None:
    rej = [Rejection("a.txt", "no-text", "empty"), Rejection("b.txt", "too-large")]
    assert repo.documents.add_rejections(rej) == 2
    assert repo.documents.add_rejections([*rej, Rejection("a.txt", "encoding", "bad bytes")]) == 1
    stored = repo.documents.list_rejections()
    assert [(r.origin, r.reason) for r in stored] == [
        ("a.txt", "no-text"),
        ("b.txt", "too-large"),
        ("a.txt", "encoding"),
    ]
    assert stored[0].detail == "empty" and stored[0].recorded
    assert len(repo.documents.list_rejections(limit=1)) == 1
    assert repo.documents.count_rejections() == 3
    assert repo.documents.stats() == {"documents": 0, "rejections": 3, "languages": 0, "outlets": 0}


def test_outlet_line_counts(repo: SQLiteStore) -> None:
    d1, d2, d3 = (make_doc(f"doc {i} " * 5, outlet="Le Monde") for i in range(3))
    many = [f"h{i}" for i in range(1200)]  # more than one IN (...) chunk
    lines = {d1.id: ("Le Monde", many), d2.id: ("le monde", ["h1", "h2"])}
    repo.documents.add_documents([d1, d2], outlet_lines=lines)
    repo.documents.add_documents([d3])
    repo.documents.add_outlet_lines("LE MONDE", d3.id, ["h1", "h1", "other"])
    repo.documents.add_outlet_lines("LE MONDE", d3.id, ["h1"])  # idempotent
    counts = repo.documents.outlet_line_counts("le monde", [*many, "unknown", "h1"])
    assert counts["h1"] == 3 and counts["h2"] == 2 and counts["h999"] == 1
    assert "unknown" not in counts and "other" not in counts
    assert len(counts) == 1200
    assert repo.documents.outlet_line_counts("AP", ["h1"]) == {}
    with pytest.raises(NotFoundError):
        repo.documents.add_outlet_lines("Le Monde", "0123456789abcdef", ["h1"])
    assert repo.documents.stats()["outlets"] == 1


def test_stats_and_language_counts(repo: SQLiteStore) -> None:
    repo.documents.add_documents(
        [make_doc("a1"), make_doc("a2"), make_doc("b", language="en"), make_doc("c", language=None)]
    )
    assert repo.documents.language_counts() == {"fr": 2, "en": 1, None: 1}
    assert repo.documents.stats()["languages"] == 2


def test_new_file_is_migrated_and_reopens(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with SQLiteStore(path) as repo:
        repo.documents.add_documents([make_doc("persisted")])
    with SQLiteStore(path) as repo:
        assert repo.documents.count_documents() == 1
    conn = sqlite3.connect(path)
    version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    assert version == (str(SCHEMA_VERSION),)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    conn.close()
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")  # a zero-byte file is a valid empty database
    SQLiteStore(empty).close()


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    SQLiteStore(path).close()
    with sqlite3.connect(path) as conn:
        newer = str(SCHEMA_VERSION + 1)
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (newer,))
    conn.close()
    with pytest.raises(StoreError, match="newer than this recoupe"):
        SQLiteStore(path)


def test_files_that_are_not_stores_are_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all\n" * 200)
    with pytest.raises(StoreError, match="cannot open store"):
        SQLiteStore(junk)
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    conn.close()
    with pytest.raises(StoreError, match="another application"):
        SQLiteStore(other)
    with pytest.raises(StoreError, match="folder does not exist"):
        SQLiteStore(tmp_path / "missing" / "s.db")
    with pytest.raises(StoreError, match="folder"):
        SQLiteStore(tmp_path)


def test_closed_store_raises(tmp_path: Path) -> None:
    repo = SQLiteStore(tmp_path / "s.db")
    repo.close()
    repo.close()  # idempotent
    with pytest.raises(StoreError, match="closed"):
        repo.documents.count_documents()


_texts = st.text(max_size=40)
_opt = st.none() | _texts


@settings(max_examples=60, deadline=None)
@given(
    meta=st.builds(
        Metadata,
        url=_opt,
        outlet=_opt,
        title=_opt,
        author=_opt,
        published=_opt,
        fetched=_opt,
        language=_opt,
    ),
    removed=st.lists(
        st.builds(
            RemovedLine, st.integers(0, 10**6), _texts, _texts, st.integers(0, 10**6), st.booleans()
        ),
        max_size=4,
    ),
    raw=st.text(max_size=200),
)
def test_roundtrip_of_arbitrary_text(meta: Metadata, removed: list[RemovedLine], raw: str) -> None:
    doc = replace(make_doc(raw or "x", raw), meta=meta, removed=tuple(removed))
    with SQLiteStore(":memory:") as repo:
        assert repo.documents.add_documents([doc]) == 1
        assert repo.documents.get_document(doc.id) == doc
        repo.documents.list_documents(DocumentFilter(outlet=meta.outlet, since=meta.published))


CHILD = """
import hashlib, sys
from recoupe.store.sqlite import SQLiteStore
from recoupe.types import Document, InputKind, Metadata, RemovedLine, Sentence

def make(i):
    text = f"Article {i}. " + "Le ministre a déclaré mardi que tout allait bien. " * 40
    digest = hashlib.sha256(text.encode()).hexdigest()
    return Document(digest[:16], digest, f"kill#{i}", InputKind.TEXT, Metadata(outlet="AP"),
                    text, False, text, (RemovedLine(1, "Partager", "share", 0),), "fr",
                    tuple(Sentence(k, k + 10) for k in range(0, 400, 20)))

path, batches, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
added = 0
with SQLiteStore(path) as repo:
    for b in range(batches):
        docs = [make(b * size + k) for k in range(size)]
        lines = {d.id: ("AP", [f"{d.id}-{n}" for n in range(10)]) for d in docs}
        added += repo.documents.add_documents(docs, outlet_lines=lines)
        print(b + 1, flush=True)
print("added", added, flush=True)
"""


def test_killed_writer_leaves_a_consistent_store(tmp_path: Path) -> None:
    path, batches, size = tmp_path / "kill.db", 40, 50
    pythonpath = os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "PYTHONPATH": pythonpath}
    cmd = [sys.executable, "-c", CHILD, str(path), str(batches), str(size)]
    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env)
    assert child.stdout is not None
    committed = 0
    while committed < 3:  # let a few batches commit, then kill it mid-way
        line = child.stdout.readline()
        assert line, "child ended early"
        committed = int(line)
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL

    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.execute("INSERT INTO documents_fts (documents_fts) VALUES ('integrity-check')")
    stored = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    lines = conn.execute("SELECT count(*) FROM outlet_lines").fetchone()[0]
    conn.close()
    assert committed * size <= stored < batches * size
    assert stored % size == 0  # whole batches only
    assert lines == stored * 10  # evidence committed with its documents

    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
    assert done.stdout.splitlines()[-1] == f"added {batches * size - stored}"
    with SQLiteStore(path) as repo:
        assert repo.documents.count_documents() == batches * size
        assert repo.documents.outlet_line_counts("ap", ["x"]) == {}


def test_threads_and_second_connection_can_write_together(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    shared, other = SQLiteStore(path), SQLiteStore(path)

    def work(repo: SQLiteStore, base: int) -> None:
        for i in range(10):
            repo.documents.add_documents([make_doc(f"thread doc {base + i}")])
            repo.documents.list_documents(DocumentFilter(limit=5))

    threads = [
        threading.Thread(target=work, args=(repo, base))
        for repo, base in ((shared, 0), (shared, 100), (other, 200), (other, 0))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert shared.documents.count_documents() == other.documents.count_documents() == 30
    shared.close()
    other.close()
