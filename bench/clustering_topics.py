"""Topic calibration for bench/clustering.py: the threshold grid on the calibration corpora
(ECB+, RPM2) and the encoder background vector (``recoupe.cluster.background``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from clustering_data import Labelled
from recoupe.cluster.features import ArticleFeatures
from recoupe.cluster.model import DEFAULT_WEIGHTS
from recoupe.cluster.online import OnlineClusterer
from recoupe.cluster.split import average_linkage
from recoupe.cluster.stories import background_of, story_similarity

GRID = [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4]
BACKGROUND_PY = Path(__file__).resolve().parents[1] / "src/recoupe/cluster/background.py"

Scorer = Callable[[Sequence[object], Sequence[object]], tuple[float, float, float]]


def topic_grid(
    calib: Sequence[tuple[str, list[Labelled], list[ArticleFeatures]]], bcubed: Scorer
) -> None:
    """Topic B-cubed F1 per corpus and threshold, centred on the encoder background and
    not; the best mean over the corpora is what ``TOPIC_MIN`` / ``TOPIC_MIN_UNCENTRED``
    pin."""
    for centred in (True, False):
        means = np.zeros(len(GRID))
        for name, rows, feats in calib:
            c = OnlineClusterer(DEFAULT_WEIGHTS)
            for f in feats:
                c.add(f)
            ids, sim = story_similarity(c, background_of(c) if centred else None)
            scores = []
            for t in GRID:
                topic_of = average_linkage(ids, sim, t)
                pred = [topic_of[c.story_of[f.id]] for f in feats]
                scores.append(bcubed(pred, [r.topic for r in rows])[2])
            means += np.asarray(scores) / len(calib)
            shown = " ".join(f"{t}:{s:.3f}" for t, s in zip(GRID, scores, strict=True))
            print(f"# topics {'centred' if centred else 'uncentred'} {name}: {shown}")
        best = GRID[int(np.argmax(means))]
        print(f"# topics {'centred' if centred else 'uncentred'}: best mean F1 at {best}")


def write_background(name: str, corpora: Sequence[Sequence[ArticleFeatures]]) -> None:
    """Rewrite ``cluster/background.py``: the mean of the per-corpus mean lead vectors."""
    vec = np.mean([np.mean([f.vector for f in feats], axis=0) for feats in corpora], axis=0)
    text = BACKGROUND_PY.read_text(encoding="utf-8")
    head = text[: text.index("# fmt: off")]
    values = [f"{v:.4f}" for v in vec]
    lines = ["        " + ", ".join(values[k : k + 9]) + "," for k in range(0, len(values), 9)]
    body = "\n".join(lines)
    BACKGROUND_PY.write_text(
        head + "# fmt: off\nBACKGROUNDS: dict[str, tuple[float, ...]] = {\n"
        f'    "{name}": (\n{body}\n    ),\n}}\n# fmt: on\n',
        encoding="utf-8",
    )
    print(f"# wrote {BACKGROUND_PY} ({name}, {len(vec)} values)")
