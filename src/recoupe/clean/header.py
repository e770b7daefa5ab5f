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

from recoupe.clean.dates import FoundDate, find_dated, find_dates, join_numbers

TOP_LINES = 5  # date lines are looked for in the first lines, and in the header block
DATE_LINE_MAX_OTHER_WORDS = 10  # words besides the date, time and zone in a date line
DATELINE_PREFIX_CHARS = 80  # a dateline's date stands this close to the start of its line

_DATELINE_END = re.compile(r"^\s*(?:\([^)]{1,40}\)\s*)?[-–—:]")


def _other_words(line: str, found: Sequence[FoundDate]) -> int:
    joined = join_numbers(line)
    keep = []
    last = 0
    for d in found:
        keep.append(joined[last : d.start])
        last = d.end
    keep.append(joined[last:])
    rest = " ".join(keep)
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", rest) if len(w) > 1 or w.isupper()]
    return len(words)


def date_line(line: str, language: str | None, order: str | None) -> FoundDate | None:
    """The date of a date line (see the module docstring), or None when ``line`` says
    more than a date."""
    found = find_dates(line, language, order)
    if not found or _other_words(line, found) > DATE_LINE_MAX_OTHER_WORDS:
        return None
    return next((d for d in found if not d.updated), found[0])


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


def pick(found: Sequence[FoundDate]) -> FoundDate | None:
    """The publication date among the dates of the top lines: the first not written as an
    update time, else the first."""
    return next((d for d in found if not d.updated), found[0] if found else None)


__all__ = ["TOP_LINES", "date_line", "dateline", "pick"]
