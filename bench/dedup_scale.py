"""Near-duplicates among N synthetic news-like articles with known copies, index on disk.

Usage: python bench/dedup_scale.py [--n 1000000] [--incremental 10000] [--processes 2]
                                   [--datasketch-n 0] [--work DIR]
       python bench/dedup_scale.py --n 100000          (the CI size: proportional floors)
       python bench/dedup_scale.py --sweep-k [SEMEVAL_CSV]    (shingle size measurement)

Corpus: ``dedup_corpus.py`` (blocks of 1,000 documents, 10% copies edited 0-20%), written
once to a work directory and streamed back in batches by every measured run.

Measured runs, each in its own process (clean timing and peak RSS), on the same documents:
  recoupe   text -> numpy tokens -> shingles -> MinHash in ``processes`` workers, band keys
            into the persistent ``LSHIndex`` on disk (a directory under the work dir),
            fed 50,000 documents at a time. From scratch on the first N - incremental
            documents, then closed; then *incremental*: the index is opened again and the
            last ``incremental`` documents added (one process: starting workers for so
            few costs more than it saves). ``dedup_*`` covers both parts (all N).
  rensa     rensa 0.5 (Rust) from the same texts: the same tokens (``normalize.words``)
            as 5-word shingle strings, ``RMinHash`` 128 permutations, ``RMinHashLSH`` 32
            bands of 4, the same verification (estimated Jaccard >= 0.5), one process.
            Also, on the first 100,000 documents, the MinHash kernel alone on the same
            shingle hashes (``minhash_kernel_*``: rensa's Rust loop vs our numpy one).
  datasketch  only with ``--datasketch-n``: the anchor row, on a prefix.

CPU time is the process's own plus every descendant's (workers, fork server), read from
/proc; on a shared machine compare ``dedup_vs_rensa_cpu_ratio`` (same run), not wall
times across runs. The load average is printed with the wall time. Memory: peak of the
resident set of the process tree (``*_peak_rss_mb``, memory-mapped index pages included)
and of its anonymous part (``*_peak_anon_mb``: what must fit in RAM).
Precision: found pairs that are known copies. Recall: known copy pairs whose exact
shingle Jaccard is >= the threshold that were found. Exits 1 under the floors.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

from dedup_corpus import EDIT_RATES, SEED, CorpusFile, Truth, edit, write_corpus
from recoupe.reuse.lsh import DEFAULT_BANDS, DEFAULT_ROWS, DEFAULT_THRESHOLD
from recoupe.reuse.lsh_index import open_index
from recoupe.reuse.minhash import DEFAULT_NUM_PERM, MinHasher
from recoupe.reuse.normalize import words
from recoupe.reuse.shingles import DEFAULT_K, jaccard, text_shingle_hashes, text_shingles
from recoupe.reuse.signing import SignaturePool

FLOOR_WALL_S_PER_MILLION = 120.0  # issue 15: 1M documents in <= 120 s on 2 cores
FLOOR_CPU_RATIO = 1.0  # no slower per CPU-second than rensa in the same run
FLOOR_PRECISION = 0.99
FLOOR_RECALL = 0.95
FLOOR_INCREMENTAL_RATIO = 1.5  # per-document cost of an incremental add vs from scratch
FEED = 50_000  # documents per LSHIndex.add
BATCH = 2_000  # documents per worker task
RENSA_FEED = 10_000  # documents per rensa bulk call (its shingle strings take ~20 KB each)
KERNEL_N = 100_000
_TICK = os.sysconf("SC_CLK_TCK")


class TreeMonitor(threading.Thread):
    """Samples the resident memory (total and anonymous) and CPU time of this process
    and all its descendants (workers start from a fork server: getrusage cannot see
    them)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_mb = self.peak_anon_mb = 0.0
        self.cpu: dict[int, float] = {}
        self.halt = threading.Event()
        self.me = os.getpid()

    @staticmethod
    def _tree(pid: int) -> list[int]:
        out = [pid]
        for task in Path(f"/proc/{pid}/task").glob("*/children"):
            try:
                children = task.read_text().split()
            except OSError:
                continue
            for child in children:
                out.extend(TreeMonitor._tree(int(child)))
        return out

    def sample(self) -> None:
        total = anon = 0
        for pid in self._tree(self.me):
            try:
                status = Path(f"/proc/{pid}/status").read_text()
                stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            rss = re.search(r"VmRSS:\s+(\d+)", status)
            ranon = re.search(r"RssAnon:\s+(\d+)", status)
            total += int(rss.group(1)) if rss else 0
            anon += int(ranon.group(1)) if ranon else 0
            if pid != self.me:  # fields 14, 15 of stat: utime, stime
                used = (int(stat[11]) + int(stat[12])) / _TICK
                self.cpu[pid] = max(used, self.cpu.get(pid, 0.0))
        self.peak_mb = max(self.peak_mb, total / 1024.0)
        self.peak_anon_mb = max(self.peak_anon_mb, anon / 1024.0)

    def run(self) -> None:
        while not self.halt.wait(0.5):
            self.sample()

    def children_cpu(self) -> float:
        return sum(self.cpu.values())


