"""SemEval-2022 Task 8 pairs as ANCHORS.md defines the real ones: pair ids without letters
(ids with a language suffix are machine-translated augmentations), first copy of a
duplicated id. One reader shared by the bench scripts."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from pathlib import Path

_AUGMENTED = re.compile(r"[a-z]")


def is_real_pair_id(pair_id: str) -> bool:
    return not _AUGMENTED.search(pair_id)


def keep_real(rows: Iterable[dict[str, str]]) -> list[dict[str, str]]:
    """The real pairs among ``rows``, in order, each id once."""
    seen: set[str] = set()
    real = []
    for row in rows:
        pid = row["pair_id"]
        if is_real_pair_id(pid) and pid not in seen:
            seen.add(pid)
            real.append(row)
    return real


def real_pairs(path: Path) -> list[dict[str, str]]:
    """The real pairs of a SemEval CSV."""
    with path.open(encoding="utf-8", newline="") as fh:
        return keep_real(csv.DictReader(fh))
