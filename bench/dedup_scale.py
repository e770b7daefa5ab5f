"""Near-duplicates among N synthetic news-like articles with known copies.

Usage: python bench/dedup_scale.py [--n 1000000] [--datasketch-n 20000] [--processes 2]
       python bench/dedup_scale.py --sweep-k [SEMEVAL_CSV]    (shingle size measurement)

Corpus: blocks of 1,000 documents, 900 originals (250-350 words drawn from a Zipf-like
30,000-word vocabulary) and 100 copies of originals of the same block, with word
substitutions/deletions/insertions at rates 0-20% and one copy in four cut to 80%.
Copies stay in their block, so any prefix of whole blocks holds all its known pairs.

Three measured runs, each in its own process (clean timing and peak RSS):
  recoupe     all N documents, ``processes`` workers (text -> tokens -> shingles ->
              MinHash), LSHIndex fed in batches; this is ``dedup_*``
  recoupe1    the first ``datasketch-n`` documents with one process  (``dedup1_*``)
  datasketch  the same prefix through datasketch MinHash + MinHashLSH, same tokens,
              5-word shingles, 128 permutations, 32x4 bands, same verification
              (``datasketch_*``; extrapolated linearly to N, as said in its output)
Memory: ``peak_rss_mb`` is the process high-water mark and includes the in-memory corpus
(``corpus_rss_mb``) plus, for non-ASCII texts, the UTF-8 copy CPython caches inside each
str once it is pickled to a worker (another ~corpus size: a streaming pipeline that drops
texts after hashing does not pay it); ``index_mb`` is what the LSH index itself holds.
Precision: found pairs that are known copies. Recall: known copy pairs whose exact
shingle Jaccard is >= the threshold that were found. Exits 1 under the floors.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np

from recoupe.reuse.lsh import DEFAULT_BANDS, DEFAULT_ROWS, DEFAULT_THRESHOLD, LSHIndex
from recoupe.reuse.minhash import DEFAULT_NUM_PERM, iter_text_signatures
from recoupe.reuse.normalize import words
from recoupe.reuse.shingles import DEFAULT_K, jaccard, shingle_hashes, text_shingles

BLOCK = 1000
COPIES = 100
EDIT_RATES = (0.0, 0.01, 0.02, 0.03, 0.05, 0.08, 0.12, 0.2)
VOCAB = 30_000
FLOOR_DOCS_PER_S = 1700.0  # 1M documents in under 10 minutes
FLOOR_PRECISION = 0.99
FLOOR_RECALL = 0.95
SEED = 7


def _vocabulary() -> tuple[np.ndarray, np.ndarray]:
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


def _edit(rng: np.random.Generator, words_: list[str], rate: float, vocab: np.ndarray) -> list[str]:
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


def make_block(
    b: int, vocab: np.ndarray, probs: np.ndarray
) -> tuple[list[str], list[tuple[int, int, float, float]]]:
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
        toks = _edit(rng, texts[src].split(), EDIT_RATES[c % len(EDIT_RATES)], vocab)
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


def corpus(n: int) -> tuple[list[str], list[tuple[int, int, float, float]]]:
    vocab, probs = _vocabulary()
    texts: list[str] = []
    truth: list[tuple[int, int, float, float]] = []
    for b in range(n // BLOCK):
        t, k = make_block(b, vocab, probs)
        texts.extend(t)
        truth.extend(k)
    return texts, truth


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


class TreeRss(threading.Thread):
    """Samples the resident memory of this process and all its descendants (the
    workers start from a fork server, so getrusage cannot see them)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_mb = 0.0
        self.stop = threading.Event()

    @staticmethod
    def _tree(pid: int) -> list[int]:
        out = [pid]
        for task in Path(f"/proc/{pid}/task").glob("*/children"):
            for child in task.read_text().split():
                out.extend(TreeRss._tree(int(child)))
        return out

    def run(self) -> None:
        while not self.stop.wait(0.5):
            total = 0
            for pid in self._tree(os.getpid()):
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                found = re.search(r"VmRSS:\s+(\d+)", status)
                total += int(found.group(1)) if found else 0
            self.peak_mb = max(self.peak_mb, total / 1024.0)


