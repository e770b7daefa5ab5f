"""The story pages in process (Starlette TestClient): list and filters, topics, a story
with and without stored findings, citations that land on the highlighted span, the JSON
export, errors, that a GET never computes, and that hostile text stays text."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
from starlette.testclient import TestClient

from recoupe import app
from recoupe.config import Settings
from recoupe.nlp.encoder import HashingEncoder
from recoupe.types import Story, StoryFilter, text_query
from recoupe.web import create_app
from recoupe.web.stories import UNIQUE_SHOWN
from tests.web.conftest import CORPUS, IMG, SCRIPT, largest_story

REPO = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((REPO / "docs" / "schema" / "export-v1.schema.json").read_text())
STORY_LINK = re.compile(r'<td><a href="/stories/(\d+)">')
CITATION = re.compile(r'class="cite (\w+)" href="/articles/([0-9a-f]{16})\?hl=(\d+)-(\d+)#hl"')


@pytest.fixture(scope="module")
def client(story_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(story_db, Settings(db=story_db))) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def hostile(hostile_story_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(hostile_story_db, Settings(db=hostile_story_db))) as c:
        yield c


def _stories(db: Path, flt: StoryFilter | None = None) -> list[Story]:
    with app.open_store(Settings(db=db)) as repo:
        return app.list_stories(repo, flt)


def _ids(page: str) -> list[int]:
    return [int(i) for i in STORY_LINK.findall(page)]


def _corroborated(db: Path) -> tuple[Story, Story]:
    """(the corroborated story, a story never corroborated) of the demo store."""
    stories = _stories(db)
    done = largest_story(stories)
    return done, next(s for s in stories if s.id != done.id)


def _escaped(text: str) -> str:
    return html.escape(text, quote=True).replace("&#x27;", "&#39;").replace("&quot;", "&#34;")


# ----- list and topics -------------------------------------------------------------------


def test_list_shows_every_story_most_recent_first(client: TestClient, story_db: Path) -> None:
    response = client.get("/stories")
    assert response.status_code == 200
    stories = _stories(story_db)
    assert len(stories) >= 3
    assert _ids(response.text) == [s.id for s in stories]
    assert f"{len(stories)} stories." in response.text
    assert 'aria-current="page">Stories' in response.text


@pytest.mark.parametrize(
    ("query", "flt"),
    [
        ("lang=fr", StoryFilter(language="fr")),
        ("outlet=sud+horizon", StoryFilter(outlet="Sud Horizon")),
        ("since=2025-10", StoryFilter(since="2025-10")),
        ("until=2025-09-20", StoryFilter(until="2025-09-20")),
        ("q=incendie", StoryFilter(query=text_query("incendie"))),
        ("q=fire&lang=en", StoryFilter(language="en", query=text_query("fire"))),
        ("q=%22battery+plant%22", StoryFilter(query=text_query('"battery plant"'))),
    ],
)
def test_list_filters(client: TestClient, story_db: Path, query: str, flt: StoryFilter) -> None:
    response = client.get(f"/stories?{query}")
    assert response.status_code == 200
    expected = [s.id for s in _stories(story_db, flt)]
    assert expected, "the filter should keep some stories"
    assert len(expected) < len(_stories(story_db)) or "q=" in query
    assert _ids(response.text) == expected
    assert 'href="/stories">clear</a>' in response.text


def test_topic_filter_and_topics_page(client: TestClient, story_db: Path) -> None:
    with app.open_store(Settings(db=story_db)) as repo:
        topics = app.list_topics(repo)
    page = client.get("/topics")
    assert page.status_code == 200
    for topic in topics:
        assert f'href="/stories?topic={topic.id}"' in page.text
        for s in topic.stories:
            assert f'href="/stories/{s.id}"' in page.text
    topic = max(topics, key=lambda t: len(t.stories))
    listed = client.get(f"/stories?topic={topic.id}").text
    assert sorted(_ids(listed)) == sorted(s.id for s in topic.stories)
    assert f"in topic {topic.id}" in listed


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("topic=abc", "topic must be a topic number"),
        ("q=%22unclosed", "invalid search query"),
        ("lang=%3Cscript%3E", "lang must be a language code"),
        ("since=yesterday", "since must be an ISO date"),
        ("page=21", "page must be a number from 1 to 20"),
    ],
)
def test_bad_list_parameters_are_400(client: TestClient, query: str, message: str) -> None:
    response = client.get(f"/stories?{query}")
    assert response.status_code == 400
    assert message in response.text
    assert "<script>" not in response.text


def test_search_without_match_says_so(client: TestClient) -> None:
    response = client.get("/stories?q=zeppelin")
    assert _ids(response.text) == []
    assert "No story matches these filters." in response.text


# ----- one story -----------------------------------------------------------------------------


def test_story_with_findings(client: TestClient, story_db: Path) -> None:
    story, _ = _corroborated(story_db)
    with app.open_store(Settings(db=story_db)) as repo:
        stored = repo.findings.get(story.id)
        view = app.story_view(repo, story.id)
    assert stored is not None
    findings = stored
    page = client.get(f"/stories/{story.id}").text
    assert _escaped(story.title) in page
    # the timeline: every article, by publication date, each linking to its page
    timeline = sorted(view.articles, key=lambda r: (r.published is None, r.published or "", r.id))
    section = page[page.index('id="articles"') : page.index('id="claims"')]
    assert re.findall(r'<a href="/articles/([0-9a-f]{16})">', section) == [r.id for r in timeline]
    # the cited summary: each sentence, each citation a link to the span in its article
    citations = CITATION.findall(page[page.index('<details id="summary"') :])  # not the header
    expected = [(c.kind.value, c.doc_id, str(c.start), str(c.end))
                for s in findings.summary.sentences for c in s.citations]  # fmt: skip
    assert citations == expected and citations
    for sentence in findings.summary.sentences:
        assert _escaped(sentence.text) in page
    # claims carried by several articles, or disputed: articles vs independent origins
    table = page[page.index('<table class="claims">') : page.index("</table>")]
    conflicts = findings.disputed()
    several = [g for g in findings.groups if len(g.articles) > 1 or g.id in conflicts]
    assert table.count("<tr>") == len(several) + 1  # with the header row
    for g in several:
        assert _escaped(g.mentions[0].text) in table
    assert any(g.support.origins < g.support.articles for g in several)  # copies count once
    assert re.search(r'<td class="num origins-n">1</td>', table)
    assert table.count('<span class="disputed" title=') == len(conflicts)
    # what each article adds, quotes, entities, origin groups, export link
    for u in findings.unique:  # the first few of each article, the others counted
        for m in u.mentions[:UNIQUE_SHOWN]:
            assert _escaped(m.text) in page
        if len(u.mentions) > UNIQUE_SHOWN:
            assert f"and {len(u.mentions) - UNIQUE_SHOWN} more" in page
    assert page.count('<table class="quotes">') == 1
    assert view.entities and _escaped(view.entities[0].surface) in page
    for group in view.origin_groups:
        assert f'href="/origins/{group.id}"' in page
    assert f'href="/stories/{story.id}/export.json"' in page


TOLL = (
    "Harbour fire\n\nA fire at the <b>harbour</b> warehouse of Dunkerque injured {} people "
    "on Tuesday, the fire service said.\n\nThe cause of the fire is not known "
    "and an inquiry has been opened by the prosecutor of the city.\n"
)


@pytest.fixture(scope="module")
def disputed_page(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, object]:
    """Two outlets with two tolls of one fire, in one story, corroborated."""
    folder = tmp_path_factory.mktemp("web-disputed")
    for outlet, toll in (("north-post", 12), ("south-news", 15)):
        (folder / f"{outlet}_fire.txt").write_text(TOLL.format(toll), encoding="utf-8")
    settings = Settings(db=folder / "d.db")
    with app.open_store(settings) as repo:
        app.ingest(repo, [str(folder)], settings)
        app.build_stories(repo, encoder=HashingEncoder())
        (story,) = app.list_stories(repo)
        report = app.story_report(repo, story.id, encoder=HashingEncoder())
    with TestClient(create_app(settings.db, settings)) as c:
        return c.get(f"/stories/{story.id}").text, report.findings


def test_a_disputed_claim_is_shown_disputed_with_its_values(
    disputed_page: tuple[str, object],
) -> None:
    page, findings = disputed_page
    (d,) = findings.disagreements  # type: ignore[attr-defined]
    assert d.conflict and {d.left, d.right} == {"12", "15"}
    table = page[page.index('<table class="claims">') : page.index("</table>")]
    assert table.count('<span class="disputed" title=') == 2  # both claims, no origin count
    section = page[page.index('id="disagreements"') : page.index('id="unique"')]
    assert "<mark>12</mark>" in section and "<mark>15</mark>" in section
    assert "<b>harbour</b>" not in page
    assert "&lt;b&gt;harbour&lt;/b&gt;" in section


def test_page_reads_the_findings_as_stored(story_db: Path) -> None:
    """The page's fast reading of stored findings gives the records the stage stored."""
    story, _ = _corroborated(story_db)
    with app.open_store(Settings(db=story_db)) as repo:
        stored = repo.findings.get(story.id)
        page = app.story_page(repo, story.id)
    assert stored is not None and page.findings is not None
    findings = stored
    assert page.findings.summary == findings.summary
    assert page.findings.disagreements == findings.disagreements
    assert page.findings.unique == findings.unique
    conflicts = findings.disputed()
    several = [g for g in findings.groups if len(g.articles) > 1 or g.id in conflicts]
    assert {c.id for c in page.findings.claims} == {g.id for g in several}
    for row in page.findings.claims:
        group = next(g for g in several if g.id == row.id)
        assert (row.mention, row.articles, row.support, row.sources, row.first_seen,
                row.disputes) == (group.mentions[0], group.articles, group.support,
                                  group.sources, group.first_seen,
                                  conflicts.get(group.id, ()))  # fmt: skip
    assert page.findings.single_claims == len(findings.groups) - len(several)
    assert page.quotes and all(q.text for q in page.quotes)


