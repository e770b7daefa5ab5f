"""The CLI end to end, in process: commands, summaries and exit codes."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
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


# ----- hostile input and careless use (issue 13) --------------------------------------

ARTICLE = (
    "The harbour of Dunkerque reopened on Monday after the fire, the port authority said. "
    "Ships waiting outside the port were allowed in one by one during the night."
)


def test_rejection_lines_keep_their_reason_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(ARTICLE)
    (folder / "blob.txt").write_bytes(b"\x00\x01[not markup]" * 50)
    code, out, _ = run(capsys, "ingest", str(folder), "--db", str(tmp_path / "s.db"))
    assert code == 0
    assert f"rejected {folder / 'blob.txt'} [binary]: NUL bytes" in out


def test_bad_names_and_surrogates_cost_only_themselves(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file name that is not UTF-8 and a JSON Lines record holding a lone surrogate used
    to stop the run (exit 5 / exit 1), losing the rest of the batch on every rerun."""
    folder = tmp_path / "in"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), b"caf\xe9-\xff.txt"), "w") as named:
        named.write(ARTICLE)
    records = [{"text": f"Record {i}. {ARTICLE}"} for i in range(3)]
    records[1]["text"] = "Bad \udc00 record. " + ARTICLE
    records[2]["title"] = "\ud800 title"
    (folder / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    (folder / "z-last.txt").write_text("The last file, after the bad ones. " + ARTICLE)
    db = str(tmp_path / "s.db")
    code, out, _ = run(capsys, "ingest", str(folder), "--db", db)
    assert code == 0, out
    assert "5 accepted, 0 duplicate, 0 rejected" in out
    assert "repaired" in out and "U+FFFD" in out
    code, out, _ = run(capsys, "ingest", str(folder), "--db", db)
    assert code == 0 and "0 accepted, 5 duplicate, 0 rejected" in out
    _, out, _ = run(capsys, "articles", "--db", db, "--json")
    origins = {r["origin"] for r in json.loads(out)}
    assert str(folder / "caf\\xe9-\\xff.txt") in origins


def test_counts_and_dates_are_checked(seeds_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(seeds_db)
    code, out, _ = run(capsys, "articles", "--db", db, "--limit", "9" * 23)
    assert code == 0 and "2 article(s)" in out
    code, out, _ = run(capsys, "rejections", "--db", db, "--limit", "9" * 23)
    assert code == 0
    for args in (
        ("articles", "--limit", "-1"),
        ("articles", "--since", "garbage"),
        ("articles", "--until", "2025-13-99x"),
        ("stories", "--no-update", "--since", "yesterday"),
        ("stories", "--no-update", "--topic", "9" * 20),
        ("stories", "--no-update", "--limit", "-3"),
    ):
        code, _, err = run(capsys, *args, "--db", db)
        assert code == 2, (args, err)
    code, out, _ = run(capsys, "articles", "--db", db, "--since", "2022-09", "--json")
    assert code == 0


def test_exit_7_when_every_input_is_rejected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "s.db")
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "good.txt").write_text(ARTICLE)
    code, out, err = run(capsys, "ingest", str(tmp_path / "empty.txt"), "--db", db)
    assert code == 7 and "[empty]" in out and "every input was rejected" in err
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/article"
    code, out, _ = run(capsys, "ingest", url, "--db", db, "--allow-private")
    assert code == 7 and "[fetch-error]" in out
    both = [str(tmp_path / "empty.txt"), str(tmp_path / "good.txt")]
    assert run(capsys, "ingest", *both, "--db", db)[0] == 0  # one accepted
    assert run(capsys, "ingest", str(tmp_path / "good.txt"), "--db", db)[0] == 0  # duplicate
    code, out, _ = run(capsys, "run", str(tmp_path / "empty.txt"), "--db", db)
    assert code == 7 and "ingest: 0 accepted, 0 duplicate, 1 rejected" in out


