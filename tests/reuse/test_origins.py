from recoupe.reuse.origins import (
    ArticleInfo,
    group_id,
    is_copy,
    origin_groups,
    pair_coverage,
)
from recoupe.types import NearDuplicate, ReuseKind, ReuseLink, Sentence, Span


def _info(doc_id: str, n: int, published: str | None = None) -> ArticleInfo:
    return ArticleInfo(doc_id, tuple(Sentence(10 * k, 10 * k + 9) for k in range(n)), published)


def _link(a: str, ia: int, b: str, ib: int, n: int = 1) -> ReuseLink:
    return ReuseLink(
        Span(a, 10 * ia, 10 * (ia + n) - 1),
        Span(b, 10 * ib, 10 * (ib + n) - 1),
        ReuseKind.NEAR,
        0.8,
    )


def test_coverage_and_copy_rule() -> None:
    arts = {"a": _info("a", 10), "b": _info("b", 4)}
    (cov,) = pair_coverage(arts, [_link("a", 0, "b", 0, 2)])
    assert (cov.share_a, cov.share_b, cov.passages) == (0.2, 0.5, 1)
    assert is_copy(cov, arts)  # half of the shorter article
    (weak,) = pair_coverage({"a": _info("a", 10), "b": _info("b", 10)}, [_link("a", 0, "b", 5)])
    assert not is_copy(weak, {"a": _info("a", 10), "b": _info("b", 10)})


def test_earliest_published_is_root() -> None:
    arts = {"a": _info("a", 5, "2022-09-06"), "b": _info("b", 5, "2022-09-05T23:00:00+00:00")}
    (group,) = origin_groups(arts, [_link("a", 0, "b", 0, 3)])
    assert group.members == ("a", "b")
    assert (group.root, group.direction) == ("b", "earliest published")
    assert group.id == group_id(["b", "a"])


def test_superset_when_same_day() -> None:
    arts = {"big": _info("big", 10, "2022-09-06"), "cut": _info("cut", 4, "2022-09-06")}
    (group,) = origin_groups(arts, [_link("big", 2, "cut", 0, 4)])
    assert (group.root, group.direction) == ("big", "superset of the others")


def test_unknown_direction_is_said() -> None:
    arts = {"x": _info("x", 10), "y": _info("y", 10)}
    links = [_link("x", 0, "y", 0, 2), _link("x", 3, "y", 5, 2)]
    (group,) = origin_groups(arts, links)
    assert group.root is None
    assert group.direction.startswith("unknown: no publication dates")


def test_groups_are_transitive_and_include_near_duplicates() -> None:
    arts = {k: _info(k, 4) for k in "abcde"}
    links = [_link("a", 0, "b", 0, 3), _link("b", 0, "c", 1, 3)]
    dups = [NearDuplicate("d", "e", 0.9)]
    groups = origin_groups(arts, links, dups)
    assert sorted(g.members for g in groups) == [("a", "b", "c"), ("d", "e")]
    assert [g.id for g in groups] == sorted(g.id for g in groups)


def test_near_duplicates_of_unknown_articles() -> None:
    (group,) = origin_groups({}, [], [NearDuplicate("p", "q", 1.0, exact=True)])
    assert group.members == ("p", "q") and group.root is None


def test_a_pasted_paragraph_does_not_make_a_copy() -> None:
    """Three sentences of a 4-sentence wire inside a 30-sentence article: the wire is
    covered, the article is not: its claims count once for the paragraph, not as a whole."""
    arts = {"wire": _info("wire", 4), "long": _info("long", 30)}
    (cov,) = pair_coverage(arts, [_link("wire", 0, "long", 10, 3)])
    assert cov.share_of("wire") >= 0.3 and not is_copy(cov, arts)


def test_one_false_link_does_not_fuse_two_groups() -> None:
    """x and its translation x2, y and its translation y2, and one wrong but strong link
    between the two translations: two origins, not one."""
    arts = {k: _info(k, 5) for k in ("x", "x2", "y", "y2")}
    links = [_link("x", 0, "x2", 0, 5), _link("y", 0, "y2", 0, 5), _link("x2", 0, "y2", 0, 4)]
    groups = origin_groups(arts, links)
    assert sorted(g.members for g in groups) == [("x", "x2"), ("y", "y2")]


def test_the_credited_agency_is_root() -> None:
    wire = ArticleInfo("w", tuple(Sentence(10 * k, 10 * k + 9) for k in range(5)),
                       "2025-09-16T09:42:00+02:00", "Boreal Press Agency (BPA)")  # fmt: skip
    copy = ArticleInfo("c", wire.sentences, "2025-09-16", "Harbourside Times", frozenset({"bpa"}))
    (group,) = origin_groups({"w": wire, "c": copy}, [_link("w", 0, "c", 0, 5)])
    assert (group.root, group.direction) == ("w", "agency credited by the others")
    # a copy that does not credit the agency leaves the direction to the dates
    plain = ArticleInfo("c", wire.sentences, "2025-09-16", "Harbourside Times")
    (group,) = origin_groups({"w": wire, "c": plain}, [_link("w", 0, "c", 0, 5)])
    assert group.root is None  # same day: a date-only value is a whole day, no winner
