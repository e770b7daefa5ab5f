"""Word shingles hashed to uint64, vectorised over a batch of documents.

A document becomes the set of its ``k`` consecutive word tokens (after
``normalize.fold``); two copies share most shingles, two articles on one story share few.

Default ``k = 5`` words, chosen by measurement (``bench/dedup_scale.py --sweep-k`` on
real SemEval articles, docs/reuse.md): median Jaccard of copies with 5% / 8% of words
edited is 0.79 / 0.69 at k=3, 0.66 / 0.52 at k=5, 0.56 / 0.42 at k=7, while the 99th
percentile of same-story articles that are not copies is 0.27 at k=3, 0.20 at k=5, 0.17
at k=7. k=5 is the smallest k keeping non-copies at most ~0.2 (well under the 0.5
near-duplicate threshold) while copies edited up to ~6% stay above it; heavier rewrites
are the sentence aligner's job, not this stage's. It is also the usual choice, so
figures compare with other tools' (datasketch, rensa).

Token hashes come from ``tokens`` (stateless, deterministic, computed for a batch of raw
texts in numpy); a shingle is an order-sensitive combination of ``k`` consecutive token
hashes (per-position odd multipliers), mixed with splitmix64.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from recoupe.reuse.normalize import normalize
from recoupe.reuse.tokens import (
    I64,
    MAX_TOKEN_CHARS,
    U64,
    batch_token_hashes,
    mix64,
    odd_constants,
    token_hashes,
)

__all__ = [
    "DEFAULT_K",
    "I64",
    "MAX_TOKEN_CHARS",
    "U64",
    "char_shingles",
    "jaccard",
    "mix64",
    "shingle_hashes",
    "shingles_of_tokens",
    "text_shingle_hashes",
    "text_shingles",
    "token_hashes",
]

DEFAULT_K = 5

_SHINGLE_MULT = odd_constants(64, 0x5EED)


def _window_sums(th: U64, k: int) -> U64:
    """Order-sensitive combination of every ``k`` consecutive token hashes."""
    n = len(th) - k + 1
    acc: U64 = th[:n] * _SHINGLE_MULT[0]
    for j in range(1, k):
        acc += th[j : j + n] * _SHINGLE_MULT[j]
    return acc


def shingle_hashes(docs: Sequence[Sequence[str]], k: int = DEFAULT_K) -> tuple[U64, I64]:
    """Hashed k-shingles of a batch of tokenised documents (see ``shingles_of_tokens``)."""
    lengths = np.fromiter((len(d) for d in docs), dtype=np.int64, count=len(docs))
    return shingles_of_tokens(token_hashes([t for d in docs for t in d]), lengths, k)


def text_shingle_hashes(texts: Sequence[str], k: int = DEFAULT_K) -> tuple[U64, I64]:
    """Hashed k-shingles of a batch of raw texts: ``shingle_hashes`` of their ``words``,
    computed without one Python string per token (``tokens.batch_token_hashes``)."""
    th, lengths = batch_token_hashes(texts)
    return shingles_of_tokens(th, lengths, k)


def shingles_of_tokens(th: U64, lengths: I64, k: int = DEFAULT_K) -> tuple[U64, I64]:
    """Hashed k-shingles of documents given as their token hashes, concatenated.

    Returns ``(flat, offsets)``: the shingles of document ``i`` are
    ``flat[offsets[i]:offsets[i + 1]]`` (duplicates kept: MinHash ignores them). A
    document shorter than ``k`` tokens (but not empty) gets one shingle of all its
    tokens, so short texts still compare; an empty one gets none.
    """
    if not 1 <= k <= len(_SHINGLE_MULT):
        raise ValueError(f"k must be in 1..{len(_SHINGLE_MULT)}")
    total = len(th)
    counts = np.where(lengths >= k, lengths - k + 1, np.minimum(lengths, 1))
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    if total == 0:
        return np.zeros(0, dtype=np.uint64), offsets
    ends = np.cumsum(lengths)
    # a window starting at token i is valid when it ends inside i's document
    remaining = np.repeat(ends, lengths) - np.arange(total, dtype=np.int64)
    valid = remaining >= k
    windows = np.zeros(total, dtype=np.uint64)
    if total >= k:
        windows[: total - k + 1] = mix64(_window_sums(th, k))
    short = np.flatnonzero((lengths > 0) & (lengths < k))
    if len(short):
        first = ends[short] - lengths[short]
        acc = np.zeros(len(short), dtype=np.uint64)
        for j in range(k - 1):
            has = lengths[short] > j
            acc[has] += th[first[has] + j] * _SHINGLE_MULT[j]
        windows[first] = mix64(acc)
        valid[first] = True
    return windows[valid], offsets


def text_shingles(text: str, k: int = DEFAULT_K) -> U64:
    """Sorted unique shingle hashes of one text (for tests and small jobs)."""
    flat, _ = text_shingle_hashes([text], k)
    return np.unique(flat)


def jaccard(a: U64, b: U64) -> float:
    """Exact Jaccard of two shingle-hash sets (1.0 for two empty sets)."""
    ua, ub = np.unique(a), np.unique(b)
    union = len(np.union1d(ua, ub))
    return 1.0 if union == 0 else len(np.intersect1d(ua, ub, assume_unique=True)) / union


def char_shingles(text: str, n: int = 4) -> frozenset[str]:
    """Character n-grams of the normalised text: robust to small edits and word-order
    changes inside a sentence, used for sentence-level verbatim/near detection."""
    return normalized_shingles(normalize(text), n)


def normalized_shingles(norm: str, n: int = 4) -> frozenset[str]:
    """``char_shingles`` of a text already passed through ``normalize``."""
    if len(norm) <= n:
        return frozenset([norm]) if norm else frozenset()
    return frozenset(norm[i : i + n] for i in range(len(norm) - n + 1))
