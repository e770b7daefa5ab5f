"""Folded and unaccented forms: the fast paths give what the plain decomposition gives."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from recoupe.types.folding import fold_class, folded, folds_one_to_one, unaccented


def _slow_unaccented(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@settings(max_examples=500)
@given(st.text())
def test_unaccented_is_the_decomposition_without_marks(text: str) -> None:
    assert unaccented(text) == _slow_unaccented(text)


@settings(max_examples=500)
@given(st.text())
def test_folded_is_the_case_folded_decomposition_without_marks(text: str) -> None:
    assert folded(text) == _slow_unaccented(text.casefold())


def test_examples() -> None:
    assert folded("Élysée ÇA ﬁ Straße") == "elysee ca fi strasse"
    assert unaccented("Élysée") == "Elysee"
    assert folded("Plain ASCII") == "plain ascii"


def _latin(c: str) -> bool:
    return ord(c) < 0x250 or 0x1E00 <= ord(c) < 0x1F00


@settings(max_examples=500)
@given(st.text())
def test_fold_classes_find_exactly_the_characters_of_a_fold(text: str) -> None:
    if folds_one_to_one(text):
        for c in text:
            f = folded(c)
            assert len(f) == 1 and re.fullmatch(fold_class(f), c)
    else:
        assert any(len(folded(c)) != 1 or not _latin(c) for c in text)
    assert folds_one_to_one("Élysée, ÇA") and not folds_one_to_one("Straße")
    assert re.fullmatch(fold_class("e"), "É") and not re.fullmatch(fold_class("e"), "a")
    assert not re.search(fold_class("é"), "eéÉ")  # nothing folds to an accented letter
