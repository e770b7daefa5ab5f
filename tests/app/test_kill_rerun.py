"""A run killed with SIGKILL mid-way and run again loses nothing and duplicates nothing:
``ingest`` (counts), and ``copies``, ``stories`` and ``run`` (the store ends identical to
an uninterrupted run's). The later stages run with the unit tests' stand-in encoder and
mention finder (``tests/app/stand_in.py``) so no model is loaded."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

N_FILES = 1500


def _write_corpus(folder: Path) -> None:
    folder.mkdir()
    for i in range(N_FILES):
        body = (
            f"Article number {i} reports that the harbour of town {i % 37} reopened on day "
            f"{i % 28 + 1}. Officials counted {i * 7 % 101} ships waiting outside the port.\n\n"
            f"A second paragraph about case {i} adds that the inquiry will report next month."
        )
        (folder / f"a{i:05d}.txt").write_text(body, encoding="utf-8")


def _count(db: Path) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.2)
        try:
            return int(con.execute("SELECT count(*) FROM documents").fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def _ingest(corpus: Path, db: Path, cwd: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    return subprocess.Popen(
        [sys.executable, "-m", "recoupe", "ingest", str(corpus), "--db", str(db)],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_sigkill_then_rerun(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    _write_corpus(corpus)
    (tmp_path / "recoupe.toml").write_text("[ingest]\nbatch_size = 10\n", encoding="utf-8")
    db = tmp_path / "store.db"

    proc = _ingest(corpus, db, tmp_path)
    deadline = time.monotonic() + 120
    while _count(db) < 50 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    at_kill = _count(db)
    assert 0 < at_kill < N_FILES, f"kill did not land mid-run ({at_kill} stored)"

    rerun = _ingest(corpus, db, tmp_path)
    stdout, stderr = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, stderr.decode()
    summary = stdout.decode()
    assert f"{N_FILES - at_kill} accepted" in summary
    assert f"{at_kill} duplicate" in summary

    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == N_FILES
    origins = con.execute("SELECT count(DISTINCT origin) FROM documents").fetchone()[0]
    assert origins == N_FILES
    con.close()


# ----- copies, stories, run: the store ends as an uninterrupted run leaves it ----------

REPO = Path(__file__).resolve().parents[2]
_SYLLABLES = ["ka", "lo", "mi", "ren", "tus", "va", "dor", "pe", "si", "gan", "bu", "rel"]
N_EVENTS, PER_EVENT = 24, 8


def _words(seed: int, n: int) -> list[str]:
    """Pseudo-words of one event: events share few words, so they are different stories."""
    out = []
    for k in range(n):
        x = (seed * 7919 + k * 104729) % 1728
        out.append(_SYLLABLES[x % 12] + _SYLLABLES[x // 12 % 12] + _SYLLABLES[x // 144 % 12])
    return out


def _event_article(event: int, copy: int) -> str:
    """An article of an event: the event's wire paragraphs (shared by its copies), then a
    paragraph of its own."""
    w = _words(event, 40)
    title = f"{w[0].title()} {w[1]} {w[2]} in {w[3].title()}"
    wire = [
        f"{w[4].title()} {w[5]} {w[6]} {w[7]} {w[8]} {w[9]} on Monday, officials in "
        f"{w[3].title()} said. The {w[10]} {w[11]} {w[12]} {w[13]} for the {w[14]} time.",
        f"{w[15].title()} {w[16]} {w[17]} {w[18]}, {w[19]} {w[20]} {w[21]} {w[22]} {w[23]}. "
        f"Witnesses described {w[24]} {w[25]} and {w[26]} {w[27]} near the {w[28]}.",
    ]
    own = (
        f"Outlet {copy} adds that {w[29 + copy % 8]} {w[30 + copy % 9]} {copy * 3 + event} "
        f"people had to leave, and that the {w[38]} {w[39]} will report next week."
    )
    return "\n\n".join([title, *wire[: 1 + copy % 2], own])


def _write_event_corpus(folder: Path) -> None:
    folder.mkdir()
    for event in range(N_EVENTS):
        for copy in range(PER_EVENT):
            day = f"2024-03-{event % 27 + 1:02d}"
            record = {
                "text": _event_article(event, copy),
                "date": day,
                "source": f"Outlet {copy}",
                "url": f"https://o{copy}.example/{event}",
            }
            path = folder / f"e{event:02d}-{copy}.json"
            path.write_text(json.dumps(record), encoding="utf-8")


_VOLATILE = {"documents": {"ingested"}, "rejections": {"recorded"}}


def _dump(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows, sorted, without the columns that record wall-clock times."""
    con = sqlite3.connect(db)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%fts%' "
            "AND name NOT LIKE 'sqlite_%'")]  # fmt: skip
        out = {}
        for table in tables:
            columns = [r[1] for r in con.execute(f"PRAGMA table_info({table})")]
            keep = [c for c in columns if c not in _VOLATILE.get(table, set())]
            rows = con.execute(f"SELECT {', '.join(keep)} FROM {table}").fetchall()
            out[table] = sorted(rows, key=repr)
        return out
    finally:
        con.close()