def run_recoupe(n: int, processes: int, batch: int) -> dict[str, float]:
    texts, truth = corpus(n)
    corpus_rss = _rss_mb()
    sampler = TreeRss()
    sampler.start()
    started = time.perf_counter()
    index = LSHIndex(DEFAULT_NUM_PERM, DEFAULT_BANDS, DEFAULT_ROWS, DEFAULT_THRESHOLD)
    found_i, found_j = [], []
    batches = (texts[lo : lo + batch] for lo in range(0, len(texts), batch))
    pending: list[np.ndarray] = []
    done = 0
    for sigs in iter_text_signatures(batches, processes=processes):
        pending.append(sigs)
        if sum(len(s) for s in pending) >= 50_000:
            done = _feed(index, pending, done, found_i, found_j)
    _feed(index, pending, done, found_i, found_j)
    seconds = time.perf_counter() - started
    pairs = set(
        zip(np.concatenate(found_i).tolist(), np.concatenate(found_j).tolist(), strict=True)
    )
    return {
        "docs": n, "seconds": seconds, "docs_per_s": n / seconds, "peak_rss_mb": _rss_mb(),
        "corpus_rss_mb": corpus_rss, "tree_peak_rss_mb": sampler.peak_mb,
        "index_mb": index.nbytes / 2**20,
        **score(pairs, truth),
    }  # fmt: skip


def _feed(index: LSHIndex, pending: list[np.ndarray], done: int, fi: list, fj: list) -> int:
    if not pending:
        return done
    sigs = np.concatenate(pending)
    pending.clear()
    i, j, _ = index.add_arrays([str(k) for k in range(done, done + len(sigs))], sigs)
    fi.append(i)
    fj.append(j)
    return done + len(sigs)


def run_datasketch(n: int) -> dict[str, float]:
    from datasketch import MinHash, MinHashLSH

    texts, truth = corpus(n)
    started = time.perf_counter()
    lsh = MinHashLSH(
        threshold=DEFAULT_THRESHOLD, num_perm=DEFAULT_NUM_PERM, params=(DEFAULT_BANDS, DEFAULT_ROWS)
    )
    hashes = []
    pairs = set()
    for k, text in enumerate(texts):
        toks = words(text)
        m = MinHash(num_perm=DEFAULT_NUM_PERM, seed=1)
        m.update_batch(
            [
                " ".join(toks[i : i + DEFAULT_K]).encode()
                for i in range(max(len(toks) - DEFAULT_K + 1, 1))
            ]
        )
        for other in lsh.query(m):
            if m.jaccard(hashes[other]) >= DEFAULT_THRESHOLD:
                pairs.add((other, k))
        lsh.insert(k, m)
        hashes.append(m)
    seconds = time.perf_counter() - started
    return {
        "docs": n,
        "seconds": seconds,
        "docs_per_s": n / seconds,
        "peak_rss_mb": _rss_mb(),
        **score(pairs, truth),
    }


def score(
    pairs: set[tuple[int, int]], truth: list[tuple[int, int, float, float]]
) -> dict[str, float]:
    known = {(s, c) for s, c, _, _ in truth}
    above = [(s, c, rate) for s, c, rate, j in truth if j >= DEFAULT_THRESHOLD]
    out = {
        "pairs_found": float(len(pairs)),
        "precision": len(pairs & known) / len(pairs) if pairs else 0.0,
        "recall": sum((s, c) in pairs for s, c, _ in above) / max(len(above), 1),
        "known_pairs_above_threshold": float(len(above)),
    }
    for rate in EDIT_RATES:
        group = [(s, c) for s, c, r, _ in truth if r == rate]
        out[f"found_share_edit_{int(rate * 100)}pct"] = sum(p in pairs for p in group) / max(
            len(group), 1
        )
    return out


