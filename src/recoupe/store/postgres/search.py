"""The backend-neutral ``TextQuery`` as a PostgreSQL predicate over ``tsvector`` columns.

Each part of the query becomes a boolean SQL expression whose ``tsquery`` is built by the
server's own functions from bound parameters (``plainto_tsquery``, ``phraseto_tsquery``),
so no user text is ever part of the SQL or parsed as ``tsquery`` syntax:

* a word matches an article if one of its stems is in ``stems`` - the word stemmed by
  the configuration of each language the store holds, as typed and unaccented - or if
  the word itself is in ``exact`` ("incendies" finds "incendie");
* a phrase matches consecutive words of ``exact`` (``<->``); a prefix (``usin*``) any
  word of ``exact`` it begins (``:*``);
* alternatives are ``OR``-ed, excluded words ``AND NOT``-ed.

Words are cut (``stemming.words``), case-folded and unaccented in Python before they
reach the server, exactly as the indexed text was (``fold``), so "etat" finds "État"
and "bachar al-assad" finds "Bachar al-Assad" and "Bachar Al Assad", as in SQLite.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from recoupe.store.stemming import ALGORITHMS, words
from recoupe.types import TextQuery
from recoupe.types.folding import unaccented

Words = tuple[str, ...]


def fold(text: str) -> str:
    """How text is indexed in ``exact`` and compared there: case-folded, unaccented."""
    return unaccented(text.casefold())


def text_config(language: str | None, available: frozenset[str]) -> str:
    """The text-search configuration of an article's language (``simple`` when the
    server has no stemmer for it)."""
    name = ALGORITHMS.get((language or "").lower())
    return name if name is not None and name in available else "simple"


class Predicate:
    """SQL of one predicate and its parameters, built piece by piece."""

    def __init__(self, languages: Iterable[str | None], available: frozenset[str]) -> None:
        self.configs = sorted({text_config(lang, available) for lang in languages} or {"simple"})
        self.params: list[object] = []

    def word(self, word: str) -> str:
        """A word through its stems (and itself); its parts (``l'état``) must all match."""
        parts = words(word) or [word.casefold()]
        return "(" + " AND ".join(self._stemmed(p) for p in parts) + ")"

    def _stemmed(self, part: str) -> str:
        forms = list(dict.fromkeys((part, fold(part))))
        stems = []
        for config in self.configs:
            for form in forms:
                stems.append("plainto_tsquery(%s::regconfig, %s)")
                self.params += [config, form]
        self.params.append(fold(part))
        return f"(d.stems @@ ({' || '.join(stems)}) OR d.exact @@ plainto_tsquery('simple', %s))"

    def phrase(self, phrase: Words) -> str:
        self.params.append(" ".join(words(fold(" ".join(phrase)))))
        return "d.exact @@ phraseto_tsquery('simple', %s)"

    def prefix(self, word: str) -> str:
        """``usin*``: the last word part is a prefix, the parts before it a phrase. The
        parts are word characters only (``words``), so quoting them as a ``tsquery``
        literal (``quote_literal``) cannot produce an operator."""
        parts = words(fold(word)) or [fold(word)]
        last = "to_tsquery('simple', quote_literal(%s) || ':*')"
        if len(parts) == 1:
            self.params.append(parts[0])
            return f"d.exact @@ {last}"
        self.params += [" ".join(parts[:-1]), parts[-1]]
        return f"d.exact @@ (phraseto_tsquery('simple', %s) <-> {last})"

    def item(self, alternative: Words) -> str:
        if len(alternative) > 1:
            return self.phrase(alternative)
        if alternative[0].endswith("*"):
            return self.prefix(alternative[0][:-1])
        return self.word(alternative[0])


def predicate(
    query: TextQuery, languages: Sequence[str | None], available: frozenset[str]
) -> tuple[str, list[object]]:
    """``(sql, params)``: a boolean expression over the documents row ``d``."""
    p = Predicate(languages, available)
    clauses = [p.item((t,)) for t in query.terms]
    clauses += [p.item(phrase) for phrase in query.phrases]
    clauses += ["(" + " OR ".join(p.item(a) for a in alts) + ")" for alts in query.either]
    clauses += [f"NOT {p.item((w,))}" for w in query.excluded]
    return "(" + " AND ".join(clauses) + ")", p.params
