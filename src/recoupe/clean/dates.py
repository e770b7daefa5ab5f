"""Publication dates read from what an input says: date lines of a page header ("Tuesday 16
September 2025, 11:58 am", "Le 16 septembre 2025 à 12h40", "Posted on Nov 15, 2011 6:07 PM
GMT+01:00", "16 de diciembre del 2009", "27-Mar-08"), datelines, metadata values (ISO 8601,
RFC 2822, GDELT's ``20150218230000``), URLs (``/2013/05/02/``) and folder names.

Every date comes out as ISO 8601, **as precise as what was written and no more**: a day
(``2025-09-16``), or a day and a time (``2025-09-16T11:58``), with the UTC offset only when
the input names a zone (``+02:00``, ``GMT+5``, ``EDT``: ``2025-09-16T11:58-04:00``). A time
without a zone stays local, so ``recoupe.reuse.instants`` compares it by calendar day.

Precision before recall: a numeric date that reads two ways (``05/03/2013``) is resolved
only by evidence (dots, which only day-first writers use; the document's other numeric
dates; a weekday named beside it; a zone of one continent; the language's convention: day
first in every language we read but English); otherwise it is not a date at all. A year
must be plausible (1900 to next year).

Month and weekday names come from CLDR (Babel) for the languages we read, so no hand list
of names has to be kept up to date.
"""

from __future__ import annotations

import email.utils
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache, lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import get_day_names, get_month_names

LOCALES = ("en", "fr", "de", "es", "it", "pt", "nl")
#: Languages whose numeric dates are written day first (everything we read but English,
#: whose two conventions, 5/3 = March 5 or May 3, need other evidence).
DAY_FIRST_LANGUAGES = frozenset(("fr", "de", "es", "it", "pt", "nl", "pl", "ru", "uk", "tr"))
_EXTRA_MONTHS = {
    "sept": 9, "febr": 2, "jän": 1, "jänner": 1, "mrz": 3, "setiembre": 9, "juil": 7,
    "janv": 1, "févr": 2, "avr": 4, "déc": 12,
}  # fmt: skip

# Zone abbreviations that name one offset (or one IANA zone, for the US generic names
# whose offset depends on the date). Ambiguous ones (CST: US or China; IST: India,
# Ireland or Israel; BST outside the UK...) are left out: a time without a zone is kept
# local, which is honest, where a guessed offset would move it by hours.
_FIXED_ZONES = {
    "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "WEST": 60, "CET": 60, "CEST": 120, "MEZ": 60,
    "MESZ": 120, "EET": 120, "EEST": 180, "MSK": 180, "BST": 60, "EST": -300, "EDT": -240,
    "CDT": -300, "MDT": -360, "MST": -420, "PST": -480, "PDT": -420, "AKST": -540,
    "AKDT": -480, "HST": -600, "HKT": 480, "SGT": 480, "JST": 540, "KST": 540,
    "AEST": 600, "AEDT": 660, "ACST": 570, "AWST": 480, "NZST": 720, "NZDT": 780,
}  # fmt: skip
_GENERIC_ZONES = {"ET": "America/New_York", "CT": "America/Chicago",
                  "MT": "America/Denver", "PT": "America/Los_Angeles"}  # fmt: skip
