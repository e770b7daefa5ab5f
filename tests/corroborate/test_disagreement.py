from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from recoupe.corroborate import (
    DisagreementKind,
    DisagreementStatus,
    claim_texts,
    disputed,
    find_disagreements,
    group_claims,
    score_pairs,
)
from recoupe.corroborate.disagreement import _AmbiguityTest, _subject_named, phrase_spans
from recoupe.corroborate.frames import AMBIGUOUS_VALUES, Frame, FrameIndex
from recoupe.corroborate.values import Value, ValueKind, agree, comparable_kinds
from recoupe.nlp.encoder import HashingEncoder
from recoupe.types import ClaimMention, Disagreement

from .helpers import RecordingEncoder, mention


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


SOLDIERS = "Selon l'armée cambodgienne, {} soldats thaïlandais avaient été {} près du temple."


def test_counts_of_one_noun_with_other_predicates_are_not_compared() -> None:
    """A story that counts soldiers five ways: wounded are compared with wounded only."""
    ms = [mention(doc, SOLDIERS.format(n, verb)) for doc, n, verb in (
        ("a", "cinq", "blessés"), ("b", "500", "massés"), ("c", "quatre", "blessés"),
        ("d", "dix", "capturés"), ("e", "80", "retirés"), ("f", "200", "déployés"))]
    found = _find(ms)
    assert {frozenset((d.left, d.right)) for d in found} == {frozenset(("cinq", "quatre"))}


def test_a_percentage_of_other_things_is_not_compared() -> None:
    a = mention("a", "Le plan de relance représente 1 % du PIB, a dit le ministre du budget.")
    b = mention("b", "Le plan de relance portera le déficit à 4 % du PIB, a dit le ministre.")
    assert not _find([a, b])


def test_the_other_hostages_are_relative_to_a_set_not_named() -> None:
    a = mention("a", "L'armée a libéré Ingrid Betancourt et 14 autres otages lors d'une opération.")
    b = mention("b", "Il veut aider à libérer les 28 autres otages encore détenus par la guérilla.")
    assert not _find([a, b])


def test_the_parts_of_two_disagreeing_totals_are_compared() -> None:
    a = mention("a", FIRE.format(12), published="2025-09-16")
    a_part = mention("a", "Deux des blessés sont dans un état grave, selon la préfecture.", 200,
                     published="2025-09-16")  # fmt: skip
    b = mention("b", "L'incendie de l'usine de batteries de Dunkerque a fait quinze blessés, dont "
                "trois grièvement, selon les pompiers.", published="2025-09-16")  # fmt: skip
    found = _find([a, a_part, b])
    pairs = {frozenset((d.left, d.right)) for d in found}
    assert frozenset(("12", "quinze")) in pairs
    assert frozenset(("Deux", "trois")) in pairs


def test_a_value_inside_two_overlapping_mentions_is_one_disagreement() -> None:
    sentence = FIRE.format(12)
    claim = sentence[: sentence.index(",")]  # the claim, and the sentence that holds it
    found = _find([mention("a", sentence), mention("a", claim),
                   mention("b", FIRE.format("quinze"))])  # fmt: skip
    assert len(found) == 1


def test_counts_of_two_named_lists_are_not_compared() -> None:
    """Each sentence counts the members it names: two lists, not a disputed figure."""
    a = mention("a", "The two main unions, Unite and the GMB, called the strike.", language="en")
    b = mention("b", "The three main unions, Unite, the GMB and the RMT, called the strike.",
                language="en")  # fmt: skip
    assert not _find([a, b])
    plain = [mention("a", "The two main unions called the strike on Monday.", language="en"),
             mention("b", "The three main unions called the strike on Monday.", language="en")]
    assert {(d.left, d.right) for d in _find(plain)} == {("two", "three")}


def test_one_of_coordinated_counts_is_a_part_of_another_noun() -> None:
    """30 passers-by and 12 policemen injured: 30 is not the toll of the injured."""
    toll = "Les émeutiers ont fait 42 blessés samedi à Lyon, selon la préfecture."
    both = "Les émeutiers ont blessé 30 passants et 12 policiers samedi à Lyon, dit la préfecture."
    alone = "Les émeutiers ont blessé 30 passants samedi à Lyon, selon la préfecture."
    assert not _find([mention("a", both), mention("b", toll)])
    assert {(d.left, d.right) for d in _find([mention("a", alone), mention("b", toll)])} == {
        ("30", "42")
    }
    same_noun = "Les émeutiers ont blessé 42 passants samedi à Lyon, selon la préfecture."
    assert _find([mention("a", both), mention("b", same_noun)])  # passers-by vs passers-by


