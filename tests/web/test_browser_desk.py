"""The story desk in Chromium: story list facets, the story header and its table of
contents, folding sections, the timeline and copy graph, a claim page, a disagreement
with its values marked, restoring a removed line; hostile text runs no script on any of
the new pages or pictures. Screenshots under artifacts/web/ (see test_browser.py)."""

# ruff: noqa: F811  (the fixtures imported from test_browser are test arguments here)
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from recoupe import app
from recoupe.config import Settings
from recoupe.nlp.encoder import HashingEncoder
from tests.web.conftest import SCRIPT, _copy_store, largest_story
from tests.web.test_browser import (  # noqa: F401  (fixtures, used as arguments)
    ARTIFACTS,
    LiveServer,
    _assert_runs_no_script,
    browser,
    hostile_story_site,
    page,
    story_site,
)
from tests.web.test_story_pages import TOLL


def _shot_of(locator: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    locator.screenshot(path=str(path))
    assert path.stat().st_size > 1000
    return path


def _full(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture(scope="module")
def disputed_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int, str]]:
    folder = tmp_path_factory.mktemp("browser-disputed")
    for outlet, toll in (("north-post", 12), ("south-news", 15)):
        (folder / f"{outlet}_fire.txt").write_text(TOLL.format(toll), encoding="utf-8")
    settings = Settings(db=folder / "d.db")
    with app.open_store(settings) as repo:
        app.ingest(repo, [str(folder)], settings)
        app.build_stories(repo, encoder=HashingEncoder())
        (story,) = app.list_stories(repo)
        report = app.story_report(repo, story.id, encoder=HashingEncoder())
    (d,) = report.findings.disagreements
    with LiveServer(settings.db) as server:
        yield server.url, story.id, d.group_a


def test_story_list_facets_and_columns(page: Any, story_site: str, story_db: Path) -> None:
    with app.open_store(Settings(db=story_db)) as repo:
        stories = app.list_stories(repo)
    page.goto(f"{story_site}/stories")
    heads = page.locator("table.stories thead th").all_inner_texts()
    assert heads[:4] == ["first – last seen", "articles", "origins", "disputed"]
    assert page.locator("table.stories td .lead").count() >= 1  # the corroborated story
    _full(page, "story-list.png")
    facet = page.locator(".facets a.facet").nth(0)
    lang = facet.inner_text().split()[0]
    facet.click()
    page.wait_for_url(f"**lang={lang}**")
    assert page.locator("table.stories tbody tr").count() == sum(
        lang in s.languages for s in stories)


def test_story_header_toc_sections_and_pictures(page: Any, story_site: str,
                                                story_db: Path) -> None:  # fmt: skip
    with app.open_store(Settings(db=story_db)) as repo:
        story = largest_story(app.list_stories(repo))
        view = app.story_page(repo, story.id)
    page.goto(f"{story_site}/stories/{story.id}")
    head = page.locator("header.story-head")
    assert "independent origin" in head.inner_text() and "disputed claim" in head.inner_text()
    _shot_of(head, "story-header.png")
    # the table of contents jumps to a section; a section folds and unfolds
    page.locator("nav.toc a[href='#claims']").click()
    page.wait_for_url("**#claims")
    assert page.locator("#claims table.claims").is_visible()
    page.locator("#claims > summary").click()
    assert page.locator("#claims").evaluate("d => d.open") is False
    assert not page.locator("#claims table.claims").is_visible()
    page.locator("#claims > summary").click()
    assert page.locator("#claims table.claims").is_visible()
    # the timeline: one dot per article, a dot opens its article
    timeline = page.locator("#pictures svg.chart")
    assert timeline.locator("circle").count() == len(story.members)
    _shot_of(timeline, "timeline.png")
    graph = page.locator("#copy-graph svg.chart")
    in_groups = {m for g in view.origin_groups for m in g.members} & set(story.members)
    assert graph.locator("circle").count() == len(in_groups)
    _shot_of(graph, "copy-graph.png")
    bars = page.locator("table.claims svg.bar")
    assert bars.count() == page.locator("table.claims tbody tr").count()
    href = timeline.locator("a").first.get_attribute("href")
    timeline.locator("a").first.click()
    page.wait_for_url(f"**{href}")