def _ids(lo: int, hi: int) -> list[str]:
    return [f"doc{k:08d}" for k in range(lo, hi)]


def _feed_index(path: Path, corpus: CorpusFile, lo: int, hi: int, processes: int) -> dict:
    """Sign documents lo..hi-1 and add them to the index at ``path``; timed."""
    monitor = TreeMonitor()
    monitor.start()
    load = os.getloadavg()[0]
    cpu0, wall0 = time.process_time(), time.perf_counter()
    found_i, found_j = [], []
    index = open_index(path)
    with SignaturePool(processes) as pool:
        done, pending = lo, []
        for sigs in pool.map(corpus.batches(lo, hi, BATCH)):
            pending.append(sigs)
            if sum(len(s) for s in pending) >= FEED or done + sum(map(len, pending)) >= hi:
                block = np.concatenate(pending)
                pending.clear()
                i, j, _ = index.add_arrays(_ids(done, done + len(block)), block)
                found_i.append(i)
                found_j.append(j)
                done += len(block)
        monitor.sample()  # the workers' CPU, before they exit
        reported = pool.worker_cpu_s
    sync0 = time.perf_counter()
    index.close()
    wall = time.perf_counter() - wall0
    monitor.halt.set()
    monitor.sample()
    parent, children = time.process_time() - cpu0, max(monitor.children_cpu(), reported)
    return {
        "docs": hi - lo, "wall_s": wall, "sync_s": time.perf_counter() - sync0,
        "cpu_s": parent + children, "parent_cpu_s": parent, "workers_cpu_s": children,
        "load_1m": load, "peak_rss_mb": monitor.peak_mb, "peak_anon_mb": monitor.peak_anon_mb,
        "pairs": np.stack([np.concatenate(found_i), np.concatenate(found_j)], 1).tolist(),
    }  # fmt: skip


def run_recoupe(work: Path, n: int, incremental: int, processes: int) -> dict:
    corpus = CorpusFile(work / "corpus")
    path = work / "index"
    shutil.rmtree(path, ignore_errors=True)
    split = n - incremental
    scratch = _feed_index(path, corpus, 0, split, processes)
    disk_mb = sum(p.stat().st_size for p in path.iterdir()) / 2**20
    later = _feed_index(path, corpus, split, n, 1 if incremental < FEED else processes)
    index = open_index(path)
    runs, count = index.run_sizes(), len(index)
    index.close(sync=False)
    pairs = {(int(a), int(b)) for part in (scratch, later) for a, b in part.pop("pairs")}
    return {
        "scratch": scratch, "incremental": later, "disk_mb": disk_mb,
        "final_disk_mb": sum(p.stat().st_size for p in path.iterdir()) / 2**20,
        "index_docs": count, "runs": runs, **score(pairs, corpus.truth(n)),
    }  # fmt: skip


def _shingle_strings(text: str) -> list[str]:
    toks = words(text)
    return [" ".join(toks[i : i + DEFAULT_K]) for i in range(max(len(toks) - DEFAULT_K + 1, 1))]


def run_rensa(work: Path, n: int) -> dict:
    import rensa

    corpus = CorpusFile(work / "corpus")
    load = os.getloadavg()[0]
    cpu0, wall0 = time.process_time(), time.perf_counter()
    lsh = rensa.RMinHashLSH(DEFAULT_THRESHOLD, DEFAULT_NUM_PERM, DEFAULT_BANDS)
    kept: list = []
    pairs: set[tuple[int, int]] = set()
    python_cpu = 0.0
    for texts in corpus.batches(0, n, RENSA_FEED):
        t0 = time.process_time()
        shingles = [_shingle_strings(t) for t in texts]
        python_cpu += time.process_time() - t0
        base = len(kept)
        hashes = rensa.RMinHash.from_token_sets(shingles, DEFAULT_NUM_PERM, 1)
        kept.extend(hashes)
        lsh.insert_many(hashes, base)
        for k, candidates in enumerate(lsh.query_all(hashes)):
            me = base + k
            for other in candidates:
                if other < me and hashes[k].jaccard(kept[other]) >= DEFAULT_THRESHOLD:
                    pairs.add((other, me))
    cpu = time.process_time() - cpu0
    wall = time.perf_counter() - wall0
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    out = {"docs": n, "cpu_s": cpu, "wall_s": wall, "python_tokenise_cpu_s": python_cpu,
           "load_1m": load, "peak_rss_mb": peak, **score(pairs, corpus.truth(n))}  # fmt: skip
    out.update(minhash_kernels(corpus, min(n, KERNEL_N)))
    return out


