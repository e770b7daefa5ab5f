"""The pictures of a story page, from its read model: the records ``svg.py`` draws.

Origin groups are numbered in the story view's order (by id), and that number picks
their colour in both pictures, so an origin group has one colour on the whole page.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from recoupe.app import StoryView
from recoupe.web import svg


@dataclass(frozen=True, slots=True)
class StoryPictures:
    """A story page's timeline and copy graph (None: no two of its articles are copies
    of one source), and the colour of each origin group by id."""

    timeline: Markup
    copy_graph: Markup | None
    colours: dict[str, str]


def story_pictures(view: StoryView, numbers: dict[str, int]) -> StoryPictures:
    index = {g.id: i for i, g in enumerate(view.origin_groups)}
    group_of = {m: index[g.id] for g in view.origin_groups for m in g.members}
    points = {
        a.id: svg.Point(numbers[a.id], a.id, a.outlet or a.origin, a.published,
                        a.title or a.origin, group_of.get(a.id))
        for a in view.articles
    }  # fmt: skip
    language = {a.id: a.language for a in view.articles}
    groups = []
    for g in view.origin_groups:
        inside = tuple(points[m] for m in g.members if m in points)
        if len(inside) < 2:
            continue
        root = g.root if g.root in points else None
        direction = g.direction if root or g.root is None else (
            f"the root is outside this story; {g.direction}")  # fmt: skip
        root_lang = language.get(root) if root else None
        translated = frozenset(
            p.doc_id for p in inside
            if root_lang and language.get(p.doc_id) and language[p.doc_id] != root_lang
        )  # fmt: skip
        groups.append(svg.CopyGroup(index[g.id], inside, root, direction, translated))
    return StoryPictures(
        svg.timeline(list(points.values())),
        svg.copy_graph(groups) if groups else None,
        {g.id: svg.colour(i) for g, i in ((g, index[g.id]) for g in view.origin_groups)},
    )
