"""The one owner of a PostgreSQL store's connections and transactions (psycopg 3).

Why it is built this way (the SQLite twin is ``store.database``):

* **One writer per store object.** Writes go through one connection behind a lock, one
  transaction per call (``Store`` contract: a killed run leaves the store as of the last
  call). Writers of other processes (workers of a cluster) run their own transactions;
  the server orders them, and every write is an upsert or a targeted delete, so two
  writers of the same rows never duplicate them.
* **Readers from a pool.** The web server is threaded: each read borrows a connection of
  a small pool (``psycopg_pool``) and runs one ``REPEATABLE READ READ ONLY`` transaction,
  so a multi-query read (a page and its count) sees one snapshot, and readers never wait
  for the writer.
* **Schema evolution.** ``schema.MIGRATIONS`` is applied in order when the store opens,
  one transaction each under an advisory lock (two processes opening a new database at
  once migrate it once); a database written by a newer recoupe is refused.

The tables live in the connection's first ``search_path`` schema (``public`` unless the
URL says ``options=-csearch_path=...``), so one database can hold several stores.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import IsolationLevel
from psycopg_pool import ConnectionPool

from recoupe.errors import StoreError
from recoupe.store.postgres.schema import migrate, text_configs

Connection = psycopg.Connection[tuple[Any, ...]]
CONNECT_TIMEOUT_S = 10
POOL_MAX = 8


def redacted(url: str) -> str:
    """``url`` without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    user = f"{parts.username}@" if parts.username else ""
    port = f":{parts.port}" if parts.port else ""
    return urlunsplit(parts._replace(netloc=f"{user}{host}{port}"))


def _configure_reader(conn: Connection) -> None:
    conn.isolation_level = IsolationLevel.REPEATABLE_READ
    conn.read_only = True


class PostgresDatabase:
    """Connections to one PostgreSQL store; see the module docstring."""

    def __init__(self, url: str, *, create: bool = True) -> None:
        self.url = url
        self.location = redacted(url)
        self._lock = threading.RLock()
        self._closed = False
        try:
            self._writer = psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)
        except psycopg.Error as exc:
            raise StoreError(f"cannot open store {self.location}: {exc}") from exc
        try:
            migrate(self._writer, self.location, create)
            self.configs = text_configs(self._writer)
        except psycopg.Error as exc:
            self._writer.close()
            raise StoreError(f"cannot open store {self.location}: {exc}") from exc
        except BaseException:
            self._writer.close()
            raise
        self._pool = ConnectionPool(
            url,
            min_size=1,
            max_size=POOL_MAX,
            kwargs={"autocommit": True, "connect_timeout": CONNECT_TIMEOUT_S},
            configure=_configure_reader,
            check=ConnectionPool.check_connection,  # a server restart: fresh connections
            open=True,
            name="recoupe-readers",
        )

    @contextmanager
    def transaction(
        self, what: str, *, write: bool
    ) -> Iterator[Connection]:
        """One transaction; psycopg errors become StoreError, anything raised rolls back."""
        if self._closed:
            raise StoreError(f"store {self.location} is closed")
        try:
            if write:
                with self._lock:
                    if self._writer.broken or self._writer.closed:
                        self._reconnect()
                    with self._writer.transaction():
                        yield self._writer
            else:
                with self._pool.connection() as conn, conn.transaction():
                    yield conn
        except psycopg.Error as exc:
            raise StoreError(f"{what} failed: {exc}") from exc
        except UnicodeEncodeError as exc:
            raise StoreError(f"{what} failed: text is not valid Unicode ({exc})") from exc

    def _reconnect(self) -> None:
        """A new writer connection after the server dropped the old one (a restart):
        the failed call raised; the next one writes again."""
        with suppress(psycopg.Error):
            self._writer.close()
        self._writer = psycopg.connect(self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            with suppress(psycopg.Error):
                self._pool.close()
            self._writer.close()
