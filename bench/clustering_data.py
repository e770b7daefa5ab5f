"""Readers for the clustering benchmarks (ECB+, CL-TLS, SemEval-2022 Task 8 pairs) and an
on-disk cache of lead vectors, so repeated bench runs do not re-encode."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from recoupe.cluster.features import ArticleInput, VectorCache
from semeval_pairs import real_pairs

SHARED = Path(__file__).resolve().parents[2] / "shared"
DATA = SHARED / "data"


@dataclass(frozen=True)
class Labelled:
    article: ArticleInput
    story: str  # event id (ECB+), crisis (CL-TLS)
    topic: str


def ecbplus(folder: Path) -> list[Labelled]:
    """In ``labels.tsv`` order (ECB+ has no dates)."""
    out = []
    with (folder / "labels.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            text = (folder / "docs" / f"{row['doc_id']}.txt").read_text(encoding="utf-8")
            title = text.split("\n", 1)[0]
            art = ArticleInput(row["doc_id"], text, title=title, language="en")
            out.append(Labelled(art, row["event_id"], row["topic"]))
    return out


def cltls(folder: Path) -> list[Labelled]:
    """Every article with its crisis, in (date, language, path) order."""
    rows = []
    for path in folder.glob("*/*/*/*.txt"):
        lang, crisis, day = path.parts[-4], path.parts[-3], path.parts[-2]
        if crisis == "reference" or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
            continue
        rows.append((day, lang, str(path.relative_to(folder)), crisis, path))
    out = []
    for day, lang, rel, crisis, path in sorted(rows):
        text = path.read_text(encoding="utf-8", errors="replace")
        art = ArticleInput(rel, text, language=lang, published=day)
        out.append(Labelled(art, crisis, crisis))
    return out


def rpm2(folder: Path) -> list[Labelled]:
    """RPM2 (French; 20 topics x 2 clusters a month apart, no dates): the topic is the
    label (``T01``), the cluster (``T01_C1``) the story. Used for topics only."""
    out = []
    for path in sorted((folder / "Corpus_RPM2_documents").glob("T*_C*_*.txt")):
        text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
        art = ArticleInput(path.stem, text, title=text.split("\n", 1)[0], language="fr")
        out.append(Labelled(art, path.stem[:6], path.stem[:3]))
    return out


def semeval_pairs(path: Path) -> list[tuple[int, int, float]]:
    """Real pairs (ids without letters, first copy of a duplicated id) as (index of text1,
    index of text2, Overall) into ``semeval_articles(path)``."""
    pairs, _ = _semeval(path)
    return pairs


def semeval_articles(path: Path) -> list[ArticleInput]:
    return _semeval(path)[1]


def _semeval(path: Path) -> tuple[list[tuple[int, int, float]], list[ArticleInput]]:
    index: dict[str, int] = {}
    arts: list[ArticleInput] = []
    pairs = []
    for row in real_pairs(path):
        ids = row["pair_id"].split("_")
        got = []
        for n, (doc_id, lang) in enumerate(((ids[0], row["lang1"]), (ids[1], row["lang2"]))):
            if doc_id not in index:
                index[doc_id] = len(arts)
                text = row[f"text{n + 1}"]
                arts.append(ArticleInput(doc_id, text, language=lang))
            got.append(index[doc_id])
        pairs.append((got[0], got[1], float(row["Overall"])))
    return pairs, arts


def load_cache(path: Path) -> VectorCache:
    if not path.is_file():
        return {}
    data = np.load(path)
    return {k: data[k] for k in data.files}


def save_cache(path: Path, cache: VectorCache) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, **{k: np.asarray(v) for k, v in cache.items()})
