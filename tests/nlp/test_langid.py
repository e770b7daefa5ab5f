"""Tests of language identification restricted to a language set."""

from __future__ import annotations

import pytest

from recoupe.config import DEFAULT_LANGUAGES
from recoupe.nlp import langid
from recoupe.nlp.langid import detect_language

FR = (
    "Le ministère de la Défense a annoncé mardi l'achat de plusieurs millions d'obus, "
    "selon des responsables qui ont requis l'anonymat."
)
EN = (
    "The defence ministry announced on Tuesday that it was buying millions of shells, "
    "according to officials who asked not to be named."
)
DE = "Das Verteidigungsministerium kündigte am Dienstag den Kauf von Millionen Granaten an."
ES = "El ministerio de Defensa anunció el martes la compra de millones de proyectiles."


@pytest.mark.parametrize(("text", "expected"), [(FR, "fr"), (EN, "en"), (DE, "de"), (ES, "es")])
def test_detects_news_languages(text: str, expected: str) -> None:
    assert detect_language(text, DEFAULT_LANGUAGES) == expected


def test_short_or_letterless_text_is_undetermined() -> None:
    assert detect_language("Bonjour à tous", DEFAULT_LANGUAGES) is None  # < 20 letters
    assert detect_language("2022-09-06 12:00 — 1 234 567 € (+3,5 %) !!!", DEFAULT_LANGUAGES) is None
    assert detect_language("", DEFAULT_LANGUAGES) is None


def test_uncertain_guess_is_undetermined() -> None:
    assert detect_language("Emmanuel Macron Joe Biden Olaf Scholz", DEFAULT_LANGUAGES) is None


def test_restricted_to_the_given_languages() -> None:
    assert detect_language(FR, ["en", "fr"]) == "fr"
    assert detect_language(FR, ["EN", " Fr "]) == "fr"  # codes are normalised
    assert detect_language(DE, ["de", "xx-unknown"]) == "de"  # unknown codes are ignored
    assert detect_language(FR, ["xx"]) is None  # nothing known to choose from
    assert detect_language(FR, ["fr"]) == "fr"  # a single candidate needs no model


def test_only_the_start_of_long_text_is_read() -> None:
    assert detect_language(FR * 20 + EN * 200, DEFAULT_LANGUAGES) == "fr"


def test_identifier_is_built_once_per_language_set() -> None:
    a = langid._identifier(frozenset({"en", "fr"}))
    assert langid._identifier(frozenset({"fr", "en"})) is a
    assert langid._identifier(frozenset({"en", "de"})) is not a
    assert "fr" in langid.known_languages()