def test_a_named_subject_must_be_named_by_the_other_sentence() -> None:
    lost = Frame("euros", ("perdu",), "Natixis", named_subject=True)
    assert not _subject_named(lost, "La perte de 751 millions d'euros subie par la banque.")
    assert _subject_named(lost, "La perte de 975 millions d'euros subie par Natixis.")
    retreat = Frame("soldats", ("retire",), "Thaïlande", named_subject=True)
    assert _subject_named(retreat, "près de 100 soldats thaïlandais se sont retirés")
    assert _subject_named(Frame("euros", ("perdu",), "banques"), "Natixis a perdu 1 milliard.")


_KINDS = [ValueKind.COUNT, ValueKind.MONEY, ValueKind.PERCENT]


@st.composite
def _seen_values(draw: st.DrawFn) -> list[tuple[tuple[str, int, int], Value, Frame]]:
    """Values of a story's staged pairs, each possibly seen again (a value sits in as
    many pairs as its mention does): few kinds, units, counted nouns and amounts, so
    classes collide."""
    out = []
    for k in range(draw(st.integers(0, 30))):
        low = float(draw(st.integers(1, 8)))
        high = low + draw(st.sampled_from([0.0, 1.0]))
        unit = draw(st.sampled_from(["", "EUR"]))
        precision = draw(st.sampled_from([0.0, 1.0]))
        v = Value(draw(st.sampled_from(_KINDS)), low, high, "x", k, k + 1, unit=unit,
                  precision=precision, part=draw(st.booleans()))  # fmt: skip
        f = Frame(draw(st.sampled_from(["blessés", "morts", "euros"])), ())
        key = ("d", k, k + 1)
        out += [(key, v, f)] * draw(st.integers(1, 3))
    return draw(st.permutations(out))


@given(_seen_values())
def test_the_ambiguity_test_kept_per_class_and_noun_answers_as_the_plain_count(
    seen: list[tuple[tuple[str, int, int], Value, Frame]],
) -> None:
    """``_AmbiguityTest`` (each written value once, answers kept per comparable class
    and counted noun) says what counting every seen value against every other says."""
    index = FrameIndex(None)
    test = _AmbiguityTest(index)
    for key, v, f in seen:
        test.add(key, v, f)

    def plain(v: Value, f: Frame) -> bool:
        amounts: list[Value] = []
        for _, w, g in seen:
            if comparable_kinds(v, w) and index.same_counted(f, g) and not any(
                agree(w, x) for x in amounts
            ):
                amounts.append(w)
        return len(amounts) > AMBIGUOUS_VALUES

    for _, v, f in seen:
        assert test(v, f) == plain(v, f)
    assert test(seen[0][1], None) if seen else True


def test_phrase_spans_are_the_phrases_disagreement_encodes() -> None:
    ms = [mention("a", FIRE.format(12), published="2025-09-16"),
          mention("b", FIRE.format("quinze"), published="2025-09-16")]  # fmt: skip
    enc = HashingEncoder()
    texts = claim_texts(ms)
    pairs = score_pairs(ms, texts, enc, {})
    groups = group_claims(ms, pairs=pairs)
    spans = [span for m in ms for span in phrase_spans(m)]
    assert [t for _, t in spans] and all(t in FIRE.format(12) + FIRE.format("quinze")
                                         for _, t in spans)  # fmt: skip
    cold = RecordingEncoder(HashingEncoder())
    found = find_disagreements(groups, ms, pairs, texts, cold, {})
    cache = {key: HashingEncoder().encode([text])[0] for key, text in spans}
    cache.update({m.key: HashingEncoder().encode([m.text])[0] for m in ms})
    warm = RecordingEncoder(HashingEncoder())
    assert find_disagreements(groups, ms, pairs, texts, warm, cache) == found
    assert set(cold.seen) - set(warm.seen) >= {t for _, t in spans}  # phrases not encoded again
    assert not {t for _, t in spans} & set(warm.seen)
