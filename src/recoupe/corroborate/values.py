"""Values a claim states: counts, percentages, money, measures, days and years, read from
the text as written, with what the wording allows.

A fact-checker compares "12 people injured" with "quinze personnes ont été blessées", not
"12" with "15": a value is only worth comparing with another of the same kind, about the
same thing, at the same time. So each ``Value`` keeps

* its **kind** (a count of something, a percentage, an amount of money in a currency, a
  measure in a unit, a day, a year) - people are never compared with dollars;
* the **interval** the wording allows: "about 140" is 129.5-150.5, "près de 180" is
  162-180, "une centaine" 80-130, "more than 100" 100-inf, "Betancourt and 14 other
  hostages" 14-15 (the others, or all of them); a plain "18 %" is 18 with the rounding
  of its last written digit (``agree``: "29.6 %" agrees with "about 29 %" and with "30 %",
  not with "28 %");
* its **unit** (currency, measure unit) and **context**: the folded content words next to
  it ("injur", "peopl"), which say what is counted;
* where it is written (offsets into the mention) and the text as written, for display:
  values are shown as the article wrote them, never re-printed as floats.

Days are resolved against the article's own date: "mardi" in an article of Wednesday 17
September 2025 is 16 September, "hier" the day before; a day-month without a year takes
the year that puts it nearest the article. Without an article date they are dropped
(nothing is guessed).

French restriction ("n'était plus rempli qu'à 18 %") and the indefinite article ("un
incendie") are not values; "1" in digits is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import cache, lru_cache

from babel.dates import get_day_names, get_month_names

from recoupe.corroborate import lexicon as lx
from recoupe.nlp.stopwords import stop_words
from recoupe.reuse.normalize import fold

LOCALES = ("en", "fr", "de", "es", "it", "pt", "nl")
CONTEXT_WINDOW = 3  # words either side of a value that say what it counts
_KEY_CHARS = 5


class ValueKind(StrEnum):
    COUNT = "count"  # 12 people, quinze blessés, une centaine de pompiers
    AGE = "age"  # "Robert Namias, 64 ans": never compared (whose age needs a parse)
    PERCENT = "percent"
    MONEY = "money"  # unit = currency code
    MEASURE = "measure"  # unit = canonical measure unit (t, km, ha...)
    DAY = "day"  # a calendar day (proleptic ordinal), resolved against the article date
    YEAR = "year"
    TIME = "time"  # clock time, minutes after midnight


@dataclass(frozen=True, slots=True)
class Value:
    """One value of a mention. ``low``/``high`` bound what the wording allows;
    ``precision`` is the rounding unit of what was written ("4,9 milliards": 0.1e9, "5
    milliards": 1e9, "29.6": 0.1); ``start``/``end`` are offsets
    into the mention text; ``context`` are folded word keys around it."""

    kind: ValueKind
    low: float
    high: float
    written: str
    start: int
    end: int
    unit: str = ""
    context: frozenset[str] = frozenset()
    precision: float = 1.0
    approximate: bool = False
    phrase: tuple[int, int] = (0, 0)  # the clause around it (offsets into the mention)
    vague: bool = False  # a vague quantity word ("une centaine", "hundreds")
    part: bool = False  # a part of a set named beside it ("two of the injured", "dont trois")
    relative: bool = False  # "the 28 other hostages": counted against a set not named here

    @property
    def exact(self) -> bool:
        return self.low == self.high


@dataclass(frozen=True, slots=True)
class _Tok:
    text: str
    folded: str
    start: int
    end: int
    kind: str  # "num", "word", "sym", "punct"


_WORD_PATTERN = r"[^\W\d_]+(?:['’\-][^\W\d_]+)*['’]?"
_TOKEN = re.compile(
    r"(?P<num>\d+(?:(?:[.,]|[ \u00a0\u202f](?=\d{3}\b))\d+)*)"
    rf"|(?P<word>{_WORD_PATTERN})"
    r"|(?P<sym>[%€$£¥₽°])"
    r"|(?P<punct>[.,;:!?()\[\]«»“”\"—–])"
)
_CLAUSE_PUNCT = frozenset(";:.!?()[]—–«»“”\"")
_PHRASE_PUNCT = _CLAUSE_PUNCT | {","}
_PHRASE_WORDS = 6  # words either side of a value, at most, in its phrase
_COORDINATORS = frozenset([
    "and", "et", "y", "e", "und", "but", "mais", "pero", "ma", "aber", "or", "ou", "while",
    "tandis",
])
# A clause opened by one of these depends on the one before ("quinze blessés, dont trois
# grièvement", "12 injured, two of them seriously"): the value's phrase takes both in.
_PARTITIVE_OPENERS = frozenset(
    [
        "dont", "parmi", "including", "among", "darunter", "davon", "notamment", "incluidos",
        "entre", "cui",
    ]
)  # fmt: skip
_PARTITIVE_AFTER = (("of", "them"), ("of", "whom"), ("d'entre", "eux"), ("d'entre", "elles"),
                    ("de", "ellos"), ("di", "loro"), ("of", "the"), ("of", "those"),
                    ("des",), ("parmi",), ("de", "los"), ("de", "las"), ("dei",), ("delle",),
                    ("der",), ("van", "de"))  # fmt: skip
_CONNECTORS = frozenset(
    [
        "de", "d'", "d", "des", "du", "of", "the", "les", "la", "le", "l'", "a", "an", "and",
        "et", "y", "e", "und", "of",
    ]
)  # fmt: skip
_TIME = re.compile(
    r"\b(\d{1,2})(?:\s?[:h]\s?|\.)(\d{2})\s*(a\.?m\.?|p\.?m\.?)?(?![\d%])"
    r"|\b(\d{1,2})\s*(a\.?m\.?|p\.?m\.?)(?!\w)",
    re.IGNORECASE,
)


_GLUED = re.compile(r"[^\W\d_]+")
# Letters glued to digits that still leave a number: "€40m", "4.30am", "12km", "1er".
_GLUED_OK = frozenset([*lx.MULTIPLIERS, *lx.MEASURE_UNITS, "am", "pm", "h", "er", "e", "eme",
                       "st", "nd", "rd", "th"])  # fmt: skip


@lru_cache(maxsize=1 << 16)
def _fold(word: str) -> str:
    """``fold`` with one apostrophe: "d’euros" and "d'euros" are one word. Cached: the
    words of a story's mentions repeat, and folding each token was most of ``values``."""
    return fold(word).replace("’", "'")


def _tokens(text: str) -> list[_Tok]:
    out = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "word"
        before = text[max(0, m.start() - 1) : m.start()]
        glued = _GLUED.match(text, m.end()) if kind == "num" else None
        if kind == "num" and (before.isalpha() or before in ("/", "-", "_")):
            kind = "code"  # "COVID-19", "CZnJC3", "45-54": part of a name or a code
        elif glued is not None and fold(glued.group()) not in _GLUED_OK:
            kind = "code"  # "1960s", "A320neo"
        out.append(_Tok(m.group(), _fold(m.group()), m.start(), m.end(), kind))
    return out


@cache
def _calendar() -> tuple[dict[str, int], dict[str, int]]:
    """Folded month names (wide, and abbreviations of 3+ letters) -> month; weekday -> 0-6
    (Monday = 0). From CLDR via Babel."""
    months: dict[str, int] = {}
    days: dict[str, int] = {}
    for loc in LOCALES:
        for width in ("wide", "abbreviated"):
            for n, name in get_month_names(width, locale=loc).items():
                key = fold(name).rstrip(".")
                if width == "wide" or len(key) >= 3:
                    months.setdefault(key, n)
        for n, name in get_day_names("wide", locale=loc).items():
            days.setdefault(fold(name), n)
            days.setdefault(fold(name).split("-")[0], n)  # "segunda-feira"
    months.pop("may", None)  # English modal verb: only as a month next to a day number
    months.pop("mar", None)  # es/it abbreviation, "sea" in Spanish
    return months, days


def _decimal_comma(language: str | None) -> bool:
    return (language or "en")[:2] != "en"


def parse_number(raw: str, language: str | None) -> tuple[float, int] | None:
    """Value and number of written decimals of a digit token ("1,200", "1 200", "2,5",
    "1.500"), read with the language's separators; None when it is not one number."""
    s = raw.replace("\u00a0", " ").replace("\u202f", " ")
    groups = re.split(r"([ .,])", s)
    digits, seps = groups[0::2], groups[1::2]
    if not seps:
        return float(s), 0
    decimal = "," if _decimal_comma(language) else "."
    *head, last_sep = seps
    whole_groups_ok = all(len(g) == 3 for g in digits[1:-1]) and len(digits[0]) <= 3
    if last_sep == "," and len(digits[-1]) == 3 and whole_groups_ok and len(set(seps)) == 1:
        return float("".join(digits)), 0  # "2,000": thousands in every language we read
    if last_sep == decimal and all(sep != decimal for sep in head):
        if head and not (whole_groups_ok and all(sep in " .," for sep in head)):
            return None
        whole = "".join(digits[:-1])
        return float(f"{whole}.{digits[-1]}"), len(digits[-1])
    if whole_groups_ok and len(digits[-1]) == 3 and len(set(seps)) == 1:
        return float("".join(digits)), 0
    return None


def _marker(tokens: list[_Tok], i: int) -> tuple[tuple[float, float | None], int] | None:
    """The approximation/bound marker ending just before token ``i``: its factors and
    its length in tokens."""
    for length in (3, 2, 1):
        if i - length < 0:
            continue
        words = tuple(t.folded for t in tokens[i - length : i])
        if words in lx.MARKERS:
            return lx.MARKERS[words], length
    return None


def _bare(folded: str) -> str:
    """A folded word without its elided article ("d'euros" -> "euros", "l'usine")."""
    return folded.split("'", 1)[1] if re.match(r"^(?:[dljnsmtc]|qu)'.", folded) else folded


def _context(tokens: list[_Tok], lo: int, hi: int, stops: frozenset[str]) -> frozenset[str]:
    """Content-word keys within ``CONTEXT_WINDOW`` words of tokens ``lo..hi``, not across
    clause punctuation."""
    keys: set[str] = set()
    for step, start in ((-1, lo - 1), (1, hi + 1)):
        k, seen = start, 0
        while 0 <= k < len(tokens) and seen < CONTEXT_WINDOW:
            tok = tokens[k]
            if tok.kind == "punct" and tok.text in _CLAUSE_PUNCT:
                break
            word = _bare(tok.folded)
            if tok.kind == "word" and len(word) >= 4 and word not in stops:
                keys.update(part[:_KEY_CHARS] for part in word.split("-") if len(part) >= 4)
                seen += 1
            k += step
    return frozenset(keys)


def _clause(tokens: list[_Tok], lo: int, hi: int) -> tuple[int, int]:
    """Token range of the clause around tokens ``lo..hi``: up to ``_PHRASE_WORDS`` words
    either side, not across punctuation or a coordinating conjunction."""
    first, last = lo, hi
    for step in (-1, 1):
        k, words = (lo - 1, 0) if step < 0 else (hi + 1, 0)
        while 0 <= k < len(tokens) and words < _PHRASE_WORDS:
            tok = tokens[k]
            if (tok.kind == "punct" and tok.text in _PHRASE_PUNCT) or tok.folded in _COORDINATORS:
                break
            words += tok.kind != "punct"
            first, last = (k, last) if step < 0 else (first, k)
            k += step
    return first, last


def _partitive(tokens: list[_Tok], first: int, hi: int) -> bool:
    """Whether the value counts a part of a set ("dont trois", "two of them", "deux des
    blessés")."""
    after = tuple(t.folded for t in tokens[hi + 1 : hi + 3])
    return (tokens[first].folded in _PARTITIVE_OPENERS or after in _PARTITIVE_AFTER
            or after[:1] in _PARTITIVE_AFTER)  # fmt: skip


def _phrase(tokens: list[_Tok], lo: int, hi: int) -> tuple[int, int]:
    """The clause around tokens ``lo..hi`` ("faisant 12 blessés" in "..., faisant 12
    blessés et provoquant ..."); a partitive clause ("dont trois grièvement", "two of
    them seriously") with the clause it depends on."""
    first, last = _clause(tokens, lo, hi)
    if _partitive(tokens, first, hi) and first >= 2 and tokens[first - 1].text == ",":
        first = _clause(tokens, first - 2, first - 2)[0]
    return tokens[first].start, tokens[last].end


@dataclass
class _Reader:
    text: str
    tokens: list[_Tok]
    language: str | None
    published: date | None
    taken: set[int]
    out: list[Value]
    stops: frozenset[str]

    def add(self, kind: ValueKind, low: float, high: float, lo: int, hi: int, **kw: object) -> None:
        start, end = self.tokens[lo].start, self.tokens[hi].end
        self.taken.update(range(lo, hi + 1))
        ctx = _context(self.tokens, lo, hi, self.stops)
        phrase = _phrase(self.tokens, lo, hi)
        part = _partitive(self.tokens, _clause(self.tokens, lo, hi)[0], hi)
        self.out.append(
            Value(kind, low, high, self.text[start:end], start, end, context=ctx, phrase=phrase,
                  part=part, **kw)  # type: ignore[arg-type]
        )  # fmt: skip


def _year_near(month: int, day: int, published: date) -> date | None:
    best: date | None = None
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            cand = date(year, month, day)
        except ValueError:
            continue
        if best is None or abs((cand - published).days) < abs((best - published).days):
            best = cand
    return best


def _read_days(r: _Reader) -> None:
    months, days = _calendar()
    toks = r.tokens
    for i, tok in enumerate(toks):
        if i in r.taken or tok.kind != "word":
            continue
        key = tok.folded.rstrip(".")
        if key in days and r.published is not None:
            lo, hi, when = i, i, None
            # "mardi 16 septembre" / "Tuesday, Sept 16": the explicit date wins
            j = i + 1 + (i + 1 < len(toks) and toks[i + 1].text == ",")
            if j + 1 < len(toks) and toks[j].kind == "num" and toks[j + 1].folded.rstrip(".") in {
                *months, "may", "mar"}:  # fmt: skip
                continue  # read as a day-month below
            back = (r.published.weekday() - days[key]) % 7
            when = r.published - timedelta(days=back if back <= 3 else back - 7)
            r.add(ValueKind.DAY, when.toordinal(), when.toordinal(), lo, hi)
        elif key in lx.RELATIVE_DAYS and r.published is not None:
            when = r.published + timedelta(days=lx.RELATIVE_DAYS[key])
            r.add(ValueKind.DAY, when.toordinal(), when.toordinal(), i, i)
    _read_day_months(r, months)


def _read_day_months(r: _Reader, months: dict[str, int]) -> None:
    toks = r.tokens
    all_months = {**months, "may": 5, "mar": 3}
    for i, tok in enumerate(toks):
        if i in r.taken or tok.kind != "num" or not tok.text.isdigit():
            continue
        day = int(tok.text)
        nxt = toks[i + 1].folded.rstrip(".") if i + 1 < len(toks) else ""
        prev = toks[i - 1].folded.rstrip(".") if i else ""
        if nxt in all_months and 1 <= day <= 31:  # "16 septembre", "12 mars 2025"
            month, lo, hi = all_months[nxt], i, i + 1
        elif prev in all_months and 1 <= day <= 31 and i - 1 not in r.taken:  # "Sept 16"
            month, lo, hi = all_months[prev], i - 1, i
        else:
            continue
        year = None
        if hi + 1 < len(toks) and toks[hi + 1].text.isdigit() and len(toks[hi + 1].text) == 4:
            year, hi = int(toks[hi + 1].text), hi + 1
        if lo > 0 and toks[lo - 1].folded in _calendar()[1]:
            lo -= 1  # the weekday before it is part of the date
        when: date | None = None
        if year is not None:
            try:
                when = date(year, month, day)
            except ValueError:
                when = None
        elif r.published is not None:
            when = _year_near(month, day, r.published)
        if when is not None:
            r.add(ValueKind.DAY, when.toordinal(), when.toordinal(), lo, hi)
        else:
            r.taken.update(range(lo, hi + 1))


def _read_times(r: _Reader) -> None:
    for m in _TIME.finditer(r.text):
        hour = int(m.group(1) or m.group(4))
        minute = int(m.group(2) or 0)
        ampm = (m.group(3) or m.group(5) or "").lower().replace(".", "")
        if m.group(2) and m.group(0)[len(m.group(1))] == "." and not ampm:
            continue  # "4.30" without am/pm is a decimal number
        if ampm == "pm" and hour < 12:
            hour += 12
        if ampm == "am" and hour == 12:
            hour = 0
        if hour > 24 or minute > 59:
            continue
        idx = [k for k, t in enumerate(r.tokens) if t.start < m.end() and t.end > m.start()]
        if not idx or any(k in r.taken for k in idx):
            continue
        value = 60.0 * hour + minute
        r.add(ValueKind.TIME, value, value, idx[0], idx[-1])


def _unit_after(r: _Reader, k: int) -> tuple[ValueKind, str, int] | None:
    """Percent, currency or measure unit starting at token ``k``: (kind, unit, last)."""
    toks = r.tokens
    if k >= len(toks):
        return None
    if toks[k].text == "%":
        return ValueKind.PERCENT, "%", k
    for words in lx.PERCENT_WORDS:
        got = tuple(t.folded for t in toks[k : k + len(words)])
        if got == words:
            return ValueKind.PERCENT, "%", k + len(words) - 1
    j = k + (toks[k].folded in ("de", "of") and k + 1 < len(toks))
    if toks[j].text in lx.CURRENCY_SYMBOLS:
        return ValueKind.MONEY, lx.CURRENCY_SYMBOLS[toks[j].text], j
    if _bare(toks[j].folded) in lx.CURRENCY_WORDS:
        return ValueKind.MONEY, lx.CURRENCY_WORDS[_bare(toks[j].folded)], j
    if toks[k].folded in lx.MEASURE_UNITS and not (
        toks[k].folded in ("m", "t", "g", "l") and k + 1 < len(toks) and toks[k + 1].kind == "word"
        and toks[k].end == toks[k + 1].start
    ):
        return ValueKind.MEASURE, lx.MEASURE_UNITS[toks[k].folded], k
    return None


def _number_at(r: _Reader, i: int) -> tuple[float, float, int] | None:
    """A number starting at token ``i`` (digits or number words, with a multiplier after
    it): (value, rounding unit of what was written, last token)."""
    toks = r.tokens
    tok = toks[i]
    if tok.kind == "num":
        parsed = parse_number(tok.text, r.language)
        if parsed is None or (tok.text[0] == "0" and tok.text[:2] not in ("0", "0.", "0,")
                              and len(tok.text) > 1):
            return None  # "0335 GMT": a time or a code, not a quantity
        value, decimals = parsed
    elif tok.folded in (words := lx.number_words(r.language)):
        value, decimals = float(words[tok.folded]), 0
    else:
        return None
    last = i
    if tok.kind == "word" and last + 1 < len(toks) and toks[last + 1].folded in ("cent", "cents"):
        value, last = value * 100, last + 1  # "trois cents"
    precision = 10.0**-decimals
    if last + 1 < len(toks) and toks[last + 1].folded in lx.MULTIPLIERS:
        mult = toks[last + 1].folded
        money_near = any(t.text in lx.CURRENCY_SYMBOLS for t in toks[max(0, i - 1) : i])
        if len(mult) > 2 or money_near:
            value *= lx.MULTIPLIERS[mult]
            precision *= lx.MULTIPLIERS[mult]
            last += 1
    return value, precision, last


def _read_numbers(r: _Reader) -> None:
    toks = r.tokens
    i = 0
    while i < len(toks):
        if i in r.taken:
            i += 1
            continue
        got = _number_at(r, i)
        if got is None:
            _read_vague(r, i)
            i += 1
            continue
        value, precision, last = got
        first = i
        kind, unit = ValueKind.COUNT, ""
        if i and toks[i - 1].text in lx.CURRENCY_SYMBOLS and i - 1 not in r.taken:
            kind, unit, first = ValueKind.MONEY, lx.CURRENCY_SYMBOLS[toks[i - 1].text], i - 1
        elif (after := _unit_after(r, last + 1)) is not None:
            kind, unit, last = after
        if kind is ValueKind.COUNT and toks[i].kind == "num" and precision == 1 and (
            lx.YEAR_MIN <= value <= lx.YEAR_MAX and toks[i].text.isdigit()
        ):
            nxt = toks[last + 1] if last + 1 < len(toks) else None
            prev = _bare(toks[i - 1].folded) if i else ""
            if (nxt is None or nxt.kind != "word" or nxt.folded in r.stops
                    or nxt.text[0].isupper() or prev in lx.YEAR_BEFORE):
                r.add(ValueKind.YEAR, value, value, i, i)
                i += 1
                continue
        kind, unit, factor = _time_or_age(r, kind, unit, value, first, last)
        _add_number(r, kind, unit, value * factor, precision * factor, first, last)
        i = last + 1


def _time_or_age(r: _Reader, kind: ValueKind, unit: str, value: float, first: int,
                 last: int) -> tuple[ValueKind, str, float]:  # fmt: skip
    """(kind, unit, factor to apply): a duration in years after a name and a comma, or
    after "âgé de", is an age; "20 heures" is a time of day (in minutes)."""
    toks = r.tokens
    nxt = toks[last + 1].folded if last + 1 < len(toks) else ""
    if kind is ValueKind.COUNT and nxt in lx.CLOCK_WORDS and value <= 24:
        return ValueKind.TIME, "", 60.0
    if kind is ValueKind.MEASURE and unit == "y":
        before = [_bare(t.folded) for t in toks[max(0, first - 2) : first]]
        named = first >= 2 and toks[first - 1].text == "," and toks[first - 2].text[:1].isupper()
        if named or any(w in lx.AGE_BEFORE for w in before) or nxt == "old":
            return ValueKind.AGE, "y", 1.0
    return kind, unit, 1.0


def _add_number(r: _Reader, kind: ValueKind, unit: str, value: float, precision: float,
                first: int, last: int) -> None:  # fmt: skip
    """Apply the marker before the number and "and N others" after it, then record it."""
    toks = r.tokens
    low, high, approx = value, value, False
    marker = _marker(toks, first)
    if marker is not None:
        (lo_f, hi_f), length = marker
        low, high, approx = value * lo_f, (value * hi_f if hi_f is not None else float("inf")), True
        first -= length
    relative = False
    if kind is ValueKind.COUNT and last + 1 < len(toks) and toks[last + 1].folded in lx.OTHERS:
        before = {t.folded for t in toks[max(0, first - 2) : first]}
        if before & _COORDINATORS:
            high += 1  # "Betancourt and 14 other hostages" counts 15 people in all
        else:
            relative = True  # "the 28 other hostages": other than whom, this clause may not say
    r.add(kind, low, high, first, last, unit=unit, precision=precision, approximate=approx,
          relative=relative)  # fmt: skip


def _read_vague(r: _Reader, i: int) -> None:
    """"une centaine de", "des dizaines de", "hundreds of", "dozens"."""
    tok = r.tokens[i]
    if tok.folded not in lx.VAGUE:
        return
    low, high = lx.VAGUE[tok.folded]
    first = i - 1 if i and r.tokens[i - 1].folded in ("une", "un", "des", "a", "une") else i
    r.add(ValueKind.COUNT, low, high, first, i, approximate=True, vague=True)


def parse_published(published: str | None) -> date | None:
    """The calendar day of an ISO date/datetime as written (its own time zone)."""
    if not published:
        return None
    try:
        return date.fromisoformat(published.strip()[:10])
    except ValueError:
        return None


_DIGIT = re.compile(r"\d")
_WORD_TOKEN = re.compile(_WORD_PATTERN)


@cache
def _opening_words(language: str | None, dated: bool) -> frozenset[str]:
    """The folded words a value can start at in a text without digits: number words,
    vague quantities and - when the article has a date to resolve them against -
    weekdays and relative days (every other reader starts at a digit)."""
    words = {*lx.number_words(language), *lx.VAGUE}
    if dated:
        words |= {*_calendar()[1], *lx.RELATIVE_DAYS}
    return frozenset(words)


def _may_hold_values(text: str, language: str | None, dated: bool) -> bool:
    """Whether any reader of ``values`` can find something in ``text``: a digit, or a
    word token (the same tokens ``_tokens`` cuts) a value can start at. Two thirds of
    real mentions have neither, and tokenising them for nothing was the cost of
    ``values``."""
    if _DIGIT.search(text):
        return True
    opening = _opening_words(language, dated)
    return any(_fold(w) in opening for w in _WORD_TOKEN.findall(text))


def values(
    text: str, language: str | None = None, published: str | None = None
) -> tuple[Value, ...]:
    """Every value written in ``text`` (a mention), in text order."""
    day = parse_published(published)
    if not _may_hold_values(text, language, day is not None):
        return ()
    stops = stop_words(language) | _CONNECTORS
    r = _Reader(text, _tokens(text), language, day, set(), [], stops)
    _read_times(r)
    _read_days(r)
    _read_numbers(r)
    return tuple(sorted(r.out, key=lambda v: (v.start, v.end)))


def agree(a: Value, b: Value) -> bool:
    """Whether two values of one quantity are compatible: their intervals meet once each
    exact value is allowed the rounding (or truncation) of the less precise one ("29.6" vs
    "29" or "30": yes; "18" vs "17": no)."""
    rounded = a.kind in (ValueKind.COUNT, ValueKind.PERCENT, ValueKind.MONEY, ValueKind.MEASURE)
    tol = max(a.precision, b.precision) if rounded else 0.0
    gap = max(0.0, b.low - a.high, a.low - b.high)
    return gap < tol if tol else gap == 0.0


def comparable_kinds(a: Value, b: Value) -> bool:
    """Same kind, and the same currency / measure unit where there is one; a part of a
    set ("two of the injured") only with a part."""
    return (a.kind is b.kind and (a.unit == b.unit or a.kind is ValueKind.COUNT)
            and a.part == b.part)  # fmt: skip


def day_span(vals: tuple[Value, ...]) -> tuple[float, float] | None:
    """The days a mention refers to (hull of its DAY values), None when it names none."""
    days = [v for v in vals if v.kind is ValueKind.DAY]
    if not days:
        return None
    return min(v.low for v in days), max(v.high for v in days)
