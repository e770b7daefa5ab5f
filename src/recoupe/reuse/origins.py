"""Origin groups: articles that are copies of one source, so a claim counts once.

Two articles are *copies* when they are near-duplicates, or when their aligned passages
cover at least ``COPY_SHARE`` of the sentences of the shorter one, or form at least
``COPY_PASSAGES`` separate passages (a wire story cut and re-ordered by an outlet).
Why these: same-story articles written independently share facts, not sentences; at
``align.SEMANTIC_MIN`` they get about 0.01 false sentence links per sentence, far from
30% or three passages, while the rewrites of one wire story share most of their
paragraphs (the two seed articles: 11 of 13 sentences of the shorter one).

Copies join transitively (union-find): A copies B and B copies C make one group.

Direction, only where evidence allows:

1. "earliest published": every member has a date and one is strictly earliest
   (instants when all carry a time zone, else calendar days).
2. "superset of the others": one member is linked to every other, covers at least
   ``SUPERSET_SHARE`` of each of their sentences, and has content they lack - the
   others are cuts of it. 0.9 means a strict superset up to one stray sentence in ten
   (a credit line, a sentence the aligner missed); it is deliberately strict, since a
   wrong direction is worse than "unknown": semantic links have ~0.85 recall, so a
   re-translated cut is often left "unknown" while verbatim cuts are recognised.
3. otherwise ``root=None`` and ``direction`` says why it cannot be known.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from recoupe.reuse.groups import UnionFind
from recoupe.types import NearDuplicate, OriginGroup, ReuseLink, Sentence

COPY_SHARE = 0.3
COPY_PASSAGES = 3
SUPERSET_SHARE = 0.9


@dataclass(frozen=True, slots=True)
class ArticleInfo:
    """What origin grouping needs to know of an article."""

    doc_id: str
    sentences: tuple[Sentence, ...]
    published: str | None = None


@dataclass(frozen=True, slots=True)
class PairCoverage:
    """How much of each article of a pair is aligned with the other."""

    a: str
    b: str
    share_a: float  # share of a's sentences inside a passage linked to b
    share_b: float
    passages: int

    def share_of(self, doc_id: str) -> float:
        return self.share_a if doc_id == self.a else self.share_b


def _covered_share(info: ArticleInfo, spans: list[tuple[int, int]]) -> float:
    """Share of sentences whose midpoint falls inside one of ``spans``."""
    if not info.sentences:
        return 0.0
    hits = sum(any(lo <= (s.start + s.end) // 2 < hi for lo, hi in spans) for s in info.sentences)
    return hits / len(info.sentences)


def pair_coverage(
    articles: Mapping[str, ArticleInfo], links: Iterable[ReuseLink]
) -> list[PairCoverage]:
    """Coverage of every article pair that has at least one link (an article missing
    from ``articles`` counts as having no sentences)."""
    by_pair: dict[tuple[str, str], list[ReuseLink]] = {}
    for link in links:
        key = (min(link.a.doc_id, link.b.doc_id), max(link.a.doc_id, link.b.doc_id))
        by_pair.setdefault(key, []).append(link)
    out = []
    for (a, b), group in sorted(by_pair.items()):
        spans: dict[str, list[tuple[int, int]]] = {a: [], b: []}
        for link in group:
            for span in (link.a, link.b):
                spans[span.doc_id].append((span.start, span.end))
        share_a = _covered_share(articles.get(a, ArticleInfo(a, ())), spans[a])
        share_b = _covered_share(articles.get(b, ArticleInfo(b, ())), spans[b])
        out.append(PairCoverage(a, b, share_a, share_b, len(group)))
    return out


def is_copy(cov: PairCoverage, articles: Mapping[str, ArticleInfo]) -> bool:
    def size(doc_id: str) -> int:
        return len(articles[doc_id].sentences) if doc_id in articles else 0

    shorter = min((cov.a, cov.b), key=lambda d: (size(d), d))
    return cov.share_of(shorter) >= COPY_SHARE or cov.passages >= COPY_PASSAGES


def _parse(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def _earliest(published: Mapping[str, str | None]) -> str | None:
    """The strictly earliest member, when every member has a readable date."""
    parsed = {m: _parse(p or "") for m, p in published.items()}
    dates = {m: d for m, d in parsed.items() if d is not None}
    if len(dates) < len(parsed):
        return None
    timed = all(d.tzinfo is not None and "T" in (published[m] or "") for m, d in dates.items())
    keys = {m: (d.timestamp() if timed else d.date().toordinal()) for m, d in dates.items()}
    first = min(keys.values())
    winners = [m for m, k in keys.items() if k == first]
    return winners[0] if len(winners) == 1 else None


def _superset(members: list[str], coverage: Mapping[tuple[str, str], PairCoverage]) -> str | None:
    """The member linked to all others, covering most of each, with content they lack."""
    for m in members:
        covs = [(o, coverage.get((min(m, o), max(m, o)))) for o in members if o != m]
        if not all(c is not None and c.share_of(o) >= SUPERSET_SHARE for o, c in covs):
            continue
        if any(c is not None and c.share_of(m) < SUPERSET_SHARE for _, c in covs):
            return m
    return None


def _direction(
    members: list[str],
    published: Mapping[str, str | None],
    coverage: Mapping[tuple[str, str], PairCoverage],
) -> tuple[str | None, str]:
    root = _earliest(published)
    if root is not None:
        return root, "earliest published"
    root = _superset(members, coverage)
    if root is not None:
        return root, "superset of the others"
    dated = sum(bool(published[m]) for m in members)
    if dated == len(members):
        return None, "unknown: same publication date and no member is a superset"
    if dated:
        return None, "unknown: some members undated and no member is a superset"
    return None, "unknown: no publication dates and no member is a superset"


def group_id(members: Iterable[str]) -> str:
    """Deterministic id from the sorted member ids."""
    joined = "\n".join(sorted(members)).encode("utf-8")
    return "og-" + hashlib.sha256(joined).hexdigest()[:16]


def origin_groups(
    articles: Mapping[str, ArticleInfo],
    links: Iterable[ReuseLink] = (),
    near_duplicates: Iterable[NearDuplicate] = (),
) -> list[OriginGroup]:
    """Groups of 2+ articles copied from one source (sorted by id); an article in no
    group is its own origin."""
    coverage = {(c.a, c.b): c for c in pair_coverage(articles, links)}
    uf: UnionFind[str] = UnionFind()
    for cov in coverage.values():
        if is_copy(cov, articles):
            uf.union(cov.a, cov.b)
    for dup in near_duplicates:
        uf.union(dup.a, dup.b)
    groups = []
    for members in uf.groups():
        if len(members) < 2:
            continue
        ordered = sorted(members)
        published = {m: articles[m].published if m in articles else None for m in ordered}
        root, direction = _direction(ordered, published, coverage)
        groups.append(OriginGroup(group_id(ordered), tuple(ordered), root, direction))
    return sorted(groups, key=lambda g: g.id)