def test_citations_land_on_the_highlighted_span(client: TestClient, story_db: Path) -> None:
    story, _ = _corroborated(story_db)
    page = client.get(f"/stories/{story.id}").text
    with app.open_store(Settings(db=story_db)) as repo:
        for _, doc_id, start, end in CITATION.findall(page):
            text = repo.documents.get_document(doc_id).text[int(start) : int(end)]
            article = client.get(f"/articles/{doc_id}?hl={start}-{end}").text
            marked = re.findall(r'<mark class="[^"]*cited">(.*?)</mark>', article, re.S)
            assert html.unescape("".join(marked)) == text
            assert 'id="hl"' in article
            assert f'href="/stories/{story.id}"' in article  # back to the story


def test_story_without_findings_says_how_to_get_them(client: TestClient, story_db: Path) -> None:
    _, story = _corroborated(story_db)
    page = client.get(f"/stories/{story.id}")
    assert page.status_code == 200
    assert "Not corroborated yet" in page.text
    assert f"recoupe summary {story.id}" in page.text
    assert "export.json" not in page.text
    export = client.get(f"/stories/{story.id}/export.json")
    assert export.status_code == 404
    assert f"run `recoupe summary {story.id}`" in html.unescape(export.text)
    with app.open_store(Settings(db=story_db)) as repo:  # a GET computed nothing
        assert repo.findings.get(story.id) is None