def _differences(got: dict[str, list[tuple[object, ...]]],
                 want: dict[str, list[tuple[object, ...]]]) -> str:  # fmt: skip
    """The tables that differ, with a few rows on each side: what a failure must show."""
    out = []
    for table in sorted(set(got) | set(want)):
        a, b = set(got.get(table, [])), set(want.get(table, []))
        if a != b:
            out.append(f"{table}: only after the rerun {sorted(a - b, key=repr)[:3]}, "
                       f"only uninterrupted {sorted(b - a, key=repr)[:3]}")  # fmt: skip
    return "; ".join(out)


def _rows(db: Path, table: str) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.2)
        try:
            return int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def _stand_in(*args: str, cwd: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PYTHONUNBUFFERED="1", PYTHONPATH=str(REPO))
    return subprocess.Popen([sys.executable, "-m", "tests.app.stand_in", *args], cwd=cwd,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip


def _finish(proc: subprocess.Popen[bytes]) -> str:
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err.decode()
    return out.decode()


def _kill_when(proc: subprocess.Popen[bytes], ready: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 300
    while not ready() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert proc.poll() is None, "the run ended before the kill point"
    proc.send_signal(signal.SIGKILL)
    proc.wait()


@pytest.fixture(scope="module")
def event_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The event corpus ingested once (the stage tests start from copies of it)."""
    folder = tmp_path_factory.mktemp("events")
    _write_event_corpus(folder / "corpus")
    _finish(_stand_in("ingest", str(folder / "corpus"), "--db", str(folder / "base.db"),
                      cwd=folder))  # fmt: skip
    return folder


def _copy(source: Path, target: Path) -> Path:
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


@pytest.mark.parametrize(
    ("command", "table", "at_least"),
    [
        ("copies", "aligned_pairs", 40),  # mid-alignment: pairs are stored one by one
        ("stories", "entity_runs", 1),  # entities stored, stories not yet
    ],
)
def test_stage_killed_and_rerun_ends_like_an_uninterrupted_run(
    event_store: Path, command: str, table: str, at_least: int
) -> None:
    base = event_store / "base.db"
    whole = _copy(base, event_store / f"{command}-whole.db")
    _finish(_stand_in(command, "--db", str(whole), cwd=event_store))
    final = _dump(whole)
    assert final[table], f"{command} stored nothing in {table}"

    killed = _copy(base, event_store / f"{command}-killed.db")
    proc = _stand_in(command, "--db", str(killed), cwd=event_store)
    _kill_when(proc, lambda: _rows(killed, table) >= at_least)
    at_kill = _dump(killed)
    assert at_kill != final, "the kill did not land mid-run"
    _finish(_stand_in(command, "--db", str(killed), cwd=event_store))
    assert _dump(killed) == final, _differences(_dump(killed), final)
    con = sqlite3.connect(killed)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()


def test_run_killed_and_rerun_ends_like_an_uninterrupted_run(event_store: Path) -> None:
    corpus = event_store / "corpus"
    whole = event_store / "run-whole.db"
    _finish(_stand_in("run", str(corpus), "--db", str(whole), cwd=event_store))
    final = _dump(whole)
    assert final["stories"] and final["aligned_pairs"]

    killed = event_store / "run-killed.db"
    proc = _stand_in("run", str(corpus), "--db", str(killed), cwd=event_store)
    _kill_when(proc, lambda: _rows(killed, "aligned_pairs") >= 40)  # ingest done, copies half
    assert _dump(killed) != final
    out = _finish(_stand_in("run", str(corpus), "--db", str(killed), cwd=event_store))
    assert f"0 accepted, {N_EVENTS * PER_EVENT} duplicate" in out
    assert _dump(killed) == final, _differences(_dump(killed), final)
