"""The story pictures (``recoupe.web.svg``): well-formed SVG, one mark per article linked
to it, origins coloured, hostile text escaped, nothing a CSP forbids."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hypothesis import given, settings
from hypothesis import strategies as st

from recoupe.web import svg

NS = {"s": "http://www.w3.org/2000/svg"}
HOSTILE = '<script>alert(1)</script><img src=x onerror="x()">'


def _point(n: int, outlet: str = "Wire", day: str | None = "2025-09-20", group: int | None = None,
           title: str = "Fire") -> svg.Point:  # fmt: skip
    return svg.Point(n, f"{n:016x}", outlet, day, title, group)


def _parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))  # raises on markup that is not well-formed XML


def _no_active_content(markup: str) -> None:
    assert "<script" not in markup and "onerror" not in markup.replace("onerror=&#34;", "")
    assert "style=" not in markup  # the CSP allows no inline style
    assert "<img" not in markup and "javascript:" not in markup


def test_timeline_has_one_linked_dot_per_article_coloured_by_origin() -> None:
    points = [_point(1, group=0), _point(2, "Daily", "2025-09-21", group=0),
              _point(3, "Daily", "2025-09-23"), _point(4, "Post", None)]  # fmt: skip
    root = _parse(svg.timeline(points))
    dots = root.findall(".//s:a/s:circle", NS)
    assert len(dots) == 4
    links = [a.get("href") for a in root.findall(".//s:a", NS)]
    assert links == [f"/articles/{p.doc_id}" for p in points]
    fills = [c.get("fill") for c in dots]
    assert fills[0] == fills[1] == svg.colour(0) and fills[2] == fills[3] == svg.OWN_ORIGIN
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert {"Wire", "Daily", "Post", "undated", "2025-09-20", "2025-09-23"} <= set(texts)
    xs = [float(c.get("cx") or 0) for c in dots]
    assert xs[0] < xs[1] < xs[2] < xs[3]  # by date, undated at the right


def test_many_outlets_share_a_last_row() -> None:
    points = [_point(n, f"outlet {n}") for n in range(1, 31)]
    root = _parse(svg.timeline(points))
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "other outlets" in texts
    assert sum(1 for t in texts if t and t.startswith("outlet ")) == svg.MAX_OUTLET_ROWS


def test_copy_graph_arrows_from_the_root_and_dashes_translations() -> None:
    members = (_point(1, group=0), _point(2, "Daily", "2025-09-21", 0),
               _point(3, "Zeit", "2025-09-22", 0))  # fmt: skip
    group = svg.CopyGroup(0, members, members[0].doc_id, "earliest published",
                          frozenset({members[2].doc_id}))  # fmt: skip
    root = _parse(svg.copy_graph([group]))
    arrows = root.findall(".//s:line[@marker-end]", NS)
    assert len(arrows) == 2
    assert [a.get("stroke-dasharray") for a in arrows] == [None, "5 3"]
    titles = [t.text for t in root.iter("{http://www.w3.org/2000/svg}title")]
    assert "[2] copy of [1]" in titles and "[3] translation of [1]" in titles
    assert any(t and t.startswith("[1] Wire") and t.endswith("root") for t in titles)


def test_copy_graph_without_a_root_draws_no_direction() -> None:
    members = (_point(1, group=1), _point(2, group=1))
    root = _parse(svg.copy_graph([svg.CopyGroup(1, members, None, "no evidence of direction")]))
    assert not root.findall(".//s:line[@marker-end]", NS)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "root unknown" in texts


def test_support_bar_lengths_and_disputed_outline() -> None:
    root = _parse(svg.support_bar(4, 2, 8))
    articles, origins = root.findall("s:rect", NS)
    assert float(articles.get("width") or 0) == 2 * float(origins.get("width") or 0) == 60
    assert articles.get("stroke") is None
    disputed = _parse(svg.support_bar(4, 2, 8, disputed=True))
    assert disputed.findall("s:rect", NS)[0].get("stroke") == "#c0392b"
    assert "disputed" in (disputed.findtext("s:title", namespaces=NS) or "")


def test_hostile_outlets_and_titles_are_text() -> None:
    points = [_point(1, HOSTILE, title=HOSTILE, group=0), _point(2, "Ok", title=HOSTILE, group=0)]
    group = svg.CopyGroup(0, tuple(points), points[0].doc_id, HOSTILE)
    for markup in (svg.timeline(points), svg.copy_graph([group])):
        _no_active_content(markup)
        root = _parse(markup)
        titles = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}title")]
        assert any(HOSTILE in t for t in titles)  # shown as text, whole


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=30), st.one_of(st.none(), st.dates().map(str),
                                                           st.text(max_size=12)),
                          st.one_of(st.none(), st.integers(0, 30))), max_size=40))  # fmt: skip
def test_any_story_gives_well_formed_svg(rows: list[tuple[str, str | None, int | None]]) -> None:
    points = [_point(n, outlet, day, group, outlet) for n, (outlet, day, group) in
              enumerate(rows, start=1)]  # fmt: skip
    root = _parse(svg.timeline(points))
    assert len(root.findall(".//s:a/s:circle", NS)) == len(points)
    groups = [svg.CopyGroup(0, tuple(points), points[0].doc_id if points else None, "")]
    _parse(svg.copy_graph(groups))
