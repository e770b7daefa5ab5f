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
signature costs ~50 µs of CPU per 300-word article; ``SignaturePool`` spreads batches
over worker processes (each batch travels as one joined string).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from types import TracebackType

import numpy as np
from numpy.typing import NDArray

from recoupe.reuse.shingles import DEFAULT_K, I64, U64, mix64, shingles_of_tokens
from recoupe.reuse.tokens import joined_batch, token_pieces

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
    return joined_signatures(*joined_batch(texts), k, hasher or MinHasher())


def joined_signatures(joined: str, lengths: I64, k: int, hasher: MinHasher) -> U32:
    """``text_signatures`` of a batch given as ``tokens.joined_batch`` returns it:
    tokens and shingles piece by piece (cache-sized), MinHash over the whole batch
    (large blocks are cheaper per shingle)."""
    flats: list[U64] = []
    offsets: list[I64] = [np.zeros(1, dtype=np.int64)]
    for th, counts in token_pieces(joined, lengths):
        flat, off = shingles_of_tokens(th, counts, k)
        offsets.append(off[1:] + sum(len(f) for f in flats))
        flats.append(flat)
    if not flats:
        return hasher.signatures(np.zeros(0, dtype=np.uint64), np.zeros(1, dtype=np.int64))
    return hasher.signatures(np.concatenate(flats), np.concatenate(offsets))


def _worker_signatures(
    joined: str, lengths: I64, k: int, hasher: MinHasher
) -> tuple[U32, int, float]:
    """Signatures, with the worker's pid and the CPU seconds it has used so far."""
    sigs = joined_signatures(joined, lengths, k, hasher)
    return sigs, os.getpid(), time.process_time()


class SignaturePool:
    """Signatures of a stream of text batches computed by ``processes`` worker processes
    (started once, reused for every ``map``); ``processes <= 1`` computes in the caller.

    Workers start from a fork server, not from a copy of a caller that may hold gigabytes
    of texts: scripts using it need the ``if __name__ == "__main__":`` guard.
    ``worker_cpu_s`` is the CPU time the workers have used (each reports its own with
    every batch), so callers can report whole-job CPU time.
    """

    def __init__(
        self,
        processes: int = 1,
        k: int = DEFAULT_K,
        hasher: MinHasher | None = None,
        depth: int = 4,
    ) -> None:
        self.k, self.hasher = k, hasher or MinHasher()
        self.processes = max(1, processes)
        self.depth = max(1, depth)
        self._cpu: dict[int, float] = {}
        self._pool: ProcessPoolExecutor | None = None
        if self.processes > 1:
            methods = multiprocessing.get_all_start_methods()
            method = "forkserver" if "forkserver" in methods else "spawn"
            context = multiprocessing.get_context(method)
            self._pool = ProcessPoolExecutor(self.processes, mp_context=context)

    @property
    def worker_cpu_s(self) -> float:
        return sum(self._cpu.values())

    def map(self, batches: Iterable[Sequence[str]]) -> Iterator[U32]:
        """Signatures of each batch, in order. At most ``depth`` batches per worker are in
        flight: enough queued work that workers never wait while the caller does
        something else with a result (an index add), bounded so memory does not grow
        with the stream. Batches of a thousand texts or more amortise the transfer."""
        if self._pool is None:
            for batch in batches:
                yield text_signatures(batch, self.k, self.hasher)
            return
        pending: deque[Future[tuple[U32, int, float]]] = deque()
        for batch in batches:
            joined, lengths = joined_batch(batch)
            pending.append(
                self._pool.submit(_worker_signatures, joined, lengths, self.k, self.hasher)
            )
            if len(pending) >= self.depth * self.processes:
                yield self._collect(pending.popleft())
        while pending:
            yield self._collect(pending.popleft())

    def _collect(self, future: Future[tuple[U32, int, float]]) -> U32:
        sigs, pid, cpu = future.result()
        self._cpu[pid] = max(cpu, self._cpu.get(pid, 0.0))
        return sigs

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    def __enter__(self) -> SignaturePool:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def iter_text_signatures(
    batches: Iterable[Sequence[str]],
    k: int = DEFAULT_K,
    hasher: MinHasher | None = None,
    processes: int = 1,
) -> Iterator[U32]:
    """Signatures of a stream of text batches, in order, computed by ``processes``
    worker processes (a ``SignaturePool`` for the duration of the stream)."""
    with SignaturePool(processes, k, hasher) as pool:
        yield from pool.map(batches)
