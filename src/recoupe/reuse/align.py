"""Sentence-level reuse between two articles: which passages carry the same content.

Runs on *candidate* article pairs only (near-duplicates, same story), never on all pairs.
Steps, cheapest first:

1. Lexical signals per sentence (``signals``); sentence pairs sharing a content word
   are compared. Character 4-gram Jaccard >= ``NEAR_MIN`` is a lexical link
   (VERBATIM from ``VERBATIM_MIN``).
2. Sentences not already copied verbatim are embedded (multilingual encoder; vectors
   come from / go to the caller's cache, so a sentence is encoded once however many
   pairs it is in). Pairs with cosine >= ``SEMANTIC_MIN`` are semantic links:
   TRANSLATION across languages, PARAPHRASE within one (re-translations). Within one
   language only sentence pairs sharing ``PARAPHRASE_MIN_KEYS`` content words (stop
   words aside) and ``PARAPHRASE_MIN_JACCARD`` of them are encoded and compared: a
   rewording keeps its content words, and two articles of one story mostly say
   different things (encoding every sentence was 88 % of the copies stage's cost). On
   the same-language pairs of a 500-article sample of the real corpus
   (``bench/pipeline_corpus.py``) the block kept 47 of the 50 sentence pairs with a
   cosine >= ``SEMANTIC_MIN`` and a third of the sentences to encode.
3. One-to-one assignment, greedy by score: a sentence is reused at most once, which is
   what keeps a nearby-but-different sentence (same names, same topic) from linking
   when its true counterpart is present.
4. Links whose sentences are adjacent on both sides merge into passages.

Thresholds (named constants below) were set on data other than the seed articles
(``bench/alignment.py --calibrate`` reproduces the figures; see docs/reuse.md):

* ``SEMANTIC_MIN = 0.70``: translation pairs = SemEval-2022 articles and their machine
  translations (pair ids with a language suffix; en/de/pl -> fr/it/es/ru), same sentence
  count, aligned by position. This aligner finds 0.89 of those 489 pairs at precision
  1.00; on same-language hard negatives (the two halves of each real article: same
  names, same topic) it makes 0.010 false links per sentence, most of them genuine
  restatements (headline vs body). Sweeping the cosine (before assignment): 0.65 ->
  recall +5 points, twice the false links; 0.75 -> recall -7 points, 0.4x the false
  links. Bonuses for shared names/numbers made things worse (an article's sentences
  share its names), so the semantic rule is the plain cosine.
* ``NEAR_MIN = 0.5``: keeps 90% of sentences with 20% of words edited (median 0.70);
  only 0.4% of within-article sentence pairs reach it, mostly genuine repeats.
* ``VERBATIM_MIN = 0.9``: the median for 5% edited words is 0.93; one changed word
  in a 30-word sentence lands around 0.9.
* Sentences under ``MIN_CHARS`` normalised characters ("Brick.", "Lire aussi") are
  never linked: their embeddings are noise and they carry no claim.
"""

from __future__ import annotations

from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
from numpy.typing import NDArray

from recoupe.nlp.encoder import Encoder
from recoupe.nlp.entities import stop_words
from recoupe.reuse.normalize import fold
from recoupe.reuse.signals import PairSignals, SentenceSignals, compare, sentence_signals
from recoupe.types import Document, ReuseKind, ReuseLink, Sentence, Span

VERBATIM_MIN = 0.9
NEAR_MIN = 0.5
SEMANTIC_MIN = 0.70
MIN_CHARS = 25
PARAPHRASE_MIN_KEYS = 2
PARAPHRASE_MIN_JACCARD = 0.15
_KIND_RANK = {
    ReuseKind.VERBATIM: 0,
    ReuseKind.NEAR: 1,
    ReuseKind.PARAPHRASE: 2,
    ReuseKind.TRANSLATION: 3,
}

VectorCache = MutableMapping[tuple[str, int, int], NDArray[np.float32]]


@dataclass(frozen=True, slots=True)
class AlignInput:
    """One side of an alignment: an article's cleaned text and its sentence spans."""

    doc_id: str
    text: str
    sentences: tuple[Sentence, ...]
    language: str | None = None
    published: str | None = None

    @classmethod
    def from_document(cls, doc: Document) -> AlignInput:
        return cls(doc.id, doc.text, doc.sentences, doc.language, doc.meta.published)


@dataclass(frozen=True, slots=True)
class SentenceLink:
    """A one-to-one sentence match (indices into each input's ``sentences``)."""

    i: int
    j: int
    kind: ReuseKind
    score: float
    cosine: float | None
    lexical: PairSignals


@dataclass
class _Side:
    doc: AlignInput
    texts: list[str]
    signals: list[SentenceSignals]
    eligible: list[int]
    keys: list[frozenset[str]]  # content words without the language's stop words


def _side(doc: AlignInput) -> _Side:
    texts = [s.text_of(doc.text) for s in doc.sentences]
    signals = [sentence_signals(t) for t in texts]
    eligible = [k for k, sig in enumerate(signals) if sig.norm_len >= MIN_CHARS]
    stops = _folded_stop_words(doc.language)
    keys = [sig.content - stops for sig in signals]
    return _Side(doc, texts, signals, eligible, keys)