def _child(engine: str, n: int, processes: int, batch: int) -> dict[str, float]:
    cmd = [
        sys.executable,
        __file__,
        "--engine",
        engine,
        "--n",
        str(n),
        "--processes",
        str(processes),
        "--batch",
        str(batch),
    ]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--datasketch-n", type=int, default=20_000)
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--batch", type=int, default=2000)
    ap.add_argument("--engine", choices=["recoupe", "datasketch"])
    ap.add_argument("--sweep-k", nargs="?", const="", default=None, metavar="SEMEVAL_CSV")
    args = ap.parse_args()
    if args.sweep_k is not None:
        return sweep_k(args.sweep_k)
    if args.engine == "recoupe":
        print(json.dumps(run_recoupe(args.n, args.processes, args.batch)))
        return 0
    if args.engine == "datasketch":
        print(json.dumps(run_datasketch(args.n)))
        return 0
    main_run = _child("recoupe", args.n, args.processes, args.batch)
    single = _child("recoupe", args.datasketch_n, 1, args.batch)
    peer = _child("datasketch", args.datasketch_n, 1, args.batch)
    for prefix, result in (("dedup", main_run), ("dedup1", single), ("datasketch", peer)):
        for key, value in result.items():
            print(
                f"{prefix}_{key}={value:.4g}"
                if isinstance(value, float)
                else f"{prefix}_{key}={value}"
            )
    print(f"dedup_processes={args.processes}")
    scale = args.n / peer["docs"]
    print(
        f"datasketch_extrapolated_seconds_{args.n}={peer['seconds'] * scale:.0f}"
        f" (linear extrapolation from {peer['docs']:.0f} docs)"
    )
    print(f"dedup1_extrapolated_seconds_{args.n}={single['seconds'] * args.n / single['docs']:.0f}")
    failed = [
        name for name, ok in (
            ("dedup_docs_per_s", main_run["docs_per_s"] >= FLOOR_DOCS_PER_S),
            ("dedup_precision", main_run["precision"] >= FLOOR_PRECISION),
            ("dedup_recall", main_run["recall"] >= FLOOR_RECALL),
        ) if not ok
    ]  # fmt: skip
    if failed:
        print("FAIL: under floor: " + ", ".join(failed))
        return 1
    return 0


def sweep_k(csv_path: str) -> int:
    """Jaccard of synthetic copies of real articles vs. of real non-copy pairs, per k."""
    import csv

    path = (
        Path(csv_path)
        if csv_path
        else Path(__file__).resolve().parents[2]
        / "shared/data/similarity/semeval2022_task8/training_set.csv"
    )
    rows = [
        r
        for r in csv.DictReader(path.open(encoding="utf-8"))
        if not re.search("[a-z]", r["pair_id"])
    ]
    vocab = [w for r in rows for w in r["text1"].split()]
    rng = np.random.default_rng(SEED)
    for k in (3, 4, 5, 6, 7):
        stats = []
        for rate in (0.03, 0.05, 0.08):
            js = [
                jaccard(
                    text_shingles(r["text1"], k),
                    text_shingles(
                        " ".join(_edit(rng, r["text1"].split(), rate, np.array(vocab))), k
                    ),
                )
                for r in rows[:200]
            ]
            stats.append(f"copy_{int(rate * 100)}pct_median={np.median(js):.3f}")
        same = [r for r in rows if r["lang1"] == r["lang2"]]
        js = np.array(
            [jaccard(text_shingles(r["text1"], k), text_shingles(r["text2"], k)) for r in same]
        )
        story = js[np.array([float(r["Overall"]) <= 2 for r in same])]
        other = js[np.array([float(r["Overall"]) >= 3 for r in same])]
        print(
            f"k={k} " + " ".join(stats)
            + f" same_story_p90={np.percentile(story, 90):.3f}"
            + f" same_story_p99={np.percentile(story, 99):.3f}"
            + f" unrelated_p99={np.percentile(other, 99):.3f}"
        )  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
