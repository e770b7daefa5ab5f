import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from recoupe.reuse.shingles import (
    char_shingles,
    jaccard,
    shingle_hashes,
    text_shingles,
    token_hashes,
)

TOKENS = st.lists(st.text(alphabet="abcdéxyz", min_size=1, max_size=8), max_size=30)


@given(st.lists(TOKENS, max_size=6), st.integers(1, 6))
def test_batch_equals_one_by_one(docs: list[list[str]], k: int) -> None:
    flat, offsets = shingle_hashes(docs, k)
    assert offsets[0] == 0 and offsets[-1] == len(flat)
    for i, doc in enumerate(docs):
        alone, _ = shingle_hashes([doc], k)
        assert np.array_equal(flat[offsets[i] : offsets[i + 1]], alone)
        expected = 0 if not doc else max(len(doc) - k + 1, 1)
        assert offsets[i + 1] - offsets[i] == expected


@given(TOKENS, st.integers(1, 5))
def test_shingles_are_those_of_token_windows(doc: list[str], k: int) -> None:
    flat, _ = shingle_hashes([doc], k)
    windows = [tuple(doc[i : i + k]) for i in range(len(doc) - k + 1)] if len(doc) >= k else []
    if len(doc) >= k:
        # equal windows <=> equal hashes (no collision expected on tiny inputs)
        for x in range(len(windows)):
            for y in range(len(windows)):
                assert (windows[x] == windows[y]) == (flat[x] == flat[y])


def test_token_hashes_do_not_depend_on_batch_width() -> None:
    short = token_hashes(["ab"])
    wide = token_hashes(["ab", "a" * 40])
    assert short[0] == wide[0]
    assert token_hashes(["a" * 60])[0] == token_hashes(["a" * 48 + "b" * 12])[0]  # truncated


def test_order_matters_and_copies_match() -> None:
    a = text_shingles("the quick brown fox jumps over the lazy dog", 3)
    b = text_shingles("The quick brown fox jumps over the lazy dog.", 3)
    c = text_shingles("dog lazy the over jumps fox brown quick the", 3)
    assert jaccard(a, b) == 1.0
    assert jaccard(a, c) == 0.0


def test_char_shingles_tolerate_typography() -> None:
    assert char_shingles("l’Ukraine") == char_shingles("l'Ukraine")
    assert char_shingles("") == frozenset()