def test_claim_page(page: Any, story_site: str, story_db: Path) -> None:
    with app.open_store(Settings(db=story_db)) as repo:
        story = largest_story(app.list_stories(repo))
        view = app.story_page(repo, story.id)
    assert view.findings is not None
    page.goto(f"{story_site}/stories/{story.id}")
    page.locator("table.claims tbody tr td:first-child > a").first.click()
    page.wait_for_url(re.compile(rf".*/stories/{story.id}/claims/.+"))
    claim_id = page.url.rsplit("/", 1)[1]
    group = next(g for g in view.findings.all.groups if g.id == claim_id)
    assert page.locator("table.mentions tbody tr").count() == len(group.mentions)
    _full(page, "claim-page.png")
    page.locator("table.mentions td.span-text a").first.click()
    page.wait_for_url("**#hl")
    assert page.locator("mark.cited").count() >= 1


def test_disagreement_values_are_marked(page: Any, disputed_site: tuple[str, int, str]) -> None:
    site, story_id, claim_id = disputed_site
    page.goto(f"{site}/stories/{story_id}/claims/{claim_id}")
    marks = page.locator("#disagreements mark.value").all_inner_texts()
    assert sorted(marks) == ["12", "15"]
    _shot_of(page.locator("#disagreements"), "disagreement.png")
    page.goto(f"{site}/stories/{story_id}")
    assert sorted(page.locator("#disagreements mark").all_inner_texts()) == ["12", "15"]


def test_restore_a_removed_line(browser: Any, corpus_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "restore.db"
    _copy_store(corpus_db, db)
    with app.open_store(Settings(db=db)) as repo:
        doc = next(d for batch in repo.documents.document_ids() for i in batch
                   if (d := repo.documents.get_document(i)).removed)  # fmt: skip
    line = doc.removed[0]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    try:
        with LiveServer(db) as server:
            tab.goto(f"{server.url}/articles/{doc.id}")
            form = f"form.restore:has(input[name=line][value='{line.line_no}'])"
            tab.locator(f"{form} button").click()
            tab.wait_for_url(f"**/articles/{doc.id}?restored={line.line_no}")
            assert f"Line {line.line_no} is back in the text" in tab.locator("main").inner_text()
    finally:
        context.close()
    with app.open_store(Settings(db=db)) as repo:
        assert line.line_no not in {r.line_no for r in repo.documents.get_document(doc.id).removed}


def test_hostile_desk_pages_run_no_script(page: Any, hostile_story_site: str,
                                         hostile_story_db: Path) -> None:  # fmt: skip
    dialogs: list[str] = []
    elsewhere: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("request", lambda request: elsewhere.append(request.url)
            if not request.url.startswith(hostile_story_site) else None)  # fmt: skip
    with app.open_store(Settings(db=hostile_story_db)) as repo:
        views = [app.story_page(repo, s.id) for s in app.list_stories(repo)]
    paths = ["/stories", "/articles?q=resident"]
    for v in views:
        paths.append(f"/stories/{v.story.id}")
        if v.findings is not None:
            paths += [f"/stories/{v.story.id}/claims/{g.id}" for g in v.findings.all.groups]
    for path in paths:
        _assert_runs_no_script(page, hostile_story_site + path)
    # the hostile outlet and titles are text in the pictures' tooltips
    for v in views:
        page.goto(f"{hostile_story_site}/stories/{v.story.id}")
        titles = page.locator("svg.chart title").all_text_contents()
        if any(SCRIPT in t for t in titles):
            break
    else:
        pytest.fail("no picture shows the hostile title as text")
    assert dialogs == [] and elsewhere == []
