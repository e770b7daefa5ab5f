"""``recoupe stories / story / topics / quotes / claims`` end to end on the two seed
articles (real encoder and spaCy pipelines): one story, the quotes and attributions the
issue lists, JSON output and error exits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.app.test_cli import run

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def seeds_story_db(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    from recoupe import app
    from recoupe.config import Settings

    db = tmp_path_factory.mktemp("stories") / "s.db"
    settings = Settings(db=db)
    with app.open_repository(settings) as repo:
        assert app.ingest(repo, [str(seeds_dir)], settings).accepted == 2
        app.build_stories(repo)
    return db


def test_seeds_are_one_story(seeds_story_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "stories", "--db", str(seeds_story_db), "--json")
    assert code == 0
    (story,) = json.loads(out)
    assert story["n_articles"] == 2 and story["languages"] == ["fr"]
    assert "Corée du Nord" in story["title"]
    code, out, _ = run(capsys, "story", str(story["id"]), "--db", str(seeds_story_db), "--json")
    assert code == 0
    view = json.loads(out)
    keys = {e["key"] for e in view["entities"]}
    assert {"country:RU", "country:KP", "country:US"} <= keys
    code, out, _ = run(capsys, "topics", "--db", str(seeds_story_db))
    assert code == 0 and "topic" in out


def test_quotes_have_their_speakers(
    seeds_story_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "quotes", "0", "--db", str(seeds_story_db), "--json")
    assert code == 0
    quotes = json.loads(out)
    by_speaker: dict[str, list[str]] = {}
    for q in quotes:
        by_speaker.setdefault(q["chain"], []).append(q["content_text"])
    assert any("spécifiquement demandé des munitions" in t for t in by_speaker["Pat Ryder"])
    anonymous = [q for q in quotes if q["source"] and q["source"]["anonymous"]]
    assert {q["article"] for q in anonymous if "pénuries" in q["content_text"]} == {
        q["article"] for q in quotes
    }  # the supply-shortage quote is in both articles
    assert any(q["content_text"] == "globale" and "Kim Jong Un" in q["chain"] for q in quotes)
    assert any("Reuters" in q["chain"] for q in quotes)


def test_claims_carry_attribution_chains(
    seeds_story_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "claims", "0", "--db", str(seeds_story_db), "--json")
    assert code == 0
    claims = json.loads(out)
    chains = [c for claim in claims for c in claim["attributed_to"]]
    assert any("New York Times" in c and "first report" in c for c in chains)
    assert sum("renseignement américains" in c for c in chains) >= 2
    code, out_all, _ = run(capsys, "claims", "0", "--db", str(seeds_story_db), "--json", "--all")
    assert len(json.loads(out_all)) > len(claims)


def test_unknown_story_is_a_clean_error(
    seeds_story_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "story", "99", "--db", str(seeds_story_db))
    assert code == 4 and "no story 99" in err
    code, _, err = run(capsys, "quotes", "abc", "--db", str(seeds_story_db))
    assert code == 2 and "story id is a number" in err


def test_run_on_the_examples_gives_the_written_stories(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from recoupe import app
    from recoupe.config import Settings
    from tests.cluster.test_stories_real import CORPUS, STORIES

    db = tmp_path / "demo.db"
    code, out, _ = run(capsys, "run", str(CORPUS), "--db", str(db))
    assert code == 0, out
    assert "13 accepted" in out and "origin group" in out
    with app.open_repository(Settings(db=db)) as repo:
        names = {r.id: r.origin.rsplit("/", 1)[-1] for r in repo.list_documents()}
        got = [{names[m] for m in s.members} for s in app.list_stories(repo)]
    assert STORIES["S1"] in got and STORIES["S2"] in got
    code, out, _ = run(capsys, "run", str(CORPUS), "--db", str(db))
    assert "0 accepted, 13 duplicate" in out and "0 article(s) clustered now" in out
