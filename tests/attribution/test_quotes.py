"""Quote scanner (pure) and quote attachment on short sentences of our own."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recoupe.attribution import analyse, scan_quotes


def inner_texts(text: str) -> list[str]:
    return [q.inner.text_of(text) for q in scan_quotes(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Il a dit “oui” hier.", ["oui"]),
        ("Il a dit « non merci » hier.", ["non merci"]),
        ('He said "yes" and left.', ["yes"]),
        ("He said 'maybe' and left.", ["maybe"]),
        ("Sie sagte „ja“ dazu.", ["ja"]),
        ("L'armée d'Ukraine n'a rien dit.", []),
        ("He said ‘fine’ and Bob’s dog barked.", ["fine"]),
    ],
)
def test_quote_styles(text: str, expected: list[str]) -> None:
    assert inner_texts(text) == expected


def test_nested_quotes_are_found_with_depth() -> None:
    text = "« Il m’a dit “jamais” hier », raconte-t-elle."
    quotes = scan_quotes(text)
    assert [(q.inner.text_of(text), q.depth) for q in quotes] == [
        ("Il m’a dit “jamais” hier", 0),
        ("jamais", 1),
    ]


def test_unclosed_quote_runs_to_paragraph_end() -> None:
    text = "Il a dit que “la guerre continue. Elle durera.\n\nAutre paragraphe."
    end = text.index("\n\n")
    (quote,) = scan_quotes(text, 0, end)
    assert not quote.closed
    assert quote.inner.text_of(text) == "la guerre continue. Elle durera."


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab '\"“”«»„‘’‹› \n.")), max_size=60))
def test_scanner_never_raises_and_spans_in_range(text: str) -> None:
    for q in scan_quotes(text):
        assert 0 <= q.span.start <= q.inner.start <= q.inner.end <= q.span.end <= len(text)


@given(st.text(max_size=80), st.integers(-5, 90), st.integers(-5, 90))
def test_scanner_respects_bounds(text: str, start: int, end: int) -> None:
    for q in scan_quotes(text, start, end):
        assert max(0, min(start, len(text))) <= q.span.start <= q.span.end <= len(text)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "lang", "quote_word", "speaker"),
    [
        ("« Nous ne céderons pas », a déclaré Marie Dupont.", "fr", "céderons", "Marie Dupont"),
        ("Marie Dupont a affirmé : « Nous ne céderons pas ».", "fr", "céderons", "Marie Dupont"),
        ("“We will not give in,” said John Smith.", "en", "give", "John Smith"),
        ('John Smith said: "We will not give in."', "en", "give", "John Smith"),
        ("“We will not give in,” John Smith said.", "en", "give", "John Smith"),
    ],
)
def test_speaker_of_quote(text: str, lang: str, quote_word: str, speaker: str) -> None:
    quotes = analyse(text, lang).quotes
    found = [q for q in quotes if quote_word in q.content.text_of(text)]
    assert found and found[0].source is not None
    assert speaker in found[0].source.name
    assert found[0].cue is not None


@pytest.mark.slow
def test_anonymous_speaker_and_channel() -> None:
    text = (
        "Un responsable européen, qui s’est exprimé sous couvert d’anonymat, a déclaré à "
        "Reuters que “les négociations sont dans l’impasse”."
    )
    (quote,) = analyse(text, "fr").quotes
    assert quote.source is not None and quote.source.anonymous
    assert "responsable européen" in quote.source.description
    assert quote.channel is not None and "Reuters" in quote.channel.name


@pytest.mark.slow
def test_short_name_resolves_to_full_name() -> None:
    text = (
        "Le ministre Jean Martin est arrivé lundi.\n\n« La situation est grave », a déclaré Martin."
    )
    (quote,) = analyse(text, "fr").quotes
    assert quote.source is not None and quote.source.entities == ("Jean Martin",)
