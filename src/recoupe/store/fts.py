"""The backend-neutral ``TextQuery`` written as an SQLite FTS5 ``MATCH`` expression.

The index (``documents_fts``) covers each article's exact ``title`` and ``text`` and its
``stems`` (``store.stemming``). A query word is looked up among the stems (any of its
stems in the store's languages, or the word itself), so "incendies" finds "incendie";
a phrase and a prefix (``usin*``) are looked up in the exact title and text.

Every user word is quoted, so no FTS5 operator or column name can come from the user's
input ("l'état", "AND", "title:x" are words); alternatives become an ``OR`` group,
excluded words ``NOT``. The index folds case and accents (``unicode61 remove_diacritics
2``), so "etat" finds "État".
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from recoupe.store.stemming import query_stems, words
from recoupe.types import TextQuery

_EXACT = "{title text}"


def _quoted(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _item(words_: tuple[str, ...], languages: Sequence[str | None]) -> str:
    """One alternative: a word (through its stems), a prefix or a phrase (exact)."""
    if len(words_) == 1 and words_[0].endswith("*"):
        return f"{_EXACT} : ({_quoted(words_[0][:-1])} *)"
    if len(words_) > 1:
        return f"{_EXACT} : {_quoted(' '.join(words_))}"
    parts = words(words_[0]) or [words_[0]]
    stems = [" OR ".join(_quoted(s) for s in query_stems(w, languages)) for w in parts]
    return "stems : (" + " AND ".join(f"({s})" for s in stems) + ")"


def match_expression(query: TextQuery, languages: Sequence[str | None] = ()) -> str:
    """The FTS5 ``MATCH`` string of ``query``, its words stemmed for ``languages``."""
    positive = [_item((t,), languages) for t in query.terms]
    positive += [_item(p, languages) for p in query.phrases]
    positive += [
        "(" + " OR ".join(f"({_item(a, languages)})" for a in alts) + ")" for alts in query.either
    ]
    expr = " AND ".join(f"({p})" for p in positive)
    for word in query.excluded:
        expr += f" NOT ({_item((word,), languages)})"
    return expr


@dataclass(frozen=True, slots=True)
class Search:
    """A full-text query resolved against one store snapshot: its ``MATCH`` expression
    and how many documents it matches (which decides how a listing is planned)."""

    expression: str
    matches: int


def store_languages(conn: sqlite3.Connection) -> list[str | None]:
    """The languages of the stored articles (from the language index: a few ms)."""
    return [r[0] for r in conn.execute("SELECT DISTINCT language FROM documents")]


def resolve(conn: sqlite3.Connection, query: TextQuery | None) -> Search | None:
    """The query's expression and match count (None without a query), read from the
    FTS index alone: no document row is read."""
    if query is None:
        return None
    expression = match_expression(query, store_languages(conn))
    sql = "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH ?"
    return Search(expression, int(conn.execute(sql, [expression]).fetchone()[0]))
