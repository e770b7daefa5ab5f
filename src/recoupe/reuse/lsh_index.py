"""A persistent, incremental near-duplicate index: ``add`` a batch, get its verified
near-duplicate pairs among everything added so far, in this run or any earlier one.

    index = open_index("data/lsh")            # or LSHIndex(storage=MemoryStorage())
    fresh = ~index.contains(ids)               # what a crashed run already added
    pairs = index.add(ids, signatures)         # only new ids are added; pairs verified
    index.close()                              # waits for merges, syncs to disk

Documents are keyed by stable string ids (the store's article ids); the index gives
them dense numbers in order of insertion (``numbers``, ``ids_of``). ``add`` skips ids
already in, so re-adding a batch after a crash is idempotent (``pairs_of`` gives the
pairs of documents already in, for a caller that lost them).

Layout (all arrays immutable, named by the manifest; see ``lsh_storage``):

* *segments*: the signatures ``(n, num_perm)`` and UTF-8 ids of the documents of one
  ``add``, numbered ``first .. first + n - 1``; read back memory-mapped for
  verification, so only the candidates' pages are touched;
* *runs*: per band, the band keys of some documents sorted, with their numbers, plus the
  same for a hash of their ids (id lookups). Each ``add`` writes one run; runs of
  similar size are merged two at a time in a background thread (band by band into a
  memory-mapped output: a merge never holds more than one band of a run in RAM), the
  merged run replacing its two inputs in one manifest commit;
* *dead*: numbers of discarded documents (dropped from runs as they are merged).

Nothing is rewritten in place and every change is one atomic manifest commit, so a
SIGKILL at any point leaves the index as of the last commit. The algorithm only talks
to an ``IndexStorage``: a PostgreSQL one can replace the directory without touching it.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np
from numpy.typing import NDArray

from recoupe.errors import StoreError
from recoupe.reuse.lsh import (
    DEFAULT_BANDS,
    DEFAULT_MAX_BUCKET,
    DEFAULT_ROWS,
    DEFAULT_THRESHOLD,
    F64,
    band_keys,
    estimate,
    matches,
    pairs_in_sorted,
    unique_pairs,
)
from recoupe.reuse.lsh_runs import (
    RUN_PARTS,
    Run,
    Segment,
    encode_ids,
    id_hashes,
    is_in,
    live_rows,
    merge_runs,
    sorted_rows,
)
from recoupe.reuse.lsh_storage import DirectoryStorage, IndexStorage, Manifest, MemoryStorage
from recoupe.reuse.minhash import DEFAULT_NUM_PERM, U32
from recoupe.reuse.shingles import I64, U64
from recoupe.types import NearDuplicate

FORMAT = "recoupe-lsh-1"
MERGE_RATIO = 2  # merge two neighbouring runs when the older is at most 2x the newer


@dataclass(frozen=True, slots=True)
class IndexParams:
    num_perm: int = DEFAULT_NUM_PERM
    bands: int = DEFAULT_BANDS
    rows: int = DEFAULT_ROWS
    threshold: float = DEFAULT_THRESHOLD
    max_bucket: int = DEFAULT_MAX_BUCKET


class LSHIndex:
    """Incremental near-duplicate index on an ``IndexStorage`` (in memory by default)."""

    def __init__(
        self,
        num_perm: int = DEFAULT_NUM_PERM,
        bands: int = DEFAULT_BANDS,
        rows: int = DEFAULT_ROWS,
        threshold: float = DEFAULT_THRESHOLD,
        max_bucket: int = DEFAULT_MAX_BUCKET,
        *,
        storage: IndexStorage | None = None,
        scheme: str = "",
        background: bool = True,
    ) -> None:
        if bands * rows > num_perm:
            raise ValueError("bands * rows must be <= num_perm")
        self.params = IndexParams(num_perm, bands, rows, threshold, max_bucket)
        self.storage: IndexStorage = storage if storage is not None else MemoryStorage()
        self.background = background
        self._lock = threading.RLock()
        self._merging: threading.Thread | None = None
        self._merge_error: BaseException | None = None
        self._closed = False
        self._segments: list[Segment] = []
        self._runs: list[Run] = []
        self._dead = np.zeros(0, dtype=np.uint32)
        self._dead_name: str | None = None
        self._count = 0
        self._generation = 0
        self.scheme = scheme
        manifest = self.storage.manifest()
        if manifest is not None:
            self._load(manifest)
        self.storage.clean(self._array_names())

    # -- opening and committing ---------------------------------------------------------

    def _load(self, manifest: Manifest) -> None:
        if manifest.get("format") != FORMAT:
            raise StoreError(f"not a {FORMAT} index: {manifest.get('format')!r}")
        stored = IndexParams(**manifest["params"])
        if stored != self.params:
            raise ValueError(f"the index was built with {stored}, not {self.params}")
        if self.scheme and manifest.get("scheme") and manifest["scheme"] != self.scheme:
            raise ValueError(f"the index holds {manifest['scheme']!r} signatures")
        self.scheme = self.scheme or manifest.get("scheme", "")
        self._count, self._generation = int(manifest["count"]), int(manifest["generation"])
        open_ = self.storage.open
        for seg in manifest["segments"]:
            name = seg["name"]
            self._segments.append(
                Segment(name, int(seg["first"]), open_(f"{name}.sigs"), open_(f"{name}.ids"))
            )
        for run in manifest["runs"]:
            parts = [open_(f"{run}.{p}") for p in RUN_PARTS]
            self._runs.append(Run(run, *parts))
        if manifest.get("dead"):
            self._dead_name = str(manifest["dead"])
            self._dead = open_(self._dead_name)

    def _array_names(self) -> set[str]:
        names = {a for s in self._segments for a in s.arrays}
        names |= {a for r in self._runs for a in r.arrays}
        return names | ({self._dead_name} if self._dead_name else set())

    def _manifest(self) -> Manifest:
        segments = [{"name": s.name, "first": s.first, "count": len(s.sigs)}
                    for s in self._segments]  # fmt: skip
        return {
            "format": FORMAT,
            "params": {
                "num_perm": self.params.num_perm,
                "bands": self.params.bands,
                "rows": self.params.rows,
                "threshold": self.params.threshold,
                "max_bucket": self.params.max_bucket,
            },
            "scheme": self.scheme,
            "count": self._count,
            "generation": self._generation,
            "segments": segments,
            "runs": [r.name for r in self._runs],
            "dead": self._dead_name,
        }

    def _new_name(self) -> str:
        with self._lock:
            self._generation += 1
            return f"g{self._generation:08d}"

    def _put(self, name: str, array: NDArray[Any]) -> NDArray[Any]:
        self.storage.write(name, array)
        return self.storage.open(name)

    # -- reading ------------------------------------------------------------------------

    def __len__(self) -> int:
        """Documents in the index (discarded ones excluded)."""
        return self._count - len(self._dead)

    @property
    def count(self) -> int:
        """Numbers given so far (the next document gets this one)."""
        return self._count

    def nbytes(self) -> int:
        """Bytes the index occupies in its storage."""
        return self.storage.nbytes()

    def _snapshot(self) -> tuple[list[Segment], list[Run], U32]:
        with self._lock:
            return list(self._segments), list(self._runs), self._dead

    def numbers(self, ids: Sequence[str]) -> I64:
        """Number of each id, -1 for ids not in the index."""
        encoded = encode_ids(ids)
        segments, runs, dead = self._snapshot()
        return self._lookup(encoded, id_hashes(encoded), segments, runs, dead)

    def contains(self, ids: Sequence[str]) -> NDArray[np.bool_]:
        return self.numbers(ids) >= 0

    def ids_of(self, numbers: Sequence[int] | I64) -> list[str]:
        segments, _, _ = self._snapshot()
        raw = self._gather(np.asarray(numbers, dtype=np.int64), segments, "ids")
        return [r.decode("utf-8") for r in raw.tolist()]

    def signatures_of(self, numbers: Sequence[int] | I64) -> U32:
        segments, _, _ = self._snapshot()
        sigs: U32 = self._gather(np.asarray(numbers, dtype=np.int64), segments, "sigs")
        return sigs

    def _gather(self, numbers: I64, segments: list[Segment], part: str) -> NDArray[Any]:
        """Rows of the segments' ``sigs`` or ``ids`` for document numbers, in order."""
        if len(numbers) and (numbers.min() < 0 or numbers.max() >= self._count):
            raise IndexError("document number out of range")
        width = self.params.num_perm
        if part == "sigs":
            out: NDArray[Any] = np.empty((len(numbers), width), dtype=np.uint32)
        else:
            size = max([s.ids.dtype.itemsize for s in segments] or [1])
            out = np.empty(len(numbers), dtype=f"S{size}")
        firsts = np.array([s.first for s in segments], dtype=np.int64)
        owner = np.searchsorted(firsts, numbers, side="right") - 1
        for k in np.unique(owner).tolist():
            rows = np.flatnonzero(owner == k)
            seg = segments[k]
            source = seg.sigs if part == "sigs" else seg.ids
            out[rows] = source[numbers[rows] - seg.first]
        return out

    def _lookup(
        self,
        encoded: NDArray[np.bytes_],
        hashes: U64,
        segments: list[Segment],
        runs: list[Run],
        dead: U32,
    ) -> I64:
        found = np.full(len(encoded), -1, dtype=np.int64)
        order = np.argsort(hashes, kind="stable")
        needles = hashes[order]
        for run in runs:
            at, pos = matches(run.id_keys, needles, self.params.max_bucket)
            if len(at) == 0:
                continue
            numbers = run.id_docs[pos].astype(np.int64)
            same = self._gather(numbers, segments, "ids") == encoded[order[at]]
            live = ~is_in(numbers, dead)
            keep = same & live
            found[order[at[keep]]] = numbers[keep]
        return found

    # -- adding -------------------------------------------------------------------------

    def add(self, ids: Sequence[str], sigs: U32) -> list[NearDuplicate]:
        """Insert the documents not in yet; return the near-duplicate pairs they form with
        everything in the index, including each other (``a`` added first)."""
        i, j, jac = self.add_arrays(ids, sigs)
        names = self.ids_of(np.concatenate([i, j]))
        n = len(i)
        return [
            NearDuplicate(a=names[k], b=names[n + k], jaccard=float(s))
            for k, s in enumerate(jac.tolist())
        ]

    def add_arrays(self, ids: Sequence[str], sigs: U32) -> tuple[I64, I64, F64]:
        """``add`` returning document numbers (``i < j``) and Jaccard estimates: the fast
        path for millions of documents."""
        self._raise_merge_error()
        sigs = self._check(sigs, len(ids))
        encoded = encode_ids(ids)
        hashes = id_hashes(encoded)
        _refuse_repeats(encoded, hashes)
        segments, runs, dead = self._snapshot()
        new = self._lookup(encoded, hashes, segments, runs, dead) < 0
        if not new.all():
            encoded, hashes, sigs = encoded[new], hashes[new], sigs[new]
        empty = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float64))
        if len(encoded) == 0:
            return empty
        base = self._count
        numbers = np.arange(base, base + len(encoded), dtype=np.uint32)
        live = live_rows(sigs)
        keys, docs = sorted_rows(band_keys(sigs[live], self.params.bands, self.params.rows),
                                  numbers[live])  # fmt: skip
        i, j = self._candidates(keys, docs, runs, dead)
        first = np.empty((len(i), self.params.num_perm), dtype=np.uint32)
        old = i < base
        first[old] = self._gather(i[old], segments, "sigs")
        first[~old] = sigs[i[~old] - base]
        jac = estimate(first, sigs[j - base])  # j is always in the batch
        keep = jac >= self.params.threshold
        self._store(encoded, hashes, sigs, numbers, keys, docs)
        self._maybe_merge()
        return i[keep], j[keep], jac[keep]

    def _candidates(self, keys: U32, docs: U32, runs: list[Run], dead: U32) -> tuple[I64, I64]:
        """Distinct (i, j), i < j, sharing a band key: within the batch and with runs."""
        left: list[I64] = [np.zeros(0, np.int64)]
        right: list[I64] = [np.zeros(0, np.int64)]
        bucket = self.params.max_bucket
        for b in range(self.params.bands):
            p, q = pairs_in_sorted(keys[b], bucket)
            left.append(docs[b][p].astype(np.int64))
            right.append(docs[b][q].astype(np.int64))
            for run in runs:
                at, pos = matches(run.keys[b], keys[b], bucket)
                left.append(run.docs[b][pos].astype(np.int64))
                right.append(docs[b][at].astype(np.int64))
        i, j = unique_pairs(np.concatenate(left), np.concatenate(right))
        if len(dead):
            keep = ~(is_in(i, dead) | is_in(j, dead))
            i, j = i[keep], j[keep]
        return i, j

    def _store(
        self, encoded: NDArray[np.bytes_], hashes: U64, sigs: U32, numbers: U32,
        keys: U32, docs: U32,
    ) -> None:  # fmt: skip
        """Write the batch's segment and run, then commit them in one manifest."""
        seg_name, run_name = self._new_name(), self._new_name()
        order = np.argsort(hashes, kind="stable")
        segment = Segment(seg_name, int(numbers[0]), self._put(f"{seg_name}.sigs", sigs),
                           self._put(f"{seg_name}.ids", encoded))  # fmt: skip
        parts: list[NDArray[Any]] = [keys, docs, hashes[order], numbers[order]]
        stored = [self._put(f"{run_name}.{p}", a) for p, a in zip(RUN_PARTS, parts, strict=True)]
        run = Run(run_name, *stored)
        with self._lock:
            self._segments.append(segment)
            self._runs.append(run)
            self._count = int(numbers[-1]) + 1
            self.storage.commit(self._manifest())

    # -- queries of documents already in ------------------------------------------------

    def query(self, sigs: U32) -> tuple[I64, I64, F64]:
        """Near-duplicates of documents without inserting them: (query row, document
        number, Jaccard estimate)."""
        sigs = self._check(sigs, len(sigs))
        segments, runs, dead = self._snapshot()
        live = live_rows(sigs)
        rows = live.astype(np.uint32)
        keys, qrows = sorted_rows(band_keys(sigs[live], self.params.bands, self.params.rows),
                                   rows)  # fmt: skip
        found_q: list[I64] = [np.zeros(0, np.int64)]
        found_d: list[I64] = [np.zeros(0, np.int64)]
        for b in range(self.params.bands):
            for run in runs:
                at, pos = matches(run.keys[b], keys[b], self.params.max_bucket)
                found_q.append(qrows[b][at].astype(np.int64))
                found_d.append(run.docs[b][pos].astype(np.int64))
        code = np.unique((np.concatenate(found_q) << np.int64(32)) | np.concatenate(found_d))
        row, doc = code >> np.int64(32), code & np.int64(0xFFFFFFFF)
        if len(dead):
            alive = ~is_in(doc, dead)
            row, doc = row[alive], doc[alive]
        jac = estimate(sigs[row], self._gather(doc, segments, "sigs"))
        keep = jac >= self.params.threshold
        return row[keep], doc[keep], jac[keep]

    def pairs_of(self, ids: Sequence[str]) -> list[NearDuplicate]:
        """The near-duplicate pairs of documents already in the index, with every other
        document in it (``a`` added first)."""
        numbers = self.numbers(ids)
        numbers = np.unique(numbers[numbers >= 0])
        row, doc, jac = self.query(self.signatures_of(numbers))
        mine = numbers[row]
        keep = mine != doc
        a, b = np.minimum(mine, doc)[keep], np.maximum(mine, doc)[keep]
        a, b, jac = _distinct(a, b, jac[keep])
        names = self.ids_of(np.concatenate([a, b]))
        n = len(a)
        return [NearDuplicate(a=names[k], b=names[n + k], jaccard=float(s))
                for k, s in enumerate(jac.tolist())]  # fmt: skip

    def discard(self, ids: Sequence[str]) -> int:
        """Remove documents (their pairs are never returned again); returns how many
        were in. Re-adding a discarded id gives it a new number."""
        numbers = self.numbers(ids)
        numbers = np.unique(numbers[numbers >= 0]).astype(np.uint32)
        if len(numbers) == 0:
            return 0
        with self._lock:
            old = self._dead_name
            name = self._new_name()
            self._dead = self._put(name, np.union1d(self._dead, numbers).astype(np.uint32))
            self._dead_name = name
            self.storage.commit(self._manifest())
            if old:
                self.storage.delete([old])
        return len(numbers)

    # -- merging ------------------------------------------------------------------------

    def _pick_merge(self) -> tuple[Run, Run] | None:
        """The newest neighbouring pair of runs where the older is at most
        ``MERGE_RATIO`` times the newer (keeps O(log n) runs of geometric sizes)."""
        runs = self._runs
        for k in range(len(runs) - 1, 0, -1):
            if runs[k - 1].size <= MERGE_RATIO * runs[k].size:
                return runs[k - 1], runs[k]
        return None

    def _maybe_merge(self) -> None:
        with self._lock:
            if self._merging is not None or self._closed:
                return
            pair = self._pick_merge()
            if pair is None:
                return
            thread = threading.Thread(target=self._merge, args=pair, daemon=True)
            self._merging = thread
            if self.background:  # started under the lock: ``wait`` never joins it unstarted
                thread.start()
        if not self.background:
            thread.run()

    def _merge(self, old: Run, new: Run) -> None:
        try:
            merged = merge_runs(self.storage, self._new_name(), old, new, self._dead)
            with self._lock:
                at = self._runs.index(old)
                if self._runs[at + 1] is not new:
                    raise RuntimeError("runs changed during a merge")
                self._runs[at : at + 2] = [merged]
                self.storage.commit(self._manifest())
                self.storage.delete(old.arrays + new.arrays)
        except BaseException as err:  # reported by the next add / close
            self._merge_error = err
            return
        finally:
            with self._lock:
                self._merging = None
        self._maybe_merge()

    def wait(self) -> None:
        """Finish the background merges in progress (and those they trigger)."""
        while True:
            with self._lock:
                thread = self._merging
            if thread is None:
                break
            thread.join()
        self._raise_merge_error()

    def _raise_merge_error(self) -> None:
        if self._merge_error is not None:
            err, self._merge_error = self._merge_error, None
            raise StoreError(f"merging index runs failed: {err}") from err

    def close(self, sync: bool = True) -> None:
        """Wait for merges, flush to disk (``sync``), release the storage."""
        if self._closed:
            return
        try:
            self.wait()
        finally:
            with self._lock:
                self._closed = True
            if sync:
                self.storage.sync()
            self.storage.close()

    def __enter__(self) -> LSHIndex:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _check(self, sigs: U32, n: int) -> U32:
        sigs = np.ascontiguousarray(sigs, dtype=np.uint32)
        if sigs.shape != (n, self.params.num_perm):
            raise ValueError(f"expected signatures of shape ({n}, {self.params.num_perm})")
        return sigs

    def run_sizes(self) -> list[int]:
        """Documents per run, oldest first (for tests and reports)."""
        with self._lock:
            return [r.size for r in self._runs]


def open_index(
    path: Path | str,
    params: IndexParams | None = None,
    *,
    scheme: str = "",
    sync_commits: bool = False,
    background: bool = True,
) -> LSHIndex:
    """Open (or create) the index stored in directory ``path``."""
    p = params or IndexParams()
    return LSHIndex(
        p.num_perm, p.bands, p.rows, p.threshold, p.max_bucket,
        storage=DirectoryStorage(path, sync_commits), scheme=scheme, background=background,
    )  # fmt: skip


def _refuse_repeats(encoded: NDArray[np.bytes_], hashes: U64) -> None:
    if len(np.unique(hashes)) < len(hashes) and len(np.unique(encoded)) < len(encoded):
        raise ValueError("an id appears twice in one batch")


def _distinct(a: I64, b: I64, jac: F64) -> tuple[I64, I64, F64]:
    code = (a << np.int64(32)) | b
    _, first = np.unique(code, return_index=True)
    return a[first], b[first], jac[first]
