import itertools
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from recoupe.errors import StoreError
from recoupe.reuse import lsh_index
from recoupe.reuse.lsh import near_duplicates
from recoupe.reuse.lsh_index import IndexParams, LSHIndex, open_index
from recoupe.reuse.lsh_storage import DirectoryStorage
from recoupe.reuse.minhash import text_signatures

VOCAB = [f"w{i}" for i in range(5000)]


def _corpus(seed: int, n: int, copies: int) -> list[str]:
    rng = np.random.default_rng(seed)
    docs = [" ".join(rng.choice(VOCAB, 120)) for _ in range(n)]
    for _ in range(copies):
        words = docs[int(rng.integers(0, len(docs)))].split()
        words[int(rng.integers(0, len(words)))] = str(rng.choice(VOCAB))
        docs.append(" ".join(words))  # copies of copies too: clusters of 3+
    return docs


def _pairs(found: list) -> set[tuple[str, str, float]]:
    return {(d.a, d.b, d.jaccard) for d in found}


@pytest.fixture(scope="module")
def data() -> tuple[list[str], np.ndarray]:
    docs = _corpus(5, 400, 120)
    return [f"art-{i:04d}" for i in range(len(docs))], text_signatures(docs)


def test_reopened_index_adds_like_one_whole_batch(tmp_path: Path, data: tuple) -> None:
    ids, sigs = data
    whole = _pairs(near_duplicates(ids, sigs))
    assert len(whole) > 100
    found = set()
    for lo in range(0, len(ids), 70):  # one run per batch, reopened each time
        with open_index(tmp_path / "idx") as index:
            found |= _pairs(index.add(ids[lo : lo + 70], sigs[lo : lo + 70]))
    assert found == whole
    with open_index(tmp_path / "idx") as index:
        assert len(index) == len(ids)
        assert index.ids_of(index.numbers(ids)) == ids
        assert np.array_equal(index.signatures_of(np.arange(len(ids))), sigs)
        sizes = index.run_sizes()
        assert sum(sizes) == len(ids)
        assert all(a > 2 * b for a, b in itertools.pairwise(sizes))  # merged


def test_background_merges_change_nothing(data: tuple) -> None:
    ids, sigs = data
    results = []
    for background in (False, True):
        index = LSHIndex(background=background)
        found = set()
        for lo in range(0, len(ids), 23):
            found |= _pairs(index.add(ids[lo : lo + 23], sigs[lo : lo + 23]))
        index.close()
        results.append(found)
    assert results[0] == results[1]


def test_re_adding_is_idempotent_and_pairs_of_recovers_pairs(data: tuple) -> None:
    ids, sigs = data
    index = LSHIndex()
    first = _pairs(index.add(ids[:300], sigs[:300]))
    assert index.add(ids[:300], sigs[:300]) == []  # a crashed run adding its batch again
    assert len(index) == 300 and index.count == 300
    assert index.contains(ids[:301]).tolist() == [True] * 300 + [False]
    mixed = _pairs(index.add(ids[250:], sigs[250:]))  # 50 known, the rest new
    assert len(index) == len(ids)
    assert all(b >= ids[300] for _, b, _ in mixed)
    assert first | mixed == _pairs(near_duplicates(ids, sigs))
    recovered = _pairs(index.pairs_of(ids[:300]))
    assert recovered == {p for p in first | mixed if p[0] < ids[300] or p[1] < ids[300]}
    with pytest.raises(ValueError):
        index.add(["x", "x"], sigs[:2])


def test_discarded_documents_leave_every_answer(data: tuple) -> None:
    ids, sigs = data
    index = LSHIndex(background=False)
    found = _pairs(index.add(ids, sigs))
    gone = sorted({a for a, _, _ in found})[:10]
    assert index.discard([*gone, "never-added"]) == 10
    assert len(index) == len(ids) - 10
    assert not index.contains(gone).any()
    assert all(a not in gone and b not in gone for a, b, _ in _pairs(index.pairs_of(ids)))
    _, doc, _ = index.query(sigs[: len(ids)])
    assert not np.isin(doc, index.numbers(gone)).any()
    again = index.add(gone, sigs[[ids.index(g) for g in gone]])  # new numbers
    assert {a for d in again for a in (d.a, d.b)} & set(gone)
    for lo in range(0, 200, 50):  # merges drop discarded entries
        index.add([f"more-{lo + k}" for k in range(50)], sigs[lo : lo + 50])
    assert sum(index.run_sizes()) <= len(index) + 10


