"""The article-vs-story score: a logistic model over five signals, and how it is fitted.

Signals (``FEATURES``), all cheap once an article's features exist:

* ``vec_centroid``: cosine of the article's lead vector with the story centroid;
* ``vec_max``: best cosine with one of the story's recent members (a story drifts);
* ``lexical``: TF-IDF cosine of the article's terms with the story's (document
  frequencies learnt online), saturated as ``1 - exp(-cos / 0.15)``;
* ``entities``: share of the article's entity weight (IDF) found in the story;
* ``log_gap``: ``log1p`` of the days between the article and the story's date range
  (0 when a date is missing).

Weights are a logistic regression fitted on article-vs-candidate-story pairs produced by
replaying a labelled stream with the gold stories (``bench/clustering.py --calibrate``);
the join threshold is then chosen on the same training stream by B-cubed F1. The values
pinned in ``DEFAULT_WEIGHTS`` and how they were obtained are in docs/stories.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FEATURES = ("vec_centroid", "vec_max", "lexical", "entities", "log_gap")
LEXICAL_SCALE = 0.15


@dataclass(frozen=True, slots=True)
class Weights:
    """Logistic coefficients (one per ``FEATURES``), bias, the probability an article
    needs to join a story, and the one at which two candidate stories both matching an
    article are merged. ``window_days``: a story idle for longer takes no article."""

    coef: tuple[float, ...]
    bias: float
    threshold: float
    merge_threshold: float
    window_days: int = 30

    def probability(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        z = x @ np.asarray(self.coef, dtype=np.float64) + self.bias
        out: NDArray[np.float64] = 1.0 / (1.0 + np.exp(-z))
        return out


# Fitted on ECB+ topics 1-25 (English, gold-replayed stream) by
# ``bench/clustering.py --calibrate``; see docs/stories.md. ECB+ has no dates, so the
# time coefficient comes out 0: time acts only through ``window_days`` (not calibrated).
DEFAULT_WEIGHTS = Weights(
    coef=(3.3020, 6.0017, 9.1936, 3.0241, 0.0),
    bias=-15.1575,
    threshold=0.1,
    merge_threshold=0.95,
)


def saturate(lexical_cos: float) -> float:
    return 1.0 - math.exp(-max(lexical_cos, 0.0) / LEXICAL_SCALE)


def fit_logistic(
    x: NDArray[np.float64], y: NDArray[np.float64], l2: float = 1e-2, iterations: int = 50
) -> tuple[tuple[float, ...], float]:
    """Coefficients and bias of an L2-regularised logistic regression (Newton steps;
    deterministic, numpy only)."""
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
