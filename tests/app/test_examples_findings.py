"""What the demo corpus establishes (examples/README.md, examples/gold/disagreements.json),
through the main job and the stored findings: the agency is the root of its copies and
where its claims were first seen, the planted disagreements are found and nothing is
read as a conflict that is an update, and the story's summary carries the disputed toll.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from recoupe import app
from recoupe.config import Settings
from recoupe.corroborate.disagreement import phrase_spans
from recoupe.pipeline import vectors
from recoupe.pipeline.corroboration import (
    FindingsKernel,
    FindingsTask,
    read_evidence,
    story_mentions,
    vector_keys,
)
from recoupe.types import StoryFindings
from tests.corroborate.helpers import RecordingEncoder

pytestmark = pytest.mark.slow

CORPUS = Path(__file__).resolve().parents[2] / "examples" / "corpus"
GOLD = json.loads(
    (Path(__file__).resolve().parents[2] / "examples/gold/disagreements.json").read_text("utf-8")
)
BY_FILE = {f: a for a, f in GOLD["articles"].items()}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    settings = Settings(db=tmp_path_factory.mktemp("demo") / "demo.db")
    with app.open_store(settings) as repo:
        app.ingest(repo, [str(CORPUS)], settings)
        app.find_copies(repo)
        app.build_stories(repo)
        names = {
            r.id: BY_FILE[r.origin.rsplit("/", 1)[-1]] for r in repo.documents.list_documents()
        }
    return settings.db, names


def _reports(db: Path) -> list[app.StoryReport]:
    settings = Settings(db=db)
    with app.open_store(settings) as repo:
        return [app.story_report(repo, s.id) for s in app.list_stories(repo)]


def _wire_story(reports: list[app.StoryReport], names: dict[str, str]) -> app.StoryReport:
    (s1,) = [r for r in reports if "A01" in {names[m] for m in r.view.story.members}]
    return s1


def test_the_agency_is_root_and_first_seen(demo: tuple[Path, dict[str, str]]) -> None:
    db, names = demo
    with app.open_store(Settings(db=db)) as repo:
        (group,) = repo.copies.origin_groups()
    assert names[group.root or ""] == "A01"
    assert group.direction == "agency credited by the others"
    s1 = _wire_story(_reports(db), names)
    shared = [g for g in s1.findings.groups if len(g.articles) > 1]
    wire_claims = [g for g in shared if "A01" in {names[a] for a in g.articles}]
    assert wire_claims
    for g in wire_claims:
        assert g.first_seen is not None and names[g.first_seen.doc_id] == "A01", g.mentions[0].text


def test_planted_disagreements_and_no_false_conflict(demo: tuple[Path, dict[str, str]]) -> None:
    db, names = demo
    found = {
        (names[d.a.doc_id], d.left, names[d.b.doc_id], d.right)
        for r in _reports(db)
        for d in r.findings.disagreements
        if d.conflict
    }
    shown = {frozenset({(a, x), (b, y)}) for a, x, b, y in found}
    assert frozenset({("A05", "12"), ("A06", "quinze")}) in shown
    assert any("A06" in {a for a, _ in pair} and any(v.startswith("Près de 180") for _, v in pair)
               for pair in shown)  # fmt: skip
    assert any({"A09"} <= {a for a, _ in pair} for pair in shown)
    assert frozenset({("A11", "94"), ("A13", "86")}) in shown
    assert frozenset({("A11", "18 %"), ("A13", "21%")}) in shown
    # A11's 18 % of Monday and A12's 17 % of Wednesday are an update, never a conflict
    assert not any({a for a, _ in pair} == {"A11", "A12"} for pair in shown)


def test_the_summary_carries_the_disputed_toll(demo: tuple[Path, dict[str, str]]) -> None:
    db, names = demo
    s1 = _wire_story(_reports(db), names)
    summary = s1.findings.summary
    assert summary.sentences[0].origins == max(s.origins for s in summary.sentences)
    disputed = [s for s in summary.sentences if s.disputes]
    assert disputed, summary.text
    assert any("12" in s.text and "injur" in s.text for s in disputed)
    assert any({d.left, d.right} == {"12", "quinze"} for s in disputed for d in s.disputes)


def test_findings_computed_again_encode_no_stored_phrase(demo: tuple[Path, dict[str, str]]) -> None:
    """A story corroborated again (it gained a member) reads the vectors of its value
    phrases from the store, where its first corroboration put them."""
    db, names = demo
    with app.open_store(Settings(db=db)) as repo:
        story = _wire_story(_reports(db), names).view.story
        encoder = RecordingEncoder(app.default_encoder(None))
        ev = read_evidence(repo, story)
        mentions = tuple(story_mentions(story.members, ev))
        keys = vector_keys(encoder.name, ev, mentions)
        phrases = {text for m in mentions for _, text in phrase_spans(m)}
        stored = vectors.load(repo.stories, keys)
        task = FindingsTask(story.id, story.members, ev, "again", mentions, keys, stored)
        [result] = FindingsKernel(encoder)([task])
    assert phrases and not phrases & set(encoder.seen)
    assert result.findings.groups == repo_findings(db, story.id).groups


def repo_findings(db: Path, story_id: int) -> StoryFindings:
    with app.open_store(Settings(db=db)) as repo:
        found = repo.findings.get(story_id)
    assert found is not None
    return found
