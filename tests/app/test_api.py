"""The Python API (``recoupe.open``): the example of docs/api.md runs on the demo corpus,
what it returns matches the ground truth of examples/README.md, and the CLI prints what the
API returns (one set of functions under both)."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import redirect_stdout
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import recoupe
from recoupe.app import ClaimRow, InputOutcome, Recoupe, StoryView
from recoupe.config import Settings
from recoupe.errors import NotFoundError, UsageError
from recoupe.types import Document, DocumentSummary, Story
from tests.app.test_cli import run

REPO = Path(__file__).resolve().parents[2]
CODE = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def doc_cells() -> list[str]:
    return CODE.findall((REPO / "docs" / "api.md").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The cells of docs/api.md run in order in one namespace, from a folder holding the
    demo corpus as the repository does (its output kept as ``_printed``)."""
    root = tmp_path_factory.mktemp("api")
    shutil.copytree(REPO / "examples" / "corpus", root / "examples" / "corpus")
    namespace: dict[str, Any] = {"__name__": "__api_example__"}
    printed = io.StringIO()
    cwd = os.getcwd()
    os.chdir(root)
    try:
        with redirect_stdout(printed):
            for cell in doc_cells():
                exec(compile(cell, "docs/api.md", "exec"), namespace)
    finally:
        os.chdir(cwd)
    namespace["_printed"] = printed.getvalue()
    namespace["_root"] = root
    yield namespace


def test_import_is_cheap() -> None:
    """``import recoupe`` loads neither the app nor the NLP stack (a fresh interpreter)."""
    code = ("import sys, recoupe; heavy = [m for m in ('recoupe.app', 'recoupe.store', "
            "'recoupe.nlp', 'numpy') if m in sys.modules]; print(heavy)")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout  # fmt: skip
    assert out.strip() == "[]"
    assert recoupe.open is recoupe.app.open_recoupe and recoupe.Recoupe is Recoupe


def test_the_docs_have_an_example_of_every_method() -> None:
    code = "\n".join(doc_cells())
    for method in ("recoupe.open(", ".run(", ".stories(", ".story(", ".claims(", ".export(",
                   ".ingest(", ".article(", ".articles("):  # fmt: skip
        assert method in code, method


@pytest.mark.slow
def test_the_example_runs_on_the_demo_corpus(example: dict[str, Any]) -> None:
    report = example["report"]
    assert (report.ingest.accepted, report.stories.stories, report.origin_groups) == (13, 3, 1)
    fire, view = example["fire"], example["view"]
    assert isinstance(fire, Story) and isinstance(view, StoryView)
    assert len(fire.members) == 6 and view.story == fire and view.findings is not None
    assert example["again"].accepted == 0 and example["again"].duplicates == 13
    fed, outcomes = example["fed"], example["outcomes"]
    assert fed.accepted == 1 and len(outcomes) == 1
    assert (outcomes[0].outcome, outcomes[0].outlet) == ("accepted", "Harbor Post")
    assert outcomes[0].published == "2025-09-18T08:30:00+02:00"
    assert outcomes[0].published_source == "metadata"
    assert (example["_root"] / "demo.md").read_text(encoding="utf-8").startswith("#")
    assert example["document"]["stories"][0]["id"] == fire.id
    assert "13 articles, 3 stories, 1 origin group(s)" in example["_printed"]


@pytest.fixture()
def demo(example: dict[str, Any]) -> Iterator[Recoupe]:
    """The store the example left, opened again (it closed its own session)."""
    with recoupe.open(example["_root"] / "demo.db") as rc:
        yield rc


