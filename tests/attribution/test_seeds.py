"""The must-show attributions of the two French seed articles (read from ../shared).

Quotes and contents are identified by distinctive words, speakers by canonical names or
anonymous descriptions; nothing of the articles is copied here.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from recoupe.attribution import Analysis, Attribution, analyse
from recoupe.attribution.speakers import _is_place, speaker_name
from recoupe.clean.text import clean_text
from recoupe.cluster.features import ArticleInput
from recoupe.nlp.entity_summary import story_entities
from recoupe.pipeline.stories import article_text_entity_records

pytestmark = pytest.mark.slow


@cache
def _analysed(path: Path) -> tuple[str, Analysis]:
    text = clean_text(path.read_text(encoding="utf-8")).text
    return text, analyse(text, "fr")


@pytest.fixture(scope="module")
def seed000(seeds_dir: Path) -> tuple[str, Analysis]:
    return _analysed(seeds_dir / "000_e3074867cba37353.txt")


@pytest.fixture(scope="module")
def seed003(seeds_dir: Path) -> tuple[str, Analysis]:
    return _analysed(seeds_dir / "003_19322f3d0f6c134a.txt")


def with_words(atts: tuple[Attribution, ...], text: str, *words: str) -> list[Attribution]:
    return [a for a in atts if all(w in a.content.text_of(text) for w in words)]


def names(att: Attribution) -> tuple[str, ...]:
    assert att.source is not None
    return att.source.entities


@pytest.mark.parametrize("words", [("munitions",), ("logistiques",), ("estimons",), ("tendre",)])
def test_pat_ryder_quotes(seed000: tuple[str, Analysis], words: tuple[str, ...]) -> None:
    text, analysis = seed000
    found = with_words(analysis.quotes, text, *words)
    assert found, words
    assert all(q.direct for q in found)
    assert names(found[0]) == ("Pat Ryder",)


def test_ryder_speaker_text_is_short_form(seed000: tuple[str, Analysis]) -> None:
    text, analysis = seed000
    (quote,) = with_words(analysis.quotes, text, "logistiques")
    assert quote.source is not None and quote.source.span.text_of(text) == "Ryder"
    assert quote.cue is not None and "déclaré" in quote.cue.text_of(text)


@pytest.mark.parametrize("seed", ["seed000", "seed003"])
def test_anonymous_official_supply_shortage_quote(
    seed: str, request: pytest.FixtureRequest
) -> None:
    text, analysis = request.getfixturevalue(seed)
    (quote,) = with_words(analysis.quotes, text, "pénuries")
    assert quote.source is not None and quote.source.anonymous
    assert "responsable américain" in quote.source.description
    if seed == "seed003":  # "... a déclaré un responsable américain à l'Associated Press"
        assert quote.channel is not None and "Associated Press" in quote.channel.name


def test_official_to_reuters(seed003: tuple[str, Analysis]) -> None:
    text, analysis = seed003
    (quote,) = with_words(analysis.quotes, text, "échecs")
    assert quote.source is not None and quote.source.anonymous
    assert quote.channel is not None and quote.channel.name == "Reuters"


def test_putin_and_kim_globale(seed000: tuple[str, Analysis]) -> None:
    text, analysis = seed000
    found = [q for q in analysis.quotes if q.content.text_of(text) == "globale"]
    assert found
    assert set(names(found[0])) == {"Vladimir Poutine", "Kim Jong Un"}


@pytest.mark.parametrize(("seed", "word"), [("seed000", "roquettes"), ("seed003", "obus")])
def test_selon_us_intelligence(seed: str, word: str, request: pytest.FixtureRequest) -> None:
    text, analysis = request.getfixturevalue(seed)
    found = [
        a
        for a in with_words(analysis.attributions, text, word)
        if a.cue is not None and a.cue.text_of(text) == "selon"
    ]
    assert found
    assert found[0].source is not None
    assert "services de renseignement américains" in found[0].source.span.text_of(text)


def test_nyt_first_reporter_000(seed000: tuple[str, Analysis]) -> None:
    text, analysis = seed000
    found = [a for a in analysis.attributions if a.first_report]
    assert found and found[0].source is not None
    assert found[0].source.name == "New York Times"
    assert "découverte" in found[0].content.text_of(text)


def test_nyt_chain_003(seed003: tuple[str, Analysis]) -> None:
    """content <- US intelligence finding <- New York Times."""
    text, analysis = seed003
    (att,) = with_words(analysis.attributions, text, "Moscou", "matériel")
    chain = att.chain()
    assert len(chain) == 2
    assert "services de renseignement américains" in chain[0].span.text_of(text)
    assert chain[1].name == "New York Times"


def test_nyt_citing_officials_003(seed003: tuple[str, Analysis]) -> None:
    text, analysis = seed003
    (att,) = with_words(analysis.attributions, text, "achats", "mordre")
    chain = att.chain()
    assert "responsables du gouvernement américain" in chain[0].span.text_of(text)
    assert chain[-1].name == "New York Times"


def test_claims_carry_sources(seed003: tuple[str, Analysis]) -> None:
    text, analysis = seed003
    sourced = [c for c in analysis.claims if "échecs" in c.span.text_of(text)]
    assert sourced and sourced[0].sources[0].anonymous
    assert any(c.own_voice for c in analysis.claims)


# Every quote of the two seeds (by distinctive words) and who says it, as read in them.
SEED_QUOTES = {
    "seed000": {
        "munitions": "Pat Ryder", "logistiques": "Pat Ryder", "estimons": "Pat Ryder",
        "pénuries": "responsable américain", "tendre": "Pat Ryder",
        "hégémonique": "Corée du Nord", "migration": "ambassadeur de Corée du Nord",
        "globale": "Vladimir Poutine & Kim Jong Un",
        "tactique": "Vladimir Poutine & Kim Jong Un",
    },
    "seed003": {
        "pénuries": "responsable américain", "échecs": "responsable américain",
        "hégémonique": "Corée du Nord",
    },
}  # fmt: skip


@pytest.mark.parametrize("seed", ["seed000", "seed003"])
def test_every_quote_has_its_speaker(seed: str, request: pytest.FixtureRequest) -> None:
    text, analysis = request.getfixturevalue(seed)
    expected = SEED_QUOTES[seed]
    got = {}
    for q in analysis.quotes:
        words = [w for w in expected if w in q.content.text_of(text)]
        assert len(words) == 1, f"a quote the seeds do not have: {q.content.text_of(text)!r}"
        got[words[0]] = speaker_name(q.source)
    assert got == expected


@pytest.mark.parametrize("seed", ["seed000", "seed003"])
def test_no_speaker_is_a_place_fragment_or_unknown_mark(
    seed: str, request: pytest.FixtureRequest
) -> None:
    """A place speaks only as a state, when the phrase is the place itself."""
    text, analysis = request.getfixturevalue(seed)
    for att in (*analysis.quotes, *analysis.attributions):
        for src in att.chain():
            name = speaker_name(src)
            assert name != "?" and "&" not in name.replace(" & ", "")
            assert name.count("(") == name.count(")")
            if src.entities and _is_place(src.entities[0]):
                phrase = src.span.text_of(text).lower()
                assert phrase.split(" ", 1)[-1] == name.lower() or phrase == name.lower(), (
                    name, phrase)  # fmt: skip


def test_story_entities_hold_the_main_actors_of_both(seeds_dir: Path) -> None:
    inputs = [
        ArticleInput(p.stem, clean_text(p.read_text(encoding="utf-8")).text, None, "fr", None, None)
        for p in sorted(seeds_dir.glob("*.txt"))
    ]
    per_article = article_text_entity_records(inputs)
    shown = story_entities([per_article[a.id] for a in inputs])
    top = {e.key: e for e in shown[:12]}
    for key in ("country:RU", "country:KP", "country:US", "country:UA", "name:new york times",
                "name:joe biden"):  # fmt: skip
        assert key in top and top[key].articles == 2, key
    assert next(e for e in shown if e.key == "name:pat ryder").surface == "Pat Ryder"
    assert not any(e.surface in ("Reute", "Russiecapacité", "Brick") for e in shown)
