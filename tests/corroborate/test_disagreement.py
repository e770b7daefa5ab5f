from __future__ import annotations

from recoupe.corroborate import (
    DisagreementKind,
    DisagreementStatus,
    claim_texts,
    disputed,
    find_disagreements,
    group_claims,
    score_pairs,
)
from recoupe.nlp.encoder import HashingEncoder
from recoupe.types import ClaimMention, Disagreement

from .helpers import mention


def _find(ms: list[ClaimMention]) -> tuple[Disagreement, ...]:
    enc = HashingEncoder()
    cache: dict = {}  # type: ignore[type-arg]
    texts = claim_texts(ms)
    pairs = score_pairs(ms, texts, enc, cache)
    groups = group_claims(ms, pairs=pairs)
    return find_disagreements(groups, ms, pairs, texts, enc, cache)


FIRE = "L'incendie de l'usine de batteries de Dunkerque a fait {} blessés, selon les pompiers."


def test_different_counts_of_one_quantity_conflict() -> None:
    a = mention("a", FIRE.format(12), published="2025-09-16")
    b = mention("b", FIRE.format("quinze"), published="2025-09-16")
    (d,) = _find([a, b])
    assert (d.kind, d.status) == (DisagreementKind.NUMBER, DisagreementStatus.CONFLICT)
    assert {d.left, d.right} == {"12", "quinze"}  # as written, never re-printed
    assert d.a_value is not None and d.b_value is not None
    for m, span in ((d.a, d.a_value), (d.b, d.b_value)):
        written = d.left if m is d.a else d.right
        assert m.text[span.start - m.span.start : span.end - m.span.start] == written
    assert set(disputed([d])) == {d.group_a, d.group_b}


def test_rounding_arithmetic_and_restriction_are_agreement() -> None:
    rate = "Le taux de chômage a atteint {} % en juin dans la région."
    assert not _find([mention("a", rate.format("29,6")), mention("b", rate.format("environ 29"))])
    hostages = "L'armée a libéré Ingrid Betancourt et 14 autres otages lors d'une opération."
    total = "L'armée a libéré 15 otages, dont Ingrid Betancourt, lors d'une opération."
    assert not _find([mention("a", hostages), mention("b", total)])
    only = "Le barrage n'était plus rempli qu'à 18 % selon la préfecture du département."
    plain = "Le barrage était rempli à 18 % selon la préfecture du département."
    assert not _find([mention("a", only), mention("b", plain)])  # "ne ... que" is no negation


def test_people_and_money_are_never_compared() -> None:
    a = mention("a", "Les Farc ont libéré 14 otages contre une rançon, selon la police.")
    b = mention("b", "Les Farc ont libéré des otages contre 20 millions de dollars, dit la police.")
    assert not _find([a, b])


def test_other_participants_are_not_compared() -> None:
    a = mention("a", "Un incendie à Dunkerque a fait 12 blessés dans une usine de batteries.")
    b = mention("b", "Un incendie à Herstal a fait 4 blessés dans une usine de peinture.")
    assert not _find([a, b])


def test_a_value_measured_on_ordered_days_is_an_update() -> None:
    monday = "Le barrage de Vinça n'était plus rempli qu'à 18 % lundi, selon la préfecture."
    wednesday = "Le barrage de Vinça n'était plus rempli qu'à 17 % mercredi, selon la préfecture."
    a = mention("a", monday, published="2025-09-23")
    b = mention("b", wednesday, published="2025-09-24")
    (d,) = _find([a, b])
    assert d.status is DisagreementStatus.UPDATE
    assert (d.a_day, d.b_day) == ("2025-09-22", "2025-09-24")
    assert disputed([d]) == {}


def test_an_update_sharing_a_value_in_conflict_is_disputed() -> None:
    tuesday = mention("t", FIRE.format(12) + " Le bilan date de mardi.", published="2025-09-16")
    wednesday = mention("w", FIRE.format(15), published="2025-09-17")
    still = mention("s", FIRE.format(12), published="2025-09-17")
    found = _find([tuesday, wednesday, still])
    assert any(d.conflict for d in found)
    assert len(disputed(found)) >= 2


def test_no_disagreement_within_one_article() -> None:
    a = mention("a", FIRE.format(12))
    b = mention("a", FIRE.format(15), 300)
    assert not _find([a, b])