def _ground_truth() -> dict[str, tuple[str, str]]:
    """File name (``NAME#LINE`` for a JSON Lines record) -> (outlet, day), from the table
    of examples/README.md."""
    out = {}
    for line in (REPO / "examples" / "README.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) >= 6 and re.fullmatch(r"A\d\d", cells[0]):
            out[cells[1].split("`")[1]] = (cells[3], cells[5][:10])
    return out


@pytest.mark.slow
def test_stories_and_articles_are_the_written_ones(demo: Recoupe) -> None:
    stories = demo.stories()
    assert sorted(len(s.members) for s in stories) == [3, 4, 6]
    assert all(isinstance(s, Story) for s in stories)
    assert demo.stories(limit=1) == stories[:1]
    october = [s for s in stories if (s.last or "") >= "2025-10"]
    assert demo.stories(since=date(2025, 10, 1)) == october
    assert demo.stories(lang="xx") == []
    truth = _ground_truth()
    rows = demo.articles(limit=None, until="2025-12")
    assert all(isinstance(r, DocumentSummary) for r in rows)
    rows = [r for r in rows if r.origin.startswith("examples/")]  # not the fed ferry story
    assert len(rows) == 13
    for row in rows:
        outlet, day = truth[Path(row.origin).name]
        assert (row.outlet, (row.published or "")[:10]) == (outlet, day), row.origin
    doc = demo.article(rows[0].id[:8])
    assert isinstance(doc, Document) and doc.id == rows[0].id
    assert demo.rejections() == []


@pytest.mark.slow
def test_claims_count_the_wire_once(demo: Recoupe) -> None:
    """The Dunkirk story: the wire (A01) and its three copies carry claims that have 4
    articles but one origin; every claim row is of the story and ordered by origins."""
    fire = max(demo.stories(), key=lambda s: len(s.members))
    claims = demo.claims(fire)
    assert claims and all(isinstance(c, ClaimRow) for c in claims)
    assert [c.support.origins for c in claims] == sorted(
        (c.support.origins for c in claims), reverse=True
    )
    assert all(set(c.articles) <= set(fire.members) for c in claims)
    assert any(c.support.articles >= 3 and c.support.origins == 1 for c in claims)
    everything = demo.claims(fire.id, all=True)
    assert len(everything) > len(claims) and {c.id for c in claims} <= {c.id for c in everything}
    assert demo.claims(demo.story(fire)) == claims == demo.claims(str(fire.id))


@pytest.mark.slow
def test_the_cli_shows_what_the_api_returns(
    demo: Recoupe, example: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    fire = max(demo.stories(), key=lambda s: len(s.members))
    db = str(example["_root"] / "demo.db")
    code, out, _ = run(capsys, "corroborate", str(fire.id), "--db", db, "--json")
    assert code == 0
    shown = json.loads(out)["claim_groups"]
    assert [g["id"] for g in shown] == [c.id for c in demo.claims(fire)]
    code, out, _ = run(capsys, "export", str(fire.id), "--db", db)
    assert code == 0 and json.loads(out) == demo.export([fire])
    code, out, _ = run(capsys, "stories", "--no-update", "--db", db, "--json")
    assert code == 0 and [s["id"] for s in json.loads(out)] == [s.id for s in demo.stories()]


@pytest.mark.slow
def test_export_formats_and_files(demo: Recoupe, tmp_path: Path) -> None:
    fire = max(demo.stories(), key=lambda s: len(s.members))
    html = demo.export([fire], format="html", path=tmp_path / "r.html")
    assert isinstance(html, str) and html.lstrip().lower().startswith("<!doctype html")
    assert (tmp_path / "r.html").read_text(encoding="utf-8") == html
    written = demo.export([fire], path=tmp_path / "r.json")
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8")) == written
    with pytest.raises(UsageError):
        demo.export([fire], format="pdf")  # type: ignore[arg-type]


def test_errors_are_the_errors_of_the_cli(tmp_path: Path) -> None:
    with recoupe.open(tmp_path / "empty.db") as rc:
        with pytest.raises(NotFoundError):
            rc.story(1)
        with pytest.raises(UsageError):
            rc.story("twelve")
        with pytest.raises(UsageError):
            rc.stories(since="last week")
        with pytest.raises(UsageError):
            rc.ingest()
        with pytest.raises(UsageError):
            rc.ingest(tmp_path, meta_from_path="date")
        with pytest.raises(UsageError):
            rc.ingest("-", format="xml", stdin=io.BytesIO(b""))
        assert rc.stories() == [] and rc.articles() == []


def test_ingest_reports_every_input_and_rejects_as_data(tmp_path: Path) -> None:
    """An input that cannot become an article is a rejection in the report, not an
    exception; a folder's path gives its date with --meta-from-path."""
    day = tmp_path / "in" / "2011-02-03"
    day.mkdir(parents=True)
    body = "The port of the city reopened on Thursday after a week of strikes. " * 5
    (day / "a.txt").write_text(f"Port reopens after strike\n\n{body}", encoding="utf-8")
    (day / "b.txt").write_text("   ", encoding="utf-8")
    outcomes: list[InputOutcome] = []
    with recoupe.open(tmp_path / "s.db", settings=Settings()) as rc:
        report = rc.ingest(tmp_path / "in", meta_from_path="{date}/{name}",
                           on_input=outcomes.append)  # fmt: skip
        assert (report.accepted, report.rejected) == (1, 1)
        assert sorted(o.outcome for o in outcomes) == ["accepted", "rejected"]
        (row,) = rc.articles()
        assert row.published == "2011-02-03"
        meta = rc.article(row.id).meta
        assert (meta.published_precision, meta.published_source) == ("day", "path")
        assert [r.reason for r in rc.rejections()] == ["empty"]
        assert rc.location.endswith("s.db") and "s.db" in repr(rc)
