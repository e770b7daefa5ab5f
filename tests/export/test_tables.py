"""CSV tables of an export (``recoupe.export.tables``): they open with Python's csv
module and carry the claims, counts and citation numbers of the JSON export; a cell a
spreadsheet would run as a formula is defused."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from recoupe.export import CsvTable, export_document, to_csv
from recoupe.export.tables import COLUMNS, safe_cell, unformula
from tests.export.test_document import _story


def rows(text: str, table: CsvTable) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    assert tuple(reader.fieldnames or ()) == COLUMNS[table]
    return list(reader)


def assert_csv_matches_json(document: dict[str, Any]) -> None:
    """Every table of ``document`` as CSV carries what its JSON says (used here and on a
    real store in tests/web/test_desk.py)."""
    claims = rows(to_csv(document, CsvTable.CLAIMS), CsvTable.CLAIMS)
    quotes = rows(to_csv(document, CsvTable.QUOTES), CsvTable.QUOTES)
    articles = rows(to_csv(document, CsvTable.ARTICLES), CsvTable.ARTICLES)
    expected_claims = [(s, c) for s in document["stories"] for c in s["claims"]]
    assert len(claims) == len(expected_claims)
    for row, (story, c) in zip(claims, expected_claims, strict=True):
        numbers = {a["id"]: a["number"] for a in story["articles"]}
        assert (int(row["story"]), row["claim"], unformula(row["text"])) == (
            story["id"], c["id"], c["text"])
        assert int(row["articles"]) == c["support"]["articles"] == len(c["articles"])
        assert int(row["independent_origins"]) == c["support"]["origins"]
        assert int(row["outlets"]) == c["support"]["outlets"]
        assert row["disputed"] == ("yes" if c["disputed"] else "no")
        assert row["article_numbers"].split() == [str(n) for n in
                                                  sorted(numbers[a] for a in c["articles"])]
        assert int(row["mention_article_number"]) == numbers[c["mentions"][0]["article"]]
        first = c["first_seen"]
        if first is not None:
            assert int(row["first_seen_article_number"]) == numbers[first["article"]]
    expected_quotes = [(s, q) for s in document["stories"] for q in s["quotes"]]
    assert len(quotes) == len(expected_quotes)
    for row, (story, q) in zip(quotes, expected_quotes, strict=True):
        numbers = {a["id"]: a["number"] for a in story["articles"]}
        assert int(row["article_number"]) == numbers[q["article"]]
        assert (unformula(row["text"]), int(row["start"]), int(row["end"])) == (
            q["text"], q["start"], q["end"])
    expected_articles = [(s, a) for s in document["stories"] for a in s["articles"]]
    assert [(int(r["article_number"]), r["article"]) for r in articles] == [
        (a["number"], a["id"]) for _, a in expected_articles]


def test_csv_tables_carry_the_json_export() -> None:
    document = export_document([_story()])
    assert_csv_matches_json(document)
    claims = rows(to_csv(document, CsvTable.CLAIMS), CsvTable.CLAIMS)
    assert [r["claim"] for r in claims] == ["g1", "g2"]
    assert claims[0]["disputes"] == "11 vs 12" and claims[0]["attributed_to"] == "the mayor"


def test_formula_cells_are_defused_and_restored() -> None:
    for text in ("=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "\tx"):
        cell = safe_cell(text)
        assert cell.startswith("'") and unformula(cell) == text
    assert safe_cell("a = b") == "a = b" and unformula("'quoted") == "'quoted"
    assert (safe_cell(None), safe_cell(True), safe_cell(3)) == ("", "yes", "3")


@pytest.mark.parametrize("table", list(CsvTable))
def test_hostile_text_stays_in_its_cell(table: CsvTable) -> None:
    document = export_document([_story()])
    story = document["stories"][0]
    story["claims"][0]["text"] = '=cmd|" /C calc"!A0,\n"quoted"'
    story["articles"][0]["title"] = "=1+1"
    parsed = rows(to_csv(document, table), table)
    if table is CsvTable.CLAIMS:
        assert unformula(parsed[0]["text"]) == story["claims"][0]["text"]
        assert parsed[0]["text"].startswith("'=")
    if table is CsvTable.ARTICLES:
        assert parsed[0]["title"] == "'=1+1"
