"""Whole-text entities per article (schema v4): stored once per model, read back in
order, forgotten with the article's derived data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from recoupe.store.sqlite import SQLiteStore
from recoupe.types import Entity
from tests.store.test_sqlite import make_doc


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[SQLiteStore]:
    with SQLiteStore(tmp_path / "store.db") as r:
        yield r


def test_text_entities_roundtrip_and_runs(repo: SQLiteStore) -> None:
    a, b = make_doc("Pat Ryder a parlé."), make_doc("Kim Jong Un aussi.")
    repo.documents.add_documents([a, b])
    ents = [Entity("name:pat ryder", "PER", "Pat Ryder", 3), Entity("country:US", "LOC", "US", 1)]
    repo.stories.put_text_entities("m1", {a.id: ents, b.id: []})
    assert repo.stories.text_entities_done("m1", [a.id, b.id, "nope"]) == {a.id, b.id}
    assert repo.stories.text_entities_done("m2", [a.id]) == set()
    got = repo.stories.text_entities_of([a.id, b.id])
    assert got[a.id] == ents and got[b.id] == []
    assert repo.stories.entities_of([a.id]) == {a.id: []}  # the lead entities are apart
    repo.stories.put_text_entities("m1", {a.id: ents[:1]})
    assert repo.stories.text_entities_of([a.id])[a.id] == ents[:1]
    repo.stories.forget_document(a.id)
    assert repo.stories.text_entities_done("m1", [a.id]) == set()
