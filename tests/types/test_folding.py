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


def _simple(c: str) -> bool:
    """In the blocks ``folds_one_to_one`` knows, folding to one character as wordly."""
    code = ord(c)
    blocks = code < 0x250 or 0x1E00 <= code < 0x1F00 or 0x2000 <= code < 0x2070
    f = folded(c)
    wordly = re.compile(r"[^\W_]")
    return (blocks or 0x20A0 <= code < 0x20D0) and len(f) == 1 and (
        bool(wordly.match(c)) == bool(wordly.match(f)))


@settings(max_examples=500)
@given(st.text() | st.text(alphabet="aé’—…\u2002€ŀﬁ\u0301"))
def test_fold_classes_find_exactly_the_characters_of_a_fold(text: str) -> None:
    assert folds_one_to_one(text) == all(_simple(c) for c in text)
    for c in text if folds_one_to_one(text) else "":
        assert re.fullmatch(fold_class(folded(c)), c)
    assert folds_one_to_one("Élysée, ÇA") and not folds_one_to_one("Straße")
    assert re.fullmatch(fold_class("e"), "É") and not re.fullmatch(fold_class("e"), "a")
    assert not re.search(fold_class("é"), "eéÉ")  # nothing folds to an accented letter


def test_the_mark_table_stays_bounded_on_a_text_of_every_character() -> None:
    from recoupe.types import folding

    every = "".join(chr(c) for c in range(0x80, 0x30000) if not 0xD800 <= c < 0xE000)
    assert unaccented(every) == _slow_unaccented(every)
    assert len(folding._NO_COMBINING) <= folding._TABLE_MAX
