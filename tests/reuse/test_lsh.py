import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recoupe.reuse.lsh import candidate_probability, near_duplicates
from recoupe.reuse.lsh_index import LSHIndex
from recoupe.reuse.minhash import text_signatures

VOCAB = [f"w{i}" for i in range(5000)]


def _corpus(seed: int, n: int, copies: int) -> tuple[list[str], list[tuple[int, int]]]:
    rng = np.random.default_rng(seed)
    docs = [" ".join(rng.choice(VOCAB, 120)) for _ in range(n)]
    truth = []
    for c in range(copies):
        src = int(rng.integers(0, n))
        words = docs[src].split()
        for _ in range(int(rng.integers(0, 3))):  # up to 2 words replaced: J >= ~0.85
            words[int(rng.integers(0, len(words)))] = str(rng.choice(VOCAB))
        docs.append(" ".join(words))
        truth.append((src, n + c))
    return docs, truth


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 10_000))
def test_finds_all_close_copies_and_only_verified_pairs(seed: int) -> None:
    docs, truth = _corpus(seed, 200, 30)
    ids = [f"d{i:04d}" for i in range(len(docs))]
    found = near_duplicates(ids, text_signatures(docs))
    pairs = {(d.a, d.b) for d in found}
    for src, copy in truth:
        assert (ids[src], ids[copy]) in pairs
    assert all(d.jaccard >= 0.5 for d in found)


def test_incremental_equals_whole_corpus() -> None:
    docs, _ = _corpus(1, 300, 60)
    ids = [str(i) for i in range(len(docs))]
    sigs = text_signatures(docs)
    whole = {(d.a, d.b, d.jaccard) for d in near_duplicates(ids, sigs)}
    index = LSHIndex()
    incremental = set()
    for lo in range(0, len(docs), 37):
        incremental |= {
            (d.a, d.b, d.jaccard) for d in index.add(ids[lo : lo + 37], sigs[lo : lo + 37])
        }
    assert incremental == whole
    assert len(index) == len(docs)


def test_query_does_not_insert() -> None:
    docs, truth = _corpus(2, 100, 10)
    sigs = text_signatures(docs)
    index = LSHIndex()
    index.add([str(i) for i in range(100)], sigs[:100])
    rows, stored, jac = index.query(sigs[100:])
    assert len(index) == 100
    found = set(zip(rows.tolist(), stored.tolist(), strict=True))
    for k, (src, _) in enumerate(truth):
        assert (k, src) in found
    assert (jac >= 0.5).all()


def test_huge_buckets_stay_linear_and_connected() -> None:
    sigs = text_signatures(["same text of the wire story here"] * 500)
    found = LSHIndex(max_bucket=8).add([str(i) for i in range(500)], sigs)
    assert len(found) < 500 * 8 * 2
    assert {d.b for d in found} | {d.a for d in found} == {str(i) for i in range(500)}


def test_empty_documents_are_never_duplicates() -> None:
    found = near_duplicates(["a", "b"], text_signatures(["", ""]))
    assert found == []


def test_s_curve_and_validation() -> None:
    assert candidate_probability(0.5) == pytest.approx(0.873, abs=1e-3)
    assert candidate_probability(0.1) < 0.01
    with pytest.raises(ValueError):
        LSHIndex(num_perm=64, bands=32, rows=4)
    with pytest.raises(ValueError):
        LSHIndex().add(["a"], np.zeros((1, 64), dtype=np.uint32))
