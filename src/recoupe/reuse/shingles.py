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

Hashing is stateless and deterministic (no per-process salt, no vocabulary), so
signatures computed today can be compared with signatures stored last year. Tokens are
hashed in one numpy pass: the batch's tokens become one fixed-width UTF-32 array whose
code points are combined with per-position odd multipliers, then mixed (splitmix64).
Tokens longer than ``MAX_TOKEN_CHARS`` are truncated (only URLs and junk are that long).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from recoupe.reuse.normalize import normalize, words

DEFAULT_K = 5
MAX_TOKEN_CHARS = 48

U64 = NDArray[np.uint64]
I64 = NDArray[np.int64]


def mix64(x: U64) -> U64:
    """splitmix64 finaliser: spreads every input bit over the 64 output bits."""
    z = x ^ (x >> np.uint64(30))
    z *= np.uint64(0xBF58476D1CE4E5B9)
    z ^= z >> np.uint64(27)
    z *= np.uint64(0x94D049BB133111EB)
    z ^= z >> np.uint64(31)
    return z


def _odd_constants(n: int, salt: int) -> U64:
    """Deterministic random odd 64-bit multipliers."""
    base = np.arange(1, n + 1, dtype=np.uint64) + np.uint64(salt)
    return mix64(base) | np.uint64(1)


_CHAR_MULT = _odd_constants(MAX_TOKEN_CHARS, 0x51ED)
_SHINGLE_MULT = _odd_constants(64, 0x5EED)


def token_hashes(tokens: Sequence[str]) -> U64:
    """One uint64 per token; equal tokens get equal hashes in any batch or process."""
    if not tokens:
        return np.zeros(0, dtype=np.uint64)
    arr = np.array(tokens, dtype=np.str_)
    width = arr.dtype.itemsize // 4
    if width > MAX_TOKEN_CHARS:
        arr = np.array([t[:MAX_TOKEN_CHARS] for t in tokens], dtype=np.str_)
        width = arr.dtype.itemsize // 4
    codes = arr.view(np.uint32).reshape(len(tokens), width)
    acc = np.zeros(len(tokens), dtype=np.uint64)
    for col in range(width):
        acc += codes[:, col].astype(np.uint64) * _CHAR_MULT[col]
    return mix64(acc)


def _window_sums(th: U64, k: int) -> U64:
    """Order-sensitive combination of every ``k`` consecutive token hashes."""
    n = len(th) - k + 1
    acc: U64 = th[:n] * _SHINGLE_MULT[0]
    for j in range(1, k):
        acc += th[j : j + n] * _SHINGLE_MULT[j]
    return acc


def shingle_hashes(docs: Sequence[Sequence[str]], k: int = DEFAULT_K) -> tuple[U64, I64]:
    """Hashed k-shingles of a batch of tokenised documents.

    Returns ``(flat, offsets)``: the shingles of document ``i`` are
    ``flat[offsets[i]:offsets[i + 1]]`` (duplicates kept: MinHash ignores them). A
    document shorter than ``k`` tokens (but not empty) gets one shingle of all its
    tokens, so short texts still compare; an empty one gets none.
    """
    if not 1 <= k <= len(_SHINGLE_MULT):
        raise ValueError(f"k must be in 1..{len(_SHINGLE_MULT)}")
    lengths = np.fromiter((len(d) for d in docs), dtype=np.int64, count=len(docs))
    th = token_hashes([t for d in docs for t in d])
    starts = np.cumsum(lengths) - lengths
    counts = np.where(lengths >= k, lengths - k + 1, np.minimum(lengths, 1))
    offsets = np.zeros(len(docs) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    flat = np.empty(int(offsets[-1]), dtype=np.uint64)
    long_docs = lengths >= k
    if long_docs.any():
        n_long = counts[long_docs]
        out_start = np.repeat(offsets[:-1][long_docs], n_long)
        src = np.arange(int(n_long.sum()), dtype=np.int64)
        src -= np.repeat(np.cumsum(n_long) - n_long, n_long)
        windows = mix64(_window_sums(th, k))
        flat[out_start + src] = windows[np.repeat(starts[long_docs], n_long) + src]
    short = np.flatnonzero((lengths > 0) & ~long_docs)
    if len(short):
        acc = np.zeros(len(short), dtype=np.uint64)
        for j in range(k - 1):
            has = lengths[short] > j
            acc[has] += th[starts[short][has] + j] * _SHINGLE_MULT[j]
        flat[offsets[short]] = mix64(acc)
    return flat, offsets


def text_shingles(text: str, k: int = DEFAULT_K) -> U64:
    """Sorted unique shingle hashes of one text (for tests and small jobs)."""
    flat, _ = shingle_hashes([words(text)], k)
    return np.unique(flat)


def jaccard(a: U64, b: U64) -> float:
    """Exact Jaccard of two shingle-hash sets (1.0 for two empty sets)."""
    ua, ub = np.unique(a), np.unique(b)
    union = len(np.union1d(ua, ub))
    return 1.0 if union == 0 else len(np.intersect1d(ua, ub, assume_unique=True)) / union


def char_shingles(text: str, n: int = 4) -> frozenset[str]:
    """Character n-grams of the normalised text: robust to small edits and word-order
    changes inside a sentence, used for sentence-level verbatim/near detection."""
    norm = normalize(text)
    if len(norm) <= n:
        return frozenset([norm]) if norm else frozenset()
    return frozenset(norm[i : i + n] for i in range(len(norm) - n + 1))
