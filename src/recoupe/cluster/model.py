"""The article-vs-story score: logistic models over cheap signals, and how they are fitted.

Signals (``FEATURES``), computed for an article and a candidate story:

* ``vec_centroid``: cosine of the article's lead vector with the story centroid;
* ``vec_max``: best cosine with one of the story's recent members (a story drifts);
* ``lex_words``: TF-IDF cosine (document frequencies learnt online) of the article's
  words with the words of the story's members *in the article's language* (0 when the
  story has none);
* ``lex_entities``: TF-IDF cosine of the article's canonical entity keys with the
  story's - the names that separate two look-alike events, and words every language
  shares;
* ``numbers``: IDF share of the article's numbers found in the story (two look-alike
  events rarely share their counts: 23 pirates captured against 26);
* ``has_numbers``: 1 when the article has numbers at all (so that sharing none of them
  is evidence, and having none is not);
* ``log_gap``: ``log1p`` of the days between the article and the story's date range
  (0 when a date is missing).

Two models, both fitted on the same calibration stream: the **same-language** model
uses every signal; the **cross-language** model (``Weights.cross``) uses only the
language-neutral ones (``CROSS_FEATURES``: vectors, entities, numbers, time). An
article is scored by the cross-language model against a story with no member in its
language: its words cannot match, and a model that counted their absence as evidence
would never join a French and an English article. Fitting the neutral model on
monolingual pairs is the principled substitute for cross-language labels we do not
have: it learns what the evidence that survives translation is worth.

Weights are fitted by ``bench/clustering.py --calibrate``; the values pinned in
``DEFAULT_WEIGHTS`` and how they were obtained are in docs/stories.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FEATURES = (
    "vec_centroid",
    "vec_max",
    "lex_words",
    "lex_entities",
    "numbers",
    "has_numbers",
    "log_gap",
)
CROSS_FEATURES = tuple(f for f in FEATURES if f != "lex_words")
CROSS_INDEX = tuple(FEATURES.index(f) for f in CROSS_FEATURES)


@dataclass(frozen=True, slots=True)
class Weights:
    """Logistic coefficients (one per ``FEATURES``), bias, the probability an article
    needs to join a story, and the one at which two candidate stories both matching an
    article are merged. ``window_days``: a story idle for longer is *dormant*: it drops
    out of the nearest-centroid scan (retrieval stays bounded by the active stories) and
    takes an article only at ``revive_threshold`` or more (a follow-up months on - the
    trial after the killing - needs stronger evidence than the next day's report).

    ``cross``: the cross-language model (coefficients over ``CROSS_FEATURES``, its own
    thresholds); None scores cross-language candidates with this model, ``lex_words``
    being 0. ``split_threshold``: a story whose members fall into groups whose average
    pairwise probability is under it is split (> 1: never; see ``cluster.split``)."""

    coef: tuple[float, ...]
    bias: float
    threshold: float
    merge_threshold: float
    window_days: int = 30
    cross: Weights | None = None
    split_threshold: float = 1.01
    revive_threshold: float = 0.5

    def probability(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        z = x @ np.asarray(self.coef, dtype=np.float64) + self.bias
        out: NDArray[np.float64] = 1.0 / (1.0 + np.exp(-z))
        return out


# Fitted on ECB+ topics 1-25 (English, gold-replayed stream) by
# ``bench/clustering.py --calibrate``; see docs/stories.md. ECB+ has no dates, so the
# time coefficients come out 0: time acts through ``window_days`` and
# ``revive_threshold`` (not calibrated: even odds, see docs/stories.md).
DEFAULT_WEIGHTS = Weights(
    coef=(4.5180, 4.7131, 6.5646, 9.7716, 3.4609, -2.6914, 0.0),
    bias=-9.4259,
    threshold=0.1,
    merge_threshold=0.9,
    cross=Weights(
        coef=(5.8550, 5.6612, 12.1430, 3.5597, -2.5231, 0.0),
        bias=-9.9000,
        threshold=0.05,
        merge_threshold=0.99,
    ),
    split_threshold=0.3,
)


def fit_logistic(
    x: NDArray[np.float64],
    y: NDArray[np.float64],
    l2: float = 1e-2,
    iterations: int = 50,
    nonpositive: tuple[int, ...] = (),
) -> tuple[tuple[float, ...], float]:
    """Coefficients and bias of an L2-regularised logistic regression (Newton steps;
    deterministic, numpy only). Columns in ``nonpositive`` are sign-constrained: one
    fitted > 0 is held at 0 and the rest refitted (the loss is convex, so the
    constrained optimum is on that boundary). Why: more days apart is never evidence
    *for* one story; a positive fit means the dates are missing unevenly (ECB+ dates
    only one event of each pair: a gap > 0 then only occurs within an event)."""
    free = list(range(x.shape[1]))
    while True:
        coef, bias = _fit(x[:, free], y, l2, iterations)
        wrong = [k for k, c in zip(free, coef, strict=True) if k in nonpositive and c > 0]
        if not wrong:
            break
        free = [k for k in free if k not in wrong]
    full = dict(zip(free, coef, strict=True))
    return tuple(full.get(k, 0.0) for k in range(x.shape[1])), bias


def _fit(
    x: NDArray[np.float64], y: NDArray[np.float64], l2: float, iterations: int
) -> tuple[tuple[float, ...], float]:
    n, d = x.shape
    design = np.hstack([x, np.ones((n, 1))])
    w = np.zeros(d + 1)
    reg = np.full(d + 1, l2)
    reg[-1] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(design @ w)))
        grad = design.T @ (p - y) + reg * w
        hess = (design * (p * (1 - p))[:, None]).T @ design + np.diag(reg + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    return tuple(float(v) for v in w[:-1]), float(w[-1])
