"""The PostgreSQL backend of the ``Store`` contract (psycopg 3, ``pip install
'recoupe[postgres]'``), selected by a ``postgresql://`` store location.

``PostgresStore`` owns one ``PostgresDatabase`` (writer connection, reader pool,
migrations: ``database.py``) and hands it to the four parts, one module each, like the
SQLite backend: ``documents``, ``copies``, ``stories``, ``findings``. Full-text search
is ``search.py``; the table layout ``schema.py``.
"""

from __future__ import annotations

from types import TracebackType

from recoupe.store.postgres.copies import PostgresCopies
from recoupe.store.postgres.database import PostgresDatabase
from recoupe.store.postgres.documents import PostgresDocuments
from recoupe.store.postgres.findings import PostgresFindings
from recoupe.store.postgres.schema import SCHEMA_VERSION
from recoupe.store.postgres.stories import PostgresStories

__all__ = ["SCHEMA_VERSION", "PostgresStore"]


class PostgresStore:
    """A recoupe store in a PostgreSQL database (the tables of one schema).

    Raises StoreError if the server cannot be reached, the schema holds another
    application's tables, or it was written by a newer schema version; with
    ``create=False``, also if the schema holds no store yet. Usable as a context manager
    and from several threads."""

    def __init__(self, url: str, *, create: bool = True) -> None:
        self._db = PostgresDatabase(url, create=create)
        self._documents = PostgresDocuments(self._db)
        self._copies = PostgresCopies(self._db)
        self._stories = PostgresStories(self._db)
        self._findings = PostgresFindings(self._db)

    @property
    def location(self) -> str:
        return self._db.location

    @property
    def documents(self) -> PostgresDocuments:
        return self._documents

    @property
    def copies(self) -> PostgresCopies:
        return self._copies

    @property
    def stories(self) -> PostgresStories:
        return self._stories

    @property
    def findings(self) -> PostgresFindings:
        return self._findings

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
