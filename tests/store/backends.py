"""The store backends a contract test runs against: in-memory, SQLite and PostgreSQL.

PostgreSQL is the server named by ``RECOUPE_TEST_POSTGRES`` (a ``postgresql://`` URL;
``.ci/postgres.sh start`` starts a throwaway one and prints it). Each store gets a schema
of its own (random name, first in ``search_path``), dropped afterwards. Without the
variable the PostgreSQL cases are skipped - except with ``CI=true``, where a missing
server fails the run: CI must never pass by skipping a backend.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest

from recoupe.store.base import Store

BACKENDS = ("memory", "sqlite", "postgres")


def postgres_url() -> str:
    """The test server's URL; skips (fails under CI=true) when none is configured."""
    url = os.environ.get("RECOUPE_TEST_POSTGRES", "")
    if not url:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but RECOUPE_TEST_POSTGRES is not set (see .ci/postgres.sh)")
        pytest.skip("RECOUPE_TEST_POSTGRES is not set (start one: .ci/postgres.sh start)")
    return url


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A store URL on a fresh schema of the test server, dropped on exit."""
    import psycopg

    url = postgres_url()
    schema = f"recoupe_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    try:
        sep = "&" if "?" in url else "?"
        yield f"{url}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


@contextmanager
def open_backend(kind: str, tmp_path: Path) -> Iterator[Store]:
    """A new, empty store of backend ``kind``, closed on exit."""
    store: Store
    if kind == "memory":
        from recoupe.store.memory import MemoryStore

        with MemoryStore() as store:
            yield store
    elif kind == "sqlite":
        from recoupe.store.sqlite import SQLiteStore

        with SQLiteStore(tmp_path / "contract.db") as store:
            yield store
    else:
        from recoupe.store.postgres import PostgresStore

        with postgres_schema() as url, PostgresStore(url) as store:
            yield store
