"""ROUGE-N as ../shared/design/ANCHORS.md defines it for the RPM2 bench.

* Tokens: lowercased Unicode ``\\w+`` runs, accents kept (rouge-score's default
  tokenizer drops accented letters, which wrecks French), no stemming, no stop words.
* Every summary - system and reference - is first cut to its first ``words`` (100)
  whitespace-separated words, as ROUGE-1.5.5's ``-l 100`` does.
* Against one reference: clipped n-gram overlap; recall = overlap / reference n-grams,
  precision = overlap / summary n-grams, F1 their harmonic mean.
* Several references, jackknifed: for each of the M leave-one-out subsets of M-1
  references, the mean of the per-reference scores; then the mean over the M subsets
  (recall, precision and F1 averaged separately). This reproduces the anchors' rows
  exactly (lead of the first document: R1-F 0.327, R2-F 0.081; human vs the other 3:
  0.397 / 0.116), while taking the best reference of each subset instead (the ROUGE
  paper's wording) gives 0.366 / 0.116 for the lead.
* A corpus figure is the mean over clusters.

Pure and small so tests can pin it; not used by the summarizer itself.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Score:
    recall: float
    precision: float
    f1: float


def cut(text: str, words: int | None = 100) -> str:
    """The first ``words`` whitespace-separated words (all when None)."""
    parts = text.split()
    return " ".join(parts if words is None else parts[:words])


def ngrams(text: str, n: int) -> Counter[tuple[str, ...]]:
    toks = _TOKEN.findall(text.lower())
    return Counter(tuple(toks[i : i + n]) for i in range(len(toks) - n + 1))


def rouge_n(summary: str, reference: str, n: int, words: int | None = 100) -> Score:
    """ROUGE-N of ``summary`` against one ``reference`` (both cut to ``words``)."""
    peer, ref = ngrams(cut(summary, words), n), ngrams(cut(reference, words), n)
    hit = sum((peer & ref).values())
    recall = hit / sum(ref.values()) if ref else 0.0
    precision = hit / sum(peer.values()) if peer else 0.0
    f1 = 2 * recall * precision / (recall + precision) if recall + precision else 0.0
    return Score(recall, precision, f1)


def _mean(scores: Sequence[Score]) -> Score:
    k = max(len(scores), 1)
    return Score(
        sum(s.recall for s in scores) / k,
        sum(s.precision for s in scores) / k,
        sum(s.f1 for s in scores) / k,
    )


def jackknife(summary: str, references: Sequence[str], n: int, words: int | None = 100) -> Score:
    """Mean over the leave-one-out subsets of the mean per-reference score (one
    reference: its score)."""
    per_ref = [rouge_n(summary, r, n, words) for r in references]
    if len(per_ref) < 2:
        return _mean(per_ref)
    return _mean([_mean(per_ref[:k] + per_ref[k + 1 :]) for k in range(len(per_ref))])