@cache
def _folded_stop_words(language: str | None) -> frozenset[str]:
    """The language's stop words folded as ``signals`` folds words (no accents)."""
    return frozenset(fold(w) for w in stop_words(language))


def _lexical_pairs(a: _Side, b: _Side) -> dict[tuple[int, int], PairSignals]:
    """The sentence pairs alignment can use, compared: those sharing a content word
    (inverted index on ``b``) that are either close enough in size to be near copies
    (a Jaccard of ``NEAR_MIN`` needs the smaller shingle set to be at least ``NEAR_MIN``
    of the larger; equal normalised texts have equal sets) or share the content words a
    paraphrase candidate needs. The
    others could be neither a lexical link nor sent to the encoder: comparing them was
    most of the 4.35 million comparisons of the real corpus."""
    index: dict[str, list[int]] = {}
    for j in b.eligible:
        for word in b.signals[j].content:
            index.setdefault(word, []).append(j)
    out: dict[tuple[int, int], PairSignals] = {}
    for i in a.eligible:
        sa = a.signals[i]
        seen = {j for word in sa.content for j in index.get(word, ())}
        for j in seen:
            sb = b.signals[j]
            small, large = sorted((len(sa.chars), len(sb.chars)))
            if small >= NEAR_MIN * large or _shares_content(a.keys[i], b.keys[j]):
                out[(i, j)] = compare(sa, sb)
    return out


def _vectors(
    side: _Side, rows: list[int], encoder: Encoder, cache: VectorCache
) -> NDArray[np.float32]:
    """Vectors of some sentences of one side: cached ones reused, the rest encoded in
    one batch and cached."""
    doc = side.doc
    keys = [(doc.doc_id, doc.sentences[k].start, doc.sentences[k].end) for k in rows]
    missing = [n for n, key in enumerate(keys) if key not in cache]
    if missing:
        fresh = encoder.encode([side.texts[rows[n]] for n in missing])
        for n, vec in zip(missing, fresh, strict=True):
            cache[keys[n]] = vec
    if not rows:
        return np.zeros((0, 1), dtype=np.float32)
    return np.stack([cache[key] for key in keys])


def _lexical_kind(lex: PairSignals, norm_a: str, norm_b: str) -> ReuseKind | None:
    """``norm_a`` / ``norm_b``: the two sentences after ``normalize``."""
    if lex.char_jaccard >= VERBATIM_MIN or norm_a == norm_b:
        return ReuseKind.VERBATIM
    if lex.char_jaccard >= NEAR_MIN:
        return ReuseKind.NEAR
    return None


def _semantic_cross(
    a: _Side, b: _Side, copied_a: set[int], copied_b: set[int], encoder: Encoder,
    cache: VectorCache,
) -> dict[tuple[int, int], float]:
    """Across languages words are not shared, so every sentence not copied verbatim is
    encoded and every pair compared (cosine >= ``SEMANTIC_MIN``)."""
    rows_a = [i for i in a.eligible if i not in copied_a]
    rows_b = [j for j in b.eligible if j not in copied_b]
    if not rows_a or not rows_b:
        return {}
    sims = _vectors(a, rows_a, encoder, cache) @ _vectors(b, rows_b, encoder, cache).T
    return {(rows_a[ri], rows_b[rj]): float(sims[ri, rj])
            for ri, rj in zip(*np.nonzero(sims >= SEMANTIC_MIN), strict=True)}  # fmt: skip


def _shares_content(a: frozenset[str], b: frozenset[str]) -> bool:
    shared = len(a & b)
    return shared >= PARAPHRASE_MIN_KEYS and shared >= PARAPHRASE_MIN_JACCARD * len(a | b)


def _semantic_same_language(
    a: _Side, b: _Side, lexical: dict[tuple[int, int], PairSignals], copied_a: set[int],
    copied_b: set[int], encoder: Encoder, cache: VectorCache,
) -> dict[tuple[int, int], float]:
    """Within one language a rewording keeps the words that carry its content, so only
    sentence pairs sharing ``PARAPHRASE_MIN_KEYS`` content words (stop words aside) go to
    the encoder: the sentences of two articles of one story that say different things
    are never encoded (encoding was 88 % of the copies stage's cost)."""
    pairs = [
        (i, j) for (i, j) in lexical
        if i not in copied_a and j not in copied_b
        and _shares_content(a.keys[i], b.keys[j])
    ]  # fmt: skip
    if not pairs:
        return {}
    rows_a = sorted({i for i, _ in pairs})
    rows_b = sorted({j for _, j in pairs})
    vec_a = dict(zip(rows_a, _vectors(a, rows_a, encoder, cache), strict=True))
    vec_b = dict(zip(rows_b, _vectors(b, rows_b, encoder, cache), strict=True))
    out = {}
    for i, j in pairs:
        cos = float(vec_a[i] @ vec_b[j])
        if cos >= SEMANTIC_MIN:
            out[(i, j)] = cos
    return out


