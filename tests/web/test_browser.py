"""The web UI in a real browser: Playwright drives Debian's chromium (headless,
``--no-sandbox``) against the app served by uvicorn on a free local port.

Without chromium or playwright these tests are skipped, except under CI (``CI=true``),
where ``.ci/run`` installs chromium and a missing browser is an error. Screenshots go to
``$RECOUPE_ARTIFACTS`` (default ``artifacts/`` at the repository root, git-ignored).
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import uvicorn

from recoupe import app
from recoupe.config import Settings
from recoupe.types import DocumentFilter, StoryFilter, text_query
from recoupe.web import create_app
from tests.web.conftest import SCRIPT, largest_story

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("RECOUPE_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(os.environ.get("RECOUPE_ARTIFACTS", REPO / "artifacts")) / "web"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}; CI must run the browser tests (.ci/run installs chromium)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[dev]')")
    if not CHROMIUM.is_file():
        _unavailable(f"no chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        yield launched
        launched.close()


class LiveServer:
    """The web app served by uvicorn in a thread, on a free port of 127.0.0.1."""

    def __init__(self, db: Path) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        config = uvicorn.Config(create_app(db, Settings(db=db)), log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]})

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the web server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=20)
        self.sock.close()


@pytest.fixture(scope="module")
def corpus_site(corpus_db: Path) -> Iterator[str]:
    with LiveServer(corpus_db) as server:
        yield server.url


@pytest.fixture(scope="module")
def hostile_site(hostile_db: Path) -> Iterator[str]:
    with LiveServer(hostile_db) as server:
        yield server.url


@pytest.fixture(scope="module")
def story_site(story_db: Path) -> Iterator[str]:
    with LiveServer(story_db) as server:
        yield server.url


@pytest.fixture(scope="module")
def hostile_story_site(hostile_story_db: Path) -> Iterator[str]:
    with LiveServer(hostile_story_db) as server:
        yield server.url


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    new_page = context.new_page()
    new_page.set_default_timeout(15_000)
    yield new_page
    context.close()


def _shot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 1000
    return path


def _group_member(db: Path) -> tuple[str, str, str]:
    """(article id, its title, its origin group id) of the first member of the corpus's
    origin group."""
    with app.open_store(Settings(db=db)) as repo:
        (group,) = repo.copies.origin_groups()
        doc = repo.documents.get_document(group.members[0])
    assert doc.meta.title
    return doc.id, doc.meta.title, group.id


def test_list_article_copies_side_by_side_and_origin_group(
    page: Any, corpus_site: str, corpus_db: Path
) -> None:
    doc_id, title, group_id = _group_member(corpus_db)
    page.goto(f"{corpus_site}/articles")
    assert page.locator("table.articles tbody tr").count() == 13
    _shot(page, "articles.png")

    page.get_by_role("link", name=title, exact=True).click()
    page.wait_for_url(f"**/articles/{doc_id}")
    assert page.locator("h1").inner_text() == title
    assert page.locator("mark.copied").count() > 0
    assert page.locator(".removed-line").first.is_visible()
    _shot(page, "article.png")

    # Removed lines can be hidden; the choice is remembered (local storage).
    page.locator("#show-removed").uncheck()
    assert not page.locator(".removed-line").first.is_visible()
    page.reload()
    assert not page.locator(".removed-line").first.is_visible()
    page.locator("#show-removed").check()
    assert page.locator(".removed-line").first.is_visible()

    # A copied passage links to the same passage in the other article.
    copy_link = page.locator(".copies a:not(.pair)").first
    href = copy_link.get_attribute("href")
    copy_link.click()
    page.wait_for_url(f"**{href}")
    anchor = urlsplit(page.url).fragment
    assert page.locator(f"#{anchor}").count() == 1
    page.go_back()

    # Side by side, from the copies panel.
    page.locator(".shared-with a").first.click()
    page.wait_for_url("**/reuse/**")
    assert page.locator("table.reuse tbody tr").count() >= 1
    _shot(page, "reuse.png")

    page.goto(f"{corpus_site}/articles/{doc_id}")
    page.locator(f'a[href="/origins/{group_id}"]').first.click()
    page.wait_for_url(f"**/origins/{group_id}")
    assert page.locator("table.articles tbody tr").count() >= 2


def test_search_and_filters(page: Any, corpus_site: str, corpus_db: Path) -> None:
    with app.open_store(Settings(db=corpus_db)) as repo:
        expected = [
            r.title
            for r in repo.documents.list_documents(DocumentFilter(query=text_query("incendie")))
        ]
        french = repo.documents.count_documents(
            DocumentFilter(language="fr", query=text_query("incendie"))
        )
    page.goto(f"{corpus_site}/articles")
    page.locator("form.filters input[name=q]").fill("incendie")
    page.locator("form.filters input[name=q]").press("Enter")
    page.wait_for_url("**/articles?q=incendie**")
    titles = page.locator("table.articles tbody td:nth-child(4)").all_inner_texts()
    assert titles == expected
    # Choosing a language applies it at once (a little script submits the form).
    page.locator("select[name=lang]").select_option("fr")
    page.wait_for_url("**lang=fr**")
    assert page.locator("table.articles tbody tr").count() == french
    assert page.locator("form.filters input[name=q]").input_value() == "incendie"
    # The search box of the header searches too.
    page.locator("header input[name=q]").fill('"battery plant"')
    page.locator("header input[name=q]").press("Enter")
    page.wait_for_url("**/articles?q=**")
    assert page.locator("table.articles tbody tr").count() >= 1
    _shot(page, "search.png")


def _assert_runs_no_script(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("load")
    assert page.evaluate("window.__xss") is None, url
    # Even a script that reached the page could not run inline: the CSP forbids it.
    injected = page.evaluate(
        """() => { const s = document.createElement('script');
                   s.textContent = 'window.__csp = 1';
                   document.body.appendChild(s); return window.__csp; }"""
    )
    assert injected is None, url


def test_hostile_articles_run_no_script(page: Any, hostile_site: str, hostile_db: Path) -> None:
    dialogs: list[str] = []
    elsewhere: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("request", lambda request: elsewhere.append(request.url)
            if not request.url.startswith(hostile_site) else None)  # fmt: skip
    with app.open_store(Settings(db=hostile_db)) as repo:
        ids = [r.id for r in repo.documents.list_documents()]
        (group,) = repo.copies.origin_groups()
    paths = ["/articles", "/articles?q=council", "/rejections", "/origins", f"/origins/{group.id}"]
    paths += [f"/articles/{i}" for i in ids] + [f"/reuse/{group.members[0]}/{group.members[1]}"]
    for path in paths:
        _assert_runs_no_script(page, hostile_site + path)
    page.goto(f"{hostile_site}/articles/{group.members[0]}")
    assert "<script>alert(1)</script>" in page.locator("section.text").inner_text()
    _shot(page, "hostile-article.png")
    assert dialogs == []
    assert elsewhere == []  # nothing is fetched from anywhere else (no <img src=x>)


# ----- stories -----------------------------------------------------------------------------


def test_story_list_story_and_a_cited_article(page: Any, story_site: str, story_db: Path) -> None:
    with app.open_store(Settings(db=story_db)) as repo:
        stories = app.list_stories(repo)
        story = largest_story(stories)  # the corroborated one
    page.goto(f"{story_site}/stories")
    assert page.locator("table.stories tbody tr").count() == len(stories)
    _shot(page, "stories.png")

    page.get_by_role("link", name=story.title, exact=True).click()
    page.wait_for_url(f"**/stories/{story.id}")
    assert page.locator("h1").inner_text() == story.title
    assert page.locator("ol.summary > li").count() >= 1
    assert page.locator("table.claims tbody tr").count() >= 1
    assert page.locator("ol.timeline > li").count() == len(story.members)
    _shot(page, "story.png")  # the story page, as an artifact

    # A citation of the summary opens its article with the cited span highlighted.
    citation = page.locator("ol.summary a.cite").first
    href = citation.get_attribute("href")
    found = re.fullmatch(r"/articles/([0-9a-f]{16})\?hl=(\d+)-(\d+)#hl", href or "")
    assert found, href
    doc_id, start, end = found[1], int(found[2]), int(found[3])
    citation.click()
    page.wait_for_url(f"**/articles/{doc_id}?hl={start}-{end}#hl")
    with app.open_store(Settings(db=story_db)) as repo:
        cited = repo.documents.get_document(doc_id).text[start:end]
    marked = "".join(page.locator("mark.cited").all_text_contents())
    assert " ".join(marked.split()) == " ".join(cited.split())
    box = page.locator("mark.cited").first.bounding_box()
    assert box is not None and 0 <= box["y"] < 900  # scrolled into view
    _shot(page, "cited-article.png")

    # The article links back to its story.
    page.locator("a.story-link").click()
    page.wait_for_url(f"**/stories/{story.id}")


def test_search_stories(page: Any, story_site: str, story_db: Path) -> None:
    with app.open_store(Settings(db=story_db)) as repo:
        expected = [
            s.title for s in app.list_stories(repo, StoryFilter(query=text_query("incendie")))
        ]
        french = app.count_stories(repo, StoryFilter(language="fr", query=text_query("incendie")))
    assert expected
    page.goto(f"{story_site}/stories")
    page.locator("form.filters input[name=q]").fill("incendie")
    page.locator("form.filters input[name=q]").press("Enter")
    page.wait_for_url("**/stories?q=incendie**")
    titles = page.locator("table.stories tbody td:nth-child(5)").all_inner_texts()
    assert titles == expected
    page.locator("select[name=lang]").select_option("fr")
    page.wait_for_url("**lang=fr**")
    assert page.locator("table.stories tbody tr").count() == french
    _shot(page, "story-search.png")


def test_hostile_stories_run_no_script(
    page: Any, hostile_story_site: str, hostile_story_db: Path
) -> None:
    dialogs: list[str] = []
    elsewhere: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("request", lambda request: elsewhere.append(request.url)
            if not request.url.startswith(hostile_story_site) else None)  # fmt: skip
    with app.open_store(Settings(db=hostile_story_db)) as repo:
        stories = app.list_stories(repo)
    paths = ["/stories", "/stories?q=council", "/topics"]
    paths += [f"/stories/{s.id}" for s in stories]
    for path in paths:
        _assert_runs_no_script(page, hostile_story_site + path)
    shown = []
    for s in stories:  # every citation of every summary, highlighted in its article
        page.goto(f"{hostile_story_site}/stories/{s.id}")
        if SCRIPT in page.locator("main").inner_text():  # the markup, shown as text
            shown.append(s.id)
        hrefs = page.locator("ol.summary a.cite").evaluate_all("els => els.map(e => e.href)")
        for href in hrefs:
            _assert_runs_no_script(page, href)
    assert shown
    page.goto(f"{hostile_story_site}/stories/{shown[0]}")
    _shot(page, "hostile-story.png")
    assert dialogs == []
    assert elsewhere == []