def test_export_is_valid_json_of_the_stored_findings(client: TestClient, story_db: Path) -> None:
    story, _ = _corroborated(story_db)
    response = client.get(f"/stories/{story.id}/export.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["content-disposition"] == (
        f'attachment; filename="story-{story.id}.json"'
    )
    assert response.headers["x-content-type-options"] == "nosniff"
    document = response.json()
    jsonschema.validate(document, SCHEMA, cls=jsonschema.Draft202012Validator)
    (exported,) = document["stories"]
    assert exported["id"] == story.id
    # articles in citation order, numbered as the story page numbers them
    with app.open_store(Settings(db=story_db)) as repo:
        numbers = app.story_view(repo, story.id).numbers
    assert sorted(a["id"] for a in exported["articles"]) == sorted(story.members)
    assert {a["id"]: a["number"] for a in exported["articles"]} == numbers
    assert [a["number"] for a in exported["articles"]] == list(range(1, len(numbers) + 1))
    with app.open_store(Settings(db=story_db)) as repo:
        assert document == app.stored_story_export(repo, story.id)


def test_article_page_links_to_its_story(client: TestClient, story_db: Path) -> None:
    story, _ = _corroborated(story_db)
    page = client.get(f"/articles/{story.members[0]}").text
    assert f'<a class="story-link" href="/stories/{story.id}">{_escaped(story.title)}</a>' in page


