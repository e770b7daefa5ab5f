"""The arrays an ``LSHIndex`` is made of, and how runs are merged (see ``lsh_index``).

A *segment* holds the signatures and UTF-8 ids of the documents of one ``add``; a *run*
holds, per band, sorted band keys with document numbers, and the sorted 64-bit hashes
of the same documents' ids (id lookups). Both are immutable; merging two runs writes a
third.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from recoupe.reuse.lsh import merge_sorted
from recoupe.reuse.lsh_storage import IndexStorage
from recoupe.reuse.minhash import EMPTY, U32
from recoupe.reuse.shingles import I64, U64, mix64
from recoupe.reuse.tokens import odd_constants

RUN_PARTS = ("keys", "docs", "idkeys", "iddocs")
_ID_SALT = 0x1D5


@dataclass(frozen=True, slots=True)
class Segment:
    name: str
    first: int
    sigs: U32  # (n, num_perm)
    ids: NDArray[np.bytes_]  # (n,) UTF-8

    @property
    def arrays(self) -> tuple[str, ...]:
        return (f"{self.name}.sigs", f"{self.name}.ids")


@dataclass(frozen=True, slots=True)
class Run:
    name: str
    keys: U32  # (bands, m) band keys, each row sorted; m = documents with shingles
    docs: U32  # (bands, m) their numbers
    id_keys: U64  # (n,) sorted id hashes of every document of the run
    id_docs: U32  # (n,)

    @property
    def size(self) -> int:
        return len(self.id_keys)

    @property
    def arrays(self) -> tuple[str, ...]:
        return tuple(f"{self.name}.{part}" for part in RUN_PARTS)


def encode_ids(ids: Sequence[str]) -> NDArray[np.bytes_]:
    """Ids as a fixed-width UTF-8 array (what a segment stores): one encode of the
    joined ids, split again, when no id holds a line break."""
    if not ids:
        return np.zeros(0, dtype="S1")
    joined = "\n".join(ids)
    raw = joined.encode("utf-8").split(b"\n")
    if len(raw) != len(ids):  # an id with a line break in it
        raw = [i.encode("utf-8") for i in ids]
    if "\0" in joined or min(map(len, ids)) == 0:
        raise ValueError("document ids must be non-empty and hold no NUL character")
    return np.array(raw, dtype=np.bytes_)


def id_hashes(encoded: NDArray[np.bytes_]) -> U64:
    """A stable 64-bit hash of each encoded id (bytes times per-position constants)."""
    width = encoded.dtype.itemsize
    codes = np.ascontiguousarray(encoded).view(np.uint8).reshape(len(encoded), width)
    mult = odd_constants(width, _ID_SALT)
    acc = np.zeros(len(encoded), dtype=np.uint64)
    for col in range(width):
        acc += codes[:, col].astype(np.uint64) * mult[col]
    return mix64(acc)


def sorted_rows(keys: U32, numbers: U32) -> tuple[U32, U32]:
    """Each row of ``keys`` sorted, with the matching ``numbers``; equal keys keep their
    order (oldest document first). Key and position packed in one uint64 and sorted:
    40% cheaper than a stable argsort here."""
    packed = (keys.astype(np.uint64) << np.uint64(32)) | np.arange(
        keys.shape[1], dtype=np.uint64
    )
    packed.sort(axis=1)
    order = (packed & np.uint64(0xFFFFFFFF)).astype(np.intp)
    return (packed >> np.uint64(32)).astype(np.uint32), numbers[order]


def merge_runs(storage: IndexStorage, name: str, old: Run, new: Run, dead: U32) -> Run:
    """One run holding both, written band by band into ``storage`` arrays (never more
    than one band in RAM); documents in ``dead`` are dropped."""
    # a document is in every band or in none: count the survivors in band 0
    live = live_count(old.docs[0], dead) + live_count(new.docs[0], dead)
    bands = old.keys.shape[0]
    keys = storage.create(f"{name}.keys", (bands, live), np.uint32)
    docs = storage.create(f"{name}.docs", (bands, live), np.uint32)
    for b in range(bands):
        ok_a, ok_b = keep_mask(old.docs[b], dead), keep_mask(new.docs[b], dead)
        merge_sorted(old.keys[b][ok_a], old.docs[b][ok_a], new.keys[b][ok_b],
                     new.docs[b][ok_b], keys[b], docs[b])  # fmt: skip
    ok_a, ok_b = keep_mask(old.id_docs, dead), keep_mask(new.id_docs, dead)
    size = live_count(old.id_docs, dead) + live_count(new.id_docs, dead)
    id_keys = storage.create(f"{name}.idkeys", (size,), np.uint64)
    id_docs = storage.create(f"{name}.iddocs", (size,), np.uint32)
    merge_sorted(old.id_keys[ok_a], old.id_docs[ok_a], new.id_keys[ok_b],
                 new.id_docs[ok_b], id_keys, id_docs)  # fmt: skip
    for part, array in zip(RUN_PARTS, (keys, docs, id_keys, id_docs), strict=True):
        storage.seal(f"{name}.{part}", array)
    return Run(name, *(storage.open(f"{name}.{p}") for p in RUN_PARTS))


def live_rows(sigs: U32) -> I64:
    """Rows that are not the signature of an empty document (those would all collide)."""
    return np.flatnonzero(~(sigs == EMPTY).all(axis=1)).astype(np.int64)


def is_in(numbers: NDArray[np.integer], sorted_set: U32) -> NDArray[np.bool_]:
    if len(sorted_set) == 0:
        return np.zeros(len(numbers), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_set, numbers), len(sorted_set) - 1)
    result: NDArray[np.bool_] = sorted_set[at] == numbers
    return result


def keep_mask(numbers: U32, dead: U32) -> NDArray[np.bool_] | slice:
    return slice(None) if len(dead) == 0 else ~is_in(numbers, dead)


def live_count(numbers: U32, dead: U32) -> int:
    return len(numbers) - int(is_in(numbers, dead).sum())
