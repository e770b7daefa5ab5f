from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from recoupe.summarize.concepts import concepts, stop_words, support, support_floor, tokens


def test_stop_words_come_from_spacy_lists() -> None:
    assert {"de", "la", "le"} <= stop_words("fr") and "the" in stop_words("en")
    assert stop_words("xx") == frozenset() and stop_words(None) == frozenset()


def test_bigrams_skip_pairs_of_stop_words() -> None:
    got = concepts("La Corée du Nord a acheté 50 000 obus à l'armée.", "fr")
    assert ("corée", "du") in got and ("du", "nord") in got and ("50", "000") in got
    assert ("à", "l") not in got and ("l", "armée") in got
    assert tokens("L'Été") == ["l", "été"]


def test_support_counts_independent_origins() -> None:
    carriers = {("corée", "du"): [0, 1, 2], ("du", "nord"): [0]}
    origin = ["a", "b", "c"]
    assert support(carriers, origin) == {("corée", "du"): 3, ("du", "nord"): 1}
    # units 0 and 1 are one copied passage: their origins count once for this concept
    assert support(carriers, origin, {0: [1], 1: [0]})[("corée", "du")] == 2
    assert support(carriers, ["a", "a", "c"])[("corée", "du")] == 2


def test_support_floor_scales_down_in_small_stories() -> None:
    assert [support_floor(4, n) for n in range(1, 8)] == [1, 2, 2, 3, 4, 4, 4]


@given(st.integers(1, 10), st.integers(1, 200))
def test_support_floor_is_reachable_and_never_above_min_support(m: int, n: int) -> None:
    floor = support_floor(m, n)
    assert 1 <= floor <= min(m, n)
    assert support_floor(m, n + 1) >= floor  # a bigger story never asks for less
