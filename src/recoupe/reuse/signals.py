"""Cheap lexical signals of sentence reuse, computed before any embedding.

A copied sentence keeps its characters (verbatim/near), a re-translated one keeps its
names and numbers ("Mohajer-6", "2019", "Donetsk") even when every other word changes.
Character overlap decides verbatim/near links on its own, without the encoder; the
other signals are recorded on each link for display and later rules. Measured (see
docs/reuse.md): adding a bonus for shared names/numbers to the encoder cosine did *not*
separate translations from hard negatives better - the sentences of one article share
their names too - so the semantic decision is the cosine alone.

* ``chars``: character 4-grams of the normalised sentence (``shingles.char_shingles``):
  tolerant to small edits, punctuation and inflection.
* ``content``: folded words of 4+ letters (or any digit): a language-free stand-in for
  "content words" that drops most function words without a stop list.
* ``numbers``: digit groups with thousands separators removed ("1,200" = "1 200").
* ``names``: folded capitalised words that do not open the sentence, truncated to
  ``NAME_PREFIX`` letters so inflections and cognate spellings meet across languages
  (Russie/Russia/Russian -> "russi", Moscou/Moscow -> "mosco"); transliteration
  variants do not ("Lougansk"/"Louhansk"): the encoder has to carry those.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from recoupe.reuse.normalize import fold, normalize
from recoupe.reuse.shingles import normalized_shingles

NAME_PREFIX = 5
_NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f ]\d{3})*(?:[.,]\d+)?")
_WORD = re.compile(r"\w+")
_LETTERS = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True, slots=True)
class SentenceSignals:
    """Lexical fingerprint of one sentence."""

    norm_len: int
    normalized: str  # ``normalize`` of the sentence: its shingles' text, its exact-copy key
    chars: frozenset[str]
    content: frozenset[str]
    numbers: frozenset[str]
    names: frozenset[str]


def _numbers(text: str) -> frozenset[str]:
    return frozenset(re.sub(r"[\s.,\u00a0\u202f]", "", m) for m in _NUMBER.findall(text))


def _names(text: str) -> frozenset[str]:
    words = _LETTERS.findall(text)[1:]
    return frozenset(fold(w)[:NAME_PREFIX] for w in words if len(w) >= 3 and w[0].isupper())


def sentence_signals(text: str) -> SentenceSignals:
    folded = fold(text)
    content = frozenset(w for w in _WORD.findall(folded) if len(w) >= 4 or w.isdigit())
    norm = normalize(text)
    return SentenceSignals(len(folded), norm, normalized_shingles(norm), content,
                           _numbers(text), _names(text))  # fmt: skip


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


@dataclass(frozen=True, slots=True)
class PairSignals:
    """Lexical comparison of two sentences."""

    char_jaccard: float
    char_containment: float
    content_overlap: int
    shared_names: int
    shared_numbers: int
    number_conflict: bool  # both carry numbers and share none
    length_ratio: float  # shorter / longer normalised length


def compare(a: SentenceSignals, b: SentenceSignals) -> PairSignals:
    """The pair's signals. The character sets are intersected once and the Jaccard and
    the containment (share of the smaller set found in the other) both follow from that
    size: three set operations on the shingles of two sentences were most of the cost
    of aligning two articles, 4.35 million pairs on the real corpus."""
    inter = len(a.chars & b.chars)
    union = len(a.chars) + len(b.chars) - inter
    small = min(len(a.chars), len(b.chars))
    shared_numbers = len(a.numbers & b.numbers)
    return PairSignals(
        char_jaccard=inter / union if union else 0.0,
        char_containment=inter / small if small else 0.0,
        content_overlap=len(a.content & b.content),
        shared_names=len(a.names & b.names),
        shared_numbers=shared_numbers,
        number_conflict=bool(a.numbers and b.numbers and not shared_numbers),
        length_ratio=min(a.norm_len, b.norm_len) / max(a.norm_len, b.norm_len, 1),
    )
