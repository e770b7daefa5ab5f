"""Indirect attribution patterns on short sentences of our own."""

from __future__ import annotations

import pytest

from recoupe.attribution import Attribution, analyse

pytestmark = pytest.mark.slow


def find(text: str, lang: str, content_word: str) -> Attribution:
    atts = [a for a in analyse(text, lang).attributions if content_word in a.content.text_of(text)]
    assert atts, f"no attribution whose content holds {content_word!r}"
    return atts[0]


def source_text(att: Attribution, text: str) -> str:
    assert att.source is not None
    return att.source.span.text_of(text)


def test_selon() -> None:
    text = "Le port a été fermé dans la nuit, selon les autorités locales."
    att = find(text, "fr", "port")
    assert source_text(att, text) == "les autorités locales"
    assert att.cue is not None and att.cue.text_of(text) == "selon"
    assert "selon" not in att.content.text_of(text)


def test_according_to() -> None:
    text = "According to the local police, the port was closed overnight."
    att = find(text, "en", "port")
    assert "local police" in source_text(att, text)


def test_reported_clause() -> None:
    text = "Le ministre Paul Durand a déclaré que le port serait rouvert demain."
    att = find(text, "fr", "rouvert")
    assert att.source is not None and "Paul Durand" in att.source.name
    assert att.cue is not None and att.cue.text_of(text) == "a déclaré"


def test_english_said_that() -> None:
    text = "Mayor Ann Lee said that the port would reopen on Monday."
    att = find(text, "en", "reopen")
    assert att.source is not None and "Ann Lee" in att.source.name


def test_inverted_report_with_citing_chain() -> None:
    text = (
        "Le port sera rouvert demain, a rapporté le journal Le Monde, citant des "
        "responsables du ministère."
    )
    att = find(text, "fr", "rouvert")
    assert "responsables du ministère" in source_text(att, text)
    assert att.via is not None and att.via.source is not None
    assert "Le Monde" in att.via.source.name
    assert len(att.chain()) == 2


def test_passive_first_report() -> None:
    text = "L’accord a été révélé pour la première fois par le quotidien Le Figaro."
    att = find(text, "fr", "accord")
    assert att.first_report
    assert "Figaro" in source_text(att, text)