# Zones that say which side of the Atlantic wrote a numeric date.
_MONTH_FIRST_ZONES = frozenset(
    ("EST", "EDT", "CDT", "MDT", "MST", "PST", "PDT", "AKST", "AKDT", "HST", "ET", "CT", "MT", "PT")
)
_DAY_FIRST_ZONES = frozenset(
    ("WET", "WEST", "CET", "CEST", "MEZ", "MESZ", "EET", "EEST", "MSK", "BST", "AEST", "AEDT",
     "ACST", "AWST", "NZST", "NZDT")
)  # fmt: skip
_UPDATED = re.compile(
    r"\b(?:updated|mis[e]? à jour|actualis[ée]e?|aktualisiert|actualizad[oa]|actualización|"
    r"aggiornat[oa]|bijgewerkt|atualizad[oa]|modified|edited|last update|geändert|modifié)"
    r"\W{0,4}(?:\w+\W{1,3}){0,3}$",
    re.IGNORECASE,
)
_PUBLISHED = re.compile(
    r"\b(?:published|posted|publié|publiée|veröffentlicht|publicad[oa]|pubblicat[oa]|"
    r"gepubliceerd|publicação|created|erstellt|créé|creado)\W{0,4}(?:\w+\W{1,3}){0,3}$",
    re.IGNORECASE,
)
# Dates that are not the article's at all: when a copy was saved, printed or consulted.
_ELSEWHEN = re.compile(
    r"\b(?:downloaded|retrieved|accessed|printed|saved|consulté|consultée|abgerufen|"
    r"heruntergeladen|consultad[oa]|descargad[oa]|consultat[oa]|scaricat[oa]|geraadpleegd|"
    r"gedownload|acedid[oa]|consultad[oa]|baixad[oa])\W{0,4}(?:\w+\W{1,3}){0,2}$",
    re.IGNORECASE,
)
_UPDATE_WORD = re.compile(
    r"\b(?:updated|last updated|mis[e]? à jour|actualis[ée]|aktualisiert|actualizad[oa]|"
    r"aggiornat[oa]|bijgewerkt|atualizad[oa]|modified|edited|geändert|modifié)\b",
    re.IGNORECASE,
)
_JOINED = re.compile(r"(?<=\d)\s*([/:.\-])\s*(?=\d)")  # "12 / 16 / 08", "7: 35", "2013 - 09"
_MERIDIEM = r"(?P<ampm>[ap])\.?\s?m\b\.?"
_TIME = re.compile(
    rf"(?<![\d:.])(?P<h>[01]?\d|2[0-3])\s?(?:(?P<sep>[:h]|\.(?=\d\d\s?(?:[ap]\.?\s?m\b|uhr)))"
    rf"\s?(?P<m>[0-5]\d)(?::(?P<s>[0-5]\d))?|(?=\s?[ap]\.?\s?m\b))\s?(?:{_MERIDIEM}|uhr\b|h\b)?",
    re.IGNORECASE,
)
_ZONE = re.compile(
    r"\(?\b(?:(?:GMT|UTC)\s?(?P<gsign>[+-])\s?(?P<gh>\d{1,2})(?::?\s?(?P<gm>\d{1,2}))?"
    r"|(?P<abbr>[A-Z]{1,4})\b)\)?|(?<![\d:])(?P<sign>[+-])(?P<oh>[01]\d):?(?P<om>[0-5]\d)\b",
)


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A date read from text or metadata: ``value`` is ISO 8601 as precise as the input
    (``precision``: ``day``, ``minute`` or ``second``); ``start``/``end`` is where the
    date (with its time) was written in the line read (0, 0 for a parsed value)."""

    value: str
    precision: str
    start: int = 0
    end: int = 0
    updated: bool = False  # written as an update time ("Last updated ...")
    labelled: bool = False  # written as the publication time ("Published ...", "publié le")

    @property
    def day(self) -> str:
        return self.value[:10]


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


@cache
def _month_numbers() -> dict[str, int]:
    """Lower-cased month name or abbreviation (without its dot, with and without accents)
    -> month number."""
    names: dict[str, int] = dict(_EXTRA_MONTHS)
    for locale in LOCALES:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, locale).items():
                    names[name.lower().rstrip(".")] = number
    names.update({_fold(k): v for k, v in list(names.items())})
    return names


@cache
def _weekday_numbers() -> dict[str, frozenset[int]]:
    """Lower-cased weekday name or abbreviation -> the weekdays (Monday = 0) it may name."""
    days: dict[str, set[int]] = {}
    for locale in LOCALES:
        for width in ("wide", "abbreviated"):
            for number, name in get_day_names(width, locale=locale).items():
                for key in {name.lower().rstrip("."), _fold(name.lower().rstrip("."))}:
                    days.setdefault(key, set()).add(number)
    return {k: frozenset(v) for k, v in days.items()}


def weekday_names() -> dict[str, frozenset[int]]:
    """Weekday names and abbreviations (lower case) in the languages we read."""
    return _weekday_numbers()


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    months = "|".join(sorted((re.escape(m) for m in _month_numbers()), key=len, reverse=True))
    month = rf"(?P<mon>{months})\.?"
    day = r"(?P<d>[0-3]?\d)(?:er|st|nd|rd|th|º|°|ª|\.)?"
    year = r"(?P<y>(?:19|20)\d\d)(?!\d)"
    flags = re.IGNORECASE
    return {
        "iso": re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)-(?P<mo>[01]?\d)-(?P<d>[0-3]?\d)(?!\d)"
                          r"(?:[T ](?P<h>[01]\d|2[0-3]):(?P<mi>[0-5]\d)(?::(?P<s>[0-5]\d)"
                          r"(?:[.,]\d+)?)?(?P<z>Z|[+-][01]\d:?[0-5]\d)?)?"),
        "ymd": re.compile(r"(?<![\d.])(?P<y>(?:19|20)\d\d)[/.](?P<mo>[01]?\d)[/.](?P<d>[0-3]?\d)"
                          r"(?![\d/])"),
        "numeric": re.compile(r"(?<![\d/.-])(?P<a>[0-3]?\d)(?P<sep>[/.-])(?P<b>[0-3]?\d)(?P=sep)"
                              r"(?P<y>(?:19|20)\d\d|\d\d)(?![\d/.-]?\d)"),
        "dmy": re.compile(rf"(?<![\w.])(?:{day})[\s-]*(?:de\s+|di\s+)?{month}(?![^\W\d_])"
                          rf"[\s,-]*(?:de\s+|del\s+|di\s+)?{year}", flags),
        "dmy2": re.compile(rf"(?<![\w.-])(?P<d>[0-3]?\d)-{month}-(?P<y>\d\d)(?![\w-])", flags),
        "mdy": re.compile(rf"(?<![^\W\d_]){month}(?![^\W\d_])[\s,-]*(?P<d>[0-3]?\d)"
                          rf"(?:st|nd|rd|th)?(?!\d)[\s,-]*(?:\d\d?:\d\d\s*(?:[ap]\.?m\.?)?\s*)?"
                          rf"{year}", flags),
    }  # fmt: skip


def _plausible_year(year: int) -> bool:
    return 1900 <= year <= datetime.now(UTC).year + 1


def _day(year: int, month: int, day: int) -> date | None:
    if not _plausible_year(year):
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _full_year(text: str) -> int:
    year = int(text)
    return year if len(text) == 4 else 2000 + year if year < 70 else 1900 + year


@dataclass(frozen=True, slots=True)
class _Match:
    day: date
    start: int
    end: int
    numeric: bool = False
    ambiguous: tuple[date, date] | None = None  # both readings of a numeric date


def _weekdays_near(line: str, start: int, end: int) -> frozenset[int]:
    """Weekdays named right before or after a date (``Friday, 9/10/2010``)."""
    around = f"{line[max(0, start - 14):start]} {line[end:end + 12]}"
    found: set[int] = set()
    names = _weekday_numbers()
    for word in re.findall(r"[^\W\d_]+", around.lower()):
        if len(word) >= 3 and word in names:
            found |= names[word]
    return frozenset(found)


def _numeric(m: re.Match[str], line: str, order: str | None) -> _Match | None:
    a, b, year = int(m.group("a")), int(m.group("b")), _full_year(m.group("y"))
    if len(m.group("y")) == 2 and m.group("sep") == ".":
        return None  # "3.5.12" is more often a version or a score than a date
    dmy, mdy = _day(year, b, a), _day(year, a, b)
    if dmy is None or mdy is None or dmy == mdy:
        found = dmy or mdy
        return _Match(found, m.start(), m.end(), True) if found else None
    if order == "dmy" or m.group("sep") == ".":  # 08.07.2012: dots are day first everywhere
        return _Match(dmy, m.start(), m.end(), True)
    if order == "mdy":
        return _Match(mdy, m.start(), m.end(), True)
    return _Match(dmy, m.start(), m.end(), True, ambiguous=(dmy, mdy))


@lru_cache(maxsize=8192)
def _candidates(line: str, order: str | None) -> tuple[_Match, ...]:
    """Every date written in ``line`` (already joined: "7:35", "12/16/08"), by position."""
    p = _patterns()
    months = _month_numbers()
    found: list[_Match] = []
    taken: list[tuple[int, int]] = []

    def add(match: _Match | None) -> None:
        if match and not any(s < match.end and match.start < e for s, e in taken):
            found.append(match)
            taken.append((match.start, match.end))

    for m in p["iso"].finditer(line):
        add(_to_match(_day(int(m["y"]), int(m["mo"]), int(m["d"])), m))
    for m in p["ymd"].finditer(line):
        add(_to_match(_day(int(m["y"]), int(m["mo"]), int(m["d"])), m))
    for name in ("dmy", "dmy2"):
        for m in p[name].finditer(line):
            year = _full_year(m["y"])
            add(_to_match(_day(year, months[m["mon"].lower()], int(m["d"])), m))
    for m in p["mdy"].finditer(line):
        add(_to_match(_day(int(m["y"]), months[m["mon"].lower()], int(m["d"])), m))
    for m in p["numeric"].finditer(line):
        add(_numeric(m, line, order))
    return tuple(sorted(found, key=lambda f: f.start))


_YEARLESS = re.compile(
    r"(?<![^\W\d_])(?P<mon>[^\W\d_]{3,9})\.?\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?![\d/.:])"
    r"|(?<![\w.])(?P<d2>[0-3]?\d)(?:er|st|nd|rd|th|\.)?\s+(?:de\s+)?(?P<mon2>[^\W\d_]{3,10})\.?"
    r"(?![^\W\d_])"
)


def date_spans(line: str) -> list[tuple[int, int, bool]]:
    """Where dates are written in ``line`` (already joined), whether or not they can be
    read: (start, end, has_year). A numeric date read two ways and a month and day
    without a year ("Jul. 7", "APR 28") count: they tell the shape of a date line."""
    spans = [(m.start, m.end, True) for m in _candidates(line, None)]
    months = _month_numbers()
    for m in _YEARLESS.finditer(line):
        month = (m["mon"] or m["mon2"] or "").lower()
        day = int(m["d"] or m["d2"])
        if month in months and 1 <= day <= 31 and not any(
            s < m.end() and m.start() < e for s, e, _ in spans
        ):
            spans.append((m.start(), m.end(), False))
    return sorted(spans)


def _to_match(day: date | None, m: re.Match[str]) -> _Match | None:
    return _Match(day, m.start(), m.end()) if day else None


def _resolve(match: _Match, line: str, language: str | None, zone: str | None) -> date | None:
    """The reading of an ambiguous numeric date that evidence supports, or None."""
    if match.ambiguous is None:
        return match.day
    dmy, mdy = match.ambiguous
    weekdays = _weekdays_near(line, match.start, match.end)
    fits = [d for d in (dmy, mdy) if d.weekday() in weekdays]
    if weekdays and len(fits) == 1:
        return fits[0]
    if zone in _MONTH_FIRST_ZONES:
        return mdy
    if zone in _DAY_FIRST_ZONES:
        return dmy
    if language in DAY_FIRST_LANGUAGES:
        return dmy
    return None


@dataclass(frozen=True, slots=True)
class _Clock:
    hour: int
    minute: int
    second: int | None
    start: int
    end: int


def _clock(m: re.Match[str]) -> _Clock | None:
    hour = int(m["h"])
    minute = int(m["m"]) if m["m"] else None
    if minute is None and not m["ampm"]:
        return None
    if m["ampm"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if m["ampm"].lower() == "p" else 0)
    elif m["sep"] is None:
        return None
    second = int(m["s"]) if m["s"] else None
    return _Clock(hour, minute or 0, second, m.start(), m.end())


def _time_near(line: str, lo: int, hi: int, date_start: int, date_end: int) -> _Clock | None:
    """The clock time written closest to a date, after it first, within ``[lo, hi)``
    (the stretch of the line no other date claims)."""
    after = [c for m in _TIME.finditer(line, date_end, min(hi, date_end + 40))
             if (c := _clock(m))]  # fmt: skip
    if after:
        return after[0]
    before = [c for m in _TIME.finditer(line, max(lo, date_start - 30), date_start)
              if (c := _clock(m)) and c.end <= date_start]  # fmt: skip
    return before[-1] if before else None


def _zone_near(line: str, start: int, end: int) -> tuple[str | None, int | None]:
    """(abbreviation, offset in minutes) of a time zone written right after a time."""
    m = _ZONE.match(line, start) or _ZONE.search(line[: end + 1], start)
    if not m or m.start() - start > 2:
        return None, None
    if m["gsign"]:
        minutes = int(m["gh"]) * 60 + int(m["gm"] or 0)
        return "GMT", minutes if m["gsign"] == "+" else -minutes
    if m["sign"]:
        minutes = int(m["oh"]) * 60 + int(m["om"])
        return None, minutes if m["sign"] == "+" else -minutes
    abbr = m["abbr"]
    if abbr in _FIXED_ZONES:
        return abbr, _FIXED_ZONES[abbr]
    if abbr in _GENERIC_ZONES:
        return abbr, None
    return None, None


def _offset_text(minutes: int) -> str:
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _generic_offset(abbr: str, day: date, clock: _Clock) -> int | None:
    try:
        zone = ZoneInfo(_GENERIC_ZONES[abbr])
    except (ZoneInfoNotFoundError, ValueError):
        return None
    local = datetime(day.year, day.month, day.day, clock.hour, clock.minute, tzinfo=zone)
    offset = local.utcoffset()
    return None if offset is None else int(offset.total_seconds() // 60)


def _stamp(day: date, clock: _Clock | None, abbr: str | None, offset: int | None) -> FoundDate:
    if clock is None:
        return FoundDate(day.isoformat(), "day")
    if abbr in _GENERIC_ZONES:
        offset = _generic_offset(abbr, day, clock)
    value = f"{day.isoformat()}T{clock.hour:02d}:{clock.minute:02d}"
    precision = "minute"
    if clock.second is not None:
        value += f":{clock.second:02d}"
        precision = "second"
    if offset is not None:
        value += _offset_text(offset)
    return FoundDate(value, precision)


def join_numbers(line: str) -> str:
    """``line`` with the spaces a tokeniser put inside numbers taken out ("7: 35 am",
    "12 / 16 / 08", "2013 - 09 - 26"); same length or shorter, used only for reading."""
    return _JOINED.sub(r"\1", line)


def numeric_order(lines: list[str]) -> str | None:
    """``dmy`` or ``mdy`` when some numeric date in ``lines`` can be read only one way (a
    site writes all its dates alike), else None."""
    votes = set()
    for line in lines:
        for m in _patterns()["numeric"].finditer(join_numbers(line)):
            a, b = int(m["a"]), int(m["b"])
            if a > 12 >= b:
                votes.add("dmy")
            elif b > 12 >= a:
                votes.add("mdy")
    return votes.pop() if len(votes) == 1 else None


_BOUNDARY = re.compile(r"\s[|–—-]\s|\|")


def _segment(joined: str, matches: Sequence[_Match], k: int) -> tuple[int, int]:
    """The stretch of the line that belongs to date ``k``: up to the neighbouring dates,
    separators ("|", " - ") and update labels."""
    match = matches[k]
    lo = matches[k - 1].end if k else 0
    hi = matches[k + 1].start if k + 1 < len(matches) else len(joined)
    for m in _BOUNDARY.finditer(joined, lo, hi):
        if m.end() <= match.start:
            lo = max(lo, m.end())
        elif m.start() >= match.end:
            hi = min(hi, m.start())
            break
    for m in _UPDATE_WORD.finditer(joined, match.end, hi):
        hi = m.start()
        break
    return lo, hi


def find_dates(
    line: str, language: str | None = None, order: str | None = None
) -> list[FoundDate]:
    """Every date written in ``line`` with its time and zone when they are written beside
    it, in reading order. ``language`` and ``order`` (``dmy``/``mdy``) resolve numeric
    dates that read two ways; without evidence such a date is skipped."""
    joined = join_numbers(line)
    matches = _candidates(joined, order)
    out: list[FoundDate] = []
    for k, match in enumerate(matches):
        lo, hi = _segment(joined, matches, k)
        clock = _time_near(joined, lo, hi, match.start, match.end)
        abbr, offset = (None, None)
        if clock is not None:
            abbr, offset = _zone_near(joined, clock.end, clock.end + 16)
        day = _resolve(match, joined, language, abbr)
        if day is None:
            continue
        stamp = _stamp(day, clock, abbr, offset)
        start = min(match.start, clock.start) if clock else match.start
        end = max(match.end, clock.end) if clock else match.end
        label = joined[max(lo, start - 40) : start] if start >= lo else ""
        if _ELSEWHEN.search(label):
            continue
        published = bool(_PUBLISHED.search(label))
        updated = bool(_UPDATED.search(label)) and not published
        out.append(FoundDate(stamp.value, stamp.precision, start, end, updated, published))
    return out


def find_dated(
    line: str, language: str | None = None, order: str | None = None
) -> FoundDate | None:
    """The publication date a date line gives: the first written as the publication
    time, else the first not written as an update time ("Posted ... | Updated ..."),
    else the first one."""
    return best_of(find_dates(line, language, order))


def best_of(dates: list[FoundDate]) -> FoundDate | None:
    """The publication date among dates in reading order (see ``find_dated``)."""
    return next((d for d in dates if d.labelled),
                next((d for d in dates if not d.updated), dates[0] if dates else None))  # fmt: skip


def find_date(line: str, language: str | None = None) -> str | None:
    """The publication date written in ``line`` as ISO 8601, or None."""
    found = find_dated(line, language)
    return found.value if found else None


# ----- metadata values, URLs and folder names -------------------------------------------

_COMPACT = re.compile(
    r"^(?P<y>(?:19|20)\d\d)(?P<mo>[01]\d)(?P<d>[0-3]\d)"
    r"(?:T?(?P<h>[01]\d|2[0-3])(?P<mi>[0-5]\d)(?P<s>[0-5]\d)?)?(?P<z>Z)?$"
)
_ISO_VALUE = re.compile(
    r"^(?P<y>\d{4})-(?P<mo>\d\d)-(?P<d>\d\d)(?:[T ](?P<h>\d\d):(?P<mi>\d\d)"
    r"(?::(?P<s>\d\d)(?:[.,]\d+)?)?\s*(?P<z>Z|UTC|GMT|[+-]\d\d(?::?\d\d)?)?)?$",
    re.IGNORECASE,
)
_URL_DATE = re.compile(
    r"(?<![\d])(?P<y>(?:19|20)\d\d)(?P<s1>[/_-])(?P<mo>[01]\d)(?P=s1)(?P<d>[0-3]\d)(?![\d])"
    r"|/(?P<y2>(?:19|20)\d\d)(?P<mo2>[01]\d)(?P<d2>[0-3]\d)/"
)


def _iso_value(m: re.Match[str]) -> FoundDate | None:
    day = _day(int(m["y"]), int(m["mo"]), int(m["d"]))
    if day is None:
        return None
    if not m["h"]:
        return FoundDate(day.isoformat(), "day")
    clock = _Clock(int(m["h"]), int(m["mi"]), int(m["s"]) if m["s"] else None, 0, 0)
    if clock.hour > 23 or clock.minute > 59 or (clock.second or 0) > 59:
        return None
    zone = (m["z"] or "").upper()
    offset: int | None = None
    if zone in ("Z", "UTC", "GMT"):
        offset = 0
    elif zone:
        digits = zone[1:].replace(":", "")
        offset = int(digits[:2]) * 60 + int(digits[2:4] or 0)
        offset = -offset if zone[0] == "-" else offset
    return _stamp(day, clock, None, offset)


def _from_datetime(value: datetime, precision: str) -> FoundDate:
    offset = value.utcoffset()
    minutes = None if offset is None else int(offset.total_seconds() // 60)
    clock = _Clock(value.hour, value.minute, value.second if precision == "second" else None,
                   0, 0)  # fmt: skip
    return _stamp(value.date(), clock, None, minutes)


def parse_date(
    value: str | None, language: str | None = None, utc: bool = False
) -> FoundDate | None:
    """A date given as a metadata value: ISO 8601 (``2025-09-16``, ``2025-09-16 12:00``,
    ``...T12:00:00Z``), compact (``20150218230000``, GDELT), RFC 2822 (feeds, e-mail), or
    anything a date line may say (``16 de diciembre del 2009``). ``utc``: a time given
    without a zone is UTC (GDELT and several APIs document it so)."""
    text = " ".join((value or "").split())
    if not text:
        return None
    if (m := _ISO_VALUE.match(text)) or (m := _COMPACT.match(text)):
        found = _iso_value(m)
    else:
        found = _rfc2822(text) or find_dated(text, language)
    if found and utc and found.precision != "day" and not _has_offset(found.value):
        found = FoundDate(found.value + "+00:00", found.precision)
    return found


def _has_offset(value: str) -> bool:
    return bool(re.search(r"(?:Z|[+-]\d\d:\d\d)$", value))


def _rfc2822(text: str) -> FoundDate | None:
    if not re.match(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d", text):
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if not _plausible_year(parsed.year):
        return None
    has_seconds = bool(re.search(r"\d:\d\d:\d\d", text))
    return _from_datetime(parsed, "second" if has_seconds else "minute")


def date_in_url(url: str | None) -> FoundDate | None:
    """The day a URL's path gives (``/2013/05/02/``, ``/2010-05-05-``, ``/20130502/``)."""
    if not url:
        return None
    path = re.sub(r"^[a-z][a-z0-9+.-]*://[^/]*", "", url, flags=re.IGNORECASE)
    for m in _URL_DATE.finditer(path):
        y, mo, d = (m["y"], m["mo"], m["d"]) if m["y"] else (m["y2"], m["mo2"], m["d2"])
        day = _day(int(y), int(mo), int(d))
        if day is not None:
            return FoundDate(day.isoformat(), "day")
    return None


def as_utc(found: FoundDate) -> datetime | None:
    """The instant of a date that carries a zone, in UTC (None for a day or a local time)."""
    if found.precision == "day" or not _has_offset(found.value):
        return None
    return datetime.fromisoformat(found.value.replace("Z", "+00:00")).astimezone(UTC)


__all__ = [
    "DAY_FIRST_LANGUAGES",
    "FoundDate",
    "as_utc",
    "best_of",
    "date_in_url",
    "date_spans",
    "find_date",
    "find_dated",
    "find_dates",
    "join_numbers",
    "numeric_order",
    "parse_date",
    "weekday_names",
]
