"""Dates read from lines, metadata values and URLs: as precise as written, never guessed."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recoupe.clean.dates import (
    date_in_url,
    find_dated,
    find_dates,
    numeric_order,
    parse_date,
)
from recoupe.clean.header import date_line, date_shaped, dateline


@pytest.mark.parametrize(
    ("line", "language", "value", "precision"),
    [
        ("Tuesday 16 September 2025, 11:58 am", None, "2025-09-16T11:58", "minute"),
        ("Le 16 septembre 2025 à 12h40", "fr", "2025-09-16T12:40", "minute"),
        ("Publié le 23/09/2025 à 18h05 - Mis à jour le 23/09/2025 à 19h12", "fr",
         "2025-09-23T18:05", "minute"),
        ("Montag, 16. Dezember 2009, 14.30 Uhr", "de", "2009-12-16T14:30", "minute"),
        ("16 de diciembre del 2009", "es", "2009-12-16", "day"),
        ("miércoles 11 de noviembre, 2020", "es", "2020-11-11", "day"),
        ("27-Mar-08", None, "2008-03-27", "day"),
        ("giovedì 3 marzo 2011 alle 10:15", "it", "2011-03-03T10:15", "minute"),
        ("di 16 dec. 2009 om 09:30", "nl", "2009-12-16T09:30", "minute"),
        ("27 mrt 2008", "nl", "2008-03-27", "day"),
        ("16 de dezembro de 2009", "pt", "2009-12-16", "day"),
        ("2013 - 09 - 26", None, "2013-09-26", "day"),
        ("December 15th, 2008, 7: 35 am", None, "2008-12-15T07:35", "minute"),
        ("Posted on November 15, 2011 6: 07: 15 PM GMT+01: 00", None,
         "2011-11-15T18:07:15+01:00", "second"),
        ("12 / 16 / 08 1: 30 AM EST", None, "2008-12-16T01:30-05:00", "minute"),
        ("Fri., May. 3, 2013 11: 45 AM PDT", None, "2013-05-03T11:45-07:00", "minute"),
        ("26 September 2013, 10: 00 (GMT+05: 00)", None, "2013-09-26T10:00+05:00", "minute"),
        ("8: 44AM BST 16 Sep 2013", None, "2013-09-16T08:44+01:00", "minute"),
    ],
)  # fmt: skip
def test_date_lines_in_every_language(
    line: str, language: str | None, value: str, precision: str
) -> None:
    found = find_dated(line, language)
    assert found is not None
    assert (found.value, found.precision) == (value, precision)


def test_generic_us_zone_follows_daylight_saving() -> None:
    summer = find_dated("May 3, 2013 at 7:31 AM ET")
    winter = find_dated("Dec 3, 2013 at 7:31 AM ET")
    assert summer is not None and summer.value.endswith("-04:00")
    assert winter is not None and winter.value.endswith("-05:00")


def test_ambiguous_zone_keeps_local_time() -> None:
    found = find_dated("December 15, 2008 at 1:00pm CST")  # US Central or China
    assert found is not None and found.value == "2008-12-15T13:00"


@pytest.mark.parametrize(
    ("line", "language", "value"),
    [
        ("Updated 05/03/2013", None, None),  # English: May 3 or 5 March
        ("Updated 05/03/2013", "fr", "2013-03-05"),  # day first
        ("Friday, 09/10/2010", None, "2010-09-10"),  # only one reading is a Friday
        ("05/03/2013 at 11:00 AM EDT", None, "2013-05-03"),  # a US zone: month first
        ("08. 07. 2012", None, "2012-07-08"),  # dots: day first
        ("11/28/05", None, "2005-11-28"),  # unambiguous
    ],
)
def test_numeric_dates_need_evidence(line: str, language: str | None, value: str | None) -> None:
    found = find_dated(line, language)
    assert (found.value[:10] if found else None) == value


def test_page_order_resolves_numeric_dates() -> None:
    assert numeric_order(["Posted 11/27/2005", "Updated 4/9/2005"]) == "mdy"
    assert numeric_order(["27/11/2005"]) == "dmy"
    assert numeric_order(["4/9/2005"]) is None
    found = find_dated("Updated 4/9/2005", None, "mdy")
    assert found is not None and found.value == "2005-04-09"


def test_publication_time_beats_update_time() -> None:
    found = find_dated("PUBLISHED: 02:31 GMT, 12 March 2013 | UPDATED: 22:19 GMT, 12 March 2013")
    assert found is not None and found.value == "2013-03-12T02:31+00:00"
    found = find_dated("UPDATED 05/03/2013 at 11:00 AM EDT")
    assert found is not None and found.updated


def test_implausible_and_impossible_dates_are_not_dates() -> None:
    assert find_dated("31 February 2013") is None
    assert find_dated("16 September 1850") is None
    assert find_dated(f"16 September {datetime.now().year + 5}") is None
    assert find_dates("The 1-2-3 plan cost 3.5.12 million") == []


@pytest.mark.parametrize(
    ("value", "expected", "precision"),
    [
        ("2025-09-17T07:15:00+02:00", "2025-09-17T07:15:00+02:00", "second"),
        ("2025-09-17T07:15+02:00", "2025-09-17T07:15+02:00", "minute"),
        ("2019-11-19T13:03:00.000Z", "2019-11-19T13:03:00+00:00", "second"),
        ("2022-03-04 12:34:56", "2022-03-04T12:34:56", "second"),
        ("2025-09-16", "2025-09-16", "day"),
        ("20150218230000Z", "2015-02-18T23:00:00+00:00", "second"),
        ("20150218", "2015-02-18", "day"),
        ("Tue, 16 Sep 2025 11:58:00 +0200", "2025-09-16T11:58:00+02:00", "second"),
        ("November 19, 2019, 07:47 PM EST", "2019-11-19T19:47-05:00", "minute"),
    ],
)
def test_metadata_values(value: str, expected: str, precision: str) -> None:
    found = parse_date(value)
    assert found is not None and (found.value, found.precision) == (expected, precision)


def test_metadata_that_is_not_a_date() -> None:
    assert parse_date("Q3 2020") is None
    assert parse_date("") is None
    assert parse_date("yesterday") is None


def test_dates_in_urls() -> None:
    assert date_in_url("http://nypost.com/2013/05/02/lindsay-lohan/") is not None
    assert date_in_url("https://x.example/news/2010-05-05-greece.htm").day == "2010-05-05"  # type: ignore[union-attr]
    assert date_in_url("https://x.example/a/20130502/b").day == "2013-05-02"  # type: ignore[union-attr]
    assert date_in_url("https://x.example/item/1234567890") is None
    assert date_in_url("https://2013.example/05/02") is None  # the host is no date


def test_date_lines_and_datelines() -> None:
    assert date_line("17 September 2025 · 4 min read", None, None) is not None
    assert date_line("TNN Nov 12, 2011, 05.51AM IST MUMBAI:", None, None) is not None
    # a sentence that mentions a date is not a date line
    sentence = "The fire broke out on 16 September 2025 in a storage hall."
    assert date_line(sentence, None, None) is None
    assert date_shaped("Updated 4/9/2007 6:04 PM")  # unreadable, still a date line
    assert date_shaped("Jul. 7 5:59 PM EDT")
    assert not date_shaped("Bomb kills 12 on May 5")
    found = dateline("PARIS, 16 septembre 2025 (AFP) - Le gouvernement a annoncé", "fr", None)
    assert found is not None and found.value == "2025-09-16"
    assert dateline("Le 16 septembre 2025, le gouvernement a annoncé un plan.", "fr", None) is None


@given(st.text(max_size=200))
def test_whatever_is_found_is_iso_8601(line: str) -> None:
    for found in find_dates(line, "fr"):
        datetime.fromisoformat(found.value)
        assert found.precision in ("day", "minute", "second")
        assert 0 <= found.start < found.end
    value = parse_date(line)
    if value is not None:
        datetime.fromisoformat(value.value)
