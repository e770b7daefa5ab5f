from __future__ import annotations

from recoupe.corroborate.frames import Frame, FrameIndex, frames


def _one(text: str, written: str, language: str = "fr", unit: bool = False) -> Frame:
    start = text.index(written)
    (f,) = frames(text, language, [(start, start + len(written))], [unit])
    assert f is not None
    return f


def test_the_counted_noun_and_its_predicate() -> None:
    f = _one("Selon l'armée, cinq soldats thaïlandais avaient été blessés.", "cinq")
    assert (f.counted, f.predicate) == ("soldats", ("blessés",))
    g = _one("Le Cambodge accusait une centaine de soldats d'avoir pénétré sur son sol.",
             "une centaine")  # fmt: skip
    assert g.counted == "soldats" and "accusait" in g.predicate and g.subject == "Cambodge"


def test_a_unit_is_counted_but_flagged() -> None:
    f = _one("Le barrage n'était plus rempli qu'à 18 % lundi.", "18 %", unit=True)
    assert (f.counted, f.unit) == ("%", True) and "rempli" in f.predicate


def test_a_language_without_parser_has_no_frame() -> None:
    assert frames("Fünf Soldaten wurden verletzt.", "de", [(0, 4)]) == [None]


def test_same_quantity_needs_the_same_predicate_when_ambiguous() -> None:
    index = FrameIndex(None)  # words compared as folded strings
    wounded = Frame("soldats", ("blessés",))
    massed = Frame("soldats", ("massés",))
    assert index.same_quantity(wounded, Frame("soldats", ("blessés",)), ambiguous=True)
    assert not index.same_quantity(wounded, massed, ambiguous=True)
    assert index.same_quantity(Frame("blessés", ("faisant",)), Frame("personnes", ("blessés",)),
                               ambiguous=True)  # an event noun is the other's verb  # fmt: skip
    share, deficit = Frame("%", ("représente",), unit=True), Frame("%", ("portera",), unit=True)
    assert not index.same_quantity(share, deficit, ambiguous=False)
    lost = Frame("euros", ("perdu",), "Crédit agricole")
    assert not index.same_quantity(lost, Frame("euros", ("perdu",), "banques"), ambiguous=False)


def test_subsets_of_one_plural_noun_are_two_quantities() -> None:
    index = FrameIndex(None)
    minors = Frame("ans", (), governor="mineurs", unit=True, plural_governor=True)
    assert not index.same_quantity(minors, minors, ambiguous=True)
    plan = Frame("euros", (), governor="plan", unit=True)
    assert index.same_quantity(plan, plan, ambiguous=True)  # one thing, two amounts


def test_a_name_the_parse_left_apart_is_the_subject() -> None:
    f = _one("Natixis, filiale des groupes Banque Populaire et Caisse d'Epargne, a perdu 975 "
             "millions d'euros en octobre, affirme La Tribune mercredi.",
             "975 millions d'euros", unit=True)  # fmt: skip
    assert (f.subject, f.named_subject) == ("Natixis", True)


def test_coordinated_counts_and_named_members_are_flagged() -> None:
    f = _one("Les gendarmes ont arrêté 12 manifestants et un photographe devant la mairie.", "12")
    assert f.coordinated and not f.listed
    assert not _one("L'incendie a fait 12 morts, selon les pompiers.", "12").coordinated
    g = _one("The two main unions, Unite and the GMB, called the strike.", "two", "en")
    assert g.listed and not g.coordinated


def test_parts_of_coordinated_counts_and_named_lists_are_not_one_quantity() -> None:
    index = FrameIndex(None)
    toll = Frame("blessés", ("faisant",))
    assert index.same_quantity(toll, Frame("personnes", ("blessés",)), ambiguous=True)
    part = Frame("personnes", ("blessés",), coordinated=True)
    assert not index.same_quantity(toll, part, ambiguous=True)
    assert index.same_quantity(Frame("personnes", ("blessés",)), part, ambiguous=True)
    unions = Frame("syndicats", ("appelé",), listed=True)
    assert not index.same_quantity(unions, unions, ambiguous=False)
    assert index.same_quantity(Frame("syndicats", ("appelé",)), unions, ambiguous=False)
