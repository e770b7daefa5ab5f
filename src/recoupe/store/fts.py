"""The backend-neutral ``TextQuery`` written as an SQLite FTS5 ``MATCH`` expression.

Every user word is quoted, so no FTS5 operator or column name can come from the user's
input ("l'état", "AND", "title:x" are words); phrases stay phrases, a trailing ``*`` a
prefix, alternatives an ``OR`` group, excluded words become ``NOT``. The index folds case
and accents (``unicode61 remove_diacritics 2``), so "etat" finds "État".
"""

from __future__ import annotations

import sqlite3

from recoupe.types import TextQuery


def _quoted(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _item(words: tuple[str, ...]) -> str:
    """One word (a trailing ``*``: a prefix) or a phrase, quoted."""
    if len(words) == 1 and words[0].endswith("*"):
        return _quoted(words[0][:-1]) + "*"
    return _quoted(" ".join(words))


def match_expression(query: TextQuery) -> str:
    """The FTS5 ``MATCH`` string of ``query``."""
    positive = [_item((t,)) for t in query.terms] + [_item(p) for p in query.phrases]
    positive += ["(" + " OR ".join(_item(a) for a in alts) + ")" for alts in query.either]
    expr = " AND ".join(positive)
    for word in query.excluded:
        expr += f" NOT {_quoted(word)}"
    return expr


def fts_matches(conn: sqlite3.Connection, query: TextQuery | None) -> int | None:
    """How many documents a full-text query matches (None without a query), read from
    the FTS index alone: no document row is read (a few ms for a word in most of 100k
    articles). Decides how a listing is planned (see ``rows.where_clause``)."""
    if query is None:
        return None
    sql = "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH ?"
    return int(conn.execute(sql, [match_expression(query)]).fetchone()[0])
