"""Which backend a store location means: ``postgresql://...`` (or ``postgres://``) is a
PostgreSQL server (``store.postgres``, psycopg 3), anything else a SQLite file (the
embedded default). The one place a backend is chosen: above it, code sees ``Store``."""

from __future__ import annotations

from pathlib import Path

from recoupe.config import SERVER_SCHEMES
from recoupe.errors import StoreError
from recoupe.store.base import Store


def is_server_url(location: str | Path) -> bool:
    return str(location).startswith(SERVER_SCHEMES)


def open_store(location: str | Path, *, create: bool = True) -> Store:
    """The store at ``location``. ``create=False`` refuses a SQLite path with no file, or
    a PostgreSQL schema with no store (a long-lived reader such as the web UI: an empty
    new store would hide a wrong location).
    StoreError when it cannot be opened."""
    if is_server_url(location):
        try:
            from recoupe.store.postgres import PostgresStore
        except ImportError as exc:
            raise StoreError(
                f"cannot open a PostgreSQL store: {exc.name} is not installed "
                "(pip install 'recoupe[postgres]')"
            ) from exc
        return PostgresStore(str(location), create=create)
    from recoupe.store.sqlite import SQLiteStore

    if not create and str(location) != ":memory:" and not Path(location).is_file():
        raise StoreError(f"no store at {location}: create one with `recoupe ingest`")
    return SQLiteStore(location)
