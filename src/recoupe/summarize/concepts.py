"""Concepts: the units of information a summary should cover, weighted by support.

Following the concept-coverage model of Gillick & Favre (2009), a summary is scored by
the weighted concepts it covers, each counted once, so redundancy costs instead of
paying. Concepts here are word bigrams (lowercased ``\\w+`` tokens) that are not made of
two stop words: "corée du" / "du nord", "50 000", "ingrid betancourt". A concept's
weight is its **support**: the number of independent origins of the story that carry it
(copies of one wire count once, as for claims), and a concept carried by fewer than
``MIN_SUPPORT`` origins weighs nothing: what several independent articles report is what
the story is about.

Measured on RPM2 (bench/summarization.py, parameters chosen on the odd topics only):
bigrams beat unigrams (R2-F 0.126 vs 0.110 on the tuning half) and spaCy's stop-word
lists beat a list learnt from corpus frequencies (0.126 vs 0.120). Stop words come from
spaCy's per-language lists (already a dependency; no model is loaded), single letters
(elided "l'", "d'") are stop words in every language, and a language spaCy lacks gets
single letters only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from itertools import pairwise

from recoupe.nlp.stopwords import stop_words
from recoupe.reuse.groups import UnionFind

MIN_SUPPORT = 4
__all__ = [
    "MIN_SUPPORT", "Concept", "concepts", "stop_words", "support", "support_floor", "tokens",
]  # fmt: skip


def support_floor(min_support: int, origins: int) -> int:
    """The origins a concept needs to weigh anything in a story of ``origins``
    independent origins: ``min_support``, or all but one in a smaller story (at least
    two where there are two: "reported by several" must stay reachable in a four-article
    story, and one article alone never speaks for a pair)."""
    return min(min_support, max(min(origins, 2), origins - 1))
Concept = tuple[str, ...]
_TOKEN = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    """Lowercased ``\\w+`` tokens (accents kept), as ROUGE is computed here."""
    return _TOKEN.findall(text.casefold())


def _stop(token: str, stops: frozenset[str]) -> bool:
    return token in stops or (len(token) == 1 and not token.isdigit())


def concepts(text: str, language: str | None) -> frozenset[Concept]:
    """Word bigrams of ``text`` with at least one token that is not a stop word."""
    stops = stop_words(language)
    toks = tokens(text)
    return frozenset((a, b) for a, b in pairwise(toks) if not (_stop(a, stops) and _stop(b, stops)))


def support(
    carriers: Mapping[Concept, Sequence[int]],
    origin_of_unit: Sequence[str],
    joined: Mapping[int, Sequence[int]] | None = None,
) -> dict[Concept, int]:
    """Per concept, the number of independent origins among the units carrying it.

    ``carriers``: concept -> unit indices; ``origin_of_unit``: each unit's article origin
    (origin group id, else article id); ``joined``: unit -> units it is a copy of (copied
    passages between otherwise independent articles), whose origins then count once for
    the concepts both carry."""
    out: dict[Concept, int] = {}
    for concept, units in carriers.items():
        origins = {origin_of_unit[u] for u in units}
        if joined and len(origins) > 1:
            uf: UnionFind[str] = UnionFind(origins)
            present = set(units)
            for u in units:
                for v in joined.get(u, ()):
                    if v in present:
                        uf.union(origin_of_unit[u], origin_of_unit[v])
            out[concept] = len({uf.find(o) for o in origins})
        else:
            out[concept] = len(origins)
    return out