def test_ids_are_compared_exactly_even_when_hashes_collide(
    data: tuple, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, sigs = data
    monkeypatch.setattr(lsh_index, "id_hashes", lambda enc: np.zeros(len(enc), np.uint64))
    index = LSHIndex(max_bucket=1000)
    index.add(["é-1", "b"], sigs[:2])
    assert index.contains(["é-1", "b", "c"]).tolist() == [True, True, False]
    assert index.numbers(["b", "é-1"]).tolist() == [1, 0]
    assert index.ids_of([0, 1]) == ["é-1", "b"]


def test_empty_documents_are_known_but_never_pair() -> None:
    index = LSHIndex()
    assert index.add(["a", "b", "c"], text_signatures(["", "", "..."])) == []
    assert index.contains(["a", "b", "c"]).all()


def test_parameters_and_scheme_are_checked_on_open(tmp_path: Path, data: tuple) -> None:
    ids, sigs = data
    with open_index(tmp_path / "idx", scheme="minhash-k5-p128-s1") as index:
        index.add(ids[:10], sigs[:10])
    with pytest.raises(ValueError):
        open_index(tmp_path / "idx", IndexParams(bands=16, rows=8))
    with pytest.raises(ValueError):
        open_index(tmp_path / "idx", scheme="other")
    with open_index(tmp_path / "idx") as index:
        assert index.scheme == "minhash-k5-p128-s1"
        with pytest.raises(StoreError):
            open_index(tmp_path / "idx")  # locked by the open one


class _Crash(Exception):
    pass


def test_a_failed_commit_leaves_the_previous_index(tmp_path: Path, data: tuple) -> None:
    ids, sigs = data
    with open_index(tmp_path / "idx") as index:
        index.add(ids[:100], sigs[:100])
    storage = DirectoryStorage(tmp_path / "idx")
    index = LSHIndex(storage=storage, background=False)

    def crash(manifest: dict) -> None:
        raise _Crash

    storage.commit = crash  # type: ignore[method-assign]
    with pytest.raises(_Crash):
        index.add(ids[100:200], sigs[100:200])  # arrays written, manifest not
    storage.close()
    with open_index(tmp_path / "idx") as index:
        assert len(index) == 100
        files = {p.name.split(".")[0] for p in (tmp_path / "idx").glob("*.npy")}
        manifest = json.loads((tmp_path / "idx" / "manifest.json").read_text())
        named = {s["name"] for s in manifest["segments"]} | set(manifest["runs"])
        assert files == named  # the orphans were removed
        index.add(ids[100:], sigs[100:])
        assert len(index) == len(ids)


_WRITER = """
import sys
import numpy as np
from recoupe.reuse.lsh_index import open_index
sigs = np.load(sys.argv[2])
index = open_index(sys.argv[1])
n, rng = len(sigs), np.random.default_rng(int(sys.argv[3]))
while True:  # small batches, merges in the background, discards and re-adds, until killed
    start = int(index.contains([f"d{k}" for k in range(n)]).sum())
    if start < n:
        picked = list(range(start, min(start + 9, n)))
    else:
        picked = sorted(rng.choice(n, 9, replace=False).tolist())
        index.discard([f"d{k}" for k in picked])
    index.add([f"d{k}" for k in picked], sigs[picked])
    print(index.count, flush=True)
"""


def _check_consistent(index: LSHIndex, sigs: np.ndarray) -> None:
    n = index.count
    names = index.ids_of(np.arange(n))
    rows = [int(name[1:]) for name in names]
    assert np.array_equal(index.signatures_of(np.arange(n)), sigs[rows])
    numbers = index.numbers([f"d{k}" for k in range(len(sigs))])
    live = numbers[numbers >= 0]
    assert [names[m] for m in live.tolist()] == [f"d{k}" for k in np.flatnonzero(numbers >= 0)]
    assert len(index) == len(live)


def test_sigkill_at_any_moment_leaves_a_consistent_index(tmp_path: Path, data: tuple) -> None:
    ids, sigs = data
    np.save(tmp_path / "sigs.npy", sigs)
    rng = np.random.default_rng(0)
    script = [sys.executable, "-c", _WRITER, str(tmp_path / "idx"), str(tmp_path / "sigs.npy")]
    for attempt in range(6):
        child = subprocess.Popen(
            [*script, str(attempt)],
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        )
        assert child.stdout is not None
        child.stdout.readline()  # it has committed at least once
        time.sleep(float(rng.uniform(0.0, 0.5)))
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        with open_index(tmp_path / "idx") as index:
            assert index.count > 0, attempt
            _check_consistent(index, sigs)
    with open_index(tmp_path / "idx") as index:  # recovery: add what is missing
        names = [f"d{k}" for k in range(len(sigs))]
        missing = np.flatnonzero(~index.contains(names))
        index.add([names[k] for k in missing], sigs[missing])
        got = {(frozenset((d.a, d.b)), d.jaccard) for d in index.pairs_of(names)}
    expected = {(frozenset((names[ids.index(d.a)], names[ids.index(d.b)])), d.jaccard)
                for d in near_duplicates(ids, sigs)}  # fmt: skip
    assert got == expected and len(expected) > 50