def test_config_that_is_a_folder_exits_6(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "articles", "--config", str(tmp_path), "--db", str(tmp_path / "s"))
    assert code == 6 and "is a folder" in err
    (tmp_path / "zero.toml").write_text("[ingest]\nbatch_size = 0\n")
    code, _, err = run(capsys, "ingest", str(tmp_path), "--config", str(tmp_path / "zero.toml"),
                       "--db", str(tmp_path / "s.db"))  # fmt: skip
    assert code == 6 and "ingest.batch_size" in err and len(err.strip().splitlines()) == 1


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_links_out_of_the_folder_need_follow_symlinks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("A file elsewhere on the machine. " + ARTICLE)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(ARTICLE)
    (folder / "passwd.txt").symlink_to(outside)
    (folder / "etc").symlink_to(tmp_path, target_is_directory=True)
    db = str(tmp_path / "s.db")
    code, out, _ = run(capsys, "ingest", str(folder), "--db", db)
    assert code == 0 and "1 accepted, 0 duplicate, 2 rejected" in out
    assert out.count("[symlink-outside]") == 2
    code, out, _ = run(capsys, "ingest", str(folder), "--db", db, "--follow-symlinks")
    assert code == 0 and "1 accepted" in out  # outside.txt (once: the loop is walked once)


def test_two_ingests_at_once_each_count_every_input(tmp_path: Path) -> None:
    """Run together on one store, each run's summary still accounts for all its inputs:
    what the other run stored first counts as a duplicate, not as nothing."""
    import subprocess
    import sys

    folder = tmp_path / "in"
    folder.mkdir()
    n = 120
    for i in range(n):
        (folder / f"a{i:03d}.txt").write_text(f"Article {i} of the batch. {ARTICLE} Case {i}.")
    (tmp_path / "recoupe.toml").write_text("[ingest]\nbatch_size = 3\n")
    command = [sys.executable, "-m", "recoupe", "ingest", str(folder), "--db", "s.db"]
    procs = [subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]  # fmt: skip
    outs = [p.communicate(timeout=300) for p in procs]
    totals = []
    for proc, (out, err) in zip(procs, outs, strict=True):
        assert proc.returncode == 0, err
        assert f"({n} inputs" in out, out  # accepted + duplicate + rejected == n
        totals.append(int(re.findall(r"(\d+) accepted", out)[0]))
    assert sum(totals) == n  # every article stored once, by one run or the other


def _records(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_ingest_json_has_one_record_per_input_then_a_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "s.db")
    folder = tmp_path / "in"
    (folder / "2025-09-16").mkdir(parents=True)
    (folder / "2025-09-16" / "a.txt").write_text(ARTICLE)
    (folder / "2025-09-16" / "b.txt").write_text(ARTICLE)
    (folder / "empty.txt").write_text("")
    code, out, _ = run(capsys, "ingest", str(folder), "--db", db, "--json",
                       "--meta-from-path", "{date}/{name}")  # fmt: skip
    assert code == 0
    *inputs, summary = _records(out)
    outcomes = sorted((str(r["outcome"]), Path(str(r["origin"])).name) for r in inputs)
    assert outcomes == [("accepted", "a.txt"), ("duplicate", "b.txt"), ("rejected", "empty.txt")]
    accepted = next(r for r in inputs if r["outcome"] == "accepted")
    assert (accepted["published"], accepted["published_source"]) == ("2025-09-16", "path")
    assert summary == {**summary, "record": "summary", "accepted": 1, "duplicates": 1,
                       "rejected": 1, "inputs": 3, "reasons": {"empty": 1}}  # fmt: skip
    code, out, _ = run(capsys, "ingest", str(folder / "empty.txt"), "--db", db, "--json")
    assert code == 7 and _records(out)[-1]["rejected"] == 1
    code, out, _ = run(capsys, "rejections", "--db", db, "--json")
    assert code == 0 and [r["reason"] for r in json.loads(out)] == ["empty"]


def test_bad_pattern_or_format_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE)
    db = str(tmp_path / "s.db")
    code, _, err = run(capsys, "ingest", str(tmp_path), "--db", db, "--meta-from-path", "date")
    assert code == 2 and "placeholders" in err
    code, _, err = run(capsys, "ingest", str(tmp_path), "--db", db, "--format", "xml")
    assert code == 2 and "--format" in err
