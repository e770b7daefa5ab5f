"""Banded LSH over MinHash signatures, built on sorting so it scales to millions.

Two documents become *candidates* when all ``rows`` values of at least one of ``bands``
bands are equal; candidates are then *verified*: kept only when the signature estimate of
their Jaccard is >= ``threshold``. The probability of becoming a candidate is the
S-curve ``1 - (1 - J**rows)**bands``. Defaults, 128 permutations as 32 bands x 4 rows,
threshold 0.5:

    J           0.1     0.2    0.3    0.4    0.5    0.55   0.6    0.7
    P(cand.)    0.003   0.05   0.23   0.56   0.87   0.95   0.99   1.00

Why these: verification removes every false candidate, so the bands only need high
recall above the threshold and few candidates far below it. 42x3 would reach 0.996 at
J=0.5 but makes 4% of J=0.1 pairs candidates (articles of one outlet sharing leftover
boilerplate), 25x5 (datasketch's choice for 0.5) misses 45% of pairs at J=0.5. A 5-word
shingle Jaccard of 0.5 is a copy with about 7% of its words edited, or a copy cut to
half of the original; lighter copies are found with probability >= 0.95.

This module holds the array algorithms; ``lsh_index.LSHIndex`` is the index built on
them (persistent, incremental). A band key is one uint32 hash of the ``rows`` values of
a band, computed for a whole batch at once. Per band the index keeps sorted runs of keys
(with the document number of each): a batch is matched against every run with
``np.searchsorted`` and against itself by sorting; runs are merged linearly (as in an LSM
tree). 32-bit keys make a random collision of two unrelated documents in some band a
1-in-134-million event per pair (~0.01 false candidates per document in a million),
and verification removes those; they halve the index against 64-bit keys. A bucket with
more than ``max_bucket`` members (thousands of identical texts) yields pairs with its
first members only: enough to join them in one near-duplicate cluster without a
quadratic blow-up.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from recoupe.reuse.minhash import U32
from recoupe.reuse.shingles import I64, mix64
from recoupe.types import NearDuplicate

DEFAULT_BANDS = 32
DEFAULT_ROWS = 4
DEFAULT_THRESHOLD = 0.5
DEFAULT_MAX_BUCKET = 64
_ROW_MULT = mix64(np.arange(1, 65, dtype=np.uint64) * np.uint64(0xB5AD4ECEDA1CE2A9)) | np.uint64(1)
_BAND_SALT = mix64(np.arange(1, 1025, dtype=np.uint64) + np.uint64(0xBA4D))
_VERIFY_CHUNK = 65_536
F64 = NDArray[np.float64]


def candidate_probability(j: float, bands: int = DEFAULT_BANDS, rows: int = DEFAULT_ROWS) -> float:
    """Chance that two documents of Jaccard ``j`` share at least one band."""
    return float(1.0 - (1.0 - j**rows) ** bands)


def band_keys(sigs: U32, bands: int, rows: int) -> U32:
    """``(bands, n)`` uint32 keys: one hash of the ``rows`` values of each band."""
    n = sigs.shape[0]
    keys = np.empty((bands, n), dtype=np.uint32)
    for b in range(bands):
        acc = np.full(n, _BAND_SALT[b], dtype=np.uint64)
        for r in range(rows):
            acc += sigs[:, b * rows + r].astype(np.uint64) * _ROW_MULT[r]
        keys[b] = mix64(acc) >> np.uint64(32)
    return keys


def pairs_in_sorted(sorted_keys: NDArray[np.integer], max_bucket: int) -> tuple[I64, I64]:
    """Positions ``(p, q)``, p < q, of equal keys in a sorted array; a run longer than
    ``max_bucket`` only pairs its first ``max_bucket`` members with the rest of the run."""
    n = len(sorted_keys)
    if n < 2:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    same = sorted_keys[1:] == sorted_keys[:-1]
    if not same.any():
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    new_run = np.empty(n, dtype=bool)
    new_run[0] = True
    np.logical_not(same, out=new_run[1:])
    run_start = np.flatnonzero(new_run)
    run_len = np.diff(np.append(run_start, n))
    start_of = np.repeat(run_start, run_len)
    end_of = np.repeat(run_start + run_len, run_len)
    pos = np.arange(n, dtype=np.int64)
    counts = np.where(pos - start_of < max_bucket, end_of - pos - 1, 0)
    left = np.repeat(pos, counts)
    step = np.arange(len(left), dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    return left, left + 1 + step


def expand_ranges(lo: I64, hi: I64) -> tuple[I64, I64]:
    """For ranges ``[lo[i], hi[i])`` return (i repeated, every position in the range)."""
    counts = hi - lo
    owner = np.repeat(np.arange(len(lo), dtype=np.int64), counts)
    step = np.arange(len(owner), dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    return owner, np.repeat(lo, counts) + step


def matches(
    stored: NDArray[np.integer], needles: NDArray[np.integer], max_bucket: int
) -> tuple[I64, I64]:
    """``(needle position, stored position)`` of equal keys, at most ``max_bucket`` stored
    positions per needle. Both arrays sorted: ``searchsorted`` then walks ``stored`` in
    order (3-5x faster on a million keys than random probes), and the right edge of a
    bucket is only searched for the few needles that hit one."""
    m = len(stored)
    if m == 0 or len(needles) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    lo = np.searchsorted(stored, needles, side="left")
    hit = np.flatnonzero(np.take(stored, np.minimum(lo, m - 1)) == needles)
    if len(hit) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    lo = lo[hit].astype(np.int64)
    hi = np.searchsorted(stored, needles[hit], side="right").astype(np.int64)
    owner, pos = expand_ranges(lo, np.minimum(hi, lo + max_bucket))
    return hit[owner].astype(np.int64), pos


def merge_sorted(
    a_keys: NDArray[np.integer],
    a_vals: NDArray[np.integer],
    b_keys: NDArray[np.integer],
    b_vals: NDArray[np.integer],
    out_keys: NDArray[np.integer],
    out_vals: NDArray[np.integer],
) -> None:
    """Linear-time merge of two sorted key arrays (with a value per key) into ``out_*``;
    equal keys keep ``a`` first."""
    at = np.searchsorted(a_keys, b_keys, side="right") + np.arange(len(b_keys), dtype=np.int64)
    from_a = np.ones(len(a_keys) + len(b_keys), dtype=bool)
    from_a[at] = False
    out_keys[at], out_vals[at] = b_keys, b_vals
    out_keys[from_a], out_vals[from_a] = a_keys, a_vals


def unique_pairs(a: I64, b: I64) -> tuple[I64, I64]:
    """Distinct (min, max) pairs of document numbers, sorted; numbers must be < 2**32."""
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    code = np.unique((lo << np.int64(32)) | hi)
    return code >> np.int64(32), code & np.int64(0xFFFFFFFF)


def estimate(sa: U32, sb: U32) -> F64:
    """Row-wise Jaccard estimates of two equally shaped signature arrays, in chunks."""
    out = np.empty(len(sa), dtype=np.float64)
    for lo in range(0, len(sa), _VERIFY_CHUNK):
        hi = lo + _VERIFY_CHUNK
        out[lo:hi] = (sa[lo:hi] == sb[lo:hi]).mean(axis=1)
    return out


def near_duplicates(
    ids: Sequence[str],
    sigs: U32,
    bands: int = DEFAULT_BANDS,
    rows: int = DEFAULT_ROWS,
    threshold: float = DEFAULT_THRESHOLD,
) -> list[NearDuplicate]:
    """All near-duplicate pairs of a whole corpus (one batch through an in-memory
    ``LSHIndex``)."""
    from recoupe.reuse.lsh_index import LSHIndex

    index = LSHIndex(sigs.shape[1], bands, rows, threshold, background=False)
    return index.add(ids, sigs)
