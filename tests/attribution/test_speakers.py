"""Speaker rules on short sentences of our own (fr/en): roles, inversions, labels, joint
speakers, pronouns, datelines and appositions."""

from __future__ import annotations

import pytest

from recoupe.attribution import analyse, naming
from recoupe.attribution.speakers import speaker_name

pytestmark = pytest.mark.slow


def speakers(text: str, lang: str) -> list[tuple[str, str]]:
    """(quote or content start, speaker) of every quote, then every attribution."""
    a = analyse(text, lang)
    return [(q.content.text_of(text)[:12], speaker_name(q.source)) for q in a.quotes] + [
        (x.content.text_of(text)[:12], speaker_name(x.source)) for x in a.attributions
    ]


def quote_speakers(text: str, lang: str) -> dict[str, str]:
    a = analyse(text, lang)
    return {q.content.text_of(text): speaker_name(q.source) for q in a.quotes}


def test_role_then_name_in_apposition_is_the_person_not_the_place() -> None:
    text = (
        "Le maire de Saint-Omer, Jean Durand, a indiqué qu'il réunirait « au plus vite » "
        "le conseil."
    )
    assert quote_speakers(text, "fr") == {"au plus vite": "Jean Durand"}


def test_inverted_cue_after_a_quote_with_a_dative() -> None:
    text = "« Le pont tiendra », a déclaré aux journalistes le commandant Paul Lemaire."
    assert quote_speakers(text, "fr") == {"Le pont tiendra": "Paul Lemaire"}


def test_inverted_present_tense_cue() -> None:
    text = "« On a cru à un orage », raconte Lucie, une passante."
    assert quote_speakers(text, "fr") == {"On a cru à un orage": "Lucie"}


def test_inverted_cue_after_a_comma_without_quote() -> None:
    text = (
        "Les digues ont été renforcées pendant la nuit, a expliqué une porte-parole de la mairie."
    )
    (att,) = [a for a in analyse(text, "fr").attributions if a.source is not None]
    assert att.source.anonymous and "porte-parole" in speaker_name(att.source)


def test_a_quoted_label_is_not_a_quote() -> None:
    text = "Le tribunal de Lille a ouvert une procédure pour « abus de biens sociaux »."
    assert analyse(text, "fr").quotes == ()


def test_joint_speakers_only_when_coordinated() -> None:
    text = "Marie Curie et Paul Langevin ont déclaré que « la mesure est juste »."
    assert quote_speakers(text, "fr") == {"la mesure est juste": "Marie Curie & Paul Langevin"}
    text = "La ministre de la Santé, Anne Roy, a déclaré que « la mesure est juste »."
    assert quote_speakers(text, "fr") == {"la mesure est juste": "Anne Roy"}


def test_pronoun_is_the_last_speaker_and_role_names_the_person() -> None:
    text = (
        "Le préfet du Gard, Marc Olivier, a signé l'arrêté mardi.\n\n"
        "« Chaque goutte compte », a déclaré le préfet.\n\n"
        "Il a précisé que « les contrôles seront renforcés »."
    )
    assert set(quote_speakers(text, "fr").values()) == {"Marc Olivier"}


def test_unresolvable_pronoun_is_unknown() -> None:
    text = "« Nous ne savons rien », a-t-il dit."
    assert quote_speakers(text, "fr") == {"Nous ne savons rien": "unknown"}


def test_english_apposition_before_the_cue() -> None:
    text = (
        "Two workers were hurt and taken to hospital, a police spokeswoman, "
        "Sergeant Ann Lee, told reporters."
    )
    names = {s for _, s in speakers(text, "en")}
    assert "Ann Lee" in names and "Two workers" not in names


def test_names_are_cleaned() -> None:
    assert naming.clean_name("Donald Trump ’s") == "Donald Trump"
    assert naming.clean_name("Mehmet Oz — a surgeon") == "Mehmet Oz"
    assert naming.clean_name('">Sanders') == "Sanders"
    assert naming.clean_name("Reuters )") == "Reuters"
    assert naming.untitled("Councillor Janet Oduya") == "Janet Oduya"