def _candidates(
    a: _Side, b: _Side, encoder: Encoder | None, cache: VectorCache
) -> list[SentenceLink]:
    cross = bool(a.doc.language and b.doc.language and a.doc.language != b.doc.language)
    lexical = _lexical_pairs(a, b)
    links: dict[tuple[int, int], SentenceLink] = {}
    for (i, j), lex in lexical.items():
        kind = _lexical_kind(lex, a.signals[i].normalized, b.signals[j].normalized)
        if kind is not None:
            links[(i, j)] = SentenceLink(i, j, kind, lex.char_jaccard, None, lex)
    if encoder is None:
        return list(links.values())
    copied_a = {i for (i, _), link in links.items() if link.kind is ReuseKind.VERBATIM}
    copied_b = {j for (_, j), link in links.items() if link.kind is ReuseKind.VERBATIM}
    if cross:
        found = _semantic_cross(a, b, copied_a, copied_b, encoder, cache)
    else:
        found = _semantic_same_language(a, b, lexical, copied_a, copied_b, encoder, cache)
    semantic = ReuseKind.TRANSLATION if cross else ReuseKind.PARAPHRASE
    for (i, j), cos in found.items():
        lex = lexical.get((i, j)) or compare(a.signals[i], b.signals[j])
        old = links.get((i, j))
        kind = old.kind if old else semantic
        links[(i, j)] = SentenceLink(i, j, kind, max(cos, lex.char_jaccard), cos, lex)
    return list(links.values())


def _assign(candidates: list[SentenceLink]) -> list[SentenceLink]:
    """Greedy one-to-one by score (ties: stronger kind, then position)."""
    order = sorted(candidates, key=lambda c: (-c.score, _KIND_RANK[c.kind], c.i, c.j))
    used_a: set[int] = set()
    used_b: set[int] = set()
    kept = []
    for link in order:
        if link.i not in used_a and link.j not in used_b:
            used_a.add(link.i)
            used_b.add(link.j)
            kept.append(link)
    return sorted(kept, key=lambda c: (c.i, c.j))


class Sides:
    """What alignment reads of each article (sentence signals, eligible sentences,
    content keys), computed once per article for every pair it is in: an article of a
    story is in several pairs of one batch, and these signals were a quarter of the
    cost of aligning a pair when computed again for each."""

    def __init__(self) -> None:
        self._sides: dict[str, _Side] = {}

    def of(self, doc: AlignInput) -> _Side:
        side = self._sides.get(doc.doc_id)
        if side is None or side.doc != doc:
            side = self._sides[doc.doc_id] = _side(doc)
        return side


def align_sentences(
    a: AlignInput,
    b: AlignInput,
    encoder: Encoder | None = None,
    cache: VectorCache | None = None,
    sides: Sides | None = None,
) -> list[SentenceLink]:
    """One-to-one sentence links between ``a`` and ``b`` (sorted by ``a`` position).
    Without an encoder only verbatim/near links are found. ``cache`` must hold vectors
    of this encoder only; ``sides`` keeps each article's signals for its other pairs."""
    sides = sides or Sides()
    return _assign(_candidates(sides.of(a), sides.of(b), encoder, {} if cache is None else cache))


def merge_passages(a: AlignInput, b: AlignInput, links: Sequence[SentenceLink]) -> list[ReuseLink]:
    """Merge runs of links adjacent on both sides (i+1, j+1) into passage links. The
    passage kind is its weakest sentence kind; its score the length-weighted mean."""
    out: list[ReuseLink] = []
    run: list[SentenceLink] = []
    for link in sorted(links, key=lambda c: (c.i, c.j)):
        if run and (link.i != run[-1].i + 1 or link.j != run[-1].j + 1):
            out.append(_passage(a, b, run))
            run = []
        run.append(link)
    if run:
        out.append(_passage(a, b, run))
    return out


def _passage(a: AlignInput, b: AlignInput, run: list[SentenceLink]) -> ReuseLink:
    first, last = run[0], run[-1]
    weights = [a.sentences[c.i].end - a.sentences[c.i].start for c in run]
    score = sum(w * c.score for w, c in zip(weights, run, strict=True)) / max(sum(weights), 1)
    kind = max((c.kind for c in run), key=lambda k: _KIND_RANK[k])
    return ReuseLink(
        a=Span(a.doc_id, a.sentences[first.i].start, a.sentences[last.i].end),
        b=Span(b.doc_id, b.sentences[first.j].start, b.sentences[last.j].end),
        kind=kind,
        score=min(1.0, max(0.0, score)),
    )


def align(
    a: AlignInput,
    b: AlignInput,
    encoder: Encoder | None = None,
    cache: VectorCache | None = None,
    sides: Sides | None = None,
) -> list[ReuseLink]:
    """Passages of ``a`` and ``b`` that carry the same content (``sides``: see
    ``align_sentences``)."""
    return merge_passages(a, b, align_sentences(a, b, encoder, cache, sides))
