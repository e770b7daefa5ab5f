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
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import trafilatura

from recoupe.clean.html import clean_html
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


def decoder() -> Callable[[bytes], str]:
    """The real ingest decoder when present (BOM, meta charset, detection)."""
    try:
        from recoupe.ingest.html import decode_html

        return decode_html
    except ImportError:
        from charset_normalizer import from_bytes

        def decode(data: bytes) -> str:
            best = from_bytes(data).best()
            return str(best) if best is not None else data.decode("utf-8", "replace")

        return decode


def analyser() -> tuple[str, Callable[[str], object]]:
    """Language id (+ sentence split when recoupe.nlp provides it), as the pipeline does."""
    try:
        from recoupe.config import DEFAULT_LANGUAGES
        from recoupe.nlp.langid import detect_language
        from recoupe.nlp.sentences import split_sentences

        def analyse(text: str) -> object:
            return split_sentences(text, detect_language(text, DEFAULT_LANGUAGES))

        return "recoupe.nlp (langid + sentences)", analyse
    except ImportError:
        import py3langid

        def classify(text: str) -> object:
            return py3langid.classify(text)

        return "py3langid only (recoupe.nlp missing)", classify


def run(data_dir: Path, limit: int | None) -> int:
    gold = json.loads((data_dir / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(gold)[:limit] if limit else sorted(gold)
    raw = {i: gzip.decompress((data_dir / "html" / f"{i}.html.gz").read_bytes()) for i in ids}
    decode = decoder()
    what, analyse = analyser()
    warm = decode(raw[ids[0]])  # first calls load models and compile patterns: not timed
    analyse(clean_html(warm, Metadata()).text or "warm up")
    trafilatura.extract(warm)

    ours: list[tuple[float, float, float]] = []
    clean_time = analyse_time = 0.0
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
    print(f"recoupe_pages_per_s_covers=decode + clean_html + {what}")
    print(f"recoupe_clean_only_pages_per_s={len(ids) / clean_time:.1f}")
    print(f"trafilatura_pages_per_s={len(ids) / theirs_time:.1f}")
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
