"""Tests of sentence spans: exact offsets, paragraph breaks, French typography."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recoupe.nlp import sentences as mod
from recoupe.nlp.sentences import paragraph_spans, split_sentences


def texts(text: str, language: str | None = "fr") -> list[str]:
    return [s.text_of(text) for s in split_sentences(text, language)]


def test_french_abbreviations() -> None:
    assert texts("M. Macron a parlé mardi. Mme Borne a répondu. MM. Dupont et Durand aussi.") == [
        "M. Macron a parlé mardi.",
        "Mme Borne a répondu.",
        "MM. Dupont et Durand aussi.",
    ]
    assert texts("Mme. Dupont est là. Le 3 sept. 2022, il pleuvait.") == [
        "Mme. Dupont est là.",
        "Le 3 sept. 2022, il pleuvait.",
    ]


def test_french_quotes() -> None:
    text = "« Il viendra. » Elle a souri. Il a dit\u00a0: « Non\u00a0! » Puis “C'est fini.” Voilà."
    assert texts(text) == [
        "« Il viendra. »",
        "Elle a souri.",
        "Il a dit\u00a0: « Non\u00a0! »",
        "Puis “C'est fini.”",
        "Voilà.",
    ]


def test_ellipses() -> None:
    assert texts("Il hésite… Puis il part. Il hésite... Puis il reste. Bref… et alors ?") == [
        "Il hésite…",
        "Puis il part.",
        "Il hésite...",
        "Puis il reste.",
        "Bref… et alors ?",
    ]


def test_english_and_unsupported_languages() -> None:
    text = "U.S. officials said on Tuesday. Dr. Smith agreed! Did he? Yes."
    expected = ["U.S. officials said on Tuesday.", "Dr. Smith agreed!", "Did he?", "Yes."]
    assert texts(text, "en") == texts(text, None) == texts(text, "en-GB") == expected
    assert texts(text, "xx") == expected  # unknown languages use English rules
    assert texts("这是第一句。这是第二句！第三句？", "zh") == [
        "这是第一句。",
        "这是第二句！",
        "第三句？",
    ]


def test_paragraphs_are_never_crossed_and_offsets_are_exact() -> None:
    text = "  Titre sans point\r\n \r\nLe président\na parlé.  Il  est\tparti.\n\n\n Fin "
    spans = split_sentences(text, "fr")
    assert [s.text_of(text) for s in spans] == [
        "Titre sans point",
        "Le président\na parlé.",  # a single newline is a hard wrap, not a break
        "Il  est\tparti.",
        "Fin",
    ]
    assert spans[0].start == 2
    starts = [text.index(p) for p in ("Titre", "Le président", "Fin")]
    ends = [text.index(p) + len(p) for p in ("point", "parti.", "Fin")]
    assert paragraph_spans(text) == list(zip(starts, ends, strict=True))


def test_empty_text() -> None:
    assert split_sentences("", "fr") == ()
    assert split_sentences(" \n\n\t ", None) == ()


def test_regex_fallback_when_the_splitter_output_cannot_be_aligned(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Garbling:
        def split(self, text: str) -> list[str]:
            return ["something else entirely"]

    monkeypatch.setattr(mod, "_splitter", lambda language: Garbling())
    text = "Première phrase. « Deuxième ! » Troisième…\n\nAutre paragraphe"
    assert texts(text) == ["Première phrase.", "« Deuxième ! »", "Troisième…", "Autre paragraphe"]


_alphabet = st.sampled_from(list("aZé. !?…«»“”\"'\n\t \u00a0\u2029。M")) | st.characters()


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet=_alphabet, max_size=120),
    language=st.sampled_from(["fr", "en", None, "zh"]),
)
def test_spans_are_well_formed(text: str, language: str | None) -> None:
    spans = split_sentences(text, language)
    previous_end = 0
    for s in spans:
        assert 0 <= previous_end <= s.start < s.end <= len(text)
        assert text[s.start : s.end] == text[s.start : s.end].strip()
        previous_end = s.end
    paragraphs = paragraph_spans(text)
    for s in spans:  # each sentence lies inside one paragraph
        assert any(a <= s.start and s.end <= b for a, b in paragraphs)
    # no text is lost: every non-space character lies in a sentence
    assert "".join(text.split()) == "".join("".join(s.text_of(text).split()) for s in spans)


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=_alphabet, min_size=1, max_size=80))
def test_fast_path_agrees_with_the_splitter(text: str) -> None:
    copy = text.strip().replace("…", ".")
    copy = "".join(" " if c.isspace() else c for c in copy)
    if copy and mod._MAY_BREAK.search(copy) is None:
        assert mod._splitter("fr").split(copy) == [" ".join(copy.split())]