def test_article_outside_any_story(tmp_path: Path) -> None:
    """A store that was only ingested (copies and stories build stories on the way)."""
    settings = Settings(db=tmp_path / "ingested.db")
    with app.open_store(settings) as store:
        app.ingest(store, [str(CORPUS)], settings)
    with TestClient(create_app(settings.db, settings)) as plain:
        doc_id = plain.get("/articles").text.split('<td><a href="/articles/')[1][:16]
        assert "none yet" in plain.get(f"/articles/{doc_id}").text
        assert "No story" in plain.get("/stories").text


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/stories/99999", 404, "no story 99999"),
        ("/stories/abc", 404, "There is no page at /stories/abc"),
        ("/stories/99999/export.json", 404, "no story 99999"),
        ("/stories/99999999999999999999", 404, "no story 99999999999999999999"),
        ("/stories/99999999999999999999/export.json", 404, "no story 9999"),
        ("/articles/{doc}?hl=abc", 400, "hl must be a span START-END"),
        ("/articles/{doc}?hl=9-3", 400, "hl must be a span START-END"),
    ],
)
def test_unknown_stories_and_bad_spans(
    client: TestClient, story_db: Path, path: str, status: int, message: str
) -> None:
    story, _ = _corroborated(story_db)
    response = client.get(path.format(doc=story.members[0]))
    assert response.status_code == status
    assert message in response.text


def test_a_span_past_the_text_is_not_highlighted(client: TestClient, story_db: Path) -> None:
    story, _ = _corroborated(story_db)
    page = client.get(f"/articles/{story.members[0]}?hl=900000-900010").text
    assert "lies past the end of this text" in page
    assert "cited" not in re.sub(r'<p class="note cited-note">.*?</p>', "", page, flags=re.S)


# ----- hostile text ------------------------------------------------------------------------


def test_hostile_stories_stay_text(hostile: TestClient, hostile_story_db: Path) -> None:
    stories = _stories(hostile_story_db)
    paths = ["/stories", "/stories?q=council", "/topics"]
    paths += [f"/stories/{s.id}" for s in stories]
    pages = {path: hostile.get(path) for path in paths}
    for path, response in pages.items():
        assert response.status_code == 200, path
        assert "<script>alert" not in response.text, path
        assert "<script>window" not in response.text, path
        assert "<img src=x" not in response.text, path
        assert "onerror=" not in response.text.replace("onerror=&#34;", ""), path
    story_pages = "".join(pages[f"/stories/{s.id}"].text for s in stories)
    assert _escaped(SCRIPT) in story_pages  # shown, as text: title, summary, quote
    assert _escaped(IMG) in story_pages  # an outlet
    assert '<table class="quotes">' in story_pages
    for s in stories:
        exported = hostile.get(f"/stories/{s.id}/export.json")
        assert exported.headers["content-type"].startswith("application/json")
        jsonschema.validate(exported.json(), SCHEMA, cls=jsonschema.Draft202012Validator)


def test_a_kept_page_is_rendered_again_once_findings_are_stored(
    story_db: Path, tmp_path: Path
) -> None:
    """Story pages are kept rendered, but a run that stores findings shows at once."""
    from tests.web.conftest import _copy_store

    db = tmp_path / "kept.db"
    _copy_store(story_db, db)
    _, story = _corroborated(db)
    with TestClient(create_app(db, Settings(db=db))) as fresh:
        before = fresh.get(f"/stories/{story.id}").text
        assert fresh.get(f"/stories/{story.id}").text == before  # kept, same page
        assert "Not corroborated yet" in before
        with app.open_store(Settings(db=db)) as repo:
            app.story_report(repo, story.id, encoder=HashingEncoder())
        after = fresh.get(f"/stories/{story.id}").text
    assert "Not corroborated yet" not in after
