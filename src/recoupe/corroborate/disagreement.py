"""Disagreements: mentions of (nearly) the same claim that differ on a checkable detail.

A fact-checker wants to see "30 missiles" vs "40 missiles", "lundi" vs "mardi", "des
millions de roquettes" vs "des centaines de roquettes", "a confirmé" vs "n'a pas
confirmé". Pairs examined:

* two mentions of one claim group in different articles (same claim: any differing
  figure is worth showing);
* the best-scoring pair of two *close* groups (score >= ``CLOSE_MIN``, under the grouping
  threshold: a different figure lowers the cosine, so "same claim, other number" often
  lands just outside the group). There a difference only counts when it quantifies the
  same thing (same unit word after the number or quantity word), so "30 missiles" vs
  "2 sous-marins" is not flagged.

``CLOSE_MIN`` = 0.50 is the lowest threshold of the calibration sweep
(``bench/corroboration.py``): 55% of independent same-story leads and 4% of hard
negatives reach it; the shared-unit rule supplies the precision.

French and English: number words with decimal commas ("1,5 million") and thin spaces,
month and weekday names, vague quantities ("des centaines", "dozens"), negation ("ne ...
pas", "n'a jamais", "not", "never", "n't"). Years (1900-2099) count as dates.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from recoupe.corroborate.records import ClaimGroup, ClaimMention, Disagreement, DisagreementKind
from recoupe.corroborate.similarity import F32, VectorCache, score_matrix
from recoupe.nlp.encoder import Encoder
from recoupe.reuse.normalize import fold

CLOSE_MIN = 0.50
UNIT_CHARS = 5

_MONTHS = {
    **dict.fromkeys(["janvier", "january", "jan", "janv"], 1),
    **dict.fromkeys(["fevrier", "february", "feb", "fevr"], 2),
    **dict.fromkeys(["mars", "march"], 3),
    **dict.fromkeys(["avril", "april", "avr"], 4),
    **dict.fromkeys(["mai", "may"], 5),
    **dict.fromkeys(["juin", "june"], 6),
    **dict.fromkeys(["juillet", "july", "juil"], 7),
    **dict.fromkeys(["aout", "august", "aug"], 8),
    **dict.fromkeys(["septembre", "september", "sept"], 9),
    **dict.fromkeys(["octobre", "october", "oct"], 10),
    **dict.fromkeys(["novembre", "november", "nov"], 11),
    **dict.fromkeys(["decembre", "december", "dec"], 12),
}
_WEEKDAYS = {
    **dict.fromkeys(["lundi", "monday"], 1),
    **dict.fromkeys(["mardi", "tuesday"], 2),
    **dict.fromkeys(["mercredi", "wednesday"], 3),
    **dict.fromkeys(["jeudi", "thursday"], 4),
    **dict.fromkeys(["vendredi", "friday"], 5),
    **dict.fromkeys(["samedi", "saturday"], 6),
    **dict.fromkeys(["dimanche", "sunday"], 7),
}
# Vague quantities by order of magnitude ("des centaines de", "hundreds of", "dozens").
_SCALES = {
    **dict.fromkeys(["dizaine", "dizaines", "douzaine", "douzaines", "dozen", "dozens"], 1),
    **dict.fromkeys(["centaine", "centaines", "hundreds"], 2),
    **dict.fromkeys(["millier", "milliers", "thousands"], 3),
    **dict.fromkeys(["million", "millions"], 6),
    **dict.fromkeys(["milliard", "milliards", "billion", "billions"], 9),
}
_SCALE_NAMES = {1: "dozens", 2: "hundreds", 3: "thousands", 6: "millions", 9: "billions"}
_WEEKDAY_NAMES = ["", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTH_NAMES = [
    "",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
]


def _scale_text(values: frozenset[int], unit: str) -> str:
    return f"{'/'.join(_SCALE_NAMES[v] for v in sorted(values))} {unit}".strip()


_MULTIPLIERS = {"mille": 1e3, "thousand": 1e3, "million": 1e6, "millions": 1e6}
_MULTIPLIERS |= {"milliard": 1e9, "milliards": 1e9, "billion": 1e9, "billions": 1e9}
_CONNECTORS = frozenset(["de", "d", "des", "du", "of", "the", "les", "la", "le", "l"])
_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[\u00a0\u202f ,.]\d{3})*(?:[.,]\d+)?(?![\w])")
_WORD = re.compile(r"\w+")
# French negation is the particle "ne"/"n'" (kept in written news French); "ne ... que"
# is restrictive ("il n'a acheté que des obus"), not a negation, unless pas/plus/jamais
# follows too. English: not / never / no / n't.
_FR_PARTICLE = re.compile(r"\b(?:ne\b|n['’])", re.I)
_FR_NEGATORS = re.compile(r"\b(?:pas|plus|jamais|rien|aucun\w*|nul\w*|guere|ni)\b")
_FR_ONLY = re.compile(r"^\W*(?:\w+\W+){0,3}?qu(?:e\b|['’])")
_EN_NEGATION = re.compile(r"\b(?:not|never|no)\b|n['’]t\b", re.I)


def negated(text: str, language: str | None) -> bool:
    """Whether the mention is negated (an odd count is not attempted: one is enough)."""
    lang = (language or "fr")[:2]
    if lang == "en":
        return bool(_EN_NEGATION.search(text))
    if lang != "fr":
        return False  # no rules for other languages: never flag what we cannot read
    folded = fold(text)
    for m in _FR_PARTICLE.finditer(folded):
        rest = folded[m.end() : m.end() + 60]
        if _FR_NEGATORS.search(rest) or not _FR_ONLY.match(rest):
            return True
    return bool(re.search(r"\bjamais\b|\baucun", folded))


@dataclass(frozen=True, slots=True)
class Facts:
    """Checkable details of one mention. ``numbers``/``scales``: unit -> values."""

    numbers: dict[str, frozenset[float]]
    scales: dict[str, frozenset[int]]
    years: frozenset[str]  # dates as language-free text: "2019", "2 Jul", "Jul", "Monday"
    day_months: frozenset[str]
    months: frozenset[str]
    weekdays: frozenset[str]
    negated: bool
    words: dict[str, str]  # unit key -> the word as written (folded), for display


def _value(raw: str) -> float:
    s = raw.replace("\u00a0", " ").replace("\u202f", " ")
    m = re.fullmatch(r"(\d+(?:[ ,.]\d{3})*)(?:[.,](\d+))?", s)
    if m is None:  # pragma: no cover - _NUMBER only matches this shape
        return float("nan")
    whole = re.sub(r"[ ,.]", "", m.group(1))
    return float(f"{whole}.{m.group(2)}" if m.group(2) else whole)


def _unit(tokens: list[str], start: int, words: dict[str, str]) -> str:
    """The first word after ``start`` that is not a connector ("de", "of"), cut to
    ``UNIT_CHARS`` letters ("roquettes" -> "roque"; ``words`` keeps the first full form
    for display); "" when none."""
    for tok in tokens[start : start + 4]:
        if tok not in _CONNECTORS and not tok.isdigit():
            words.setdefault(tok[:UNIT_CHARS], tok)
            return tok[:UNIT_CHARS]
    return ""


def facts(text: str, language: str | None = None) -> Facts:
    """Extract numbers (with unit), vague quantities, dates and negation from a mention."""
    folded = fold(text)
    tokens = _WORD.findall(folded)
    numbers: dict[str, set[float]] = {}
    words: dict[str, str] = {"%": "%"}
    years: set[str] = set()
    day_months: set[str] = set()
    for m in _NUMBER.finditer(folded):
        value = _value(m.group())
        after = _WORD.findall(folded[m.end() : m.end() + 40])
        if after and after[0] in _MONTHS and value.is_integer() and 1 <= value <= 31:
            day_months.add(f"{int(value)} {_MONTH_NAMES[_MONTHS[after[0]]]}")
            continue
        if (
            value.is_integer()
            and 1900 <= value <= 2099
            and not re.match(r"\s*%", folded[m.end() :])
        ):
            years.add(str(int(value)))
            continue
        if after and after[0] in _MULTIPLIERS:
            value *= _MULTIPLIERS[after[0]]
            after = after[1:]
        unit = (
            "%"
            if re.match(r"\s*(?:%|pour ?cent|percent)", folded[m.end() :])
            else _unit(after, 0, words)
        )
        numbers.setdefault(unit, set()).add(value)
    scales: dict[str, set[int]] = {}
    for k, tok in enumerate(tokens):
        if tok in _SCALES and not (k and tokens[k - 1].isdigit()):
            scales.setdefault(_unit(tokens, k + 1, words), set()).add(_SCALES[tok])
    return Facts(
        numbers={u: frozenset(v) for u, v in numbers.items()},
        scales={u: frozenset(v) for u, v in scales.items()},
        years=frozenset(years),
        day_months=frozenset(day_months),
        months=frozenset(_MONTH_NAMES[_MONTHS[t]] for t in tokens if t in _MONTHS and len(t) > 3),
        weekdays=frozenset(_WEEKDAY_NAMES[_WEEKDAYS[t]] for t in tokens if t in _WEEKDAYS),
        negated=negated(text, language),
        words=words,
    )


@lru_cache(maxsize=4096)
def _facts(text: str, language: str | None) -> Facts:
    """``facts`` memoised: a group of n mentions compares each one n - 1 times."""
    return facts(text, language)


def _show(values: frozenset[float] | frozenset[int], unit: str = "") -> str:
    nums = ", ".join(f"{v:g}" for v in sorted(values))
    return f"{nums} {unit}".strip()


def compare(
    a: ClaimMention, b: ClaimMention, same_claim: bool
) -> list[tuple[DisagreementKind, str, str]]:
    """What differs between two mentions: (kind, what a says, what b says). With
    ``same_claim`` False, only differences about a shared unit count."""
    fa, fb = _facts(a.text, a.language), _facts(b.text, b.language)
    out: list[tuple[DisagreementKind, str, str]] = []
    shared = (fa.numbers.keys() & fb.numbers.keys()) - {""}
    for unit in sorted(shared):
        if not fa.numbers[unit] & fb.numbers[unit]:
            out.append(
                (
                    DisagreementKind.NUMBER,
                    _show(fa.numbers[unit], fa.words.get(unit, unit)),
                    _show(fb.numbers[unit], fb.words.get(unit, unit)),
                )
            )
    if same_claim and not shared:
        na = frozenset(v for vs in fa.numbers.values() for v in vs)
        nb = frozenset(v for vs in fb.numbers.values() for v in vs)
        if len(na) == 1 and len(nb) == 1 and na != nb:
            out.append((DisagreementKind.NUMBER, _show(na), _show(nb)))
    shared_scales = fa.scales.keys() & fb.scales.keys()
    if same_claim and not shared_scales and len(fa.scales) == 1 and len(fb.scales) == 1:
        (ua, va), (ub, vb) = next(iter(fa.scales.items())), next(iter(fb.scales.items()))
        if not va & vb:
            out.append(
                (
                    DisagreementKind.QUANTITY,
                    _scale_text(va, fa.words.get(ua, ua)),
                    _scale_text(vb, fb.words.get(ub, ub)),
                )
            )
    for unit in sorted(shared_scales):
        if not fa.scales[unit] & fb.scales[unit]:
            out.append(
                (
                    DisagreementKind.QUANTITY,
                    _scale_text(fa.scales[unit], fa.words.get(unit, unit)),
                    _scale_text(fb.scales[unit], fb.words.get(unit, unit)),
                )
            )
    if same_claim:
        for left, right in (
            (fa.weekdays, fb.weekdays),
            (fa.day_months, fb.day_months),
            (fa.years, fb.years),
            (fa.months, fb.months),
        ):
            if left and right and not left & right:
                out.append(
                    (DisagreementKind.DATE, ", ".join(sorted(left)), ", ".join(sorted(right)))
                )
                break
        if fa.negated != fb.negated:
            out.append((DisagreementKind.NEGATION, _neg_text(fa.negated), _neg_text(fb.negated)))
    return out


def _neg_text(negated: bool) -> str:
    return "negated" if negated else "affirmed"


def find_disagreements(
    groups: Sequence[ClaimGroup],
    *,
    encoder: Encoder | None = None,
    cache: VectorCache | None = None,
    close_min: float = CLOSE_MIN,
    scores: F32 | None = None,
) -> tuple[Disagreement, ...]:
    """Disagreements inside each group and between close groups of one story.

    ``scores`` may pass the ``score_matrix`` of all mentions in group order (as
    ``[m for g in groups for m in g.mentions]``); otherwise it is computed (cheap with
    the vector ``cache`` filled by grouping)."""
    mentions = [m for g in groups for m in g.mentions]
    owner = [k for k, g in enumerate(groups) for _ in g.mentions]
    out: list[Disagreement] = []
    for g in groups:
        for i, a in enumerate(g.mentions):
            for b in g.mentions[i + 1 :]:
                if a.doc_id != b.doc_id:
                    out += [
                        Disagreement(kind, a, b, left, right, g.id, g.id)
                        for kind, left, right in compare(a, b, same_claim=True)
                    ]
    if len(groups) < 2:
        return tuple(out)
    if scores is None:
        scores = score_matrix([m.text for m in mentions], [m.key for m in mentions], encoder, cache)
    gid = np.asarray(owner)
    rows, cols = np.nonzero(np.triu(scores >= close_min, k=1) & (gid[:, None] != gid[None, :]))
    best: dict[tuple[int, int], tuple[float, int, int]] = {}
    for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
        if mentions[i].doc_id == mentions[j].doc_id:
            continue
        pair = (min(owner[i], owner[j]), max(owner[i], owner[j]))
        cand = (float(scores[i, j]), -i, -j)
        if pair not in best or cand > best[pair]:
            best[pair] = cand
    for _pair, (_, ni, nj) in sorted(best.items()):
        a, b = mentions[-ni], mentions[-nj]
        out += [
            Disagreement(kind, a, b, left, right, groups[owner[-ni]].id, groups[owner[-nj]].id)
            for kind, left, right in compare(a, b, same_claim=False)
        ]
    return tuple(out)
