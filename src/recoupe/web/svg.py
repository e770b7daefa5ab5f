"""Pictures of a story, drawn on the server as inline SVG: a timeline of its articles by
outlet with their origins coloured, a copy graph (who copied whom), and the bar of
articles vs independent origins of a claim.

No script, no stylesheet, nothing fetched: plain SVG elements with presentation
attributes (the Content-Security-Policy forbids inline ``style``), readable offline and
without JavaScript; each mark is a link with a ``<title>`` (the browser's tooltip).
Every text is escaped here (``markupsafe.escape``): outlets and titles come from
scraped pages. Pure functions of plain records, so they are tested without a store.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

# Colour-blind-safe palette (Okabe-Ito, then Tol's muted): one colour per origin group.
PALETTE = (
    "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#d55e00", "#56b4e9", "#882255",
    "#117733", "#999933", "#44aa99", "#aa4499", "#332288",
)  # fmt: skip
OWN_ORIGIN = "#8a8f98"  # an article in no origin group: its own origin
WIDTH = 920
LABEL_W = 170  # room for the outlet names on the left
ROW_H = 22
MAX_OUTLET_ROWS = 14  # more outlets share the last row, "other outlets"
UNDATED_W = 60  # a column at the right for undated articles
LABEL_CHARS = 24


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _x(text: str) -> Markup:
    """``text`` escaped for SVG, without the characters XML does not allow (a control
    character in a scraped title would make the picture invalid)."""
    return escape(_NOT_XML.sub("", text))


def colour(index: int | None) -> str:
    """The colour of origin group number ``index`` (None: an article of its own)."""
    return OWN_ORIGIN if index is None else PALETTE[index % len(PALETTE)]


def _short(text: str, chars: int = LABEL_CHARS) -> str:
    return text if len(text) <= chars else text[: chars - 1] + "…"


def day_number(published: str | None) -> int | None:
    """The proleptic ordinal of a date's day ("2025-09-20T08:00" -> its day), None when
    there is no date or it is not one."""
    if not published:
        return None
    try:
        return dt.date.fromisoformat(published[:10]).toordinal()
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Point:
    """An article on a picture: its citation number, id, outlet, publication date,
    title and the index of its origin group (None: its own origin)."""

    number: int
    doc_id: str
    outlet: str
    published: str | None
    title: str
    group: int | None


def _tip(p: Point, origin: str) -> str:
    return f"[{p.number}] {p.outlet} · {(p.published or 'undated')[:10]} · {p.title} · {origin}"


def _origin_label(p: Point) -> str:
    return "own origin" if p.group is None else f"origin group {p.group + 1}"


class _Scale:
    """Days to x between ``left`` and ``right`` (a one-day story sits in the middle)."""

    def __init__(self, days: Sequence[int], left: float, right: float) -> None:
        self.lo, self.hi = (min(days), max(days)) if days else (0, 0)
        self.left, self.right = left, right

    def x(self, day: int) -> float:
        if self.hi == self.lo:
            return (self.left + self.right) / 2
        return self.left + (day - self.lo) * (self.right - self.left) / (self.hi - self.lo)

    def ticks(self) -> list[tuple[float, str]]:
        """Up to six dated ticks: first day, last day and evenly between."""
        if self.hi == self.lo:
            return [(self.x(self.lo), dt.date.fromordinal(self.lo).isoformat())] if self.lo else []
        steps = min(5, self.hi - self.lo)
        days = sorted({self.lo + round(i * (self.hi - self.lo) / steps) for i in range(steps + 1)})
        return [(self.x(d), dt.date.fromordinal(d).isoformat()) for d in days]


def _svg(width: float, height: float, label: str, body: list[str]) -> Markup:
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
            f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
            f'aria-label="{_x(label)}">')  # fmt: skip
    return Markup(head + "".join(body) + "</svg>")


def _dot(p: Point, x: float, y: float, r: float = 6.0) -> str:
    return (f'<a href="/articles/{_x(p.doc_id)}"><circle cx="{x:.1f}" cy="{y:.1f}" '
            f'r="{r}" fill="{colour(p.group)}" stroke="#fff" stroke-width="1">'
            f"<title>{_x(_tip(p, _origin_label(p)))}</title></circle></a>")  # fmt: skip


def timeline(points: Sequence[Point]) -> Markup:
    """Articles on a time axis, one row per outlet (most articles first; the others
    share a last row), each dot coloured by its origin group; undated ones at the right."""
    counts = Counter(p.outlet for p in points)
    outlets = [o for o, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    shown = outlets if len(outlets) <= MAX_OUTLET_ROWS + 1 else outlets[:MAX_OUTLET_ROWS]
    row = {o: i for i, o in enumerate(shown)}
    others = len(outlets) > len(shown)
    n_rows = len(shown) + int(others)
    days = [d for p in points if (d := day_number(p.published)) is not None]
    undated = any(day_number(p.published) is None for p in points)
    right = WIDTH - 20 - (UNDATED_W if undated else 0)
    scale = _Scale(days, LABEL_W + 10, right)
    top, height = 10, 10 + n_rows * ROW_H + 40
    body = []
    for label, i in [*row.items(), *([("other outlets", len(shown))] if others else [])]:
        y = top + i * ROW_H + ROW_H / 2
        body.append(f'<line x1="{LABEL_W}" y1="{y:.1f}" x2="{WIDTH - 10}" y2="{y:.1f}" '
                    f'stroke="#e3e6ea" stroke-width="1"/>'
                    f'<text x="{LABEL_W - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" '
                    f'fill="#333">{_x(_short(label))}</text>')  # fmt: skip
    axis_y = top + n_rows * ROW_H + 8
    body.append(f'<line x1="{LABEL_W}" y1="{axis_y}" x2="{right}" y2="{axis_y}" '
                f'stroke="#888" stroke-width="1"/>')  # fmt: skip
    ticks = scale.ticks()
    for k, (x, label) in enumerate(ticks):
        anchor = "end" if k == len(ticks) - 1 and len(ticks) > 1 else (
            "start" if k == 0 and len(ticks) > 1 else "middle")  # fmt: skip
        body.append(f'<line x1="{x:.1f}" y1="{axis_y}" x2="{x:.1f}" y2="{axis_y + 4}" '
                    f'stroke="#888"/><text x="{x:.1f}" y="{axis_y + 16}" font-size="11" '
                    f'text-anchor="{anchor}" fill="#555">{label}</text>')  # fmt: skip
    if undated:
        ux = WIDTH - 10 - UNDATED_W / 2
        body.append(f'<text x="{ux:.1f}" y="{axis_y + 16}" font-size="11" text-anchor="middle" '
                    f'fill="#555">undated</text>')  # fmt: skip
    stacked: Counter[tuple[int, float]] = Counter()
    for p in sorted(points, key=lambda p: p.number):
        i = row.get(p.outlet, len(shown))
        day = day_number(p.published)
        x = WIDTH - 10 - UNDATED_W / 2 if day is None else scale.x(day)
        k = stacked[(i, round(x))]  # same outlet, same day: side by side
        stacked[(i, round(x))] += 1
        body.append(_dot(p, x + (k % 4) * 7 - (3.5 if k else 0), top + i * ROW_H + ROW_H / 2))
    return _svg(WIDTH, height, f"timeline of {len(points)} articles by outlet", body)


@dataclass(frozen=True, slots=True)
class CopyGroup:
    """An origin group as the copy graph draws it: its members in the story, its root
    (None: unknown) and why, and which members are in another language than the root
    (translations)."""

    index: int
    members: tuple[Point, ...]
    root: str | None
    direction: str
    translated: frozenset[str] = frozenset()


GROUP_GAP = 18


def _arrowhead() -> str:
    return ('<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
            'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
            'fill="#555"/></marker></defs>')  # fmt: skip


def _short_of(x1: float, y1: float, x2: float, y2: float, by: float) -> tuple[float, float]:
    """The point ``by`` before (x2, y2) on the segment from (x1, y1)."""
    length = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5
    if length <= by:
        return x2, y2
    return x2 - (x2 - x1) * by / length, y2 - (y2 - y1) * by / length


def _edges(g: CopyGroup, order: Sequence[Point], root: Point | None,
           xs: dict[str, tuple[float, float]]) -> list[str]:  # fmt: skip
    if root is None:  # copies, direction unknown: grey lines, no arrows
        (x1, y1), rest = xs[order[0].doc_id], [xs[p.doc_id] for p in order[1:]]
        return [f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                f'stroke="#bbb" stroke-width="1.3"><title>copies, direction unknown</title>'
                f"</line>" for x2, y2 in rest]  # fmt: skip
    rx, ry = xs[root.doc_id]
    out = []
    for p in order:
        if p is root:
            continue
        x, py = _short_of(rx, ry, *xs[p.doc_id], 10.0)  # the arrowhead outside the node
        kind = "translation" if p.doc_id in g.translated else "copy"
        dash = ' stroke-dasharray="5 3"' if kind == "translation" else ""
        out.append(f'<line x1="{rx:.1f}" y1="{ry:.1f}" x2="{x:.1f}" y2="{py:.1f}" '
                   f'stroke="#555" stroke-width="1.3" marker-end="url(#arrow)"{dash}>'
                   f"<title>[{p.number}] {kind} of [{root.number}]</title></line>")  # fmt: skip
    return out


def _node(g: CopyGroup, p: Point, root: Point | None, x: float, y: float) -> str:
    what = "root" if p is root else ("translation" if p.doc_id in g.translated else "copy")
    ring = ' stroke="#000" stroke-width="2"' if p is root else ' stroke="#fff"'
    return (f'<a href="/articles/{_x(p.doc_id)}"><circle cx="{x:.1f}" cy="{y:.1f}" r="8" '
            f'fill="{colour(g.index)}"{ring}><title>{_x(_tip(p, what))}</title></circle>'
            f'<text x="{x:.1f}" y="{y + 3.5:.1f}" font-size="9" fill="#fff" '
            f'text-anchor="middle">{p.number}</text></a>')  # fmt: skip


COPY_ROWS = 5  # copies per column of a band
COPY_STEP_X, COPY_STEP_Y = 56, 26


def _band_layout(order: Sequence[Point], root: Point | None,
                 y: float) -> tuple[dict[str, tuple[float, float]], float]:  # fmt: skip
    """Where each member of a band sits: the root (or, unknown, the earliest member) at
    the left, the others in columns of ``COPY_ROWS`` to its right in citation order (by
    date); and the band's height."""
    first = root or order[0]
    others = [p for p in order if p is not first]
    rows = min(COPY_ROWS, max(1, len(others)))
    height = max(rows * COPY_STEP_Y, 44)
    xs = {first.doc_id: (LABEL_W + 30.0, y + height / 2)}
    for k, p in enumerate(others):
        col, row = divmod(k, COPY_ROWS)
        xs[p.doc_id] = (LABEL_W + 150.0 + col * COPY_STEP_X,
                        y + COPY_STEP_Y / 2 + row * COPY_STEP_Y)  # fmt: skip
    return xs, height


