"""Stores the web tests read: the demo corpus (with copies found by a cheap deterministic
encoder) and a store of hostile articles whose text and metadata carry markup and
script; and copies of both with their stories built and corroborated."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from recoupe import app
from recoupe.config import Settings
from recoupe.nlp.encoder import HashingEncoder
from recoupe.types import Story

CORPUS = Path(__file__).resolve().parents[2] / "examples" / "corpus"

SCRIPT = "<script>alert(1)</script>"
IMG = '<img src=x onerror="window.__xss=1">'
HOSTILE_BODY = (
    "A council meeting in Dunkerque voted on the harbour budget on Monday evening, "
    f"and a resident pasted {SCRIPT} into the public comment form.\n\n"
    f"Another resident wrote {IMG} in the minutes, which the clerk printed as it was. "
    "The budget passed by 31 votes to 12 after a long debate about the new ferry berth.\n\n"
    "The mayor said the works would start in the spring and last two years, and that "
    "the port authority would pay for half of them."
)


def _hostile_records() -> list[dict[str, str]]:
    """Two copies of one hostile article (so copies, passages and an origin group are
    rendered from hostile text) and one with hostile metadata."""
    base = {"date": "2025-09-20", "url": "javascript:window.__xss=2", "text": HOSTILE_BODY}
    return [
        {**base, "title": f"Council budget {SCRIPT}", "outlet": IMG},
        {**base, "title": "Council budget (copy)", "outlet": "Copy Daily",
         "text": HOSTILE_BODY + "\n\nThis copy adds a closing line about the harbour."},
        {"date": "2025-09-21", "title": f"{IMG} Ferry berth", "outlet": "Port News",
         "url": "https://port.example/ferry?a=1&b=<2>",
         "text": "The ferry berth works were delayed again. " * 6 + SCRIPT},
    ]  # fmt: skip


HOSTILE_TEXT = """Port News
Menu
<script>window.__xss=4</script>
Ferry berth works delayed again <b>after</b> storm

The ferry berth works in the harbour were delayed again on Tuesday after a storm damaged \
the new quay wall, the port authority said.

Engineers will inspect the wall this week and decide whether the concrete must be poured \
again, which would add two months to the works.

Share
Facebook
Advertisement <img src=x onerror="window.__xss=5">
"""  # a text page: its header line with a script is removed, so shown greyed


HOSTILE_QUOTE = f"""Dunkerque council votes harbour budget {IMG}

"We will start the works on the ferry berth in the spring {SCRIPT}," the mayor of \
Dunkerque said on Monday, after the council voted the harbour budget by 31 votes to 12.

The port authority will pay for half of the works, the mayor told the council meeting.
"""  # a quote (speaker, cue, quoted text) whose text carries markup


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo corpus, its copies (HashingEncoder), and one rejected input."""
    folder = tmp_path_factory.mktemp("web-corpus")
    db = folder / "demo.db"
    empty = folder / "inputs" / "empty.txt"
    empty.parent.mkdir()
    empty.write_text("")
    settings = Settings(db=db)
    with app.open_store(settings) as repo:
        report = app.ingest(repo, [str(CORPUS), str(empty)], settings)
        assert (report.accepted, report.rejected) == (13, 1)
        app.find_copies(repo, encoder=HashingEncoder())
    return db


@pytest.fixture(scope="session")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Articles whose text, title, outlet, URL and input name carry markup."""
    folder = tmp_path_factory.mktemp("web-hostile")
    db = folder / "hostile.db"
    inputs = folder / "inputs"
    inputs.mkdir()
    lines = "\n".join(json.dumps(r) for r in _hostile_records())
    (inputs / "feed.jsonl").write_text(lines + "\n", encoding="utf-8")
    (inputs / "port-news_berth.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    (inputs / "<img src=x onerror=alert(5)>.txt").write_text("")  # rejected: empty
    settings = Settings(db=db)
    with app.open_store(settings) as repo:
        report = app.ingest(repo, [str(inputs)], settings)
        assert (report.accepted, report.rejected) == (4, 1), report.rejections
        app.find_copies(repo, encoder=HashingEncoder())
    return db


def _copy_store(source: Path, target: Path) -> None:
    """A consistent copy of a store (SQLite's backup: other tests may hold it open)."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _with_stories(
    source: Path,
    target: Path,
    corroborate: Callable[[list[Story]], list[int]],
    more: Sequence[Path] = (),
) -> None:
    """``source`` copied to ``target`` with the inputs ``more`` added, its stories built,
    and the stories chosen by ``corroborate`` corroborated (findings stored, as
    `recoupe summary` does)."""
    _copy_store(source, target)
    settings = Settings(db=target)
    with app.open_store(settings) as repo:
        if more:
            app.ingest(repo, [str(p) for p in more], settings)
        app.build_stories(repo, encoder=HashingEncoder())
        for story_id in corroborate(app.list_stories(repo)):
            app.story_report(repo, story_id, encoder=HashingEncoder())


def largest_story(stories: Sequence[Story]) -> Story:
    return max(stories, key=lambda s: (len(s.members), -s.id))


@pytest.fixture(scope="session")
def story_db(corpus_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo corpus with its stories; only the largest story is corroborated."""
    db = tmp_path_factory.mktemp("web-stories") / "stories.db"
    _with_stories(corpus_db, db, lambda stories: [largest_story(stories).id])
    return db


@pytest.fixture(scope="session")
def hostile_story_db(hostile_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile articles in stories, with one more carrying a hostile quote; every
    story corroborated."""
    folder = tmp_path_factory.mktemp("web-hostile-stories")
    db = folder / "hostile-stories.db"
    quote = folder / "quote.txt"
    quote.write_text(HOSTILE_QUOTE, encoding="utf-8")
    _with_stories(hostile_db, db, lambda stories: [s.id for s in stories], [quote])
    return db
