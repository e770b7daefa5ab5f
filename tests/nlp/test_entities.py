"""Entity mentions and their canonical keys across languages and spellings."""

from __future__ import annotations

from pathlib import Path

import pytest

from recoupe.nlp.entities import DROPPED_LABELS, Mention, extract_entities, fallback_mentions
from recoupe.nlp.normalize_entities import (
    canonical,
    canonical_entities,
    fold_name,
    resolve_short_forms,
)


def key(surface: str, label: str = "LOC") -> str | None:
    return canonical(Mention(0, len(surface), label, surface))


@pytest.mark.parametrize(
    ("surface", "label"),
    [("Russie", "LOC"), ("Russia", "GPE"), ("la Russie", "LOC"), ("Moscou", "LOC"),
     ("Moscow", "GPE"), ("Kremlin", "ORG"), ("Rusia", "MISC")],
)  # fmt: skip
def test_russia_capital_and_metonym_are_one_country(surface: str, label: str) -> None:
    assert key(surface, label) == "country:RU"


@pytest.mark.parametrize("surface", ["Corée du Nord", "North Korea", "Pyongyang", "Nordkorea"])
def test_north_korea(surface: str) -> None:
    assert key(surface) == "country:KP"


def test_spelling_variants_of_a_city_are_one_key() -> None:
    keys = {key(s) for s in ("Lougansk", "Louhansk", "Luhansk", "Lugansk")}
    assert len(keys) == 1
    assert next(iter(keys)).startswith("place:")


def test_fold_name_is_accent_and_article_insensitive() -> None:
    assert fold_name("États-Unis") == fold_name("Etats Unis")
    assert fold_name("the Kremlin") == fold_name("Kremlin")
    assert fold_name("Lohan ’s") == fold_name("Lohan")


def test_other_names_get_one_key_whatever_their_label() -> None:
    assert key("Kim Jong Un", "PER") == "name:kim jong un"
    assert key("Valtera", "ORG") == key("Valtera", "PER") == "name:valtera"
    assert key("2022", "MISC") is None


def test_short_forms_resolve_to_the_unique_longer_person() -> None:
    mentions = [
        Mention(0, 11, "PER", "Kim Jong Un"),
        Mention(20, 23, "PER", "Kim"),
        Mention(30, 39, "PERSON", "Pat Ryder"),
        Mention(40, 45, "ORG", "Ryder"),
    ]
    keys = resolve_short_forms(mentions, [canonical(m) for m in mentions])
    assert keys == ["name:kim jong un"] * 2 + ["name:pat ryder"] * 2


def test_ambiguous_short_form_keeps_its_own_key() -> None:
    mentions = [
        Mention(0, 10, "PER", "Kim Jong Un"),
        Mention(11, 20, "PER", "Kim Yo Jong"),
        Mention(21, 24, "PER", "Kim"),
    ]
    assert canonical_entities(mentions)[-1] == "name:kim"


def test_fallback_finds_names_but_not_sentence_openers() -> None:
    found = {m.surface for m in fallback_mentions("Secondo le Nazioni Unite, la Siria. Il caso.")}
    assert found == {"Nazioni Unite", "Siria"}


@pytest.mark.slow
def test_spacy_mentions_french_and_english() -> None:
    text = "La Russie achète des obus à la Corée du Nord, selon Washington."
    mentions = extract_entities(text, "fr")
    assert all(text[m.start : m.end] == m.surface for m in mentions)
    keys = set(canonical_entities(mentions, "fr"))
    assert {"country:RU", "country:KP"} <= keys
    english = canonical_entities(extract_entities("Russia buys shells from North Korea.", "en"))
    assert {"country:RU", "country:KP"} <= set(english)


def test_fallback_drops_a_leading_stop_word_of_the_language() -> None:
    text = "Dijo el ministro. Después Gadafi habló. Luego Hosni Mubarak salió."
    found = [(m.surface, text[m.start : m.end]) for m in fallback_mentions(text, "es")]
    assert found == [("Gadafi", "Gadafi"), ("Hosni Mubarak", "Hosni Mubarak")]


def test_a_leading_preposition_is_folded_away() -> None:
    assert fold_name("à Damas") == fold_name("Damas")
    assert canonical(Mention(0, 15, "LOC", "au Quai d'Orsay")) == "country:FR"


@pytest.mark.slow
def test_nationality_adjectives_are_not_entities() -> None:
    mentions = extract_entities("British and French firefighters reached Perpignan.", "en")
    assert not {m.label for m in mentions} & DROPPED_LABELS
    assert "British" not in {m.surface for m in mentions}


def test_the_gazetteer_is_cached_on_disk_and_read_back_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from recoupe.nlp import normalize_entities as ne

    monkeypatch.setenv("RECOUPE_CACHE_DIR", str(tmp_path))
    ne.gazetteer.cache_clear()
    try:
        built = ne.gazetteer()
        [saved] = list(tmp_path.glob("gazetteer-*.json"))
        ne.gazetteer.cache_clear()
        assert ne.gazetteer() == built == ne.build_gazetteer()
        assert saved.stat().st_size > 0
    finally:
        ne.gazetteer.cache_clear()
