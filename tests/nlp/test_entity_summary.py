"""Story entities: cleaned, typed by majority, ranked by articles, persons merged."""

from __future__ import annotations

from recoupe.nlp.entities import Mention
from recoupe.nlp.entity_summary import keyed_mentions, person_alias, story_entities, tidy
from recoupe.types import Entity


def m(surface: str, label: str = "PER", start: int = 10) -> Mention:
    return Mention(start, start + len(surface), label, surface)


def test_strict_tidy_drops_fragments_and_keeps_names() -> None:
    assert tidy(m("DUNKERQUE – Un incendie", "LOC"), strict=True).surface == "DUNKERQUE"
    assert tidy(m("the Valtera Recycling", "ORG"), strict=True).surface == "Valtera Recycling"
    assert tidy(m("Councillor Janet Oduya"), strict=True).surface == "Janet Oduya"
    assert tidy(m("port de", "LOC"), strict=True) is None
    assert tidy(m("Dunkerque Valtera Incendie Industrie", "MISC"), strict=True) is None
    assert tidy(m("du Nord", "LOC"), strict=True).surface == "Nord"


def test_lenient_tidy_is_what_clustering_reads() -> None:
    """The clustering features keep the cleaning they were measured with."""
    assert tidy(m("Councillor Janet Oduya")).surface == "Councillor Janet Oduya"
    assert tidy(m("WASHINGTON –", "LOC")).surface == "WASHINGTON"


def test_a_one_word_sentence_at_a_paragraph_start_is_debris() -> None:
    text = "Intro.\nBrick. Le général Pat Ryder a parlé."
    start = text.index("Brick")
    pairs = keyed_mentions([Mention(start, start + 5, "LOC", "Brick")], "fr", text)
    assert pairs == []


def e(key: str, label: str, surface: str, count: int = 1) -> Entity:
    return Entity(key, label, surface, count)


def test_story_entities_rank_by_articles_and_type_by_majority() -> None:
    a1 = [e("name:kent", "PERSON", "Kent"), e("name:valtera", "ORG", "Valtera", 3)]
    a2 = [e("name:kent", "GPE", "Kent", 2), e("name:valtera", "ORG", "Valtera")]
    a3 = [e("name:kent", "LOC", "Kent"), e("name:other", "ORG", "Other", 9)]
    out = story_entities([a1, a2, a3])
    assert [x.surface for x in out] == ["Kent", "Valtera", "Other"]
    assert out[0].label == "LOC" and out[0].articles == 3 and out[0].count == 4
    assert out[2].articles == 1


def test_glued_fragment_is_dropped() -> None:
    out = story_entities([[e("country:RU", "LOC", "Russie", 5), e("name:rusiecapacite", "MISC",
                                                                   "Russiecapacité")]])  # fmt: skip
    assert [x.surface for x in out] == ["Russie"]


def test_person_names_merge_across_languages_and_short_forms() -> None:
    people = [
        e("name:vladimir putine", "PER", "Vladimir Poutine", 2),
        e("name:vladimir putin", "PERSON", "Vladimir Putin", 3),
        e("name:putine", "PER", "Poutine"),
        e("name:kim", "PER", "Kim"),
        e("name:kim jong un", "PER", "Kim Jong Un"),
        e("name:kim il sung", "PER", "Kim Il Sung"),
    ]
    alias = person_alias(people)
    assert alias["name:vladimir putine"] == "name:vladimir putin"
    assert alias["name:putine"] == "name:vladimir putin"
    assert "name:kim" not in alias  # two full names start with it: ambiguous
    shown = story_entities([people])
    assert shown[0].surface == "Vladimir Putin" and shown[0].count == 6


def test_short_organisation_name_joins_the_one_it_opens() -> None:
    short = e("name:valtera", "PER", "Valtera", 4)
    out = story_entities([[short, e("name:valtera recycling", "ORG", "Valtera Recycling", 2)]])
    assert len(out) == 1 and out[0].label == "ORG"
