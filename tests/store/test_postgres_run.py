"""The whole app on PostgreSQL: ``recoupe run`` over the demo corpus with
``--db postgresql://...`` then ``recoupe stories --db ...`` give the same stories, origin
groups and findings as the same run on SQLite (``examples/README.md``: three stories, one
wire origin group). Skipped without ``RECOUPE_TEST_POSTGRES`` (fails under CI=true)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from recoupe.store.factory import open_store
from tests.app.test_cli import run
from tests.store.backends import postgres_schema

pytestmark = pytest.mark.slow
CORPUS = Path(__file__).resolve().parents[2] / "examples" / "corpus"


PAGES = ("/", "/articles?q=incendie", "/articles?q=%22battery+plant%22", "/stories",
         "/stories?q=s%C3%A9cheresse", "/origins", "/topics")


def _pages(location: str) -> list[str]:
    """The web UI's pages over the store at ``location``, and every story's page."""
    from starlette.testclient import TestClient

    from recoupe.web.server import create_app

    with open_store(location, create=False) as store, TestClient(create_app(store)) as client:
        paths = [*PAGES, *(f"/stories/{s.id}" for s in store.stories.list_stories())]
        responses = [client.get(p) for p in paths]
    assert all(r.status_code == 200 for r in responses), [r.status_code for r in responses]
    return [r.text for r in responses]


def _contents(location: str) -> tuple[object, ...]:
    with open_store(location, create=False) as store:
        stories = store.stories.list_stories()
        return (
            stories,
            store.copies.origin_groups(),
            store.copies.near_duplicates(),
            store.copies.reuse_links(),
            [store.findings.get(s.id) for s in stories],
        )


def test_demo_corpus_runs_on_postgres_as_on_sqlite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sqlite = str(tmp_path / "demo.db")
    with postgres_schema() as url:
        for db in (sqlite, url):
            code, out, err = run(capsys, "run", str(CORPUS), "--db", db, "--workers", "1")
            assert code == 0, err
            assert "13 accepted" in out
        code, out, err = run(capsys, "stories", "--db", url, "--json", "--no-update")
        assert code == 0, err
        listed = json.loads(out)
        assert sorted(s["n_articles"] for s in listed) == [3, 4, 6]
        code, out, _ = run(capsys, "stories", "--db", url, "--json", "--no-update",
                           "--search", "incendie")  # fmt: skip
        assert code == 0 and 1 <= len(json.loads(out)) <= 2
        on_postgres = _contents(url)
        _, groups, *_ = on_postgres
        assert len(groups) == 1 and len(groups[0].members) == 4  # type: ignore[arg-type,index]
        assert all(f is not None for f in on_postgres[4])  # type: ignore[attr-defined]
        assert on_postgres == _contents(sqlite)
        assert _pages(url) == _pages(sqlite)  # the web UI shows the same on both
        # Running again adds nothing: every step is incremental and idempotent.
        code, out, err = run(capsys, "run", str(CORPUS), "--db", url, "--workers", "1")
        assert code == 0 and "13 duplicate" in out, err
        assert _contents(url) == on_postgres
