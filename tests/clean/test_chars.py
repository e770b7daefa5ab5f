"""One Unicode form, no invisible characters inside words."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from recoupe.clean.chars import normalize_text


def test_invisible_characters_go_and_text_is_composed() -> None:
    assert normalize_text("Bundes\u00adregierung") == "Bundesregierung"
    assert normalize_text("zero\u200bwidth\u2060joined\ufeff") == "zerowidthjoined"
    assert normalize_text("Cafe\u0301") == "Café"
    assert normalize_text("plain ascii") == "plain ascii"


def test_joiners_kept_where_they_shape_text() -> None:
    persian = "می\u200cخواهم"  # ZWNJ between Persian letters
    assert normalize_text(persian) == persian
    family = "\U0001f468\u200d\U0001f469"  # emoji sequence
    assert normalize_text(family) == family
    assert normalize_text("hid\u200cden") == "hidden"  # inside a Latin word


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert "\u00ad" not in once and "\u200b" not in once
