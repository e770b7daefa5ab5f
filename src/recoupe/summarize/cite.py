"""Citations: every article that carries a summary sentence, with the exact span in each.

Sources of evidence, closest first (``CitationKind`` order): the sentence itself; the same
text character for character in another article; a reuse link (``ReuseLink``: verbatim,
near, translation, paraphrase) whose passage contains the sentence - inside a passage the
k-th sentence of one side is cited as the k-th sentence of the other when both sides hold
as many sentences (the aligner builds passages from one-to-one sentence runs), else the
whole passage is cited; finally the other mentions of its claim group. One citation per
article: the closest kind wins.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from recoupe.types import CITATION_RANK, Citation, CitationKind, ReuseLink, Span


@dataclass(frozen=True, slots=True)
class Unit:
    """A sentence of an article as the summarizer handles it."""

    index: int
    article: int  # position of its article in the input (new articles first, then seen)
    doc_id: str
    start: int
    end: int
    text: str
    language: str | None
    words: int
    seen: bool

    @property
    def span(self) -> Span:
        return Span(self.doc_id, self.start, self.end)


def inside(start: int, end: int, outer: Span) -> bool:
    """At least half of ``[start, end)`` lies in ``outer`` (same rule as claims)."""
    overlap = min(end, outer.end) - max(start, outer.start)
    return overlap > 0 and 2 * overlap >= end - start


class UnitIndex:
    """The units of each article, found by the span they overlap: a bisection over
    starts and ends when an article's units are in text order with ends in order too
    (sentences are), else a scan of that article's units. A 200-article story's claim
    groups tested every mention against every unit of its article (2M ``inside``)."""

    def __init__(self, units: Sequence[Unit]) -> None:
        by_doc: dict[str, list[Unit]] = {}
        for u in units:
            by_doc.setdefault(u.doc_id, []).append(u)
        self._docs: dict[str, tuple[list[Unit], list[int], list[int], bool]] = {}
        for doc_id, mine in by_doc.items():
            starts, ends = [u.start for u in mine], [u.end for u in mine]
            ordered = starts == sorted(starts) and ends == sorted(ends)
            self._docs[doc_id] = (mine, starts, ends, ordered)

    def overlapping(self, doc_id: str, start: int, end: int) -> Sequence[Unit]:
        """The article's units that share at least one character with ``[start, end)``."""
        if doc_id not in self._docs:
            return ()
        mine, starts, ends, ordered = self._docs[doc_id]
        if not ordered:
            return [u for u in mine if min(end, u.end) > max(start, u.start)]
        return mine[bisect_right(ends, start) : bisect_left(starts, end)]


def _units_in(span: Span, by_doc: Mapping[str, Sequence[Unit]]) -> list[Unit]:
    return [u for u in by_doc.get(span.doc_id, ()) if inside(u.start, u.end, span)]


def link_citations(
    unit: Unit, links: Sequence[ReuseLink], by_doc: Mapping[str, Sequence[Unit]]
) -> list[Citation]:
    """Citations of ``unit`` through the reuse links whose passage contains it."""
    out = []
    for link in links:
        for here, there in ((link.a, link.b), (link.b, link.a)):
            if here.doc_id != unit.doc_id or here.doc_id == there.doc_id:
                continue
            if not inside(unit.start, unit.end, here):
                continue
            mine, theirs = _units_in(here, by_doc), _units_in(there, by_doc)
            kind = CitationKind(link.kind.value)
            if len(mine) == len(theirs) and unit in mine:
                other = theirs[mine.index(unit)]
                out.append(Citation(other.doc_id, other.start, other.end, kind))
            else:
                out.append(Citation(there.doc_id, there.start, there.end, kind))
    return out


def best_per_article(candidates: Sequence[Citation], source: Citation) -> tuple[Citation, ...]:
    """The source first, then the closest citation of each other article (by kind, then
    position), sorted by article id."""
    best: dict[str, Citation] = {}
    for c in candidates:
        if c.doc_id == source.doc_id:
            continue
        old = best.get(c.doc_id)
        if old is None or (CITATION_RANK[c.kind], c.start) < (CITATION_RANK[old.kind], old.start):
            best[c.doc_id] = c
    return (source, *(best[d] for d in sorted(best)))
