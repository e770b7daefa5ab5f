"""Origin groups: articles that are copies of one source, so a claim counts once.

Two articles are *copies* when they are near-duplicates, or when their aligned passages
cover at least ``COPY_SHARE`` of the sentences of the shorter one **and** at least
``BOTH_SHARE`` of the longer one: a whole-article copy, cut or not, shares most of its
sentences with its source. Why these: same-story articles written independently share
facts, not sentences; at ``align.SEMANTIC_MIN`` they get about 0.01 false sentence links
per sentence, far from 30%, while the rewrites of one wire story share most of their
paragraphs (the two seed articles: 11 of 13 sentences of the shorter one). An article
that pastes one wire paragraph into its own story is *not* a copy of it: the claims of
that paragraph still count once (``corroborate.independence``), the rest of the article
is its own.

**Groups never chain.** Copies are not joined transitively through one pair: two groups
merge only while at least ``GROUP_LINK_SHARE`` of the article pairs across them are
copies (average linkage over the copy graph). A false paraphrase link between a French
rewrite of story X and a French rewrite of story Y cannot fuse the X and Y groups, since
the other pairs across them are not copies; X, a translation of X, Y and a translation
of Y stay two origins.

Direction, only where evidence allows:

1. "agency credited by the others": one member's outlet is a news agency
   (``agencies.agency_keys``) that every other member credits ("— BPA", "(avec AFP)",
   "Additional reporting by ...", ``agencies.credits``) or shares the outlet of, and no
   member is strictly earlier.
2. "earliest published": one member is strictly earlier than every other - as instants
   when both carry a time zone, else by calendar day (``instants.before``: a date-only
   value is a whole day, a tie is not a win).
3. "superset of the others": one member is linked to every other, covers at least
   ``SUPERSET_SHARE`` of each of their sentences, and has content they lack - the
   others are cuts of it. 0.9 means a strict superset up to one stray sentence in ten
   (a credit line, a sentence the aligner missed); it is deliberately strict, since a
   wrong direction is worse than "unknown": semantic links have ~0.85 recall, so a
   re-translated cut is often left "unknown" while verbatim cuts are recognised.
4. otherwise ``root=None`` and ``direction`` says why it cannot be known.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from recoupe.reuse.agencies import agency_keys
from recoupe.reuse.instants import before
from recoupe.types import NearDuplicate, OriginGroup, ReuseLink, Sentence

COPY_SHARE = 0.3
BOTH_SHARE = 0.2
GROUP_LINK_SHARE = 0.5
SUPERSET_SHARE = 0.9


@dataclass(frozen=True, slots=True)
class ArticleInfo:
    """What origin grouping needs to know of an article: its sentences, publication
    date, outlet and the agencies it credits (``agencies.credits``)."""

    doc_id: str
    sentences: tuple[Sentence, ...]
    published: str | None = None
    outlet: str | None = None
    credits: frozenset[str] = field(default_factory=frozenset)


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
    """Whole-article copy evidence: the shorter article mostly covered, the longer one
    substantially."""

    def size(doc_id: str) -> int:
        return len(articles[doc_id].sentences) if doc_id in articles else 0

    shorter, longer = sorted((cov.a, cov.b), key=lambda d: (size(d), d))
    return cov.share_of(shorter) >= COPY_SHARE and cov.share_of(longer) >= BOTH_SHARE


def _earliest(published: Mapping[str, str | None]) -> str | None:
    """The member strictly earlier than every other (``instants.before``), if any."""
    for m, p in published.items():
        if all(before(p, q) for o, q in published.items() if o != m):
            return m
    return None


def _agency_root(members: list[str], articles: Mapping[str, ArticleInfo]) -> str | None:
    """The one member whose outlet is an agency every other member credits (or shares),
    unless another member was published strictly before it."""
    found = []
    for m in members:
        keys = agency_keys(articles[m].outlet if m in articles else None)
        if not keys:
            continue
        others = [articles[o] for o in members if o != m and o in articles]
        if len(others) == len(members) - 1 and all(
            keys & o.credits or keys & agency_keys(o.outlet) for o in others
        ):
            found.append(m)
    if len(found) != 1:
        return None
    root = found[0]
    stamp = articles[root].published
    if any(before(articles[o].published, stamp) for o in members if o != root):
        return None
    return root


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
    articles: Mapping[str, ArticleInfo],
    coverage: Mapping[tuple[str, str], PairCoverage],
) -> tuple[str | None, str]:
    published = {m: articles[m].published if m in articles else None for m in members}
    root = _agency_root(members, articles)
    if root is not None:
        return root, "agency credited by the others"
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


def _linked_groups(members: Iterable[str], copies: set[frozenset[str]],
                   strength: Mapping[frozenset[str], float]) -> list[list[str]]:  # fmt: skip
    """Average linkage over the copy graph: the strongest copy pairs first, two groups
    merged while at least ``GROUP_LINK_SHARE`` of the pairs across them are copies."""
    group_of: dict[str, int] = {}
    groups: dict[int, list[str]] = {}
    for k, m in enumerate(sorted(set(members))):
        group_of[m], groups[k] = k, [m]
    for pair in sorted(copies, key=lambda p: (-strength.get(p, 1.0), sorted(p))):
        a, b = sorted(pair)
        ga, gb = group_of[a], group_of[b]
        if ga == gb:
            continue
        cross = [(x, y) for x in groups[ga] for y in groups[gb]]
        linked = sum(frozenset((x, y)) in copies for x, y in cross)
        if linked < GROUP_LINK_SHARE * len(cross):
            continue
        for m in groups[gb]:
            group_of[m] = ga
        groups[ga] += groups.pop(gb)
    return [sorted(g) for g in groups.values()]


def origin_groups(
    articles: Mapping[str, ArticleInfo],
    links: Iterable[ReuseLink] = (),
    near_duplicates: Iterable[NearDuplicate] = (),
) -> list[OriginGroup]:
    """Groups of 2+ articles copied from one source (sorted by id); an article in no
    group is its own origin."""
    coverage = {(c.a, c.b): c for c in pair_coverage(articles, links)}
    copies: set[frozenset[str]] = set()
    strength: dict[frozenset[str], float] = {}
    for cov in coverage.values():
        if is_copy(cov, articles):
            pair = frozenset((cov.a, cov.b))
            copies.add(pair)
            strength[pair] = min(cov.share_a, cov.share_b)
    for dup in near_duplicates:
        if dup.a != dup.b:
            pair = frozenset((dup.a, dup.b))
            copies.add(pair)
            strength[pair] = 1.0 + dup.jaccard
    members = {m for pair in copies for m in pair}
    groups = []
    for ordered in _linked_groups(members, copies, strength):
        if len(ordered) < 2:
            continue
        root, direction = _direction(ordered, articles, coverage)
        groups.append(OriginGroup(group_id(ordered), tuple(ordered), root, direction))
    return sorted(groups, key=lambda g: g.id)