def copy_graph(groups: Sequence[CopyGroup]) -> Markup:
    """Each origin group as a band: the root at the left (black ring), an arrow from it
    to every other member (dashed: a translation); when the root is unknown, no arrows
    (the members are joined by grey lines: copies, direction unknown). Members by
    citation number (date order); dates in the tooltips."""
    body = [_arrowhead()]
    y = 10.0
    width = float(WIDTH)
    for g in groups:
        order = sorted(g.members, key=lambda p: p.number)
        if not order:
            continue
        root = next((p for p in order if p.doc_id == g.root), None)
        xs, height = _band_layout(order, root, y)
        width = max(width, max(x for x, _ in xs.values()) + 30)
        label = f"group {g.index + 1}: {len(order)} articles"
        sub = f"root: [{root.number}]" if root else "root unknown"
        body.append(f'<text x="8" y="{y + 16:.1f}" font-size="12" fill="{colour(g.index)}" '
                    f'font-weight="bold">{_x(label)}</text><text x="8" y="{y + 32:.1f}" '
                    f'font-size="11" fill="#555">{_x(sub)}<title>{_x(g.direction)}'
                    f"</title></text>")  # fmt: skip
        body += _edges(g, order, root, xs)
        body += [_node(g, p, root, *xs[p.doc_id]) for p in order]
        y += height + GROUP_GAP
    return _svg(width, y + 4, f"copy graph of {len(groups)} origin groups", body)


def support_bar(articles: int, origins: int, most: int, disputed: bool = False) -> Markup:
    """A claim's support: a light bar as long as its articles, a dark one as long as
    its independent origins, on the scale of the story's best-supported claim (``most``
    articles); red outline when disputed."""
    width, height = 120.0, 14.0
    scale = width / max(most, articles, 1)
    outline = ' stroke="#c0392b" stroke-width="1.5"' if disputed else ""
    tip = f"{articles} article(s), {origins} independent origin(s)" + (
        ", disputed" if disputed else "")  # fmt: skip
    body = [
        f'<rect x="0" y="1" width="{articles * scale:.1f}" height="{height - 2}" '
        f'fill="#c6d4e6"{outline}/>',
        f'<rect x="0" y="4" width="{origins * scale:.1f}" height="{height - 8}" fill="#1f4e8c"/>',
        f"<title>{_x(tip)}</title>",
    ]
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="bar" role="img" '
            f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
            f'aria-label="{_x(tip)}">')  # fmt: skip
    return Markup(head + "".join(body) + "</svg>")
