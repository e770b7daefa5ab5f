"""Unique content: what one article of a story says that no other article does.

A claim is unique to its article when its group holds no other article AND it does not
lie inside a passage linked to another article (any reuse kind: a paraphrased sentence
the grouping threshold missed is still not unique). This is what an outlet added to the
wire copy: its own reporting, or its own errors - both worth a look.
"""

from __future__ import annotations

from collections.abc import Sequence

from recoupe.corroborate.independence import inside
from recoupe.types import ClaimGroup, ClaimMention, ReuseLink, Span, UniqueContent


def unique_content(
    groups: Sequence[ClaimGroup], links: Sequence[ReuseLink] = ()
) -> tuple[UniqueContent, ...]:
    """Per article (sorted by id), its unique mentions in text order; articles with none
    are left out."""
    sides: dict[str, list[Span]] = {}  # per article, its sides of links to another
    for link in links:
        if link.a.doc_id != link.b.doc_id:
            for side in (link.a, link.b):
                sides.setdefault(side.doc_id, []).append(side)
    by_doc: dict[str, list[ClaimMention]] = {}
    for g in groups:
        if len(g.articles) != 1:
            continue
        for m in g.mentions:
            if not any(inside(m, side) for side in sides.get(m.doc_id, ())):
                by_doc.setdefault(m.doc_id, []).append(m)
    return tuple(
        UniqueContent(doc, tuple(sorted(ms, key=lambda m: m.key)))
        for doc, ms in sorted(by_doc.items())
    )
