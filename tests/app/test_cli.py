"""The CLI end to end, in process: commands, summaries and exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from recoupe.cli import main

REPO = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    import sys

    old = sys.argv
    sys.argv = ["recoupe", *args]
    try:
        main()
    except SystemExit as exc:
        code = int(exc.code or 0)
    finally:
        sys.argv = old
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture()
def seeds_db(tmp_path: Path, seeds_dir: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    db = tmp_path / "s.db"
    code, out, _ = run(capsys, "ingest", str(seeds_dir), "--db", str(db))
    assert code == 0
    assert "2 accepted, 0 duplicate, 0 rejected" in out
    return db


def test_ingest_is_idempotent(
    seeds_db: Path, seeds_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "ingest", str(seeds_dir), "--db", str(seeds_db))
    assert code == 0
    assert "0 accepted, 2 duplicate, 0 rejected" in out


def test_articles_and_show(seeds_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "articles", "--db", str(seeds_db), "--json")
    assert code == 0
    rows = json.loads(out)
    assert {r["language"] for r in rows} == {"fr"}
    by_outlet = {r["outlet"]: r for r in rows}
    doc_id = by_outlet["Nouvelles Du Monde"]["id"]

    code, out, _ = run(capsys, "show", doc_id[:8], "--db", str(seeds_db), "--json")
    assert code == 0
    doc = json.loads(out)
    reasons = {r["reason"] for r in doc["removed"]}
    assert {"site-name", "teaser", "share-buttons", "advertisement"} <= reasons
    for s in doc["sentences"]:
        assert 0 <= s["start"] < s["end"] <= len(doc["text"])

    code, out, _ = run(capsys, "show", doc_id, "--db", str(seeds_db))
    assert code == 0
    assert "restore with" in out


def test_filters_and_search(seeds_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "articles", "--db", str(seeds_db), "--lang", "en", "--json")
    assert code == 0 and json.loads(out) == []
    code, out, _ = run(capsys, "articles", "--db", str(seeds_db), "--search", "Ryder", "--json")
    assert code == 0 and len(json.loads(out)) == 1


def test_restore_puts_line_back(seeds_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "articles", "--db", str(seeds_db), "--json")
    doc_id = next(r["id"] for r in json.loads(out) if r["outlet"] == "Nouvelles Du Monde")
    _, out, _ = run(capsys, "show", doc_id, "--db", str(seeds_db), "--json")
    before = json.loads(out)
    ad = next(r for r in before["removed"] if r["reason"] == "advertisement")
    code, out, _ = run(capsys, "restore", doc_id, str(ad["line_no"]), "--db", str(seeds_db))
    assert code == 0
    _, out, _ = run(capsys, "show", doc_id, "--db", str(seeds_db), "--json")
    after = json.loads(out)
    assert after["text"].endswith(ad["text"])
    assert len(after["removed"]) == len(before["removed"]) - 1


def test_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str], seeds_db: Path) -> None:
    code, _, err = run(capsys, "show", "ffffffffffff", "--db", str(seeds_db))
    assert code == 4 and "error" in err
    code, _, err = run(capsys, "ingest", str(tmp_path / "missing"), "--db", str(seeds_db))
    assert code == 3
    bad = tmp_path / "bad.toml"
    bad.write_text("[ingest]\nmax_bytes = 'big'\n", encoding="utf-8")
    code, _, err = run(capsys, "articles", "--config", str(bad), "--db", str(seeds_db))
    assert code == 6 and "max_bytes" in err
    not_db = tmp_path / "not.db"
    not_db.write_bytes(b"this is not a database" * 100)
    code, _, _ = run(capsys, "articles", "--db", str(not_db))
    assert code == 5
    code, _, _ = run(capsys, "frobnicate")
    assert code == 2


def test_bad_inputs_are_counted_not_fatal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], seeds_dir: Path
) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copy(next(seeds_dir.glob("000_*.txt")), folder / "good.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blob.txt").write_bytes(bytes(range(256)) * 40)
    (folder / "broken.jsonl").write_text(
        '{"text": "ok enough text to keep here, really."}\n{oops\n'
    )
    (folder / "tiny.txt").write_text("Facebook\nTwitter\n")
    code, out, _ = run(capsys, "ingest", str(folder), "--db", str(tmp_path / "m.db"))
    assert code == 0
    assert "2 accepted" in out
    assert "4 rejected" in out
    code, out, _ = run(capsys, "rejections", "--db", str(tmp_path / "m.db"))
    assert code == 0
    for reason in ("empty", "binary", "malformed-json", "no-text"):
        assert reason in out


@pytest.mark.slow
def test_copies_and_reuse_on_seeds(seeds_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The two seed articles re-translate one AP story: one origin group of two, direction
    unknown (no dates, neither is a superset), and their shared passages side by side."""
    code, out, _ = run(capsys, "copies", "--db", str(seeds_db), "--json")
    assert code == 0
    data = json.loads(out[out.index("{") :])
    (group,) = data["origin_groups"]
    assert len(group["members"]) == 2
    assert data["near_duplicate_groups"] == []  # re-translations, not near-duplicates
    assert group["root"] is None and group["direction"].startswith("unknown")

    a, b = group["members"]
    code, out, _ = run(capsys, "reuse", a, b, "--db", str(seeds_db), "--json")
    assert code == 0
    links = json.loads(out)
    assert len(links) >= 5
    assert {link["kind"] for link in links} <= {"near", "paraphrase", "verbatim"}
    code, out, _ = run(capsys, "reuse", a, b, "--db", str(seeds_db))
    assert code == 0 and "shared passage(s)" in out
