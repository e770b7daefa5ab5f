from __future__ import annotations

from recoupe.corroborate import SourceRef, mentions_of
from recoupe.types import (
    Attribution,
    Claim,
    Document,
    InputKind,
    Metadata,
    Sentence,
    Source,
    SourceKind,
    TextSpan,
)

TEXT = (
    "Selon un responsable américain, la Russie achète des obus. "
    "Le général Pat Ryder a parlé de munitions demandées par Moscou. Court."
)
S2, S3 = TEXT.index("Le général"), TEXT.index("Court.")
FIRST, SECOND, THIRD = TextSpan(0, S2 - 1), TextSpan(S2, S3 - 1), TextSpan(S3, len(TEXT))
CONTENT = TextSpan(TEXT.index("la Russie"), S2 - 1)


def _doc() -> Document:
    meta = Metadata(outlet="Le Monde", published="2022-09-06", language="fr")
    sentences = tuple(Sentence(x.start, x.end) for x in (FIRST, SECOND, THIRD))
    return Document(
        "d1", "h", "x.txt", InputKind.TEXT, meta, TEXT, False, TEXT, (), None, sentences
    )


def test_mentions_carry_text_sources_and_metadata() -> None:
    anon = Source(TextSpan(6, 30), (), SourceKind.ANONYMOUS, True, "responsable américain")
    ryder = Source(TextSpan(71, 80), ("Pat Ryder",), SourceKind.PERSON)
    att = Attribution(CONTENT, anon, None)
    claims = [
        Claim(SECOND, (Attribution(TextSpan(90, 122), ryder, None),), (ryder,)),
        Claim(CONTENT, (att,), (anon,)),
        Claim(THIRD, (), ()),  # too short: skipped
    ]
    ms = mentions_of(_doc(), claims)
    assert [m.span for m in ms] == [CONTENT, SECOND]  # text order
    first = ms[0]
    assert first.text == CONTENT.text_of(TEXT) and first.attributed and not first.direct
    assert first.sources == (SourceRef("~responsable américain", "responsable américain", True,
                                       SourceKind.ANONYMOUS),)  # fmt: skip
    assert ms[1].sources[0].key == "pat ryder" and ms[1].sources[0].name == "Pat Ryder"
    assert (first.language, first.outlet, first.published) == ("fr", "Le Monde", "2022-09-06")
    assert first.key == ("d1", CONTENT.start, CONTENT.end)


def test_a_sentence_no_claim_touches_is_still_a_mention() -> None:
    """An attribution rule that misplaced a content must not lose the sentence."""
    ms = mentions_of(_doc(), [])
    assert [m.span for m in ms] == [FIRST, SECOND]  # "Court." is too short
    assert all(not m.attributed and not m.sources for m in ms)


def test_long_spans_are_cut_into_sentences() -> None:
    claim = Claim(TextSpan(0, SECOND.end), (), ())
    ms = mentions_of(_doc(), [claim])
    assert [m.span for m in ms] == [FIRST, SECOND]


def test_source_without_name_is_dropped() -> None:
    assert SourceRef.from_source(Source(TextSpan(0, 2), (), SourceKind.OTHER)) is None
