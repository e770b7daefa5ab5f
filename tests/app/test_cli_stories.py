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
    with app.open_store(settings) as repo:
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
    """Grouped by speaker across the story, each occurrence with its outlet and date."""
    code, out, _ = run(capsys, "quotes", "0", "--db", str(seeds_story_db), "--json")
    assert code == 0
    groups = json.loads(out)
    by_speaker = {g["speaker"]: g for g in groups}
    ryder = [q["text"] for q in by_speaker["Pat Ryder"]["quotes"]]
    assert any("spécifiquement demandé des munitions" in t for t in ryder)
    official = by_speaker["responsable américain"]
    assert official["anonymous"]
    shortage = [o for q in official["quotes"] if "pénuries" in q["text"] for o in q["occurrences"]]
    articles = {o["article"] for g in groups for q in g["quotes"] for o in q["occurrences"]}
    assert {o["article"] for o in shortage} == articles  # the same speaker in both articles
    assert all("outlet" in o and "published" in o for o in shortage)
    leaders = by_speaker["Vladimir Poutine & Kim Jong Un"]["quotes"]
    assert any(q["text"] == "globale" for q in leaders)
    assert any(o["channel"] == "Reuters" for q in official["quotes"] for o in q["occurrences"])
    assert "?" not in by_speaker


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
    with app.open_store(Settings(db=db)) as repo:
        names = {r.id: r.origin.rsplit("/", 1)[-1] for r in repo.documents.list_documents()}
        got = [{names[m] for m in s.members} for s in app.list_stories(repo)]
    assert STORIES["S1"] in got and STORIES["S2"] in got
    code, out, _ = run(capsys, "run", str(CORPUS), "--db", str(db))
    assert "0 accepted, 13 duplicate" in out and "0 article(s) clustered now" in out
