from __future__ import annotations

from recoupe.corroborate import copy_links, doc_origins, independent_origins
from recoupe.types import OriginGroup, ReuseKind, ReuseLink, Span

from .helpers import link, mention

CLAIM = "La Russie achète des millions d'obus à la Corée du Nord, selon le renseignement."


def test_same_passage_in_two_articles_is_one_origin() -> None:
    a, b, c = mention("a", CLAIM), mention("b", CLAIM, 40), mention("c", CLAIM, 7)
    copies = copy_links([link(a, b)], [a, b, c])
    assert independent_origins([a, b, c], {}, copies) == (("a", "b"), ("c",))


def test_origin_group_members_count_once() -> None:
    a, b = mention("a", CLAIM), mention("b", CLAIM)
    origin_of = doc_origins([OriginGroup("og-1", ("a", "b"), None, "unknown")])
    assert independent_origins([a, b], origin_of) == (("a", "b"),)


def test_link_elsewhere_in_the_articles_does_not_join_this_claim() -> None:
    a, b = mention("a", CLAIM), mention("b", CLAIM, 500)
    other_a, other_b = mention("a", "Autre passage copié.", 300), mention("b", "Autre.", 20)
    copies = copy_links([link(other_a, other_b)], [a, b, other_a, other_b])
    assert independent_origins([a, b], {}, copies) == (("a",), ("b",))


def test_isolated_paraphrase_is_independent_but_a_pattern_is_copying() -> None:
    a, b = mention("a", CLAIM), mention("b", CLAIM)
    para = link(a, b, ReuseKind.PARAPHRASE)
    assert copy_links([para], [a, b]) == []
    a2, b2 = mention("a", "Une autre phrase reprise.", 200), mention("b", "Une autre.", 200)
    second = link(a2, b2, ReuseKind.NEAR)
    copies = copy_links([para, second], [a, b, a2, b2])
    assert para in copies and independent_origins([a, b], {}, copies) == (("a", "b"),)


def test_paraphrase_passage_over_two_claims_is_copying() -> None:
    a1, a2 = mention("a", "Première affirmation du passage.", 0), mention("a", "Seconde.", 40)
    b1, b2 = mention("b", "Premier énoncé du même passage.", 0), mention("b", "Second.", 40)
    passage = ReuseLink(
        Span("a", 0, a2.span.end), Span("b", 0, b2.span.end), ReuseKind.PARAPHRASE, 0.8
    )
    assert copy_links([passage], [a1, a2, b1, b2]) == [passage]


def test_translation_links_are_copies() -> None:
    a, b = mention("a", CLAIM), mention("b", "Russia buys millions of shells.", language="en")
    assert copy_links([link(a, b, ReuseKind.TRANSLATION)], [a, b])
