"""The web UI over each store backend (in-memory, SQLite, PostgreSQL): the demo corpus
ingested, its copies, stories and the findings of its largest story computed through
the app on each backend (a cheap deterministic encoder), then every page rendered - the
same HTML on all three. Nothing above ``store/`` knows which backend it runs on."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from recoupe import app
from recoupe.config import Settings
from recoupe.nlp.encoder import HashingEncoder
from recoupe.store.base import Store
from recoupe.web.server import create_app
from tests.store.backends import open_backend
from tests.web.conftest import CORPUS, largest_story

pytestmark = pytest.mark.slow
_CSRF = re.compile(r'name="csrf" value="[^"]*"')
PAGES = ("/", "/articles", "/articles?q=incendie", "/articles?q=%22battery+plant%22+OR+usin*",
         "/articles?lang=fr&outlet=Sud+Horizon", "/stories", "/stories?q=s%C3%A9cheresse",
         "/origins", "/topics", "/rejections")  # fmt: skip


def _pages(store: Store) -> list[str]:
    encoder = HashingEncoder()
    app.ingest(store, [str(CORPUS)], Settings(db=Path("unused.db")))
    app.find_copies(store, encoder=encoder)
    app.build_stories(store, encoder=encoder)
    stories = app.list_stories(store)
    app.story_report(store, largest_story(stories).id, encoder=encoder)
    ids = [d.id for d in store.documents.list_documents()]
    groups = store.copies.origin_groups()
    paths = [*PAGES, *(f"/stories/{s.id}" for s in stories), *(f"/articles/{i}" for i in ids),
             *(f"/origins/{g.id}" for g in groups)]  # fmt: skip
    with TestClient(create_app(store)) as client:
        responses = [client.get(p) for p in paths]
    assert [r.status_code for r in responses] == [200] * len(paths)
    # each app signs its forms with a secret of its own: the CSRF token differs by design
    return [_CSRF.sub('name="csrf" value="-"', r.text) for r in responses]


@pytest.fixture(scope="module")
def sqlite_pages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    with open_backend("sqlite", tmp_path_factory.mktemp("pages")) as store:
        yield _pages(store)


@pytest.mark.parametrize("backend", ["memory", "postgres"])
def test_pages_are_the_same_on_every_backend(
    backend: str, sqlite_pages: list[str], tmp_path: Path
) -> None:
    with open_backend(backend, tmp_path) as store:
        assert _pages(store) == sqlite_pages
