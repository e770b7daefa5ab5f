import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from recoupe.reuse import minhash
from recoupe.reuse.minhash import EMPTY, MinHasher, estimate_jaccard, text_signatures
from recoupe.reuse.signing import SignaturePool


def _sets(draw_a: set[int], draw_b: set[int]) -> tuple[np.ndarray, np.ndarray]:
    flat = np.array(sorted(draw_a) + sorted(draw_b), dtype=np.uint64)
    offsets = np.array([0, len(draw_a), len(draw_a) + len(draw_b)], dtype=np.int64)
    return flat, offsets


@settings(max_examples=60, deadline=None)
@given(
    st.sets(st.integers(0, 2**64 - 1), min_size=20, max_size=300),
    st.sets(st.integers(0, 2**64 - 1), min_size=20, max_size=300),
    st.floats(0, 1),
)
def test_estimate_is_close_to_true_jaccard(a: set[int], b: set[int], share: float) -> None:
    # move part of a into b so every Jaccard level is exercised
    moved = set(sorted(a)[: int(len(a) * share)])
    b = b | moved
    true = len(a & b) / len(a | b)
    flat, offsets = _sets(a, b)
    sig = MinHasher(num_perm=256).signatures(flat, offsets)
    est = float(estimate_jaccard(sig[0], sig[1]))
    # 5 standard errors of a 256-permutation estimate
    assert abs(est - true) <= 5 * max(np.sqrt(true * (1 - true) / 256), 0.01)


def test_deterministic_and_seeded() -> None:
    texts = ["a b c d e f g h", "x y z w v u t s"]
    assert np.array_equal(text_signatures(texts), text_signatures(texts))
    other = text_signatures(texts, hasher=MinHasher(seed=2))
    assert not np.array_equal(text_signatures(texts), other)


def test_empty_documents_get_empty_signature() -> None:
    sig = text_signatures(["", "one two three four five six", "  ...  "])
    assert (sig[0] == EMPTY).all() and (sig[2] == EMPTY).all()
    assert not (sig[1] == EMPTY).all()


def test_chunking_does_not_change_signatures(monkeypatch: object) -> None:
    rng = np.random.default_rng(0)
    flat = rng.integers(0, 2**63, 5000, dtype=np.uint64)
    offsets = np.array([0, 10, 10, 3000, 3001, 5000], dtype=np.int64)
    whole = MinHasher().signatures(flat, offsets)
    old = minhash._CHUNK_ELEMENTS
    try:
        minhash._CHUNK_ELEMENTS = 128 * 7  # 7 shingles per block: forces the large path
        chunked = MinHasher().signatures(flat, offsets)
    finally:
        minhash._CHUNK_ELEMENTS = old
    assert np.array_equal(whole, chunked)


def test_parallel_stream_equals_serial() -> None:
    texts = [f"doc {i} " + " ".join(str(j * i) for j in range(40)) for i in range(30)]
    texts[3] = "été à Paris, Straße, 한국어"  # a text folded in Python
    batches = [texts[i : i + 7] for i in range(0, 30, 7)]
    serial = np.concatenate(list(minhash.iter_text_signatures(batches)))
    with SignaturePool(processes=2, depth=1) as pool:
        parallel = np.concatenate(list(pool.map(batches)))
        again = np.concatenate(list(pool.map(batches)))  # workers and slots are reused
        big = [t * 50 for t in texts]  # slots grow
        assert np.array_equal(np.concatenate(list(pool.map([big]))), text_signatures(big))
        stream = pool.map(batches)
        next(stream)
        stream.close()  # an abandoned stream leaves the pool usable
        assert np.array_equal(np.concatenate(list(pool.map(batches))), serial)
        assert pool.worker_cpu_s > 0
    assert np.array_equal(serial, parallel) and np.array_equal(serial, again)
    assert np.array_equal(serial, text_signatures(texts))


def test_signatures_equal_the_reference_path() -> None:
    """Signatures from raw texts (numpy tokens, pieces) equal MinHash of the shingles of
    ``normalize.words``: stored signatures stay comparable with new ones."""
    from recoupe.reuse.normalize import words
    from recoupe.reuse.shingles import shingle_hashes

    texts = ["Le « Monde » dit : l’Ukraine…", "", "a b", "word " * 400, "Ｆｕｌｌ ｗｉｄｔｈ"]
    reference = MinHasher().signatures(*shingle_hashes([words(t) for t in texts]))
    assert np.array_equal(text_signatures(texts), reference)
