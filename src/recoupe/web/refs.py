"""How a story's pages name its articles: by citation number, with outlet and day.

A 30-article story page names its articles well over a thousand times (every citation
of the summary, every article of every claim, every occurrence of every quote). Built
in the template, each name costs two or three calls and as many escapes; here the HTML of
each reference is built once per page, escaped, and reused (the story page's rendering
was about half of its CPU time before).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from markupsafe import Markup

from recoupe.types import DocumentSummary
from recoupe.web.context import cite_url


@dataclass(frozen=True, slots=True)
class Ref:
    """How a story page names one of its articles: its citation number (``label``),
    outlet (or input name), ``tip`` (outlet · day) and title."""

    label: str
    outlet: str
    tip: str
    title: str


@dataclass(slots=True)
class Refs:
    """``refs(doc_id)`` -> ``Ref``; ``link``/``links``/``cite`` -> escaped HTML. Findings
    that predate a change of the story may name an article no longer in it: it is named
    by (the start of) its id, with "not in the story now" as its tip."""

    refs: dict[str, Ref]
    _links: dict[str, Markup] = field(default_factory=dict)

    def __call__(self, doc_id: str) -> Ref:
        return self.refs.get(doc_id) or Ref(doc_id[:8], doc_id, "not in the story now", "")

    def link(self, doc_id: str) -> Markup:
        """``[n]`` linking to the article page, outlet and day in its tooltip."""
        found = self._links.get(doc_id)
        if found is None:
            r = self(doc_id)
            found = Markup('<a class="ref" href="/articles/{}" title="{}">{}</a>').format(
                doc_id, r.tip, r.label
            )
            self._links[doc_id] = found
        return found

    def links(self, doc_ids: Iterable[str]) -> Markup:
        """``link`` of each article, side by side."""
        return Markup("").join(self.link(d) for d in doc_ids)

    def cite(self, doc_id: str, start: int, end: int, kind: str | None = None) -> Markup:
        """``[n]`` opening the cited span of the article; ``kind`` (the citation's kind)
        classes it and opens its tooltip."""
        r = self(doc_id)
        if kind is None:
            return Markup('<a class="ref" href="{}" title="{}">{}</a>').format(
                cite_url(doc_id, start, end), r.tip, r.label
            )
        return Markup('<a class="cite {}" href="{}" title="{} · {}">[{}]</a>').format(
            kind, cite_url(doc_id, start, end), kind, r.tip, r.label
        )


def refs_for(timeline: list[DocumentSummary], numbers: dict[str, int]) -> Refs:
    """The references of a story's articles (``numbers``: their citation numbers)."""
    refs = {}
    for row in timeline:
        outlet = row.outlet or row.origin
        day = (row.published or "undated")[:10]
        refs[row.id] = Ref(str(numbers[row.id]), outlet, f"{outlet} · {day}",
                           row.title or row.origin)  # fmt: skip
    return Refs(refs)
