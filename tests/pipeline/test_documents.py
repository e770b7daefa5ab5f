"""The document stage: duplicates, cross-document evidence, rejections, restore."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from hypothesis import given
from hypothesis import strategies as st

from recoupe.config import Settings
from recoupe.pipeline.documents import build_documents, content_hash, restore_line
from recoupe.types import Document, InputKind, Metadata, RawDocument

SETTINGS = Settings(languages=("en", "fr"))
BODY = (
    "The harbour authority said on Tuesday that the night ferry would not sail again before "
    "the inquiry ends.\n\nThe company has 14 days to answer, according to a letter seen by "
    "the newspaper."
)
FOOTER = "Our journalists work for you every day"


def _raw(origin: str, content: str, outlet: str | None = "Harbor Post") -> RawDocument:
    return RawDocument(origin, InputKind.TEXT, content, False, Metadata(outlet=outlet))


def _never(_: str) -> bool:
    return False


def _no_counts(_outlet: str, _keys: Sequence[str]) -> Mapping[str, int]:
    return {}


def test_content_hash_ignores_whitespace_and_line_endings() -> None:
    assert content_hash("a  b\r\nc") == content_hash("a b\nc ")
    assert content_hash("a b") != content_hash("a c")


def test_duplicates_in_batch_and_in_store_are_not_work() -> None:
    stored = content_hash(BODY + "\n\nstored")
    result = build_documents(
        [_raw("a", BODY), _raw("b", BODY + "\n"), _raw("c", BODY + "\n\nstored")],
        SETTINGS,
        lambda digest: digest == stored,
        _no_counts,
    )
    assert [d.origin for d in result.documents] == ["a"]
    assert result.duplicates == ["b", "c"]


def test_footer_repeated_within_batch_is_removed() -> None:
    raws = [_raw(f"doc{i}", f"{BODY}\n\nCase {i} is new.\n\n{FOOTER}") for i in range(2)]
    result = build_documents(raws, SETTINGS, _never, _no_counts)
    for doc in result.documents:
        assert FOOTER not in doc.text
        assert [r.reason for r in doc.removed] == ["repeated-in-outlet"]
        assert doc.id in result.outlet_lines


def test_footer_repeated_in_store_is_removed() -> None:
    from recoupe.clean.text import line_key

    def stored(outlet: str, keys: Sequence[str]) -> Mapping[str, int]:
        return {line_key(FOOTER): 1} if outlet == "Harbor Post" else {}

    result = build_documents([_raw("a", f"{BODY}\n\n{FOOTER}")], SETTINGS, _never, stored)
    assert FOOTER not in result.documents[0].text
    other = build_documents([_raw("a", f"{BODY}\n\n{FOOTER}", "Other")], SETTINGS, _never, stored)
    assert FOOTER in other.documents[0].text


def test_junk_only_input_is_rejected_with_reason() -> None:
    result = build_documents(
        [_raw("x", "Facebook\nTwitter\nADVERTISEMENT")], SETTINGS, _never, _no_counts
    )
    assert result.documents == []
    assert [r.reason for r in result.rejections] == ["no-text"]


def test_language_and_sentences_are_set() -> None:
    (doc,) = build_documents([_raw("a", BODY)], SETTINGS, _never, _no_counts).documents
    assert doc.language == "en"
    assert [s.text_of(doc.text)[:9] for s in doc.sentences] == ["The harbo", "The compa"]


def _doc(text: str) -> Document:
    result = build_documents([_raw("r", text, None)], SETTINGS, _never, _no_counts)
    return result.documents[0]


@given(st.integers(min_value=0, max_value=4))
def test_restore_line_puts_it_back_in_place(position: int) -> None:
    paragraphs = [f"Paragraph {i} says something long enough to be kept here." for i in range(4)]
    lines = [*paragraphs[:position], "ADVERTISEMENT", *paragraphs[position:]]
    doc = _doc("\n\n".join(lines))
    (ad,) = doc.removed
    restored = restore_line(doc, ad.line_no)
    assert restored.text.split("\n\n") == lines
    assert restored.removed == ()
    for s in restored.sentences:
        assert 0 <= s.start < s.end <= len(restored.text)


PAGE = (
    "<html lang='en'><head><title>Ferry suspended</title>{site}</head><body><article>"
    "<h1>Ferry suspended</h1><p>{body}</p><p>{body}</p></article></body></html>"
)


def _page_outlet(site: str) -> str | None:
    html = PAGE.format(site=site, body=BODY.replace("\n\n", " "))
    raw = RawDocument("u", InputKind.URL, html, True, Metadata(url="https://www.harbor.example/a"))
    (doc,) = build_documents([raw], SETTINGS, _never, _no_counts).documents
    return doc.meta.outlet


def test_page_site_name_beats_host_and_host_fills_in() -> None:
    assert _page_outlet("<meta property='og:site_name' content='Harbor Post'>") == "Harbor Post"
    assert _page_outlet("") == "harbor.example"
