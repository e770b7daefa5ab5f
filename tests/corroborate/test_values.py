from __future__ import annotations

import importlib
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from recoupe.corroborate.values import ValueKind, agree, comparable_kinds, parse_number, values

_values = importlib.import_module("recoupe.corroborate.values")  # the module, not the function


def _one(text: str, language: str = "fr", published: str | None = None):  # type: ignore[no-untyped-def]
    (v,) = [v for v in values(text, language, published) if v.kind is not ValueKind.DAY]
    return v


def test_numbers_are_read_with_the_language_separators() -> None:
    assert parse_number("1,5", "fr") == (1.5, 1)
    assert parse_number("1.5", "en") == (1.5, 1)
    assert parse_number("1,200", "en") == (1200.0, 0)
    assert parse_number("2,000", "es") == (2000.0, 0)  # thousands, whatever the language
    assert parse_number("20\u202f000", "fr") == (20000.0, 0)
    assert parse_number("1.500", "de") == (1500.0, 0)


def test_kinds_units_and_written_forms() -> None:
    v = _one("Quinze personnes ont été blessées.")
    assert (v.kind, v.low, v.written) == (ValueKind.COUNT, 15.0, "Quinze")
    v = _one("le barrage n'était plus rempli qu'à 18 % lundi", published="2025-09-23")
    assert (v.kind, v.low, v.written) == (ValueKind.PERCENT, 18.0, "18 %")
    v = _one("une amende pouvant aller jusqu'à 1 500 euros")
    assert (v.kind, v.unit, v.low, v.high) == (ValueKind.MONEY, "EUR", 0.0, 1500.0)
    v = _one("seeking €40m from investors", "en")
    assert (v.kind, v.unit, v.low) == (ValueKind.MONEY, "EUR", 40e6)
    v = _one("L'usine peut traiter 20 000 tonnes de batteries.")
    assert (v.kind, v.unit, v.low) == (ValueKind.MEASURE, "t", 20000.0)
    assert _one("selling the chain in 1998 to Safeway", "en").kind is ValueKind.YEAR


def test_the_indefinite_article_and_codes_are_not_values() -> None:
    assert values("Un incendie a ravagé une usine de Dunkerque.", "fr") == ()
    assert values("the A320neo and the COVID-19 ward", "en") == ()


def test_wording_sets_the_interval() -> None:
    about = _one("About 140 firefighters were deployed", "en")
    assert about.approximate and about.low < 140 < about.high
    nearly = _one("Près de 180 sapeurs-pompiers")
    assert nearly.high == 180 and nearly.low < 180
    assert _one("plus de 100 personnes").high == float("inf")
    hundred = _one("une centaine de pompiers")
    assert hundred.vague and hundred.low <= 100 <= hundred.high
    others = _one("Ingrid Betancourt et 14 autres otages")
    assert (others.low, others.high) == (14.0, 15.0)  # the others, or all of them


def test_agreement_allows_rounding_not_a_different_count() -> None:
    def agrees(a: str, b: str, lang: str = "en") -> bool:
        return agree(_one(a, lang), _one(b, lang))

    assert agrees("29.6 % of voters", "about 29 % of voters")
    assert agrees("29.6 % of voters", "30 % of voters")
    assert not agrees("18 % full", "17 % full")
    assert not agrees("12 people injured", "15 people injured")
    assert agrees("about 90 firefighters", "une centaine de pompiers")
    assert not agrees("About 140 firefighters", "nearly 180 firefighters")
    assert agrees("Betancourt and 14 other hostages", "the 15 hostages")


def test_people_are_never_compared_with_money_nor_parts_with_totals() -> None:
    people, dollars = _one("14 hostages", "en"), _one("$20 million", "en")
    assert not comparable_kinds(people, dollars)
    part, total = _one("Two of the injured", "en"), _one("injuring 12 people", "en")
    assert part.part and not total.part and not comparable_kinds(part, total)


def test_days_are_resolved_against_the_article_date() -> None:
    (tuesday,) = values("mardi", "fr", "2025-09-17")
    assert date.fromordinal(int(tuesday.low)) == date(2025, 9, 16)
    (yesterday,) = values("hier", "fr", "2025-09-17")
    assert date.fromordinal(int(yesterday.low)) == date(2025, 9, 16)
    (explicit,) = values("jeudi 25 septembre", "fr", "2025-09-23")
    assert date.fromordinal(int(explicit.low)) == date(2025, 9, 25)
    assert values("mardi", "fr", None) == ()  # nothing is guessed without a date


def test_a_value_phrase_is_its_clause() -> None:
    text = "Nord, tôt mardi matin, faisant 12 blessés et provoquant un panache"
    v = _one(text)
    assert text[v.phrase[0] : v.phrase[1]] == "faisant 12 blessés"
    text = "quinze personnes ont été blessées, dont trois grièvement, selon les pompiers"
    trois = next(v for v in values(text, "fr") if v.written == "trois")
    assert trois.part and text[trois.phrase[0] : trois.phrase[1]].startswith("quinze")


@given(st.text(max_size=200), st.sampled_from(["fr", "en", "de", None]))
def test_any_text_reads_without_error(text: str, language: str | None) -> None:
    for v in values(text, language, "2025-09-17"):
        assert 0 <= v.start < v.end <= len(text)
        assert text[v.start : v.end] == v.written
        assert v.low <= v.high


_WORDS = ["hier", "Mardi", "mardi", "trois", "Trois", "une", "centaine", "dizaines", "des",
          "yesterday", "Tuesday", "dozen", "hundreds", "of", "people", "blessés", "l'usine",
          "aujourd’hui", "Aujourd'hui", "vingt-deux", "quatre-vingts", "é", "e\u0301", "—",
          "%", "€", ",", ".", "«", "»", "’", "-", "septembre", "mars", "ans", "Überall"]


@given(st.lists(st.one_of(st.sampled_from(_WORDS), st.text(alphabet="ab3é ’-.", max_size=6)),
                max_size=14),
       st.sampled_from(["fr", "en", "es", None]), st.sampled_from(["2025-09-17", None]))
def test_texts_skipped_as_valueless_hold_no_value(words: list[str], language: str | None,
                                                  published: str | None) -> None:  # fmt: skip
    """The shortcut for texts no reader can start in loses nothing the readers find."""
    text = " ".join(words)
    found = values(text, language, published)
    if not _values._may_hold_values(text, language, published is not None):
        assert found == ()
    stops = _values.stop_words(language) | _values._CONNECTORS
    r = _values._Reader(text, _values._tokens(text), language,
                        _values.parse_published(published), set(), [], stops)  # fmt: skip
    _values._read_times(r)
    _values._read_days(r)
    _values._read_numbers(r)
    assert found == tuple(sorted(r.out, key=lambda v: (v.start, v.end)))