def minhash_kernels(corpus: CorpusFile, n: int) -> dict:
    """MinHash alone on the same shingle hashes: our numpy kernel vs rensa's Rust one."""
    import rensa

    hasher = MinHasher()
    ours = theirs = 0.0
    for texts in corpus.batches(0, n, BATCH):
        flat, offsets = text_shingle_hashes(texts)
        t0 = time.process_time()
        hasher.signatures(flat, offsets)
        t1 = time.process_time()
        rensa.RMinHash.digest_matrix_from_flat_token_hashes(
            flat, offsets.astype(np.uint64), DEFAULT_NUM_PERM, 1
        )
        theirs += time.process_time() - t1
        ours += t1 - t0
    return {"kernel_docs": n, "kernel_recoupe_us_per_doc": ours / n * 1e6,
            "kernel_rensa_us_per_doc": theirs / n * 1e6}  # fmt: skip


def run_datasketch(work: Path, n: int) -> dict:
    from datasketch import MinHash, MinHashLSH

    corpus = CorpusFile(work / "corpus")
    cpu0, wall0 = time.process_time(), time.perf_counter()
    lsh = MinHashLSH(
        threshold=DEFAULT_THRESHOLD, num_perm=DEFAULT_NUM_PERM, params=(DEFAULT_BANDS, DEFAULT_ROWS)
    )
    hashes = []
    pairs = set()
    for k, text in enumerate(t for batch in corpus.batches(0, n, FEED) for t in batch):
        m = MinHash(num_perm=DEFAULT_NUM_PERM, seed=1)
        m.update_batch([s.encode() for s in _shingle_strings(text)])
        for other in lsh.query(m):
            if m.jaccard(hashes[other]) >= DEFAULT_THRESHOLD:
                pairs.add((other, k))
        lsh.insert(k, m)
        hashes.append(m)
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    return {"docs": n, "cpu_s": cpu, "wall_s": wall, **score(pairs, corpus.truth(n))}


def score(pairs: set[tuple[int, int]], truth: Truth) -> dict[str, float]:
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


def _child(engine: str, work: Path, args: argparse.Namespace) -> dict:
    cmd = [sys.executable, __file__, "--engine", engine, "--work", str(work), "--n", str(args.n),
           "--incremental", str(args.incremental), "--processes", str(args.processes),
           "--datasketch-n", str(args.datasketch_n)]  # fmt: skip
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    result: dict = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _print(prefix: str, values: dict) -> None:
    for key, value in values.items():
        if isinstance(value, float):
            print(f"{prefix}{key}={value:.4g}")
        elif isinstance(value, int | str):
            print(f"{prefix}{key}={value}")


