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


def _doc() -> Document:
    meta = Metadata(outlet="Le Monde", published="2022-09-06", language="fr")
    sentences = (Sentence(0, 59), Sentence(60, 123), Sentence(124, 130))
    return Document(
        "d1", "h", "x.txt", InputKind.TEXT, meta, TEXT, False, TEXT, (), None, sentences
    )


def test_mentions_carry_text_sources_and_metadata() -> None:
    anon = Source(TextSpan(6, 30), (), SourceKind.ANONYMOUS, True, "responsable américain")
    ryder = Source(TextSpan(71, 80), ("Pat Ryder",), SourceKind.PERSON)
    content = TextSpan(32, 59)
    att = Attribution(content, anon, None)
    claims = [
        Claim(TextSpan(60, 123), (Attribution(TextSpan(90, 122), ryder, None),), (ryder,)),
        Claim(content, (att,), (anon,)),
        Claim(TextSpan(124, 130), (), ()),  # too short: skipped
    ]
    ms = mentions_of(_doc(), claims)
    assert [m.span for m in ms] == [content, TextSpan(60, 123)]  # text order
    first = ms[0]
    assert first.text == TEXT[32:59] and first.attributed and not first.direct
    assert first.sources == (SourceRef("~responsable américain", "responsable américain", True,
                                       SourceKind.ANONYMOUS),)  # fmt: skip
    assert ms[1].sources[0].key == "pat ryder" and ms[1].sources[0].name == "Pat Ryder"
    assert (first.language, first.outlet, first.published) == ("fr", "Le Monde", "2022-09-06")
    assert first.key == ("d1", 32, 59)


def test_source_without_name_is_dropped() -> None:
    assert SourceRef.from_source(Source(TextSpan(0, 2), (), SourceKind.OTHER)) is None
