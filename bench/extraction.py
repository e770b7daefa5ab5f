"""Main-text extraction benchmark: recoupe's HTML path against plain trafilatura.

Runs both on the scrapinghub article-extraction-benchmark (181 pages, gold ``articleBody``)
in the same process, prints ``name=value`` lines and exits non-zero when recoupe scores under
trafilatura's default or under the pinned floor.

    python bench/extraction.py [DATA_DIR] [--limit N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path

import trafilatura

from recoupe import app
from recoupe.clean.html import clean_html
from recoupe.config import DEFAULT_LANGUAGES, IngestSettings, Settings
from recoupe.ingest.html import decode_html
from recoupe.nlp.langid import detect_language
from recoupe.nlp.sentences import split_sentences
from recoupe.types import Metadata

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "extraction" / "scrapinghub"
FLOOR = 0.970  # measured 0.9748 (181 pages, trafilatura 2.3.1); a little under it

DEFINITION = """\
# extraction_f1: per page, tokens = unicodedata.normalize("NFKC", s).lower().split(),
# tp = multiset overlap with articleBody, P = tp/|pred| (0 if empty), R = tp/|gold|,
# F1 per page, mean over all pages (an empty or crashed page scores 0)."""


def tokens(text: str) -> list[str]:
    return unicodedata.normalize("NFKC", text).lower().split()


def score(pred: str, gold: str) -> tuple[float, float, float]:
    """Token precision, recall and F1 of one page."""
    p, g = tokens(pred), tokens(gold)
    tp = sum((Counter(p) & Counter(g)).values())
    precision = tp / len(p) if p else 0.0
    recall = tp / len(g) if g else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def analyse(text: str) -> object:
    """Language id and sentence split, as the pipeline does after cleaning."""
    return split_sentences(text, detect_language(text, DEFAULT_LANGUAGES))


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the cleaning worker)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def ingest_throughput(data_dir: Path, ids: list[str]) -> tuple[int, float, float]:
    """The whole ingest path (read .html.gz, decode, clean, analyse, store in SQLite)
    through ``recoupe.app.ingest``: accepted articles, seconds, CPU seconds (this process
    and the worker that cleans, which has ended when ingest returns)."""
    with tempfile.TemporaryDirectory() as tmp:
        pages = Path(tmp) / "pages"
        pages.mkdir()
        for i in ids:
            (pages / f"{i}.html.gz").symlink_to((data_dir / "html" / f"{i}.html.gz").resolve())
        # the pages are linked from outside the folder ingested: follow those links
        settings = Settings(db=Path(tmp) / "bench.db", ingest=IngestSettings(follow_symlinks=True))
        cpu = _cpu_seconds()
        with app.open_store(settings) as repo:
            report = app.ingest(repo, [str(pages)], settings)
        cpu = _cpu_seconds() - cpu
    return report.accepted, report.seconds, cpu


def run(data_dir: Path, limit: int | None) -> int:
    gold = json.loads((data_dir / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(gold)[:limit] if limit else sorted(gold)
    raw = {i: gzip.decompress((data_dir / "html" / f"{i}.html.gz").read_bytes()) for i in ids}
    decode = decode_html
    warm = decode(raw[ids[0]])  # first calls load models and compile patterns: not timed
    analyse(clean_html(warm, Metadata()).text or "warm up")
    trafilatura.extract(warm)

    ours: list[tuple[float, float, float]] = []
    clean_time = analyse_time = 0.0
    clean_cpu = time.process_time()
    for i in ids:
        start = middle = time.perf_counter()
        text = ""
        try:
            text = clean_html(decode(raw[i]), Metadata()).text
            middle = time.perf_counter()
            if text:
                analyse(text)
        except Exception:  # a crashed page scores 0
            text = ""
        end = time.perf_counter()
        clean_time += middle - start
        analyse_time += end - middle
        ours.append(score(text, gold[i]["articleBody"]))
    clean_cpu = time.process_time() - clean_cpu

    theirs: list[tuple[float, float, float]] = []
    start = time.perf_counter()
    for i in ids:
        try:
            out = trafilatura.extract(decode(raw[i])) or ""
            theirs.append(score(out, gold[i]["articleBody"]))
        except Exception:
            theirs.append((0.0, 0.0, 0.0))
    theirs_time = time.perf_counter() - start

    def mean(rows: list[tuple[float, float, float]], k: int) -> float:
        return sum(r[k] for r in rows) / len(rows)

    f1, tf1 = mean(ours, 2), mean(theirs, 2)
    print(DEFINITION)
    print(f"extraction_f1={f1:.4f}")
    print(f"extraction_precision={mean(ours, 0):.4f}")
    print(f"extraction_recall={mean(ours, 1):.4f}")
    print(f"trafilatura_f1={tf1:.4f}")
    print(f"trafilatura_precision={mean(theirs, 0):.4f}")
    print(f"trafilatura_recall={mean(theirs, 1):.4f}")
    print(f"pages={len(ids)}")
    print(f"recoupe_pages_per_s={len(ids) / (clean_time + analyse_time):.1f}")
    print("recoupe_pages_per_s_covers=decode + clean_html + langid + sentences")
    print(f"recoupe_clean_only_pages_per_s={len(ids) / clean_time:.1f}")
    print(f"trafilatura_pages_per_s={len(ids) / theirs_time:.1f}")
    accepted, seconds, cpu = ingest_throughput(data_dir, ids)
    print(f"ingest_articles={accepted}")
    print(f"ingest_articles_per_s={accepted / seconds:.1f}")
    print(f"ingest_cpu_ms_per_article={cpu / accepted * 1000:.1f}")
    print("ingest_cpu_ms_per_article_covers=the ingest above, CPU of this process and its worker")
    print(f"recoupe_cpu_ms_per_page={(clean_cpu / len(ids)) * 1000:.1f}")
    print("recoupe_cpu_ms_per_page_covers=the in-process loop: decode + clean + langid + sentences")
    print(
        "ingest_articles_per_s_covers=recoupe.app.ingest: read + decode + clean + analyse + store"
    )
    failed = []
    if f1 < tf1:
        failed.append(f"extraction_f1 {f1:.4f} < trafilatura_f1 {tf1:.4f}")
    if limit is None and f1 < FLOOR:
        failed.append(f"extraction_f1 {f1:.4f} < floor {FLOOR}")
    for message in failed:
        print(f"FAIL: {message}", file=sys.stderr)
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages")
    args = parser.parse_args(argv)
    return run(args.data_dir, args.limit)


if __name__ == "__main__":
    sys.exit(main())
