"""Search snippets: the passage of a found article around the first word the query
matched, that word marked, as the search found it (a word by its stem in the article's
language, a prefix, a phrase's words).

The store finds the articles (its full-text index); this only shows why, from their
text: nothing here decides what matches, so a snippet can miss a match the index made
(a word only in the title) and then shows the article's start, unmarked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from recoupe.store.base import Store
from recoupe.store.stemming import stems_of
from recoupe.types import TextQuery
from recoupe.types.folding import fold_class, folded, folds_one_to_one

SNIPPET_CHARS = 220
MAX_SCANNED = 30_000  # characters of an article looked at for a match
_WORD = re.compile(r"[^\W_]+")

Run = tuple[str, bool]  # a piece of text and whether it is a match


@dataclass(frozen=True, slots=True)
class _Wanted:
    words: frozenset[str]  # unaccented, case-folded query words
    prefixes: tuple[str, ...]

    @classmethod
    def of(cls, query: TextQuery) -> _Wanted:
        alternatives = [w for alts in query.either for words in alts for w in words]
        every = [*query.terms, *(w for p in query.phrases for w in p), *alternatives]
        prefixes = tuple(folded(w[:-1]) for w in every if w.endswith("*") and len(w) > 1)
        return cls(frozenset(folded(w) for w in every if not w.endswith("*")), prefixes)

    def stems(self, language: str | None) -> frozenset[str]:
        return frozenset(s for w in self.words for s in stems_of(w, language).split())


def _matches(text: str, language: str | None, wanted: _Wanted,
             chars: int) -> list[tuple[int, int]]:  # fmt: skip
    """Spans of the words of ``text`` the query matches, from the first one to ``chars``
    past it (what a snippet shows). A word is looked at closely only when its first
    three letters, unaccented, open a query word or stem."""
    stems = wanted.stems(language)
    heads = {w[:3] for w in wanted.words} | {folded(s[:3]) for s in stems}
    heads |= {p[:3] for p in wanted.prefixes}
    out: list[tuple[int, int]] = []
    for m in _candidates(text, min(len(text), MAX_SCANNED), frozenset(heads)):
        if out and m.start() > out[0][0] + chars:
            break
        word = m.group()
        plain = folded(word)
        hit = plain in wanted.words or any(plain.startswith(p) for p in wanted.prefixes)
        if hit or set(stems_of(word, language).split()) & stems:
            out.append(m.span())
    return out


def _candidates(text: str, stop: int, heads: frozenset[str]) -> Iterator[re.Match[str]]:
    """The words of ``text[:stop]`` whose first three letters, unaccented and folded,
    are one of ``heads``. Text whose characters each fold to one (ASCII, Latin) is
    searched with one expression, each head letter as the class of the characters
    folding to it; other text is folded word by word."""
    if not heads:
        return iter(())
    if folds_one_to_one(text[:stop]):
        # A Latin word folds to word characters only: a head with an apostrophe or
        # another non-word character (a query word "O'Brien") opens no word of it.
        heads = frozenset(h for h in heads if _WORD.fullmatch(h))
        return _head_pattern(heads).finditer(text, 0, stop) if heads else iter(())
    return (m for m in _WORD.finditer(text, 0, stop) if folded(m.group()[:3]) in heads)


@lru_cache(maxsize=256)
def _head_pattern(heads: frozenset[str]) -> re.Pattern[str]:
    """A whole word opening with a three-letter head, or equal to a shorter one, in
    any case and accents."""
    def folding(head: str) -> str:
        return "".join(fold_class(c) for c in head)

    long = "|".join(folding(h) for h in sorted(heads) if len(h) >= 3)
    short = "|".join(folding(h) for h in sorted(heads) if len(h) < 3)
    parts = [f"(?:{long})[^\\W_]*"] if long else []
    parts += [f"(?:{short})(?![^\\W_])"] if short else []
    return re.compile(f"(?<![^\\W_])(?:{'|'.join(parts)})")


def snippet(text: str, language: str | None, query: TextQuery,
            chars: int = SNIPPET_CHARS) -> list[Run]:  # fmt: skip
    """About ``chars`` characters of ``text`` around its first match, every match in
    them marked; the start of the text (no mark) when no word matches."""
    found = _matches(text, language, _Wanted.of(query), chars)
    first = found[0][0] if found else 0
    start = max(0, first - chars // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + chars)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > max(first, start) else end
    runs: list[Run] = [("… ", False)] if start else []
    pos = start
    for a, b in found:
        if a < start or b > end:
            continue
        runs += [(text[pos:a], False), (text[a:b], True)]
        pos = b
    runs.append((text[pos:end], False))
    if end < len(text):
        runs.append((" …", False))
    return [(" ".join(piece.split("\n")), hit) for piece, hit in runs if piece]


def snippets(store: Store, ids: Sequence[str], query: TextQuery | None) -> dict[str, list[Run]]:
    """The snippet of each found article (one read of their texts); none without a
    query."""
    if query is None or not ids:
        return {}
    return {r.id: snippet(r.text, r.language, query) for r in store.stories.leads(ids, MAX_SCANNED)}
