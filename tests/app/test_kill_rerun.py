"""A run killed with SIGKILL mid-way and run again loses nothing and duplicates nothing."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

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
