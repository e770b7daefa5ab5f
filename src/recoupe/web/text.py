"""Article text cut into what a page shows: paragraphs, removed lines in place, copied
passages marked with where else they stand.

Pure functions over records (no HTML here: templates escape every piece of text, so the
text of an article can never become markup). Offsets are those of ``Document.text``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from recoupe.types import RemovedLine, ReuseKind, ReuseLink

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_WORD_SPLIT = re.compile(r"(\W+)")
_WORD = re.compile(r"\w+")
# Strongest first: a piece covered by a verbatim and a translation link is shown verbatim.
_KIND_RANK = {ReuseKind.VERBATIM: 0, ReuseKind.NEAR: 1, ReuseKind.PARAPHRASE: 2,
              ReuseKind.TRANSLATION: 3}  # fmt: skip


HIGHLIGHT_ID = "hl"  # id of the start of the highlighted span (``/articles/ID?hl=S-E#hl``)


def anchor_id(start: int) -> str:
    """HTML id of the passage starting at ``start``, so another page can link to it."""
    return f"at{start}"


@dataclass(frozen=True, slots=True)
class Copy:
    """Where a passage of this article stands in another article."""

    doc_id: str
    start: int
    kind: str
    score: float

    @property
    def anchor(self) -> str:
        return anchor_id(self.start)


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of text with one highlighting. ``anchors``: ids of the passages starting
    here; ``kind``: the strongest kind of reuse covering it (None: not copied);
    ``copies``: the other copies of the passages ending here (shown after the piece);
    ``highlight``: inside the span a link asked to highlight (a story's citation)."""

    text: str
    anchors: tuple[str, ...] = ()
    kind: str | None = None
    copies: tuple[Copy, ...] = ()
    highlight: bool = False


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph (``pieces``) or a run of removed lines that stood there (``removed``)."""

    pieces: tuple[Piece, ...] = ()
    removed: tuple[RemovedLine, ...] = ()


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of each paragraph (blank-line separated, surrounding blanks out)."""
    spans, pos = [], 0
    for brk in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = len(text) if brk is None else brk.start()
        chunk = text[pos:end]
        lead = len(chunk) - len(chunk.lstrip())
        if chunk.strip():
            spans.append((pos + lead, pos + len(chunk.rstrip())))
        if brk is not None:
            pos = brk.end()
    return spans


def _cut_at(spans: list[tuple[int, int]], cuts: Iterable[int]) -> list[tuple[int, int]]:
    """``spans`` split at every cut strictly inside one (a removed line that stood
    inside a paragraph is shown there, not after the paragraph)."""
    points = sorted(set(cuts))
    out: list[tuple[int, int]] = []
    for start, end in spans:
        inner = [p for p in points if start < p < end]
        edges = [start, *inner, end]
        out.extend(pairwise(edges))
    return out


@dataclass(slots=True)
class _Run:
    """A piece being built: its span and the links covering it."""

    start: int
    end: int
    covering: list[int]
    number: int = -1  # position among all runs of the article


def _runs(start: int, end: int, links: Sequence[ReuseLink], cuts: Iterable[int] = ()) -> list[_Run]:
    """``[start, end)`` cut at every passage edge inside it (and at ``cuts``)."""
    inside = [i for i, link in enumerate(links) if link.a.start < end and link.a.end > start]
    edges = {start, end, *(p for p in cuts if start < p < end)}
    for i in inside:
        edges.update(p for p in (links[i].a.start, links[i].a.end) if start < p < end)
    return [
        _Run(lo, hi, [i for i in inside if links[i].a.start < hi and links[i].a.end > lo])
        for lo, hi in pairwise(sorted(edges))
    ]


def _piece(text: str, run: _Run, links: Sequence[ReuseLink], anchors: list[str],
           copies: list[Copy], highlight: tuple[int, int] | None) -> Piece:  # fmt: skip
    kinds = [links[i].kind for i in run.covering]
    kind = min(kinds, key=_KIND_RANK.__getitem__).value if kinds else None
    lit = highlight is not None and highlight[0] < run.end and highlight[1] > run.start
    return Piece(text[run.start : run.end], tuple(anchors), kind, tuple(copies), lit)


def article_blocks(
    text: str,
    removed: Sequence[RemovedLine],
    links: Sequence[ReuseLink],
    highlight: tuple[int, int] | None = None,
) -> list[Block]:
    """The article as blocks in reading order: paragraphs with copied passages marked,
    and removed lines where they stood (``anchor``). ``links`` must have this article on
    their ``a`` side. Each passage's id goes on its first piece and the list of its other
    copies after its last piece. The pieces inside ``highlight`` (``[start, end)``) are
    marked, the first one with the id ``HIGHLIGHT_ID``."""
    pending = sorted(removed, key=lambda r: r.anchor)
    layout: list[tuple[RemovedLine, ...] | list[_Run]] = []
    for start, end in _cut_at(paragraph_spans(text), (r.anchor for r in pending)):
        before = tuple(r for r in pending if r.anchor <= start)
        if before:
            layout.append(before)
            pending = pending[len(before) :]
        layout.append(_runs(start, end, links, highlight or ()))
    if pending:
        layout.append(tuple(pending))
    runs = [run for item in layout if isinstance(item, list) for run in item]
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    for n, run in enumerate(runs):
        run.number = n
        for i in run.covering:
            first.setdefault(i, n)
            last[i] = n
    anchors: dict[int, list[str]] = {}
    copies: dict[int, list[Copy]] = {}
    for i, n in first.items():
        link = links[i]
        if anchor_id(link.a.start) not in anchors.setdefault(n, []):
            anchors[n].append(anchor_id(link.a.start))
        copies.setdefault(last[i], []).append(
            Copy(link.b.doc_id, link.b.start, link.kind.value, link.score)
        )
    if highlight is not None:
        lit = [run.number for run in runs if highlight[0] < run.end and highlight[1] > run.start]
        if lit:
            anchors.setdefault(lit[0], []).insert(0, HIGHLIGHT_ID)
    return [
        Block(removed=item)
        if isinstance(item, tuple)
        else Block(
            pieces=tuple(
                _piece(
                    text,
                    run,
                    links,
                    anchors.get(run.number, []),
                    copies.get(run.number, []),
                    highlight,
                )
                for run in item
            )
        )
        for item in layout
    ]


def shared_words(first: str, second: str) -> set[str]:
    """Words (case-folded) two passages have in common."""
    return {w.casefold() for w in _WORD.findall(first)} & {
        w.casefold() for w in _WORD.findall(second)
    }


def word_runs(text: str, shared: set[str]) -> list[tuple[str, bool]]:
    """``text`` as runs, True for words that are not in ``shared``: side by side, what
    one copy changed is what a reader looks for (a verbatim copy shows no mark)."""
    runs: list[tuple[str, bool]] = []
    for token in _WORD_SPLIT.split(text):
        if not token:
            continue
        differs = _WORD.fullmatch(token) is not None and token.casefold() not in shared
        if runs and runs[-1][1] == differs:
            runs[-1] = (runs[-1][0] + token, differs)
        else:
            runs.append((token, differs))
    return runs
