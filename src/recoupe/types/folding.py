"""Accent- and case-insensitive forms of words, for keys and matching (not for display).

``unaccented``: Unicode NFKD with the combining marks removed ("Élysée" -> "Elysee",
"ﬁ" -> "fi"); ``folded``: the same of the case-folded text. Both are called for every
word of a search snippet and every quote of a story page: ASCII text, the commonest,
skips the decomposition (it would not change it), and the marks are removed by one
``str.translate`` over a table filled as characters are met, not by a generator over
each character (three to ten times faster on a story page). ``fold_class`` and
``folds_one_to_one`` let a search snippet find words by their folded form with one
regular expression over the unfolded text.
"""

from __future__ import annotations

import re
import unicodedata

_TABLE_MAX = 1 << 16


class _NoCombining(dict[int, int | None]):
    """``str.translate`` table deleting combining characters, filled lazily."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        if len(self) < _TABLE_MAX:  # bounded: a hostile text may hold every code point
            self[code] = kept
        return kept


_NO_COMBINING = _NoCombining()


def unaccented(text: str) -> str:
    """``text`` decomposed (NFKD), without its combining marks."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFKD", text).translate(_NO_COMBINING)


def folded(text: str) -> str:
    """``text`` case-folded, decomposed (NFKD), without its combining marks."""
    if text.isascii():
        return text.lower()
    return unaccented(text.casefold())


# Characters a text is matched in without folding it: ASCII, the Latin blocks (Latin-1,
# Extended-A/B, Extended Additional), general punctuation (’ “ ” — …) and currency signs,
# each whose fold is one character that is a word character exactly when it is one.
_BLOCKS = [*range(0x250), *range(0x1E00, 0x1F00), *range(0x2000, 0x2070), *range(0x20A0, 0x20D0)]
_WORDLY = re.compile(r"[^\W_]")
_FOLDS_TO: dict[str, list[str]] = {}
for _code in _BLOCKS:
    _c = chr(_code)
    _f = folded(_c)
    if len(_f) == 1 and bool(_WORDLY.match(_c)) == bool(_WORDLY.match(_f)):
        _FOLDS_TO.setdefault(_f, []).append(_c)
_SIMPLE = frozenset(c for group in _FOLDS_TO.values() for c in group)
_NOT_SIMPLE = re.compile("[^" + "".join(sorted(re.escape(c) for c in _SIMPLE)) + "]")


def folds_one_to_one(text: str) -> bool:
    """Whether every character of ``text`` is of the blocks above and folds to exactly
    one character, as wordly as itself (then ``fold_class`` of each folded letter finds
    it, and the text's words are where its fold's words are)."""
    return _NOT_SIMPLE.search(text) is None


def fold_class(char: str) -> str:
    """A regular expression matching the characters of the blocks above whose fold is
    ``char`` ("e" -> "[eEéÉèÈ...]"; none, as for "é", never matches): a word is found
    by its folded form without folding the text (a search snippet)."""
    found = _FOLDS_TO.get(char)
    if not found:
        return "(?!)"
    return "[" + "".join(re.escape(c) for c in found) + "]"
