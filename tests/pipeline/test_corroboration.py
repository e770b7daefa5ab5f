from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from recoupe.pipeline.corroboration import largest_first
from recoupe.types import Story


def _story(story_id: int, size: int) -> Story:
    members = tuple(f"d{story_id}-{k}" for k in range(size))
    return Story(story_id, "t", members, None, None, (), (), ())


def test_largest_stories_are_corroborated_first_ties_by_id() -> None:
    stories = [_story(1, 3), _story(2, 197), _story(3, 3), _story(4, 40)]
    assert [s.id for s in largest_first(stories)] == [2, 4, 1, 3]


@given(st.lists(st.integers(2, 50), max_size=20))
def test_the_order_keeps_every_story_once(sizes: list[int]) -> None:
    stories = [_story(k, n) for k, n in enumerate(sizes)]
    ordered = largest_first(stories)
    assert sorted(s.id for s in ordered) == list(range(len(sizes)))
    assert [len(s.members) for s in ordered] == sorted(sizes, reverse=True)
