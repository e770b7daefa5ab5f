"""The embedded SQLite backend of the ``Store`` contract (stdlib ``sqlite3`` only).

``SQLiteStore`` owns one ``SQLiteDatabase`` (connections, transactions, migrations; see
``database.py`` for why it is built that way) and hands it to the four parts, one module
each: ``documents``, ``copies``, ``stories``, ``findings``. See ``schema.py`` for the
table layout.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

from recoupe.store.copies import SQLiteCopies
from recoupe.store.database import SQLiteDatabase
from recoupe.store.documents import SQLiteDocuments
from recoupe.store.findings import SQLiteFindings
from recoupe.store.schema import SCHEMA_VERSION
from recoupe.store.stories import SQLiteStories

__all__ = ["SCHEMA_VERSION", "SQLiteStore"]


class SQLiteStore:
    """A recoupe store in one SQLite file (or ``":memory:"``, for tests).

    Raises StoreError if the file cannot be opened, is not a recoupe store, or was
    written by a newer schema version. Usable as a context manager (closes on exit) and
    from several threads (writes are serialised, reads run on per-thread connections).
    """

    def __init__(self, path: Path | str) -> None:
        self._db = SQLiteDatabase(path)
        self._documents = SQLiteDocuments(self._db)
        self._copies = SQLiteCopies(self._db)
        self._stories = SQLiteStories(self._db)
        self._findings = SQLiteFindings(self._db)

    @property
    def path(self) -> Path | str:
        return self._db.path

    @property
    def location(self) -> str:
        return str(self._db.path)

    @property
    def documents(self) -> SQLiteDocuments:
        return self._documents

    @property
    def copies(self) -> SQLiteCopies:
        return self._copies

    @property
    def stories(self) -> SQLiteStories:
        return self._stories

    @property
    def findings(self) -> SQLiteFindings:
        return self._findings

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