def report(args: argparse.Namespace, ours: dict, peer: dict, gen_s: float) -> int:
    scratch, later = ours["scratch"], ours["incremental"]
    wall = scratch["wall_s"] + later["wall_s"]
    cpu = scratch["cpu_s"] + later["cpu_s"]
    per_cpu = args.n / cpu
    peer_per_cpu = peer["docs"] / peer["cpu_s"]
    scratch_ms = scratch["cpu_s"] / scratch["docs"] * 1e3
    later_ms = later["cpu_s"] / later["docs"] * 1e3
    print(f"corpus_generation_s={gen_s:.1f} (not timed; 0 when reused from --work)")
    _print("dedup_", {
        "docs": args.n, "processes": args.processes, "wall_s": wall, "cpu_s": cpu,
        "docs_per_s": args.n / wall, "docs_per_cpu_s": per_cpu,
        "load_avg_1m": scratch["load_1m"],
        "precision": ours["precision"], "recall": ours["recall"],
        "pairs_found": ours["pairs_found"],
        "known_pairs_above_threshold": ours["known_pairs_above_threshold"],
        "peak_rss_mb": max(scratch["peak_rss_mb"], later["peak_rss_mb"]),
        "peak_anon_mb": max(scratch["peak_anon_mb"], later["peak_anon_mb"]),
        "scratch_docs": scratch["docs"], "scratch_wall_s": scratch["wall_s"],
        "scratch_sync_s": scratch["sync_s"], "scratch_cpu_ms_per_doc": scratch_ms,
        "scratch_parent_cpu_s": scratch["parent_cpu_s"],
        "scratch_workers_cpu_s": scratch["workers_cpu_s"],
        "incremental_docs": later["docs"], "incremental_wall_s": later["wall_s"],
        "incremental_cpu_ms_per_doc": later_ms, "incremental_ratio": later_ms / scratch_ms,
        "index_runs": " ".join(str(r) for r in ours["runs"]),
    })  # fmt: skip
    for key, value in ours.items():
        if key.startswith("found_share"):
            print(f"dedup_{key}={value:.4g}")
    print(f"index_disk_mb={ours['final_disk_mb']:.0f}")
    print(f"index_disk_mb_after_scratch={ours['disk_mb']:.0f}")
    _print("rensa_", {
        "docs": peer["docs"], "wall_s": peer["wall_s"], "cpu_s": peer["cpu_s"],
        "docs_per_cpu_s": peer_per_cpu, "python_tokenise_cpu_s": peer["python_tokenise_cpu_s"],
        "load_avg_1m": peer["load_1m"], "precision": peer["precision"],
        "recall": peer["recall"], "peak_rss_mb": peer["peak_rss_mb"],
    })  # fmt: skip
    ratio = per_cpu / peer_per_cpu
    print(f"dedup_vs_rensa_cpu_ratio={ratio:.3f}")
    print(f"minhash_kernel_docs={peer['kernel_docs']}")
    print(f"minhash_kernel_recoupe_us_per_doc={peer['kernel_recoupe_us_per_doc']:.1f}")
    print(f"minhash_kernel_rensa_us_per_doc={peer['kernel_rensa_us_per_doc']:.1f}")
    floor_wall = FLOOR_WALL_S_PER_MILLION * args.n / 1e6
    print(f"floor_wall_s={floor_wall:.1f}")
    failed = [
        name for name, ok in (
            ("dedup_wall_s", wall <= floor_wall),
            ("dedup_vs_rensa_cpu_ratio", ratio >= FLOOR_CPU_RATIO),
            ("dedup_precision", ours["precision"] >= FLOOR_PRECISION),
            ("dedup_recall", ours["recall"] >= FLOOR_RECALL),
            ("dedup_incremental_ratio", later_ms / scratch_ms <= FLOOR_INCREMENTAL_RATIO),
        ) if not ok
    ]  # fmt: skip
    if failed:
        print("FAIL: under floor: " + ", ".join(failed))
        return 1
    return 0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--incremental", type=int, default=10_000)
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--datasketch-n", type=int, default=0)
    ap.add_argument("--work", type=Path, default=None, help="work directory (default: temp)")
    ap.add_argument("--engine", choices=["recoupe", "rensa", "datasketch"])
    ap.add_argument("--sweep-k", nargs="?", const="", default=None, metavar="SEMEVAL_CSV")
    args = ap.parse_args()
    if args.sweep_k is not None:
        return sweep_k(args.sweep_k)
    if args.engine == "recoupe":
        print(json.dumps(run_recoupe(args.work, args.n, args.incremental, args.processes)))
        return 0
    if args.engine == "rensa":
        print(json.dumps(run_rensa(args.work, args.n)))
        return 0
    if args.engine == "datasketch":
        print(json.dumps(run_datasketch(args.work, args.datasketch_n)))
        return 0
    args.n -= args.n % 1000
    work = args.work or Path(tempfile.mkdtemp(prefix="dedup_scale_"))
    try:
        started = time.perf_counter()
        generated = write_corpus(work / "corpus", args.n, args.processes)
        gen_s = time.perf_counter() - started if generated else 0.0
        ours = _child("recoupe", work, args)
        peer = _child("rensa", work, args)
        status = report(args, ours, peer, gen_s)
        if args.datasketch_n:
            _print("datasketch_", _child("datasketch", work, args))
        return status
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


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
            edited = [" ".join(edit(rng, r["text1"].split(), rate, np.array(vocab)))
                      for r in rows[:200]]  # fmt: skip
            js = [
                jaccard(text_shingles(r["text1"], k), text_shingles(e, k))
                for r, e in zip(rows[:200], edited, strict=True)
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
