"""Dates written in a page header ("Tuesday 16 September 2025, 11:58 am", "Le 16 septembre
2025 à 12h40", "2025-09-16"), read into ISO dates.

Month names come from CLDR (Babel) for the languages we read, so no hand list of month
names has to be kept up to date.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from babel.dates import get_month_names

LOCALES = ("en", "fr", "de", "es", "it", "pt", "nl")


@cache
def _month_numbers() -> dict[str, int]:
    """Lower-cased month name or abbreviation (without its dot) -> month number."""
    names: dict[str, int] = {}
    for locale in LOCALES:
        for width in ("wide", "abbreviated"):
            for number, name in get_month_names(width, locale=locale).items():
                names[name.lower().rstrip(".")] = number
    return names


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    months = "|".join(sorted((re.escape(m) for m in _month_numbers()), key=len, reverse=True))
    day_month_year = re.compile(
        rf"\b(\d{{1,2}})(?:er|st|nd|rd|th|\.)?\s+(?:de\s+)?({months})\.?\s+(?:de\s+)?(\d{{4}})\b",
        re.IGNORECASE,
    )
    month_day_year = re.compile(
        rf"\b({months})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.IGNORECASE
    )
    numeric = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b|\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b")
    return day_month_year, month_day_year, numeric


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def find_date(line: str) -> str | None:
    """The first calendar date written in ``line`` as ``YYYY-MM-DD``, or None. Numeric dates
    are read day first (dd/mm/yyyy) as in the European press we read, unless unambiguous."""
    dmy, mdy, numeric = _patterns()
    months = _month_numbers()
    if m := dmy.search(line):
        return _iso(int(m.group(3)), months[m.group(2).lower().rstrip(".")], int(m.group(1)))
    if m := mdy.search(line):
        return _iso(int(m.group(3)), months[m.group(1).lower().rstrip(".")], int(m.group(2)))
    if m := numeric.search(line):
        if m.group(1):
            return _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        first, second, year = int(m.group(4)), int(m.group(5)), int(m.group(6))
        day, month = (second, first) if first <= 12 < second else (first, second)
        return _iso(year, month, day)
    return None
