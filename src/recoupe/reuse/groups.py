"""Union-find over document ids, shared by near-duplicate clusters and origin groups.

Pairs ("a copies b") are evidence of a relation that is transitive for our purpose: if A
and B are copies and B and C are copies, all three go back to one source. Connected
components give the groups in near-linear time whatever the order of the pairs.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

from recoupe.types import NearDuplicate

T = TypeVar("T", bound=Hashable)


class UnionFind(Generic[T]):
    """Disjoint sets with path halving and union by size."""

    def __init__(self, items: Iterable[T] = ()) -> None:
        self._parent: dict[T, T] = {}
        self._size: dict[T, int] = {}
        for item in items:
            self.add(item)

    def add(self, item: T) -> None:
        if item not in self._parent:
            self._parent[item] = item
            self._size[item] = 1

    def find(self, item: T) -> T:
        self.add(item)
        parent = self._parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(self, a: T, b: T) -> T:
        """Join the sets of ``a`` and ``b``; return the new root."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return ra
        if self._size[ra] < self._size[rb]:
            ra, rb = rb, ra
        self._parent[rb] = ra
        self._size[ra] += self._size[rb]
        return ra

    def groups(self) -> list[list[T]]:
        """Every set (singletons included), in first-seen order of their members."""
        out: dict[T, list[T]] = {}
        for item in self._parent:
            out.setdefault(self.find(item), []).append(item)
        return list(out.values())


def components(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, ...]]:
    """Connected components (ids sorted, groups sorted) of the graph given by ``pairs``."""
    uf: UnionFind[str] = UnionFind()
    for a, b in pairs:
        uf.union(a, b)
    return sorted(tuple(sorted(g)) for g in uf.groups() if len(g) > 1)


def near_duplicate_clusters(pairs: Iterable[NearDuplicate]) -> list[tuple[str, ...]]:
    """Clusters of articles joined by (near-)duplicate pairs."""
    return components((p.a, p.b) for p in pairs)
