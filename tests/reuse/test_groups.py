from hypothesis import given
from hypothesis import strategies as st

from recoupe.reuse.groups import UnionFind, components, near_duplicate_clusters
from recoupe.types import NearDuplicate

IDS = st.sampled_from([f"d{i}" for i in range(12)])


@given(st.lists(st.tuples(IDS, IDS), max_size=30))
def test_components_partition_the_linked_ids(pairs: list[tuple[str, str]]) -> None:
    groups = components(pairs)
    members = [m for g in groups for m in g]
    assert len(members) == len(set(members))
    linked = {x for a, b in pairs if a != b for x in (a, b)}
    assert set(members) == linked
    where = {m: i for i, g in enumerate(groups) for m in g}
    for a, b in pairs:
        if a != b:
            assert where[a] == where[b]


def test_union_find_basics() -> None:
    uf: UnionFind[int] = UnionFind([1, 2, 3])
    uf.union(1, 2)
    assert uf.find(1) == uf.find(2) != uf.find(3)
    assert sorted(map(sorted, uf.groups())) == [[1, 2], [3]]


def test_clusters_from_near_duplicates() -> None:
    pairs = [NearDuplicate("b", "a", 0.9), NearDuplicate("c", "b", 0.7), NearDuplicate("x", "y", 1)]
    assert near_duplicate_clusters(pairs) == [("a", "b", "c"), ("x", "y")]
