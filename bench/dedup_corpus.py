"""Synthetic news-like corpus with known copies, for bench/dedup_scale.py.

Blocks of 1,000 documents: 900 originals (250-350 words drawn from a Zipf-like 30,000-word
vocabulary, one word in seven with an accented letter) and 100 copies of originals of
the same block, with word substitutions/deletions/insertions at rates 0-20% and one copy
in four cut to 80%. Copies stay in their block, so any prefix of whole blocks holds all
its known pairs. A block depends only on its number (seeded), so the corpus is the same
on every run and machine.

The corpus is written once per bench run to a directory (``texts.bin``: UTF-8 texts
back to back; ``offsets.npy``: byte offsets; ``chars.npy``: length of each text in
characters; ``truth.npy``: known pairs) by two processes, and every measured run streams
it back in batches (``CorpusFile.batches``), as a pipeline streams articles from a
store: no run holds the whole corpus in memory.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from recoupe.reuse.shingles import jaccard, shingle_hashes

BLOCK = 1000
COPIES = 100
EDIT_RATES = (0.0, 0.01, 0.02, 0.03, 0.05, 0.08, 0.12, 0.2)
VOCAB = 30_000
SEED = 7
Truth = list[tuple[int, int, float, float]]


def vocabulary() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(SEED)
    letters = np.array(list("abcdefghijklmnopqrstuvwxyzéèàç"))
    lengths = rng.integers(2, 11, VOCAB)
    vocab = np.array(
        ["".join(rng.choice(letters[:26] if k % 7 else letters, n)) for k, n in enumerate(lengths)]
    )
    weights = 1.0 / np.arange(1, VOCAB + 1) ** 1.05
    cumulative = np.cumsum(weights / weights.sum())
    cumulative[-1] = 1.0
    return vocab, cumulative


def edit(rng: np.random.Generator, words_: list[str], rate: float, vocab: np.ndarray) -> list[str]:
    out: list[str] = []
    for w in words_:
        r = rng.random()
        if r < rate / 3:
            continue
        if r < 2 * rate / 3:
            out.append(str(vocab[rng.integers(VOCAB)]))
        elif r < rate:
            out.extend((w, str(vocab[rng.integers(VOCAB)])))
        else:
            out.append(w)
    return out


def make_block(b: int, vocab: np.ndarray, probs: np.ndarray) -> tuple[list[str], Truth]:
    """Texts of block ``b`` and its known pairs (source, copy, edit rate, true Jaccard)."""
    rng = np.random.default_rng([SEED, b])
    originals = BLOCK - COPIES
    lengths = rng.integers(250, 351, originals)
    ids = np.searchsorted(probs, rng.random(int(lengths.sum())))  # probs: cumulative
    bounds = np.concatenate([[0], np.cumsum(lengths)])
    drawn = vocab[ids].tolist()  # Python strings: joining numpy strings is 5x slower
    texts = [" ".join(drawn[bounds[i] : bounds[i + 1]]) for i in range(originals)]
    sources = rng.choice(originals, COPIES, replace=False)
    for c, src in enumerate(sources):
        toks = edit(rng, texts[src].split(), EDIT_RATES[c % len(EDIT_RATES)], vocab)
        if c % 4 == 3:
            toks = toks[: int(len(toks) * 0.8)]
        texts.append(" ".join(toks))
    involved = [*sources.tolist(), *range(originals, BLOCK)]
    flat, offsets = shingle_hashes([texts[k].split() for k in involved])
    truth = []
    for c, src in enumerate(sources):
        j = jaccard(
            flat[offsets[c] : offsets[c + 1]], flat[offsets[COPIES + c] : offsets[COPIES + c + 1]]
        )
        copy = originals + c
        rate = EDIT_RATES[c % len(EDIT_RATES)]
        truth.append((b * BLOCK + int(src), b * BLOCK + copy, rate, j))
    return texts, truth


def corpus(n: int) -> tuple[list[str], Truth]:
    """The first ``n // BLOCK`` blocks in memory (small runs and tests)."""
    vocab, probs = vocabulary()
    texts: list[str] = []
    truth: Truth = []
    for b in range(n // BLOCK):
        t, k = make_block(b, vocab, probs)
        texts.extend(t)
        truth.extend(k)
    return texts, truth


def _blocks(span: tuple[int, int]) -> tuple[bytes, list[int], list[int], Truth]:
    vocab, probs = vocabulary()
    blobs: list[bytes] = []
    sizes: list[int] = []
    chars: list[int] = []
    truth: Truth = []
    for b in range(*span):
        texts, known = make_block(b, vocab, probs)
        for t in texts:
            raw = t.encode("utf-8")
            blobs.append(raw)
            sizes.append(len(raw))
            chars.append(len(t))
        truth.extend(known)
    return b"".join(blobs), sizes, chars, truth


def write_corpus(folder: Path, n: int, processes: int = 2) -> bool:
    """Generate the first ``n // BLOCK`` blocks into ``folder`` (``processes`` at once),
    unless it already holds them (a reused work directory). True when generated."""
    done = folder / "chars.npy"
    if done.exists() and len(np.load(done)) == n // BLOCK * BLOCK:
        return False
    done.unlink(missing_ok=True)
    folder.mkdir(parents=True, exist_ok=True)
    blocks = n // BLOCK
    step = 20
    spans = [(lo, min(lo + step, blocks)) for lo in range(0, blocks, step)]
    sizes: list[int] = []
    chars: list[int] = []
    truth: Truth = []
    with (
        (folder / "texts.bin").open("wb") as out,
        multiprocessing.get_context("fork").Pool(processes) as pool,
    ):
        for blob, s, c, t in pool.imap(_blocks, spans):
            out.write(blob)
            sizes.extend(s)
            chars.extend(c)
            truth.extend(t)
    offsets = np.zeros(len(sizes) + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    np.save(folder / "offsets.npy", offsets)
    np.save(folder / "truth.npy", np.array(truth, dtype=np.float64).reshape(-1, 4))
    np.save(folder / "chars.npy", np.array(chars, dtype=np.int64))  # last: marks it complete
    return True


class CorpusFile:
    """A corpus written by ``write_corpus``, read back in batches."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.offsets = np.load(folder / "offsets.npy")
        self.chars = np.load(folder / "chars.npy")
        self._file = (folder / "texts.bin").open("rb")  # read, not mapped: mapped pages
        # would count in the resident set of the run that reads them

    def __len__(self) -> int:
        return len(self.chars)

    def truth(self, n: int) -> Truth:
        rows = np.load(self.folder / "truth.npy")
        return [(int(s), int(c), float(r), float(j)) for s, c, r, j in rows.tolist() if c < n]

    def texts(self, lo: int, hi: int) -> list[str]:
        """Texts ``lo .. hi - 1``: one decode, then slices."""
        start, stop = int(self.offsets[lo]), int(self.offsets[hi])
        joined = os.pread(self._file.fileno(), stop - start, start).decode("utf-8")
        ends = np.cumsum(self.chars[lo:hi]).tolist()
        starts = [0, *ends[:-1]]
        return [joined[s:e] for s, e in zip(starts, ends, strict=True)]

    def batches(self, lo: int, hi: int, size: int) -> Iterator[list[str]]:
        for start in range(lo, hi, size):
            yield self.texts(start, min(start + size, hi))

    def close(self) -> None:
        self._file.close()
