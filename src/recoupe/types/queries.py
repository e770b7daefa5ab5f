"""Value objects of the queries the app asks a store: listing filters and a full-text
query that no backend's syntax leaks into.

A user types ``incendie "zone portuaire" -Calais usin* usine OR atelier``;
``TextQuery.parse`` turns it into words that must all occur, phrases, excluded words,
prefixes and groups of alternatives, and each backend
writes its own query from that (SQLite FTS5 ``MATCH``, PostgreSQL ``tsquery``), so the
same words find the same articles whatever the store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from recoupe.errors import UsageError

MAX_QUERY_TERMS = 32
_TOKEN = re.compile(r'(-?)"([^"]*)"|(-?)([^\s"]+)')
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*\*?")


Words = tuple[str, ...]  # one word (a term, maybe ending in ``*``) or a phrase


@dataclass(frozen=True, slots=True)
class TextQuery:
    """A full-text query: every word of ``terms`` and every phrase of ``phrases`` must
    occur, no word of ``excluded`` may, and of each group of ``either`` ("a OR b") at
    least one alternative (a word or a phrase) must; a term ending with ``*`` matches
    any word it begins. Words are as the user typed them; backends fold case and
    accents."""

    terms: tuple[str, ...] = ()
    phrases: tuple[Words, ...] = ()
    excluded: tuple[str, ...] = ()
    either: tuple[tuple[Words, ...], ...] = ()

    @classmethod
    def parse(cls, text: str) -> TextQuery:
        """Words, "quoted phrases", -excluded words (or ``NOT word``), prefix*, ``a OR b``;
        UsageError when nothing is left to search for or the quotes do not pair up."""
        if text.count('"') % 2:
            raise UsageError(f"invalid search query {text!r}: a quote is not closed")
        items: list[list[Words]] = []  # each: its alternatives (one unless joined by OR)
        excluded: list[str] = []
        join = negate_next = False
        for m in _TOKEN.finditer(text):
            negated = bool(m.group(1) or m.group(3)) or negate_next
            negate_next = False
            if m.group(4) in ("OR", "NOT") and not negated:
                join = m.group(4) == "OR" and bool(items)
                negate_next = m.group(4) == "NOT"
                continue
            if m.group(2) is not None:
                words = tuple(w.rstrip("*") for w in _WORD.findall(m.group(2)))
                found = [words] if words else []
            else:
                found = [(w,) for w in _WORD.findall(m.group(4)) if w.rstrip("*")]
            if negated:
                excluded.extend(w.rstrip("*") for words in found for w in words)
                join = False
                continue
            for n, words in enumerate(found):
                if join and n == 0:
                    items[-1].append(words)
                else:
                    items.append([words])
            join = join and not found
        if not items:
            raise UsageError(f"invalid search query {text!r}: give at least one word to find")
        n_words = sum(len(alts) for alts in items) + len(excluded)
        if n_words > MAX_QUERY_TERMS:
            raise UsageError(f"invalid search query: more than {MAX_QUERY_TERMS} words")
        single = [alts[0] for alts in items if len(alts) == 1]
        return cls(
            tuple(w[0] for w in single if len(w) == 1),
            tuple(w for w in single if len(w) > 1),
            tuple(excluded),
            tuple(tuple(alts) for alts in items if len(alts) > 1),
        )

    def words(self) -> tuple[str, ...]:
        """Every positive word, phrases and alternatives included (for highlighting)."""
        groups = [w for alts in self.either for w in alts]
        return (*(t.rstrip("*") for t in self.terms), *(w for p in self.phrases for w in p),
                *(w.rstrip("*") for g in groups for w in g))  # fmt: skip


def text_query(text: str | None) -> TextQuery | None:
    """``TextQuery.parse`` of a user's input, None for no input (or only spaces)."""
    if text is None or not text.strip():
        return None
    return TextQuery.parse(text)


@dataclass(frozen=True, slots=True)
class DocumentFilter:
    """Filters of an article listing; ``None`` means no filter. Dates are ISO strings
    compared as text, so ``since="2022-09"`` works."""

    language: str | None = None
    outlet: str | None = None
    since: str | None = None
    until: str | None = None
    query: TextQuery | None = None
    limit: int | None = None
    offset: int = 0
    ids: tuple[str, ...] | None = None  # only these articles (full ids)


@dataclass(frozen=True, slots=True)
class StoryFilter:
    """Filters of a story listing (``None``: no filter). ``query`` is a full-text query
    over the stories' articles; dates are ISO prefixes compared with the story's span."""

    language: str | None = None
    outlet: str | None = None
    since: str | None = None
    until: str | None = None
    query: TextQuery | None = None
    topic: int | None = None
    limit: int | None = None
    offset: int = 0
