"""The ~6,000-article real corpus of ``bench/pipeline.py``, built from ../shared/data.

Recipe (every text as it is in the dataset, one JSON Lines record per article, metadata
only where the dataset gives it):

* CL-TLS (clustering/cl-tls): every article of the fr/es/it crisis folders, ``date``
  from its day folder, ``language`` from its language folder (1,671);
* ECB+ (clustering/ecbplus): every document, English, no date (535);
* RPM2 (summarization/rpm2): every document, French, no date (400);
* PolNeAR (attribution/polnear): every article of train and dev, English, with
  ``outlet`` (publisher) and ``date`` (publication date) from metadata.tsv (924);
* SemEval-2022 Task 8 (similarity/semeval2022_task8): each distinct text of the real
  (not machine-translated) pairs, with its pair's language (texts are cut to ~1.2k
  characters in the dataset).

Run: ``python bench/pipeline_corpus.py OUT.jsonl [--limit N]``; ``--replicate K`` writes
K copies of every article with small random word edits (each copy stated as such in its
``title``), for the scale run. Records are shuffled with a fixed seed so a prefix is a
mixed sample.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SEED = 20261201

Record = dict[str, str]


def cltls(root: Path) -> Iterator[Record]:
    for path in sorted(root.glob("*/*/*/*.txt")):
        lang, crisis, day = path.parts[-4], path.parts[-3], path.parts[-2]
        if crisis == "reference" or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        yield {"id": f"cltls/{path.relative_to(root)}", "text": text, "date": day,
               "language": lang}  # fmt: skip


def ecbplus(root: Path) -> Iterator[Record]:
    for path in sorted((root / "docs").glob("*.txt")):
        yield {"id": f"ecbplus/{path.stem}", "text": path.read_text(encoding="utf-8"),
               "language": "en"}  # fmt: skip


def rpm2(root: Path) -> Iterator[Record]:
    for path in sorted((root / "Corpus_RPM2_documents").glob("T*_C*_*.txt")):
        text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
        yield {"id": f"rpm2/{path.stem}", "text": text, "language": "fr"}


def polnear(root: Path) -> Iterator[Record]:
    meta: dict[str, dict[str, str]] = {}
    with (root / "metadata.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            meta[row["filename"]] = row
    for split in ("train", "dev"):
        for path in sorted((root / split / "text").glob("*.txt")):
            m = meta.get(path.stem, {})
            rec = {"id": f"polnear/{path.stem}", "text": path.read_text(encoding="utf-8"),
                   "language": "en"}  # fmt: skip
            if m.get("publisher"):
                rec["outlet"] = m["publisher"]
            if m.get("publication_date"):
                rec["date"] = m["publication_date"]
            if m.get("title"):
                rec["title"] = m["title"]
            yield rec


def semeval(root: Path) -> Iterator[Record]:
    seen: set[str] = set()
    with (root / "training_set.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if not re.fullmatch(r"\d+_\d+", row["pair_id"]):
                continue  # a machine-translated augmentation
            for side in ("1", "2"):
                text = row[f"text{side}"].strip()
                if text and text not in seen:
                    seen.add(text)
                    yield {"id": f"semeval/{row['pair_id']}/{side}", "text": text,
                           "language": row[f"lang{side}"]}  # fmt: skip


def corpus(data: Path) -> list[Record]:
    out = [
        *cltls(data / "clustering" / "cl-tls"),
        *ecbplus(data / "clustering" / "ecbplus"),
        *rpm2(data / "summarization" / "rpm2"),
        *polnear(data / "attribution" / "polnear"),
        *semeval(data / "similarity" / "semeval2022_task8"),
    ]
    random.Random(SEED).shuffle(out)
    return out


def edited(rec: Record, k: int, rng: random.Random) -> Record:
    """Copy ``k`` of an article with about 2% of its words dropped or swapped with a
    neighbour: a replicated corpus for scale, not new news."""
    words = rec["text"].split(" ")
    for _ in range(max(1, len(words) // 50)):
        i = rng.randrange(len(words))
        if rng.random() < 0.5 and len(words) > 1:
            del words[i]
        elif i + 1 < len(words):
            words[i], words[i + 1] = words[i + 1], words[i]
    title = rec.get("title") or rec["text"].strip().split("\n", 1)[0][:120]
    return {**rec, "id": f"{rec['id']}#copy{k}", "text": " ".join(words),
            "title": f"{title} [replicated copy {k}]"}  # fmt: skip


def replicated(records: list[Record], times: int) -> list[Record]:
    """The records, then ``times - 1`` edited copies of each (``edited``)."""
    if times <= 1:
        return records
    rng = random.Random(SEED + 1)
    return records + [edited(r, k, rng) for k in range(1, times) for r in records]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--replicate", type=int, default=1, help="copies of each article")
    args = ap.parse_args(argv)
    records = replicated(corpus(args.data), args.replicate)
    records = records[: args.limit] if args.limit else records
    with args.out.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"corpus_articles={len(records)} -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
