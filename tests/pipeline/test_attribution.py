"""Quotes grouped by speaker across a story (pure: records built by hand)."""

from __future__ import annotations

from recoupe.pipeline.attribution import (
    QuotedArticle,
    _quote_key,
    quotes_by_speaker,
    speaker_name,
)
from recoupe.types import Attribution, Source, SourceKind, TextSpan

TEXT_A = "« Le pont tiendra », a dit Jean Roy. « Nous verrons », a dit un expert."
TEXT_B = "Le maire Jean Roy a dit : « Le pont tiendra »."


def quote(text: str, said: str, name: tuple[str, ...], kind: SourceKind,
          anonymous: bool = False, desc: str = "") -> Attribution:  # fmt: skip
    start = text.index(said)
    span = TextSpan(start, start + len(said))
    return Attribution(span, Source(TextSpan(0, 1), name, kind, anonymous, desc), None, True)


def test_speakers_group_quotes_across_articles_with_outlet_and_date() -> None:
    a = QuotedArticle("a", TEXT_A, "Le Courrier", "2025-09-17")
    b = QuotedArticle("b", TEXT_B, "L'Écho", "2025-09-16")
    items = [
        (a, quote(TEXT_A, "Le pont tiendra", ("Jean Roy",), SourceKind.PERSON)),
        (a, quote(TEXT_A, "Nous verrons", (), SourceKind.ANONYMOUS, True, "expert")),
        (b, quote(TEXT_B, "Le pont tiendra", ("Jean Roy",), SourceKind.PERSON)),
        (a, Attribution(TextSpan(2, 7), None, None, True)),
    ]
    groups = quotes_by_speaker(items)
    assert [g.speaker for g in groups] == ["Jean Roy", "expert", "unknown"]
    (same,) = groups[0].quotes  # one quote, two occurrences, earliest first
    assert [(o.doc_id, o.outlet, o.published) for o in same] == [
        ("b", "L'Écho", "2025-09-16"), ("a", "Le Courrier", "2025-09-17")]  # fmt: skip
    assert groups[1].anonymous and groups[0].occurrences == 2


def test_a_surname_joins_the_full_name_of_the_story() -> None:
    a = QuotedArticle("a", TEXT_A, None, None)
    items = [
        (a, quote(TEXT_A, "Le pont tiendra", ("Jean Roy",), SourceKind.PERSON)),
        (a, quote(TEXT_A, "Nous verrons", ("Roy",), SourceKind.PERSON)),
    ]
    (group,) = quotes_by_speaker(items)
    assert group.speaker == "Jean Roy" and len(group.quotes) == 2


def test_unknown_speaker_is_said_so() -> None:
    assert speaker_name(None) == "unknown"
    assert speaker_name(Source(TextSpan(0, 2), (), SourceKind.OTHER)) == "unknown"


def test_quote_key_ignores_case_accents_and_punctuation() -> None:
    assert _quote_key("« Élysée », dit-ÇA_x") == _quote_key("elysee dit ca x") == "elysee dit ca x"
