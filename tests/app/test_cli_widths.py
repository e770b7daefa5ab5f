"""CLI tables at 80 columns: nothing cut off, no word broken across lines; and a
summary shorter than ``--words`` asked says why."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import recoupe.app.corpus as corpus
from recoupe import app
from recoupe.cli.common import err, out
from recoupe.config import Settings
from recoupe.nlp.encoder import HashingEncoder
from tests.app.test_cli import run

CORPUS = Path(__file__).resolve().parents[2] / "examples" / "corpus"
WORD = re.compile(r"[^\W_][^\s]{0,14}[^\W_]")  # a token short enough for any column


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    db = tmp_path_factory.mktemp("widths") / "w.db"
    settings = Settings(db=db)
    with app.open_store(settings) as repo:
        app.ingest(repo, [str(CORPUS)], settings)
        app.find_copies(repo, encoder=HashingEncoder())
        app.build_stories(repo, encoder=HashingEncoder())
        story = max(app.list_stories(repo), key=lambda s: (len(s.members), -s.id))
    return db, story.id


@pytest.fixture()
def narrow(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(out, "width", 80)
    monkeypatch.setattr(err, "width", 80)
    monkeypatch.setattr(corpus, "shared_usem3", HashingEncoder)


def _readable(text: str, words: set[str]) -> None:
    lines = text.splitlines()
    assert lines and max(len(line) for line in lines) <= 80
    flat = " ".join(lines)
    for word in words:
        assert word in flat, word  # whole: a broken word has a line break inside


def test_articles_table_fits_80_columns(store: tuple[Path, int], narrow: None,
                                        capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    db, _ = store
    code, text, _ = run(capsys, "articles", "--db", str(db))
    assert code == 0
    with app.open_store(Settings(db=db)) as repo:
        rows = repo.documents.list_documents()
    for r in rows:
        assert r.id in text  # whole ids: they are what other commands take
    _readable(text, {w for r in rows for w in WORD.findall(r.title or "")})


def test_corroborate_table_breaks_no_word(store: tuple[Path, int], narrow: None,
                                          capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    db, story_id = store
    code, text, _ = run(capsys, "corroborate", str(story_id), "--db", str(db))
    assert code == 0
    table = text.split("disagreement (")[0].split("update (")[0]
    with app.open_store(Settings(db=db)) as repo:
        found = repo.findings.get(story_id)
    assert found is not None
    shown = [g for g in found.groups if len(g.articles) > 1]
    assert shown
    _readable(table, {w for g in shown for w in WORD.findall(g.mentions[0].text)})


def test_summary_says_why_it_is_shorter(store: tuple[Path, int], narrow: None,
                                        capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    db, story_id = store
    code, text, errors = run(capsys, "summary", str(story_id), "--db", str(db), "--words", "400")
    assert code == 0
    words = int(re.search(r"\n(\d+) words", text)[1])  # type: ignore[index]
    if words < 0.9 * 400:
        assert f"summary of {words} words, not 400" in " ".join(errors.split())
    else:
        assert "summary of" not in errors


def test_export_csv_carries_the_json_export(store: tuple[Path, int], narrow: None,
                                            capsys: pytest.CaptureFixture[str],
                                            tmp_path: Path) -> None:  # fmt: skip
    import json

    from tests.export.test_tables import assert_csv_matches_json, rows

    db, story_id = store
    code, text, _ = run(capsys, "export", str(story_id), "--db", str(db))
    assert code == 0
    document = json.loads(text)
    assert_csv_matches_json(document)
    from recoupe.export import CsvTable

    for table in CsvTable:
        target = tmp_path / f"{table}.csv"
        code, _, _ = run(capsys, "export", str(story_id), "--db", str(db), "--format", "csv",
                         "--table", str(table), "-o", str(target))  # fmt: skip
        assert code == 0
        parsed = rows(target.read_text(encoding="utf-8"), table)
        if table is CsvTable.CLAIMS:
            claims = document["stories"][0]["claims"]
            assert [r["claim"] for r in parsed] == [c["id"] for c in claims]
            assert [int(r["independent_origins"]) for r in parsed] == [
                c["support"]["origins"] for c in claims]
