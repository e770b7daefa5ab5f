"""How alike two claim mentions are: one score in [0, 1] from lexical and encoder evidence.

Lexical first: a copied or lightly edited claim keeps its characters, so the character
4-gram Jaccard of ``reuse.signals`` decides it without any model; ``reuse.align.NEAR_MIN``
(0.5, calibrated there: 90% of sentences with 20% of their words edited stay above it) is
mapped onto ``SAME_MIN`` so both kinds of evidence share one scale. Paraphrases and
translations share meaning, not characters: the multilingual encoder's cosine carries
those. The score is the larger of the two.

``SAME_MIN`` = 0.60 was set with ``python bench/corroboration.py`` on
SemEval-2022 Task 8 articles, never on the seeds or RPM2 (docs/summaries.md): positives
are sentences of an article and of its machine translation at the same position, and the
lead sentences of real same-story pairs; negatives are the other sentences of the same
translated article, sentences from the two halves of one article (same names, same
topic, other claims), and lead sentences of different-story pairs. At 0.60: translation
recall 0.96, independent same-story leads 0.38 (a lower bound: many leads open on other
facts), false rate 0.013 on both hard-negative sets and 0.007 on other-story leads; 0.70
(the aligner's copy threshold) loses 6 points of translation recall and 22 of leads for
under 1 point less false rate. Shared names and numbers were tried as a bonus to the
cosine and separated worse (the sentences of one story share their names), so they are
used for disagreements only.
"""

from __future__ import annotations

from collections.abc import MutableMapping, Sequence

import numpy as np
from numpy.typing import NDArray

from recoupe.nlp.encoder import Encoder
from recoupe.reuse.align import NEAR_MIN
from recoupe.reuse.signals import SentenceSignals, jaccard, sentence_signals

SAME_MIN = 0.60

F32 = NDArray[np.float32]
VectorCache = MutableMapping[tuple[str, int, int], NDArray[np.float32]]
"""Vectors by (doc id, start, end) - the same keys as ``reuse.align.VectorCache``, so a
pipeline can share one cache (of one encoder) between alignment and corroboration."""


def lexical_score(char_jaccard: float, same_min: float = SAME_MIN) -> float:
    """Character Jaccard on the claim scale: piecewise linear, ``NEAR_MIN`` -> ``same_min``
    and 1 -> 1, so a near copy is "the same claim" exactly when the aligner calls it one."""
    if char_jaccard >= NEAR_MIN:
        return same_min + (1.0 - same_min) * (char_jaccard - NEAR_MIN) / (1.0 - NEAR_MIN)
    return same_min * char_jaccard / NEAR_MIN


def vectors(
    keys: Sequence[tuple[str, int, int]],
    texts: Sequence[str],
    encoder: Encoder,
    cache: VectorCache | None = None,
) -> F32:
    """Encoder rows for ``texts``; cached ones reused, the rest encoded in one batch."""
    store: VectorCache = {} if cache is None else cache
    missing = [i for i, key in enumerate(keys) if key not in store]
    if missing:
        fresh = encoder.encode([texts[i] for i in missing])
        for i, vec in zip(missing, fresh, strict=True):
            store[keys[i]] = vec
    if not keys:
        return np.zeros((0, 1), dtype=np.float32)
    return np.stack([store[key] for key in keys]).astype(np.float32, copy=False)


def lexical_matrix(signals: Sequence[SentenceSignals], same_min: float = SAME_MIN) -> F32:
    """Pairwise ``lexical_score``; pairs sharing no content word score 0 (not compared)."""
    n = len(signals)
    out = np.zeros((n, n), dtype=np.float32)
    index: dict[str, list[int]] = {}
    for j, sig in enumerate(signals):
        for word in sig.content:
            index.setdefault(word, []).append(j)
    for i, sig in enumerate(signals):
        near = {j for word in sig.content for j in index[word] if j > i}
        for j in near:
            s = lexical_score(jaccard(sig.chars, signals[j].chars), same_min)
            out[i, j] = out[j, i] = s
    np.fill_diagonal(out, 1.0)
    return out


def score_matrix(
    texts: Sequence[str],
    keys: Sequence[tuple[str, int, int]] | None = None,
    encoder: Encoder | None = None,
    cache: VectorCache | None = None,
    same_min: float = SAME_MIN,
) -> F32:
    """(n, n) claim similarity: max of the lexical score and the encoder cosine (the
    cosine only when an encoder is given). ``keys`` name the texts in ``cache``."""
    signals = [sentence_signals(t) for t in texts]
    scores = lexical_matrix(signals, same_min)
    if encoder is not None and texts:
        ks = list(keys) if keys is not None else [("", i, i) for i in range(len(texts))]
        vecs = vectors(ks, texts, encoder, cache if keys is not None else None)
        np.maximum(scores, np.clip(vecs @ vecs.T, 0.0, 1.0), out=scores)
    return scores
