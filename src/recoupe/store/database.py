"""The one owner of a SQLite store's connections and transactions.

Why it is built this way:

* **Crash safety.** Every write is one ``BEGIN IMMEDIATE ... COMMIT`` transaction, so a
  process killed at any point (even SIGKILL) leaves the store as it was after the last
  commit. WAL + ``synchronous=NORMAL`` keeps commits cheap: committed work survives a
  killed process; only a power cut may lose the last commits, never consistency.
* **Concurrency.** One write connection, shared by the threads of a process behind a
  lock, so write transactions never interleave; ``BEGIN IMMEDIATE`` takes the write lock
  up front so two writers never deadlock upgrading a read lock, and writers of other
  processes queue on ``busy_timeout``. Reads run on a connection of their own thread
  (WAL lets them proceed while a writer commits), so a web server's threads answer in
  parallel; each read is one deferred transaction, one snapshot. An in-memory store
  (tests) has one connection for everything.
* **Schema evolution.** ``schema.MIGRATIONS`` is applied in order when the store opens,
  one transaction each; a store written by a newer recoupe is refused rather than misread.

The tables are reached through the store's components (documents, copies, stories,
findings), which all take this object: none of them opens a connection of its own.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from recoupe.errors import StoreError
from recoupe.store.schema import migrate

BUSY_TIMEOUT_S = 30.0


class SQLiteDatabase:
    """Connections to one SQLite file (or ``":memory:"``); see the module docstring."""

    def __init__(self, path: Path | str) -> None:
        self.path = path if str(path) == ":memory:" else Path(path)
        self._lock = threading.RLock()
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._closed = False
        if isinstance(self.path, Path):
            if self.path.is_dir():
                raise StoreError(f"cannot open store {self.path}: it is a folder")
            if not self.path.parent.is_dir():
                raise StoreError(f"cannot open store {self.path}: folder does not exist")
        conn = self._connect(check_same_thread=False)  # guarded by self._lock
        try:
            migrate(conn, str(self.path))
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StoreError(
                f"cannot open store {self.path}: {exc} (is it a recoupe database?)"
            ) from exc
        except BaseException:
            conn.close()
            raise
        self._writer = conn

    @property
    def in_memory(self) -> bool:
        return not isinstance(self.path, Path)

    def _connect(self, check_same_thread: bool) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(
                str(self.path),
                timeout=BUSY_TIMEOUT_S,
                isolation_level=None,  # we issue BEGIN/COMMIT ourselves
                check_same_thread=check_same_thread,
            )
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open store {self.path}: {exc}") from exc
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StoreError(
                f"cannot open store {self.path}: {exc} (is it a recoupe database?)"
            ) from exc
        return conn

    def _reader(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect(check_same_thread=False)  # used by this thread only
            self._local.conn = conn
            with self._lock:
                self._readers.append(conn)
        return conn

    @contextmanager
    def transaction(self, what: str, *, write: bool) -> Iterator[sqlite3.Connection]:
        """One transaction; sqlite3 errors become StoreError, anything raised rolls back.
        Reads use a (deferred) transaction too, so multi-query reads see one snapshot."""
        if self._closed:
            raise StoreError(f"store {self.path} is closed")
        if write or self.in_memory:
            with self._lock:
                yield from self._run(self._writer, what, write)
        else:
            yield from self._run(self._reader(), what, write)

    @staticmethod
    def _run(conn: sqlite3.Connection, what: str, write: bool) -> Iterator[sqlite3.Connection]:
        try:
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise StoreError(f"{what} failed: {exc}") from exc
        except UnicodeEncodeError as exc:
            raise StoreError(f"{what} failed: text is not valid Unicode ({exc})") from exc

    def close(self) -> None:
        """Close every connection (readers of other threads included)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            with suppress(sqlite3.Error):  # best effort: query-planner statistics only
                self._writer.execute("PRAGMA optimize")
            self._writer.close()
            for conn in self._readers:
                with suppress(sqlite3.Error, sqlite3.ProgrammingError):
                    conn.close()
            self._readers.clear()
