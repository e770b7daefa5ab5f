"""Tagger spans and the joins that refine makes (pure where possible)."""

from __future__ import annotations

import spacy

from recoupe.attribution import tagger
from recoupe.attribution.refine import join_around_cues
from recoupe.types import Attribution, Source, SourceKind, TextSpan


def span(text: str, part: str) -> TextSpan:
    start = text.index(part)
    return TextSpan(start, start + len(part))


def test_bio_and_spans_roundtrip() -> None:
    doc = spacy.blank("en")("The mayor said the bridge will hold .")
    text = doc.text
    spans = [span(text, "The mayor"), span(text, "the bridge will hold")]
    tags = tagger.bio(doc, 0, spans)
    assert tags == ["B", "I", "O", "B", "I", "I", "I", "O"]
    assert tagger.spans_of(doc, 0, tags) == spans


def test_two_segments_around_a_cue_are_one_attribution() -> None:
    text = "“The bridge will hold,” the mayor said. “We checked it.”"
    src = Source(span(text, "the mayor"), ("mayor",), SourceKind.PERSON)
    first = Attribution(span(text, "The bridge will hold"), src, span(text, "said"), True)
    second = Attribution(span(text, "We checked it."), None, None, True)
    (joined,) = join_around_cues(text, [first, second])
    assert joined.more == (second.content,) and joined.source is src


def test_segments_in_two_paragraphs_stay_apart() -> None:
    text = "“The bridge will hold,” the mayor said.\n\n“We checked it.”"
    src = Source(span(text, "the mayor"), ("mayor",), SourceKind.PERSON)
    first = Attribution(span(text, "The bridge will hold"), src, span(text, "said"), True)
    second = Attribution(span(text, "We checked it."), None, None, True)
    assert len(join_around_cues(text, [first, second])) == 2


def test_the_tagger_ships_for_english_only() -> None:
    assert tagger.available("en")
    assert not tagger.available("fr")
