"""Stems for full-text search: "incendies" finds "incendie", "fires" finds "fire".

Each article's words are stemmed with the Snowball stemmer of its language (PyStemmer,
the C build of the Snowball algorithms: ~0.1 ms an article) into the ``stems`` column
the full-text index covers beside the exact title and text. A query word is stemmed with
the stemmer of every language the store holds (an article's language is known, a
query's is not) plus the word itself (articles in a language without a stemmer keep
their words as they are). Words are case-folded first; the index folds accents.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable

import Stemmer

from recoupe.types.folding import unaccented

_WORD = re.compile(r"[^\W_]+")
# ISO 639-1 code -> Snowball algorithm (PyStemmer 3.1 ships these).
ALGORITHMS = {
    "ar": "arabic", "ca": "catalan", "cs": "czech", "da": "danish", "de": "german",
    "el": "greek", "en": "english", "es": "spanish", "et": "estonian", "eu": "basque",
    "fi": "finnish", "fr": "french", "ga": "irish", "hi": "hindi", "hu": "hungarian",
    "hy": "armenian", "id": "indonesian", "it": "italian", "lt": "lithuanian",
    "nb": "norwegian", "ne": "nepali", "nl": "dutch", "no": "norwegian", "pl": "polish",
    "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian",
    "sv": "swedish", "ta": "tamil", "tr": "turkish",
}  # fmt: skip


@functools.cache
def _stemmer(language: str) -> Callable[[list[str]], list[str]] | None:
    algorithm = ALGORITHMS.get(language)
    return None if algorithm is None else Stemmer.Stemmer(algorithm).stemWords


def words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def stems_of(text: str, language: str | None) -> str:
    """The words of ``text`` stemmed for ``language`` (as they are without a stemmer),
    space-separated: the value of the ``stems`` column. A word with accents also gives
    the stem of its unaccented form (Snowball stems "élysée" and "elysee" differently,
    and a user may type either)."""
    found = words(text)
    stem = _stemmer(language or "")
    if stem is None:
        return " ".join(found)
    bare = [unaccented(w) for w in found]
    out = []
    for word, plain, s1, s2 in zip(found, bare, stem(found), stem(bare), strict=True):
        out.append(s1 if plain == word or unaccented(s1) == s2 else f"{s1} {s2}")
    return " ".join(out)


def query_stems(word: str, languages: Iterable[str | None]) -> tuple[str, ...]:
    """The forms a query word may take in the ``stems`` column: the word, and its stem
    in each of ``languages``, as typed and without accents ("président" typed for an
    English article's "president": the English stemmer only stems the second)."""
    folded = word.casefold()
    forms = list(dict.fromkeys((folded, unaccented(folded))))
    out = set(forms)
    for lang in languages:
        stem = _stemmer(lang or "")
        if stem is not None:
            out.update(stem(forms))
    return tuple(sorted(out))
