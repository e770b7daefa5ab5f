"""The story desk pages: story list columns and facets, story header and sections,
pictures, claim pages, CSV downloads - on the demo corpus and on hostile articles."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from markupsafe import escape
from starlette.testclient import TestClient

from recoupe import app
from recoupe.config import Settings
from recoupe.export import CsvTable
from recoupe.types import findings_overview
from recoupe.web import create_app
from tests.export.test_tables import assert_csv_matches_json
from tests.web.conftest import IMG, SCRIPT, largest_story


def _e(text: str) -> str:
    return str(escape(text))  # as the templates escape


CLAIM_LINK = re.compile(r'<a href="/stories/(\d+)/claims/([^"]+)" title="every mention')


@pytest.fixture(scope="module")
def client(story_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(story_db, Settings(db=story_db))) as c:
        yield c


@pytest.fixture(scope="module")
def hostile(hostile_story_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(hostile_story_db, Settings(db=hostile_story_db))) as c:
        yield c


def _story(db: Path) -> app.StoryView:
    with app.open_store(Settings(db=db)) as repo:
        story = largest_story(app.list_stories(repo))
        return app.story_page(repo, story.id)


def test_story_list_shows_origins_disputed_and_lead(client: TestClient, story_db: Path) -> None:
    view = _story(story_db)
    assert view.findings is not None
    page = client.get("/stories").text
    (row,) = [r for r in page.split("<tr>") if f'<a href="/stories/{view.story.id}">' in r]
    origins = app.independent_origins(view.story, view.findings.overview)
    assert f'<td class="num origins-n">{origins}</td>' in row
    assert origins < len(view.story.members)  # the corpus has copies: they count once
    lead = view.findings.summary.sentences[0].text
    assert _e(lead)[:40] in row
    # stories never corroborated show a dash, not a guess
    assert '<span class="muted" title="not corroborated yet">–</span>' in page


def test_story_list_facets_count_stories(client: TestClient, story_db: Path) -> None:
    with app.open_store(Settings(db=story_db)) as repo:
        stories = app.list_stories(repo)
    page = client.get("/stories").text
    facets = page[page.index('<div class="facets"') : page.index("</div>")]
    for lang in {lang for s in stories for lang in s.languages}:
        n = sum(1 for s in stories if lang in s.languages)
        assert f'{lang} <span class="n">{n}</span>' in facets
    outlet = max({o for s in stories for o in s.outlets},
                 key=lambda o: sum(o in s.outlets for s in stories))  # fmt: skip
    filtered = client.get("/stories", params={"outlet": outlet}).text
    assert filtered.count('<td><a href="/stories/') == sum(outlet in s.outlets for s in stories)
    assert f'<option value="{_e(outlet)}" selected>' in filtered


def test_story_header_toc_sections_and_pictures(client: TestClient, story_db: Path) -> None:
    view = _story(story_db)
    assert view.findings is not None
    page = client.get(f"/stories/{view.story.id}").text
    start = page.index('<header class="doc-head story-head">')
    head = page[start : page.index("</header>", start)]
    assert _e(view.findings.summary.sentences[0].text)[:40] in head
    origins = app.independent_origins(view.story, view.findings.overview)
    assert f'<span class="figure">{origins}</span> <span class="muted">independent origin' in head
    assert f'<span class="figure">{len(view.story.members)}</span>' in head
    for anchor in ("summary", "pictures", "copy-graph", "articles", "claims", "disagreements",
                   "unique", "quotes", "entities"):  # fmt: skip
        assert f'href="#{anchor}"' in head and f'id="{anchor}"' in page
    assert page.count('<details id="') >= 7 and '<details id="claims" class="section" open>' in page
    for table in CsvTable:
        assert f'href="/stories/{view.story.id}/{table}.csv"' in head
    # the timeline: one dot per article, linked; the copy graph: one node per copy
    timeline = page[page.index('<details id="pictures"') : page.index('<details id="copy-graph"')]
    assert timeline.count("<circle") == len(view.story.members)
    graph = page[page.index('<details id="copy-graph"') : page.index('<details id="articles"')]
    in_groups = {m for g in view.origin_groups for m in g.members} & set(view.story.members)
    assert graph.count("<circle") == len(in_groups) and "marker-end" in graph
    # the claims table: one bar per claim, each claim linking to its page
    claims = page[page.index('<table class="claims">') : page.index("</table>")]
    assert claims.count('<svg xmlns="http://www.w3.org/2000/svg" class="bar"') == len(
        view.findings.claims)
    assert len(CLAIM_LINK.findall(claims)) == len(view.findings.claims)


def test_section_pages(tmp_path: Path, story_db: Path) -> None:
    view = _story(story_db)
    with TestClient(create_app(story_db, Settings(db=story_db))) as c:
        assert c.get(f"/stories/{view.story.id}?articles=2").status_code == 200  # clamped
        bad = c.get(f"/stories/{view.story.id}?claims=x")
        assert bad.status_code == 400 and "claims must be a number" in bad.text


def test_claim_page_puts_every_mention_side_by_side(client: TestClient, story_db: Path) -> None:
    view = _story(story_db)
    assert view.findings is not None
    claim = max(view.findings.claims, key=lambda c: c.support.articles)
    group = next(g for g in view.findings.all.groups if g.id == claim.id)
    page = client.get(f"/stories/{view.story.id}/claims/{claim.id}").text
    table = page[page.index('<table class="mentions">') : page.index("</table>")]
    assert table.count("<tr>") == len(group.mentions) + 1
    numbers = view.numbers
    for m in group.mentions:
        assert f'href="/articles/{m.doc_id}?hl={m.span.start}-{m.span.end}#hl"' in table
        assert f'>{numbers[m.doc_id]}</a>' in table
        assert f"chars {m.span.start}–{m.span.end}" in table
    assert f'<span class="figure">{group.support.origins}</span>' in page or claim.disputes
    n_lang = group.support.languages
    assert f'{n_lang}</span> <span class="muted">language{"s" if n_lang != 1 else ""}<' in page
    missing = client.get(f"/stories/{view.story.id}/claims/nope")
    assert missing.status_code == 404 and "has no claim" in missing.text


def test_disputed_claim_page_marks_the_differing_values(tmp_path: Path) -> None:
    from tests.web.test_story_pages import TOLL

    for outlet, toll in (("north-post", 12), ("south-news", 15)):
        (tmp_path / f"{outlet}_fire.txt").write_text(TOLL.format(toll), encoding="utf-8")
    settings = Settings(db=tmp_path / "d.db")
    from recoupe.nlp.encoder import HashingEncoder

    with app.open_store(settings) as repo:
        app.ingest(repo, [str(tmp_path)], settings)
        app.build_stories(repo, encoder=HashingEncoder())
        (story,) = app.list_stories(repo)
        report = app.story_report(repo, story.id, encoder=HashingEncoder())
    (d,) = report.findings.disagreements
    with TestClient(create_app(settings.db, settings)) as c:
        page = c.get(f"/stories/{story.id}/claims/{d.group_a}").text
        listing = c.get("/stories").text
    section = page[page.index('id="disagreements"') :]
    assert '<mark class="value">12</mark>' in section and '<mark class="value">15</mark>' in section
    assert '<span class="figure disputed">disputed</span>' in page
    assert "&lt;b&gt;harbour&lt;/b&gt;" in page and "<b>harbour</b>" not in page
    assert findings_overview(report.findings).disputed == 2
    assert '<span class="disputed">2</span>' in listing


def test_csv_downloads_carry_the_json_export(client: TestClient, story_db: Path) -> None:
    view = _story(story_db)
    document = client.get(f"/stories/{view.story.id}/export.json").json()
    assert_csv_matches_json(document)
    for table in CsvTable:
        response = client.get(f"/stories/{view.story.id}/{table}.csv")
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/csv; charset=utf-8"
        assert response.headers["content-disposition"] == (
            f'attachment; filename="story-{view.story.id}-{table}.csv"')
        parsed = list(csv.DictReader(io.StringIO(response.text, newline="")))
        assert parsed, table
    claims = list(csv.DictReader(io.StringIO(
        client.get(f"/stories/{view.story.id}/claims.csv").text, newline="")))
    assert [r["claim"] for r in claims] == [c["id"] for c in document["stories"][0]["claims"]]
    assert client.get(f"/stories/{view.story.id}/nope.csv").status_code == 404


def test_hostile_claim_pages_csv_and_pictures_stay_text(
    hostile: TestClient, hostile_story_db: Path
) -> None:
    with app.open_store(Settings(db=hostile_story_db)) as repo:
        stories = app.list_stories(repo)
        views = [app.story_page(repo, s.id) for s in stories]
    paths = []
    for v in views:
        paths.append(f"/stories/{v.story.id}")
        if v.findings is not None:
            paths += [f"/stories/{v.story.id}/claims/{g.id}" for g in v.findings.all.groups]
    assert any("/claims/" in p for p in paths)
    shown = ""
    for path in paths:
        response = hostile.get(path)
        assert response.status_code == 200, path
        text = response.text
        assert "<script>alert" not in text and "<script>window" not in text, path
        assert "<img src=x" not in text, path
        assert "onerror=" not in text.replace("onerror=&#34;", ""), path
        shown += text
    pictures = "".join(re.findall(r"<svg.*?</svg>", shown, flags=re.S))
    assert _e(IMG) in pictures  # the hostile outlet, as text, in a tooltip
    assert _e(SCRIPT) in shown
    for v in views:
        if v.findings is None:
            continue
        for table in CsvTable:
            body = hostile.get(f"/stories/{v.story.id}/{table}.csv").text
            for row in csv.reader(io.StringIO(body, newline="")):
                assert all(not cell.startswith(("=", "+", "-", "@")) for cell in row)


def test_search_results_have_snippets_with_the_match_marked(client: TestClient) -> None:
    page = client.get("/articles", params={"q": "incendies"}).text
    snippets = re.findall(r'<p class="snippet">(.*?)</p>', page, flags=re.S)
    rows = page.count('<td><a href="/articles/')
    assert rows and len(snippets) == rows
    marked = [m.casefold() for s in snippets for m in re.findall(r"<mark>(.*?)</mark>", s)]
    assert marked and all(m.startswith("incendi") for m in marked)
    assert "incendie" in marked  # found by its stem: the singular for the plural asked


def test_hostile_snippets_are_text(hostile: TestClient) -> None:
    page = hostile.get("/articles", params={"q": "resident"}).text
    snippets = "".join(re.findall(r'<p class="snippet">(.*?)</p>', page, flags=re.S))
    assert "<mark>resident</mark>" in snippets
    assert "&lt;script&gt;" in snippets and "<script>" not in snippets


def test_restore_a_removed_line_with_the_form_token(corpus_db: Path, tmp_path: Path) -> None:
    from tests.web.conftest import _copy_store

    db = tmp_path / "restore.db"
    _copy_store(corpus_db, db)
    with app.open_store(Settings(db=db)) as repo:
        doc = next(d for batch in repo.documents.document_ids() for i in batch
                   if (d := repo.documents.get_document(i)).removed)  # fmt: skip
    line = doc.removed[0]
    with TestClient(create_app(db, Settings(db=db))) as c:
        page = c.get(f"/articles/{doc.id}").text
        token = re.search(r'name="csrf" value="([0-9a-f]{64})"', page)
        assert token and f'action="/articles/{doc.id}/restore"' in page
        form = {"csrf": token[1], "line": str(line.line_no)}
        forged = c.post(f"/articles/{doc.id}/restore", data={**form, "csrf": "0" * 64})
        assert forged.status_code == 403
        cross = c.post(f"/articles/{doc.id}/restore", data=form,
                       headers={"origin": "http://evil.example"})  # fmt: skip
        assert cross.status_code == 403
        assert c.get(f"/articles/{doc.id}/restore").status_code == 405  # no write by a GET
        done = c.post(f"/articles/{doc.id}/restore", data=form, follow_redirects=False)
        assert done.status_code == 303
        assert done.headers["location"] == f"/articles/{doc.id}?restored={line.line_no}"
        after = c.get(done.headers["location"]).text
        assert f"Line {line.line_no} is back in the text." in after
        again = c.post(f"/articles/{doc.id}/restore", data=form)
        assert again.status_code == 404 and "has no removed line" in again.text
    with app.open_store(Settings(db=db)) as repo:
        restored = repo.documents.get_document(doc.id)
    assert line.line_no not in {r.line_no for r in restored.removed}
    assert line.text.strip() in restored.text
