"""Dates at the top of a text: date lines ("Posted on Nov 15, 2011 6:07 PM", "Le 16
septembre 2025 à 12h40", "UPDATED 05/03/2013 at 11:00 AM EDT") and datelines opening the
first paragraph ("PARIS, 16 septembre 2025 (AFP) – ...").

A *date line* is furniture: a date with its time and a few labels ("Published",
"Updated", a weekday, a zone, "4 min read"), nothing that reads as text. It is removed from
the body (as ``date``) and gives the publication date. A *dateline* belongs to the body: a
place and a date before a dash, the lead following; it gives the date and stays.

Only the top of a text is read (its header block, and its first ``TOP_LINES`` lines): a
date further down is an event's, not the article's. A line written as an update time gives
the date only when no line gives the publication time.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from recoupe.clean.dates import (
    FoundDate,
    best_of,
    date_spans,
    find_dated,
    find_dates,
    join_numbers,
    weekday_names,
)

TOP_LINES = 5  # date lines are looked for in the first lines, and in the header block
# Words a date line may hold besides its date, time and zone and its labels ("Posted",
# "Updated", weekdays, "at", "min read"...): a place, an agency, a short byline.
DATE_LINE_MAX_OTHER_WORDS = 4
YEARLESS_MAX_OTHER_WORDS = 1  # "Jul. 7 5:59 PM EDT", "APR 28", "Mumbai, Nov 11 -"
DATELINE_PREFIX_CHARS = 80  # a dateline's date stands this close to the start of its line

_DATELINE_END = re.compile(r"^\s*(?:\([^)]{1,40}\)\s*)?[-–—:]")
_CLOCK = re.compile(
    r"\b\d{1,2}[:h.]\d{2}(?::\d{2})?\s*(?:[ap]\.?\s?m\b\.?)?|\b\d{1,2}\s?[ap]\.?m\b\.?", re.I
)
_LABELS = frozenset(
    str.split(
        """
    published posted updated last update on at by first originally story created article
    edited time am pm a.m p.m hrs min mins read reading gmt utc bst cet cest est edt cst
    cdt mst mdt pst pdt et pt ist aest akdt hkt uk publié publiée le la à mis jour mise
    modifié actualisé veröffentlicht aktualisiert am um uhr publicado actualizado el a las
    de del pubblicato aggiornato il alle gepubliceerd bijgewerkt om op atualizado em às
    """
    )
)  # fmt: skip


def _weekday_or_label(word: str) -> bool:
    folded = word.lower().rstrip(".")
    return folded in _LABELS or folded in weekday_names()


def _other_words(joined: str, spans: Sequence[tuple[int, int]]) -> int:
    """Words of ``joined`` outside the date ``spans``, clock times and labels."""
    keep = []
    last = 0
    for start, end in sorted(spans):
        keep.append(joined[last:start])
        last = max(last, end)
    keep.append(joined[last:])
    rest = _CLOCK.sub(" ", " ".join(keep))
    words = [w for w in re.findall(r"[^\W\d_][\w'’.-]*", rest)
             if (len(w) > 1 or w.isupper()) and not _weekday_or_label(w)]  # fmt: skip
    return len(words)


@lru_cache(maxsize=8192)
def date_shaped(line: str) -> bool:
    """A date line, whether or not its date can be read ("Updated 4/9/2007 6:04 PM",
    "Jul. 7 5:59 PM EDT"): it must not become a title or stay in the body."""
    joined = join_numbers(line)
    spans = date_spans(joined)
    if not spans:
        return False
    limit = DATE_LINE_MAX_OTHER_WORDS if any(y for _, _, y in spans) else YEARLESS_MAX_OTHER_WORDS
    return _other_words(joined, [(s, e) for s, e, _ in spans]) <= limit


@lru_cache(maxsize=8192)
def date_line(line: str, language: str | None, order: str | None) -> FoundDate | None:
    """The date of a date line (see the module docstring), or None when ``line`` says
    more than a date or its date cannot be read."""
    found = find_dates(line, language, order)
    if not found:
        return None
    joined = join_numbers(line)
    spans = [(d.start, d.end) for d in found] + [(s, e) for s, e, _ in date_spans(joined)]
    if _other_words(joined, spans) > DATE_LINE_MAX_OTHER_WORDS:
        return None
    return best_of(found)


def dateline(line: str, language: str | None, order: str | None) -> FoundDate | None:
    """The date of a dateline opening a paragraph ("PARIS, 16 Sept 2025 (AFP) – ...")."""
    head = line[: DATELINE_PREFIX_CHARS + 40]
    found = find_dated(head, language, order)
    if found is None or found.start > DATELINE_PREFIX_CHARS:
        return None
    before = join_numbers(head)[: found.start]
    if len(re.findall(r"[^\W\d_]{2,}", before)) > 6 or not _DATELINE_END.match(
        join_numbers(head)[found.end :]
    ):
        return None
    return found


def pick(above: Sequence[FoundDate], below: Sequence[FoundDate]) -> FoundDate | None:
    """The publication date among the date lines above the headline and below it: the
    first written as the publication time ("Questo articolo è stato pubblicato il ..."),
    else the first below the headline that is not an update time (a date above it may be
    the site's clock: "Giovedì 10 Settembre 2015"), else the first of the others."""
    labelled = [d for d in (*above, *below) if d.labelled]
    if labelled:
        return labelled[0]
    return best_of([*below, *above]) if below and not all(d.updated for d in below) else best_of(
        [*above, *below]
    )


__all__ = ["TOP_LINES", "date_line", "date_shaped", "dateline", "pick"]
