"""CSV tables of an export: a story's claims, quotes and articles, one row each, as a
journalist pastes them into a spreadsheet.

Rendered from the export document (``document.py``) like the Markdown and HTML reports,
so a CSV cannot disagree with the JSON: the same claims in the same order, the same
counts, the same citation numbers (``article_number``, the ``number`` of the JSON's
articles). A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return gets a leading apostrophe: spreadsheets run such cells as formulas, and article
text is written by strangers (CSV injection). ``unformula`` undoes it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from enum import StrEnum
from typing import Any

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class CsvTable(StrEnum):
    """The CSV tables of an export."""

    CLAIMS = "claims"
    QUOTES = "quotes"
    ARTICLES = "articles"


COLUMNS: dict[CsvTable, tuple[str, ...]] = {
    CsvTable.CLAIMS: (
        "story", "claim", "text", "articles", "independent_origins", "outlets",
        "languages", "sources", "disputed", "disputes", "attributed_to",
        "first_seen_published", "first_seen_outlet", "first_seen_article_number",
        "article_numbers", "mention_article_number", "mention_start", "mention_end",
    ),
    CsvTable.QUOTES: (
        "story", "article_number", "article", "outlet", "published", "speaker",
        "anonymous", "cue", "text", "start", "end",
    ),
    CsvTable.ARTICLES: (
        "story", "article_number", "article", "published", "outlet", "language", "title",
        "url", "origin", "characters",
    ),
}  # fmt: skip


def safe_cell(value: object) -> str:
    """A cell's text, with a leading apostrophe when a spreadsheet would run it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def unformula(cell: str) -> str:
    """The text ``safe_cell`` was given (for readers that compare with the JSON)."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(_FORMULA_START) else cell


def _numbers(story: dict[str, Any]) -> dict[str, int]:
    return {a["id"]: a["number"] for a in story["articles"]}


def _refs(ids: Iterable[str], numbers: dict[str, int]) -> str:
    """Citation numbers of ``ids`` ("1 3 4"), in number order ("?" for an article no
    longer in the story)."""
    known = sorted(numbers[i] for i in ids if i in numbers)
    unknown = ["?" for i in ids if i not in numbers]
    return " ".join([*(str(n) for n in known), *unknown])


def _claim_rows(story: dict[str, Any]) -> Iterator[list[object]]:
    numbers = _numbers(story)
    for c in story["claims"]:
        first, mention = c["first_seen"], c["mentions"][0]
        disputes = "; ".join(f"{d['left']} vs {d['right']}" for d in c["disputes"])
        who = "; ".join(s["name"] + (" (anonymous)" if s["anonymous"] else "")
                        for s in c["attributed_to"])  # fmt: skip
        yield [
            story["id"], c["id"], c["text"], c["support"]["articles"], c["support"]["origins"],
            c["support"]["outlets"], c["support"]["languages"], c["support"]["sources"],
            c["disputed"], disputes, who, first and first["published"],
            first and first["outlet"], first and numbers.get(first["article"]),
            _refs(c["articles"], numbers), numbers.get(mention["article"]),
            mention["start"], mention["end"],
        ]  # fmt: skip


def _quote_rows(story: dict[str, Any]) -> Iterator[list[object]]:
    numbers = _numbers(story)
    articles = {a["id"]: a for a in story["articles"]}
    for q in story["quotes"]:
        a = articles.get(q["article"], {})
        speaker = q["speaker"] or {}
        yield [
            story["id"], numbers.get(q["article"]), q["article"], a.get("outlet"),
            a.get("published"), speaker.get("name"), speaker.get("anonymous"), q["cue"],
            q["text"], q["start"], q["end"],
        ]  # fmt: skip


def _article_rows(story: dict[str, Any]) -> Iterator[list[object]]:
    for a in story["articles"]:
        yield [story["id"], a["number"], a["id"], a["published"], a["outlet"], a["language"],
               a["title"], a["url"], a["origin"], len(a["text"])]  # fmt: skip


_ROWS = {
    CsvTable.CLAIMS: _claim_rows, CsvTable.QUOTES: _quote_rows,
    CsvTable.ARTICLES: _article_rows,
}  # fmt: skip


def to_csv(document: dict[str, Any], table: CsvTable) -> str:
    """One table of every story of the export document, as CSV (RFC 4180, header row,
    CRLF line ends)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(COLUMNS[table])
    for story in document["stories"]:
        for row in _ROWS[table](story):
            writer.writerow([safe_cell(v) for v in row])
    return buf.getvalue()
