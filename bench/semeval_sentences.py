"""Sentence pairs built from SemEval-2022 Task 8 articles, for the same-claim and
disagreement benches (never the seeds or RPM2).

* ``translation``: sentence k of an article vs sentence k of its machine translation
  (pair ids with a language suffix, same sentence count): the same claim across languages.
* ``translation_other``: sentence k vs sentence j != k of the translated article: same
  story and names, other claims, across languages (hard negatives).
* ``lead_same_story``: the first sentences of the two articles of a real same-story pair
  (Overall <= 1.5), written independently (a weak positive label).
* ``lead_other_story``: first sentences of real pairs with Overall >= 3.5.
* ``halves``: every sentence of the first half of a real article vs every sentence of its
  second half: same story and names, mostly other claims (hard negatives).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from recoupe.nlp.sentences import split_sentences
from semeval_pairs import keep_real

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
