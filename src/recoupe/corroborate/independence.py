"""Independent origins: copies of one wire count once.

Ten articles carrying one AP paragraph are one witness, not ten. A claim's articles are
joined into one origin when

(a) they belong to one ``OriginGroup`` (whole-article copies, ``reuse.origins``), or
(b) both carry the claim inside a copied passage that links them (``ReuseLink``), even
    when the articles are otherwise independent: two outlets that each wrote their own
    story but both pasted the same AP paragraph count once *for that paragraph's claims*,
    and twice for the rest.

Which links are copies: VERBATIM, NEAR and TRANSLATION always (same words, or a
translation of the same passage). PARAPHRASE links (same language, other words: the
aligner's re-translations) are ambiguous - two reporters can state one fact in similar
words - so a paraphrase counts as copying only when copying is a pattern: the two
articles share at least one other linked passage, or the paraphrase passage covers at
least two claims on each side (parallel text over several claims is not written
independently). An isolated one-claim paraphrase is left as independent corroboration.

A mention is "inside" a passage when at least half of its characters are.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from recoupe.corroborate.records import ClaimMention
from recoupe.reuse.groups import UnionFind
from recoupe.types import OriginGroup, ReuseKind, ReuseLink, Span

COPY_KINDS = frozenset({ReuseKind.VERBATIM, ReuseKind.NEAR, ReuseKind.TRANSLATION})
INSIDE_SHARE = 0.5
PARAPHRASE_MIN_CLAIMS = 2


def inside(mention: ClaimMention, span: Span) -> bool:
    """At least ``INSIDE_SHARE`` of the mention's characters lie in ``span``."""
    if mention.doc_id != span.doc_id:
        return False
    overlap = min(mention.span.end, span.end) - max(mention.span.start, span.start)
    return overlap > 0 and overlap >= INSIDE_SHARE * max(mention.span.end - mention.span.start, 1)


def copy_links(links: Iterable[ReuseLink], mentions: Sequence[ClaimMention]) -> list[ReuseLink]:
    """The links that are evidence of copying (see the module docstring); ``mentions``
    are all mentions of the story (to count claims inside a paraphrase passage)."""
    links = list(links)
    per_pair = Counter(frozenset((x.a.doc_id, x.b.doc_id)) for x in links)
    by_doc: dict[str, list[ClaimMention]] = {}
    for m in mentions:
        by_doc.setdefault(m.doc_id, []).append(m)
    out = []
    for link in links:
        if link.kind in COPY_KINDS or per_pair[frozenset((link.a.doc_id, link.b.doc_id))] > 1:
            out.append(link)
            continue
        sides = [
            sum(inside(m, side) for m in by_doc.get(side.doc_id, ())) for side in (link.a, link.b)
        ]
        if min(sides) >= PARAPHRASE_MIN_CLAIMS:
            out.append(link)
    return out


def doc_origins(origin_groups: Iterable[OriginGroup]) -> dict[str, str]:
    """Article id -> origin group id (articles in no group are their own origin)."""
    return {member: g.id for g in origin_groups for member in g.members}


def independent_origins(
    mentions: Sequence[ClaimMention],
    origin_of: dict[str, str] | None = None,
    copies: Sequence[ReuseLink] = (),
) -> tuple[tuple[str, ...], ...]:
    """The articles of ``mentions`` (one claim) partitioned into independent origins.

    ``origin_of`` maps article ids to origin group ids (``doc_origins``); ``copies`` are
    the copy links of the story (``copy_links``). Each origin is a sorted tuple of
    article ids; origins are sorted.
    """
    docs = sorted({m.doc_id for m in mentions})
    uf: UnionFind[str] = UnionFind(docs)
    by_group: dict[str, str] = {}
    for doc in docs:
        group = (origin_of or {}).get(doc)
        if group is not None:
            uf.union(by_group.setdefault(group, doc), doc)
    present = set(docs)
    for link in copies:
        if link.a.doc_id not in present or link.b.doc_id not in present:
            continue
        if link.a.doc_id == link.b.doc_id:
            continue
        if any(inside(m, link.a) for m in mentions) and any(inside(m, link.b) for m in mentions):
            uf.union(link.a.doc_id, link.b.doc_id)
    return tuple(sorted(tuple(sorted(g)) for g in uf.groups()))
