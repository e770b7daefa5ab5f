"""The stories stage over a real SQLite store, with a cheap deterministic encoder:
incremental runs cluster only new articles, a rebuild is deterministic, entities are
stored per article."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from recoupe import app
from recoupe.cluster.online import OnlineClusterer
from recoupe.config import Settings
from recoupe.nlp.encoder import HashingEncoder
from recoupe.pipeline.stories import ENTITY_MODEL
from recoupe.store.sqlite import SQLiteStore

FERRY = (
    "The harbour authority of Dunmore suspended all night ferries on Tuesday after two "
    "vessels of Brisa Lines collided near the northern breakwater of Dunmore. Eleven "
    "passengers were treated at Dunmore county hospital, said Aoife Keane, the harbour master."
)
FERRY_2 = (
    "Ferry collision in Dunmore: Brisa Lines cancels crossings as investigators question "
    "crews. Harbour master Aoife Keane said the northern breakwater of Dunmore will reopen."
)
LIBRARY = (
    "The city council of Brackwater approved a new budget for its public libraries on "
    "Monday evening. Mayor Tomas Ruiz said Brackwater libraries will open on Saturdays."
)
LIBRARY_2 = (
    "Brackwater libraries to open on Saturdays after the council budget vote, Mayor Tomas "
    "Ruiz told reporters at Brackwater town hall on Monday."
)


def _write(folder: Path, name: str, date: str, text: str) -> None:
    record = {"url": f"https://news.example/{name}", "date": date, "text": text}
    (folder / f"{name}.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")


def _ingest(settings: Settings, folder: Path) -> None:
    with app.open_store(settings) as repo:
        report = app.ingest(repo, [str(folder)], settings)
        assert report.rejected == 0, report.rejections


def _ferry_store(tmp_path: Path) -> Settings:
    """A store holding the two ferry articles (one story once clustered)."""
    settings = Settings(db=tmp_path / "s.db", languages=("en",))
    folder = tmp_path / "in"
    folder.mkdir()
    _write(folder, "ferry", "2025-09-01", FERRY)
    _write(folder, "ferry2", "2025-09-02", FERRY_2)
    _ingest(settings, folder)
    return settings


def _by_name(repo: SQLiteStore) -> dict[str, str]:
    return {
        r.origin.rsplit("/", 1)[-1].split(".")[0]: r.id for r in repo.documents.list_documents()
    }


def _stories(repo: SQLiteStore) -> set[frozenset[str]]:
    names = {v: k for k, v in _by_name(repo).items()}
    return {frozenset(names[m] for m in s.members) for s in app.list_stories(repo)}


def test_incremental_runs_cluster_only_new_articles(tmp_path: Path) -> None:
    settings = Settings(db=tmp_path / "s.db", languages=("en",))
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir(), second.mkdir()
    _write(first, "ferry", "2025-09-01", FERRY)
    _write(first, "library", "2025-09-01", LIBRARY)
    _write(second, "ferry2", "2025-09-02", FERRY_2)
    _write(second, "library2", "2025-09-02", LIBRARY_2)
    _ingest(settings, first)
    with app.open_store(settings) as repo:
        report = app.build_stories(repo, encoder=HashingEncoder())
        assert (report.clustered_now, report.stories) == (2, 2)
        before = {s.id: set(s.members) for s in app.list_stories(repo)}
    _ingest(settings, second)
    with app.open_store(settings) as repo:
        report = app.build_stories(repo, encoder=HashingEncoder())
        assert report.clustered_now == 2 and report.articles == 4
        after = {s.id: set(s.members) for s in app.list_stories(repo)}
        assert all(before[k] <= after[k] for k in before)  # nobody moved
        assert _stories(repo) == {
            frozenset({"ferry", "ferry2"}),
            frozenset({"library", "library2"}),
        }
        stored = app.list_stories(repo)
        again = app.build_stories(repo, encoder=HashingEncoder())
        assert again.clustered_now == 0 and again.stories == 2 and again.articles == 4
        assert app.list_stories(repo) == stored


def test_a_run_with_nothing_new_keeps_the_stories_without_a_replay(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No article to cluster and no entities to extract again: the stored stories are
    current, so the stream is not replayed (that replay was most of a no-op run)."""
    settings = _ferry_store(tmp_path)
    with app.open_store(settings) as repo:
        app.build_stories(repo, encoder=HashingEncoder())
        stored = app.list_stories(repo)

        def no_replay(*_: object, **__: object) -> int:
            raise AssertionError("replayed")

        monkeypatch.setattr(OnlineClusterer, "restore", no_replay)
        again = app.build_stories(repo, encoder=HashingEncoder())
        assert (again.articles, again.clustered_now, again.stories) == (2, 0, 1)
        assert app.list_stories(repo) == stored


def test_rebuild_is_deterministic_and_matches_one_pass(tmp_path: Path) -> None:
    settings = Settings(db=tmp_path / "s.db", languages=("en",))
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in [("ferry", FERRY), ("library", LIBRARY), ("ferry2", FERRY_2),
                       ("library2", LIBRARY_2)]:  # fmt: skip
        _write(folder, name, "2025-09-01", text)
    _ingest(settings, folder)
    with app.open_store(settings) as repo:
        app.build_stories(repo, encoder=HashingEncoder())
        one_pass = repo.stories.stream(), app.list_stories(repo)
        app.build_stories(repo, encoder=HashingEncoder(), rebuild=True)
        rebuilt = repo.stories.stream(), app.list_stories(repo)
        app.build_stories(repo, encoder=HashingEncoder(), rebuild=True)
        assert (repo.stories.stream(), app.list_stories(repo)) == rebuilt == one_pass


def test_entities_are_stored_and_shown_on_the_story(tmp_path: Path) -> None:
    settings = _ferry_store(tmp_path)
    with app.open_store(settings) as repo:
        app.build_stories(repo, encoder=HashingEncoder())
        assert repo.stories.ids_without_entities(ENTITY_MODEL) == []
        (story,) = app.list_stories(repo)
        view = app.story_view(repo, story.id)
        surfaces = {e.surface for e in view.entities}
        assert "Dunmore" in surfaces and "Aoife Keane" in surfaces
        assert [a.id for a in view.articles] == list(story.members)
        assert story.first == "2025-09-01" and story.last == "2025-09-02"
