"""Valid strings: lone surrogates replaced (and counted), escaped file-name bytes named."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from recoupe.ingest.valid import is_valid, valid_item, valid_origin, valid_text
from recoupe.types import InputKind, RawDocument, Rejection


def test_valid_text_is_returned_as_is() -> None:
    text = "déjà vu \U0001f600 \ue000 \x07"
    assert valid_text(text) == (text, 0)


def test_lone_surrogates_are_replaced_and_counted() -> None:
    assert valid_text("a\udc00b\ud800") == ("a\ufffdb\ufffd", 2)


def test_a_split_pair_is_joined_not_replaced() -> None:
    assert valid_text("\ud83d\ude00") == ("\U0001f600", 0)


def test_origin_names_the_bytes_of_a_non_utf8_file_name() -> None:
    name = b"caf\xe9 \xff.txt".decode("utf-8", "surrogateescape")
    assert valid_origin(name) == "caf\\xe9 \\xff.txt"
    assert valid_origin("a\ud800") == "a\ufffd"


def test_items_leave_valid() -> None:
    rej = valid_item(Rejection("x\udcff", "binary", "detail \udc80"))
    assert rej == Rejection("x\\xff", "binary", "detail \ufffd")
    doc = valid_item(RawDocument("y\udcfe", InputKind.TEXT, "text \udc00", False))
    assert isinstance(doc, RawDocument) and doc.origin == "y\\xfe"
    assert doc.content == "text \udc00"  # content is the pipeline's to repair and report


HOSTILE = st.one_of(st.characters(), st.characters(categories=["Cs", "Co", "Cc"]))


@given(st.text(alphabet=HOSTILE))
def test_anything_becomes_encodable(text: str) -> None:
    fixed, replaced = valid_text(text)
    fixed.encode("utf-8")
    assert is_valid(valid_origin(text))
    assert replaced <= len(text)
    if is_valid(text):
        assert fixed == text and replaced == 0
