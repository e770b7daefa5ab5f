"""The backend-neutral ``TextQuery`` evaluated in Python over an article's words, with
the semantics of the SQLite index (``store.fts``): a word matches through its stems in
the store's languages (``store.stemming``), a phrase matches consecutive words of the
title or of the text, a prefix (``usin*``) any word it begins; case and accents are
folded everywhere."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from recoupe.store.stemming import query_stems, stems_of, words
from recoupe.types import TextQuery
from recoupe.types.folding import unaccented

Words = tuple[str, ...]


def fold(text: str) -> str:
    return unaccented(text.casefold())


@dataclass(frozen=True, slots=True)
class WordIndex:
    """What a query is matched against, for one article."""

    title: tuple[str, ...]
    text: tuple[str, ...]
    stems: frozenset[str]

    @classmethod
    def of(cls, title: str | None, text: str, language: str | None) -> WordIndex:
        stems = stems_of(f"{title or ''}\n{text}", language)
        return cls(tuple(words(fold(title or ""))), tuple(words(fold(text))),
                   frozenset(fold(s) for s in stems.split()))  # fmt: skip


def _run(sequence: tuple[str, ...], parts: Sequence[str], prefix: bool) -> bool:
    """Whether ``parts`` occur consecutively in ``sequence`` (the last as a prefix)."""
    n = len(parts)
    for i in range(len(sequence) - n + 1):
        window = sequence[i : i + n]
        if list(window[:-1]) == list(parts[:-1]) and (
            window[-1].startswith(parts[-1]) if prefix else window[-1] == parts[-1]
        ):
            return True
    return False


class Matcher:
    """A query resolved for the store's languages, applied to one article at a time."""

    def __init__(self, query: TextQuery, languages: Sequence[str | None]) -> None:
        self.query = query
        self.languages = list(languages)
        self._forms: dict[str, frozenset[str]] = {}

    def _stems(self, part: str) -> frozenset[str]:
        """The forms a query word part may take among an article's stems (computed once
        per query, not once per article)."""
        found = self._forms.get(part)
        if found is None:
            found = frozenset(fold(s) for s in query_stems(part, self.languages))
            self._forms[part] = found
        return found

    def _item(self, alternative: Words, index: WordIndex) -> bool:
        if len(alternative) == 1 and alternative[0].endswith("*"):
            parts = words(fold(alternative[0][:-1]))
            return bool(parts) and (
                _run(index.title, parts, True) or _run(index.text, parts, True)
            )
        if len(alternative) > 1:
            parts = words(fold(" ".join(alternative)))
            return bool(parts) and (
                _run(index.title, parts, False) or _run(index.text, parts, False)
            )
        parts = words(alternative[0]) or [alternative[0]]
        return all(not self._stems(p).isdisjoint(index.stems) for p in parts)

    def matches(self, index: WordIndex) -> bool:
        q = self.query
        return (
            all(self._item((t,), index) for t in q.terms)
            and all(self._item(p, index) for p in q.phrases)
            and all(any(self._item(a, index) for a in alts) for alts in q.either)
            and not any(self._item((w,), index) for w in q.excluded)
        )
