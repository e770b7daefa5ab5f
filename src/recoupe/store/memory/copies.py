"""The copies part of an in-memory store (``CopiesStore``): signatures, near-duplicates,
reuse links and origin groups, with the behaviour of the SQLite backend."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

from recoupe.store.base import fold_origin_groups
from recoupe.store.memory.state import MemoryState
from recoupe.types import NearDuplicate, OriginGroup, ReuseLink, Span


def _ordered(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


class MemoryCopies:
    """The copies tables of one in-memory store."""

    def __init__(self, state: MemoryState) -> None:
        self._s = state

    def ids_without_signature(self) -> list[str]:
        with self._s.lock:
            self._s.check_open()
            rows = sorted(self._s.documents.values(), key=lambda r: r.num)
            return [r.doc.id for r in rows if r.doc.id not in self._s.signatures]

    def put_signatures(self, sigs: Mapping[str, bytes]) -> None:
        with self._s.lock:
            self._s.check_open()
            self._s.require(sigs, "storing signatures")
            self._s.signatures.update((k, bytes(v)) for k, v in sigs.items())

    def iter_signatures(self, batch: int = 10_000) -> Iterator[list[tuple[str, bytes]]]:
        last = 0
        while True:
            with self._s.lock:
                self._s.check_open()
                docs = self._s.documents
                rows = sorted(
                    (docs[d].num, d, sig) for d, sig in self._s.signatures.items()
                    if docs[d].num > last
                )[:batch]  # fmt: skip
            if not rows:
                return
            last = rows[-1][0]
            yield [(d, sig) for _, d, sig in rows]

    def put_near_duplicates(self, pairs: Iterable[NearDuplicate]) -> None:
        rows = [NearDuplicate(*_ordered(p.a, p.b), p.jaccard, p.exact) for p in pairs]
        with self._s.lock:
            self._s.check_open()
            self._s.require((x for p in rows for x in (p.a, p.b)), "storing near-duplicates")
            self._s.near.update(((p.a, p.b), p) for p in rows)

    def near_duplicates(self, doc_ids: Sequence[str] | None = None) -> list[NearDuplicate]:
        with self._s.lock:
            self._s.check_open()
            rows = list(self._s.near.values())
        if doc_ids is not None:
            wanted = set(doc_ids)
            rows = [p for p in rows if p.a in wanted or p.b in wanted]
        return sorted(rows, key=lambda p: (p.a, p.b))

    def aligned_pairs(self, model: str) -> set[tuple[str, str]]:
        with self._s.lock:
            self._s.check_open()
            return {pair for pair, m in self._s.aligned.items() if m == model}

    def put_alignments(
        self, model: str, alignments: Mapping[tuple[str, str], Sequence[ReuseLink]]
    ) -> None:
        staged: dict[tuple[str, str], dict[tuple[int, int], ReuseLink]] = {}
        for (a, b), links in alignments.items():
            first, second = _ordered(a, b)
            kept = staged.setdefault((first, second), {})
            for link in links:
                x, y = (link.a, link.b) if link.a.doc_id == first else (link.b, link.a)
                kept[(x.start, y.start)] = ReuseLink(
                    Span(first, x.start, x.end), Span(second, y.start, y.end), link.kind,
                    link.score,
                )  # fmt: skip
        with self._s.lock:
            self._s.check_open()
            self._s.require((x for pair in staged for x in pair), "storing alignments")
            for pair, kept_links in staged.items():
                self._s.aligned[pair] = model
                self._s.links[pair] = kept_links

    def reuse_links(self, doc_id: str | None = None, other: str | None = None) -> list[ReuseLink]:
        with self._s.lock:
            self._s.check_open()
            if doc_id and other:
                pairs = [_ordered(doc_id, other)]
            else:
                pairs = [p for p in self._s.links if not doc_id or doc_id in p]
            found = [
                (pair, start, link)
                for pair in pairs
                for start, link in self._s.links.get(pair, {}).items()
            ]
        return [link for _, _, link in sorted(found, key=lambda t: (t[0], t[1]))]

    def linked_documents(self) -> list[str]:
        with self._s.lock:
            self._s.check_open()
            ids = {x for pair, links in self._s.links.items() if links for x in pair}
            ids |= {x for pair in self._s.near for x in pair}
        return sorted(ids)

    def forget_document(self, doc_id: str) -> None:
        s = self._s
        with s.lock:
            s.check_open()
            s.signatures.pop(doc_id, None)
            s.origin.pop(doc_id, None)
            for table in (s.aligned, s.links, s.near):
                for pair in [p for p in table if doc_id in p]:
                    del table[pair]

    def put_origin_groups(self, groups: Iterable[OriginGroup], covering: Iterable[str]) -> None:
        rows = [(m, (g.id, g.root, g.direction)) for g in groups for m in g.members]
        covered = set(covering)
        with self._s.lock:
            self._s.check_open()
            self._s.require((m for m, _ in rows), "storing origin groups")
            stale = {v[0] for d, v in self._s.origin.items() if d in covered}
            for d in [d for d, v in self._s.origin.items() if v[0] in stale]:
                del self._s.origin[d]
            self._s.origin.update(rows)

    def origin_groups(self) -> list[OriginGroup]:
        with self._s.lock:
            self._s.check_open()
            rows = sorted((v[0], d, v[1], v[2]) for d, v in self._s.origin.items())
        return fold_origin_groups(rows)

    def origin_group_of(self, doc_id: str) -> OriginGroup | None:
        found = self.origin_groups_of([doc_id])
        return found[0] if found else None

    def origin_groups_of(self, doc_ids: Sequence[str]) -> list[OriginGroup]:
        with self._s.lock:
            self._s.check_open()
            wanted = {self._s.origin[d][0] for d in doc_ids if d in self._s.origin}
            rows = sorted((v[0], d, v[1], v[2]) for d, v in self._s.origin.items()
                          if v[0] in wanted)  # fmt: skip
        return fold_origin_groups(rows)

    def origin_group(self, group_id: str) -> OriginGroup | None:
        with self._s.lock:
            self._s.check_open()
            rows = sorted((d, v) for d, v in self._s.origin.items() if v[0] == group_id)
        if not rows:
            return None
        return OriginGroup(group_id, tuple(d for d, _ in rows), rows[0][1][1], rows[0][1][2])
