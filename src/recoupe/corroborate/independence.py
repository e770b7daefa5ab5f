"""Independent origins: copies of one wire count once, and so do repeats of one outlet.

Ten articles carrying one AP paragraph are one witness, not ten. A claim's articles are
joined into one origin when

(a) they belong to one ``OriginGroup`` (whole-article copies, ``reuse.origins``);
(b) both carry the claim inside a copied passage that links them (``ReuseLink``), even
    when the articles are otherwise independent: two outlets that each wrote their own
    story but both pasted the same AP paragraph count once *for that paragraph's claims*,
    and twice for the rest. Copy evidence is judged on the mention itself: the passage
    must hold at least half of the mention on both sides;
(c) they come from the same outlet: an outlet repeating a fact it published the day
    before is not a new source.

Verbatim sentences are copy evidence through the aligner's VERBATIM/NEAR links (every
article pair of a small story is aligned, larger ones their nearest neighbours), so the
summary's concept support and the claims' origins rest on the same links.

Which links are copies: VERBATIM, NEAR and TRANSLATION always (same words, or a
translation of the same passage). PARAPHRASE links (same language, other words: the
aligner's re-translations) are ambiguous - two reporters can state one fact in similar
words - so a paraphrase counts as copying only when copying is a pattern: the two
articles share at least one other linked passage, or the paraphrase passage covers at
least two claims on each side (parallel text over several claims is not written
independently). An isolated one-claim paraphrase is left as independent corroboration.

Every rule here can only *join* articles, so a mistake lowers the count: a wrong
"N independent origins" is worse than a missing one.

Time (``earliest``): dates are compared as instants when both carry a time zone, else as
calendar days (a date-only value is a whole day); a tie is not a win.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date

from recoupe.reuse.groups import UnionFind
from recoupe.reuse.instants import before, when
from recoupe.types import ClaimMention, OriginGroup, ReuseKind, ReuseLink, Span

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


def outlet_key(outlet: str | None) -> str | None:
    """An outlet name reduced for comparison ("The Humber Ledger" = "the humber ledger")."""
    if not outlet:
        return None
    key = " ".join(outlet.casefold().split())
    return key or None


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
    if len(docs) == 1:  # most claims of a story: one origin, no link to read
        return ((docs[0],),)
    uf: UnionFind[str] = UnionFind(docs)
    first_of: dict[str, str] = {}
    for doc in docs:
        group = (origin_of or {}).get(doc)
        if group is not None:
            uf.union(first_of.setdefault("g:" + group, doc), doc)
    for m in mentions:
        key = outlet_key(m.outlet)
        if key is not None:
            uf.union(first_of.setdefault("o:" + key, m.doc_id), m.doc_id)
    present = set(docs)
    for link in copies:
        if link.a.doc_id not in present or link.b.doc_id not in present:
            continue
        if link.a.doc_id == link.b.doc_id:
            continue
        if any(inside(m, link.a) for m in mentions) and any(inside(m, link.b) for m in mentions):
            uf.union(link.a.doc_id, link.b.doc_id)
    return tuple(sorted(tuple(sorted(g)) for g in uf.groups()))


# ----- time -------------------------------------------------------------------------


def _minimal(items: Sequence[tuple[str, str | None]]) -> list[str]:
    """The dated items no other item is strictly before."""
    dated = [(d, p) for d, p in items if when(p) is not None]
    return [d for d, p in dated if not any(before(q, p) for _, q in dated)]


def _tie_break(d: str, published: dict[str, str | None]) -> tuple[date, bool, str, str]:
    """A stable order for articles no date tells apart: by day, a known time before a
    bare day, then as written, then by id."""
    stamp = when(published[d])
    assert stamp is not None
    return stamp[0], stamp[1] is None, published[d] or "", d


def earliest(
    items: Sequence[tuple[str, str | None]],
    origins: Sequence[Sequence[str]],
    roots: dict[str, str],
) -> tuple[str, tuple[str, ...]] | None:
    """The article a claim was first seen in - the earliest member of its earliest
    origin - and the articles of other origins that are just as early (a tie is not a
    win: they are reported, not hidden).

    ``items`` are (article, published); ``origins`` partition the articles; ``roots``
    maps an article to the root of its origin group (the source the others copied).
    Inside an origin the root wins a tie (a copy published the same day is not first).
    None when nothing is dated."""
    published = dict(items)
    firsts: list[tuple[str, str | None]] = []
    for origin in origins:
        members = [(d, published.get(d)) for d in origin]
        minimal = _minimal(members)
        if not minimal:
            continue
        root = next((roots[d] for d in minimal if d in roots), None)
        if root not in minimal:
            root = min(minimal, key=lambda d: _tie_break(d, published))
        assert root is not None
        firsts.append((root, published[root]))
    minimal = sorted(_minimal(firsts), key=lambda d: _tie_break(d, published))
    if not minimal:
        return None
    return minimal[0], tuple(minimal[1:])
