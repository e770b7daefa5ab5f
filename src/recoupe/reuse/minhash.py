"""MinHash signatures for a batch of documents in a few numpy operations.

The fraction of equal positions of two signatures estimates the Jaccard similarity of the
two shingle sets (standard error ``sqrt(J(1-J)/num_perm)``: 0.044 at J=0.5 with 128).

Each "permutation" is a multiply-add hash ``(a*x + b) mod 2**64`` with ``a`` odd,
keeping the top 32 bits (Dietzfelbinger's multiply-shift family: no modulo, so it runs
at memory speed). Taking the minimum before the shift gives the same result as after,
since the shift is monotone; only the final minima are shifted. ``a``/``b`` come from a
fixed seed, so signatures are comparable across runs and machines.

Speed: shingles x permutations are computed in place in one reused (num_perm, shingles)
block of 8 MB (a few dozen documents: fewer numpy calls per document than a cache-sized
block, measured faster here), reduced with ``np.minimum.reduceat`` per document: ~20 µs
of CPU per 300-word document on this machine.

Texts are tokenised and hashed in numpy (``tokens``), so the whole path from text to
signature costs ~50-60 µs of CPU per 300-word article; ``signing.SignaturePool``
spreads batches over worker processes.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from recoupe.reuse.shingles import DEFAULT_K, I64, U64, mix64, shingles_of_tokens
from recoupe.reuse.tokens import CodePoints, code_points, joined_batch, token_pieces

DEFAULT_NUM_PERM = 128
DEFAULT_SEED = 1
EMPTY = np.uint32(0xFFFFFFFF)  # signature value of a document without shingles
_CHUNK_ELEMENTS = 1 << 20  # uint64 cells per block: 8 MB

U32 = NDArray[np.uint32]


@dataclass(frozen=True)
class MinHasher:
    """A fixed family of ``num_perm`` hash functions (same seed -> same signatures)."""

    num_perm: int = DEFAULT_NUM_PERM
    seed: int = DEFAULT_SEED
    _a: U64 = field(init=False, repr=False, compare=False)
    _b: U64 = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.num_perm < 1:
            raise ValueError("num_perm must be >= 1")
        idx = np.arange(self.num_perm, dtype=np.uint64) * np.uint64(2)
        salt = np.uint64((self.seed * 0x9E3779B97F4A7C15) % 2**64)
        object.__setattr__(self, "_a", (mix64(idx + salt) | np.uint64(1))[:, None])
        object.__setattr__(self, "_b", mix64(idx + np.uint64(1) + salt)[:, None])

    def signatures(self, flat: U64, offsets: I64) -> U32:
        """Signatures ``(n_docs, num_perm)`` of the documents given as ``shingle_hashes``
        returns them. A document without shingles gets ``EMPTY`` everywhere."""
        n_docs = len(offsets) - 1
        out = np.full((n_docs, self.num_perm), EMPTY, dtype=np.uint32)
        nonempty = np.flatnonzero(np.diff(offsets) > 0)
        ends = offsets[nonempty + 1]
        budget = max(1, _CHUNK_ELEMENTS // self.num_perm)
        buffer = _block_buffer(self.num_perm * min(budget, len(flat)))
        i = 0
        while i < len(nonempty):
            # a run of documents holding about `budget` shingles (at least one document);
            # empty documents in between occupy no shingles, so the run is contiguous
            start = int(offsets[nonempty[i]])
            j = max(i + 1, int(np.searchsorted(ends, start + budget, side="right")))
            docs = nonempty[i:j]
            stop = int(ends[j - 1])
            if stop - start > budget:  # one document larger than a block
                out[docs[0]] = self._one_large(flat[start:stop], buffer, budget)
            else:
                block = buffer[: self.num_perm * (stop - start)].reshape(self.num_perm, -1)
                np.multiply(self._a, flat[None, start:stop], out=block)
                np.add(block, self._b, out=block)
                mins = np.minimum.reduceat(block, offsets[docs] - start, axis=1)
                out[docs] = (mins >> np.uint64(32)).astype(np.uint32).T
            i = j
        return out

    def _one_large(self, shingles: U64, buffer: U64, budget: int) -> U32:
        """Signature of one document too large for a single block."""
        best = np.full(self.num_perm, np.iinfo(np.uint64).max, dtype=np.uint64)
        for lo in range(0, len(shingles), budget):
            part = shingles[lo : lo + budget]
            block = buffer[: self.num_perm * len(part)].reshape(self.num_perm, -1)
            np.multiply(self._a, part[None, :], out=block)
            np.add(block, self._b, out=block)
            np.minimum(best, block.min(axis=1), out=best)
        return (best >> np.uint64(32)).astype(np.uint32)


_BUFFERS = threading.local()


def _block_buffer(size: int) -> U64:
    """A scratch array of at least ``size`` cells, kept per thread: allocating 8 MB per
    call costs page faults that show at small batches."""
    buffer: U64 | None = getattr(_BUFFERS, "block", None)
    if buffer is None or len(buffer) < size:
        buffer = np.empty(max(size, _CHUNK_ELEMENTS), dtype=np.uint64)
        _BUFFERS.block = buffer
    return buffer[:size]


def estimate_jaccard(a: U32, b: U32) -> NDArray[np.float64]:
    """Row-wise Jaccard estimate of two equally shaped signature arrays (1-D or 2-D)."""
    eq = np.asarray(a) == np.asarray(b)
    result: NDArray[np.float64] = eq.mean(axis=-1)
    return result


def text_signatures(
    texts: Sequence[str], k: int = DEFAULT_K, hasher: MinHasher | None = None
) -> U32:
    """Signatures of raw texts: fold, tokenise, shingle, MinHash (one process)."""
    joined, lengths = joined_batch(texts)
    return code_point_signatures(code_points(joined), lengths, k, hasher or MinHasher())


def code_point_signatures(cp: CodePoints, lengths: I64, k: int, hasher: MinHasher) -> U32:
    """``text_signatures`` of a ``tokens.joined_batch`` given as its code points: tokens
    and shingles piece by piece (cache-sized), MinHash over the whole batch (large
    blocks are cheaper per shingle)."""
    flats: list[U64] = []
    offsets: list[I64] = [np.zeros(1, dtype=np.int64)]
    for th, counts in token_pieces(cp, lengths):
        flat, off = shingles_of_tokens(th, counts, k)
        offsets.append(off[1:] + sum(len(f) for f in flats))
        flats.append(flat)
    if not flats:
        return hasher.signatures(np.zeros(0, dtype=np.uint64), np.zeros(1, dtype=np.int64))
    return hasher.signatures(np.concatenate(flats), np.concatenate(offsets))


def iter_text_signatures(
    batches: Iterable[Sequence[str]],
    k: int = DEFAULT_K,
    hasher: MinHasher | None = None,
    processes: int = 1,
) -> Iterator[U32]:
    """Signatures of a stream of text batches, in order, computed by ``processes``
    worker processes (a ``signing.SignaturePool`` for the duration of the stream)."""
    from recoupe.reuse.signing import SignaturePool  # signing builds on this module

    with SignaturePool(processes, k, hasher) as pool:
        yield from pool.map(batches)
