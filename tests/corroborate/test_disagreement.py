from __future__ import annotations

import numpy as np
import pytest

from recoupe.corroborate import DisagreementKind, build_group, compare, facts, find_disagreements

from .helpers import mention

K = DisagreementKind


@pytest.mark.parametrize(
    ("a", "b", "kind", "left", "right"),
    [
        (
            "La Russie achète des millions de roquettes à la Corée du Nord.",
            "La Russie achète des centaines de roquettes à la Corée du Nord.",
            K.QUANTITY, "millions roquettes", "hundreds roquettes",
        ),
        (
            "La Corée du Nord a testé plus de 30 missiles balistiques cette année.",
            "La Corée du Nord a testé 40 missiles balistiques cette année.",
            K.NUMBER, "30 missiles", "40 missiles",
        ),
        (
            "Le porte-parole a déclaré mardi que Moscou avait demandé des munitions.",
            "Le porte-parole a déclaré lundi que Moscou avait demandé des munitions.",
            K.DATE, "Tuesday", "Monday",
        ),
        (
            "Les otages ont été libérés le 2 juillet par l'armée colombienne.",
            "Les otages ont été libérés le 3 juillet par l'armée colombienne.",
            K.DATE, "2 Jul", "3 Jul",
        ),
        (
            "Le Pentagone a confirmé l'achat des obus nord-coréens.",
            "Le Pentagone n'a pas confirmé l'achat des obus nord-coréens.",
            K.NEGATION, "affirmed", "negated",
        ),
    ],
)  # fmt: skip
def test_french_differences(a: str, b: str, kind: DisagreementKind, left: str, right: str) -> None:
    assert compare(mention("x", a), mention("y", b), same_claim=True) == [(kind, left, right)]


def test_english_and_cross_language() -> None:
    en = mention("x", "The Pentagon did not confirm the purchase of shells.", language="en")
    en2 = mention("y", "The Pentagon confirmed the purchase of shells.", language="en")
    assert compare(en, en2, same_claim=True) == [(K.NEGATION, "negated", "affirmed")]
    cross = compare(
        mention("x", "Russia is buying millions of rockets from North Korea.", language="en"),
        mention("y", "La Russie achète des centaines de roquettes à la Corée du Nord."),
        same_claim=True,
    )
    assert cross == [(K.QUANTITY, "millions rockets", "hundreds roquettes")]


def test_agreeing_mentions_and_restrictive_ne_que() -> None:
    same = "Le 2 juillet 2008, 15 otages dont 3 Américains ont été libérés, a indiqué l'armée."
    assert compare(mention("x", same), mention("y", same), same_claim=True) == []
    only = mention("x", "Moscou n'a acheté que des obus à Pyongyang cette année.")
    plain = mention("y", "Moscou a acheté des obus à Pyongyang cette année.")
    assert compare(only, plain, same_claim=True) == []


def test_facts_parse_french_numbers() -> None:
    f = facts("Le 2 juillet 2008, 1,5 million d'euros et 30 % des 1 200 soldats.", "fr")
    assert f.numbers == {"euros": {1.5e6}, "%": {30.0}, "solda": {1200.0}}
    assert f.years == {"2008"} and f.day_months == {"2 Jul"}


def test_close_groups_need_the_same_unit() -> None:
    a = mention("a", "La Corée du Nord a tiré 30 missiles balistiques depuis janvier.")
    b = mention("b", "Pyongyang a tiré 40 missiles balistiques depuis le début de l'année.")
    c = mention("c", "La Corée du Nord a envoyé 2 sous-marins près des côtes japonaises.")
    groups = [build_group([a]), build_group([b]), build_group([c])]
    scores = np.full((3, 3), 0.55, dtype=np.float32)  # all "close", none "same"
    np.fill_diagonal(scores, 1.0)
    found = find_disagreements(groups, scores=scores)
    assert [(d.kind, d.a.doc_id, d.b.doc_id, d.left, d.right) for d in found] == [
        (K.NUMBER, "a", "b", "30 missiles", "40 missiles")
    ]
    assert not found[0].same_group


def test_inside_a_group_every_article_pair_is_checked() -> None:
    a = mention("a", "Le Pentagone a confirmé mardi l'achat de millions d'obus.")
    b = mention("b", "Le Pentagone a confirmé lundi l'achat de millions d'obus.")
    c = mention("a", "Le Pentagone a confirmé lundi l'achat de millions d'obus.", 300)
    (d,) = find_disagreements([build_group([a, b, c])])  # a-c: same article, not compared
    assert d.kind is K.DATE and d.same_group and {d.a.doc_id, d.b.doc_id} == {"a", "b"}
