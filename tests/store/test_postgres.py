"""What is PostgreSQL's own beyond the contract suite: opening (migrations once, under
concurrent openers; foreign or newer schemas refused; ``create=False``), the URL shown
without its password, and the search predicate keeping user text out of the SQL."""

from __future__ import annotations

import threading

import psycopg
import pytest

from recoupe.errors import StoreError
from recoupe.store.factory import open_store
from recoupe.store.postgres import SCHEMA_VERSION, PostgresStore
from recoupe.store.postgres.database import redacted
from recoupe.store.postgres.search import predicate, text_config
from recoupe.types import TextQuery
from tests.store.backends import postgres_schema

CONFIGS = frozenset({"french", "english", "simple"})


def test_predicate_binds_every_user_word() -> None:
    hostile = "x'); DROP TABLE documents; --"
    query = TextQuery.parse(f'{hostile} "zone portuaire" usin* a OR b -Calais')
    sql, params = predicate(query, ["fr", "en", None], CONFIGS)
    for word in ("DROP", "documents", "zone", "usin", "calais", "Calais"):
        assert word not in sql
    assert sql.count("%s") == len(params)
    assert "usin" in params and "zone portuaire" in params and "calais" in params
    assert {"french", "english", "simple"} <= set(params)


def test_text_config_falls_back_to_simple() -> None:
    assert text_config("fr", CONFIGS) == "french"
    assert text_config("EN", CONFIGS) == "english"
    assert text_config("pl", CONFIGS) == "simple"  # no Polish configuration here
    assert text_config(None, CONFIGS) == "simple"


def test_redacted_url_hides_the_password() -> None:
    assert redacted("postgresql://ann:s3cret@db.example:5433/news") == (
        "postgresql://ann@db.example:5433/news")
    assert redacted("postgresql:///news?host=/tmp/x") == "postgresql:///news?host=/tmp/x"


def test_opening_migrates_once_and_refuses_what_it_cannot_read() -> None:
    with postgres_schema() as url:
        with pytest.raises(StoreError, match="no store at"):
            open_store(url, create=False)
        errors: list[BaseException] = []

        def open_close() -> None:
            try:
                PostgresStore(url).close()
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=open_close) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        with open_store(url, create=False) as store:
            assert isinstance(store, PostgresStore) and "options=" in store.location
        with psycopg.connect(url, autocommit=True) as conn:
            version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'")
            assert version.fetchone() == (str(SCHEMA_VERSION),)
            conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
        with pytest.raises(StoreError, match="newer"):
            PostgresStore(url)
    with postgres_schema() as url:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE TABLE invoices (id int)")
        with pytest.raises(StoreError, match="another application"):
            PostgresStore(url)


def test_unreachable_server_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="cannot open store"):
        PostgresStore("postgresql:///nope?host=/nonexistent-socket-dir&connect_timeout=1")


def test_a_dropped_connection_fails_one_call_then_reconnects() -> None:
    from tests.store.test_contract import DROUGHT, FIRE

    with postgres_schema() as url:
        name = url.rsplit("recoupe_test_", 1)[1]  # this store's connections only
        store = PostgresStore(f"{url}&application_name={name}")
        store.documents.add_documents([FIRE])
        assert store.documents.count_documents() == 1
        with psycopg.connect(url, autocommit=True) as admin:  # as a server restart would
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = %s",
                (name,),
            )
        with pytest.raises(StoreError):
            store.documents.add_documents([DROUGHT])
        assert store.documents.add_documents([DROUGHT]) == 1
        assert store.documents.count_documents() == 2  # readers: checked, replaced
        store.close()


def test_concurrent_writers_of_the_same_articles_store_each_once() -> None:
    from tests.store.test_contract import doc

    docs = [doc(f"article {i} of a wire story") for i in range(60)]
    with postgres_schema() as url:
        stores = [PostgresStore(url) for _ in range(3)]
        added: list[int] = []

        def write(store: PostgresStore) -> None:
            added.append(sum(store.documents.add_documents(docs[i : i + 7])
                             for i in range(0, len(docs), 7)))  # fmt: skip

        threads = [threading.Thread(target=write, args=(s,)) for s in stores]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sum(added) == len(docs)
        assert stores[0].documents.count_documents() == len(docs)
        for s in stores:
            s.close()
