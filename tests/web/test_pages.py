"""The web UI in process (Starlette TestClient): every page, filters, errors, and that
hostile article text never becomes markup."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from recoupe import app
from recoupe.config import Settings
from recoupe.errors import StoreError
from recoupe.types import DocumentFilter, text_query
from recoupe.web import create_app
from recoupe.web.context import CSP
from tests.web.conftest import IMG, SCRIPT

ROW_LINK = re.compile(r'<td><a href="/articles/([0-9a-f]{16})">')


@pytest.fixture(scope="module")
def client(corpus_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(corpus_db, Settings(db=corpus_db))) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def hostile(hostile_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(hostile_db, Settings(db=hostile_db))) as test_client:
        yield test_client


def _rows(html: str) -> list[str]:
    return ROW_LINK.findall(html)


def _stored(db: Path, flt: DocumentFilter | None = None) -> list[str]:
    with app.open_store(Settings(db=db)) as repo:
        return [r.id for r in repo.documents.list_documents(flt or DocumentFilter())]


def _group(db: Path) -> tuple[str, tuple[str, ...]]:
    """The origin group of the demo corpus (the BPA wire and its copies)."""
    with app.open_store(Settings(db=db)) as repo:
        (group,) = repo.copies.origin_groups()
    return group.id, group.members


# ----- list ---------------------------------------------------------------------------


def test_root_redirects_to_the_list(client: TestClient) -> None:
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["location"] == "/articles"


def test_list_shows_every_article_newest_first(client: TestClient, corpus_db: Path) -> None:
    response = client.get("/articles")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert _rows(response.text) == _stored(corpus_db)
    assert "13 articles." in response.text
    assert '<option value="fr">fr (6)</option>' in response.text  # language facet
    assert '<option value="Sud Horizon">' in response.text  # outlet suggestions


@pytest.mark.parametrize(
    ("query", "flt"),
    [
        ("lang=fr", DocumentFilter(language="fr")),
        ("outlet=sud+horizon", DocumentFilter(outlet="Sud Horizon")),
        ("since=2025-10", DocumentFilter(since="2025-10")),
        ("until=2025-09-17", DocumentFilter(until="2025-09-17")),
        ("q=incendie", DocumentFilter(query=text_query("incendie"))),
        (
            "q=fire&lang=en&since=2025-09-17",
            DocumentFilter("en", None, "2025-09-17", None, text_query("fire")),
        ),
        ("q=%22battery+plant%22", DocumentFilter(query=text_query('"battery plant"'))),
    ],
)
def test_list_filters(client: TestClient, corpus_db: Path, query: str, flt: DocumentFilter) -> None:
    response = client.get(f"/articles?{query}")
    assert response.status_code == 200
    expected = _stored(corpus_db, flt)
    assert expected, "the filter should keep some articles"
    assert _rows(response.text) == expected
    assert f"{len(expected)} article" in response.text
    assert 'href="/articles">clear</a>' in response.text


def test_search_without_match_says_so(client: TestClient) -> None:
    response = client.get("/articles?q=zeppelin")
    assert response.status_code == 200
    assert _rows(response.text) == []
    assert "No article matches these filters." in response.text


def test_pages_past_the_end_are_empty_and_bad_pages_are_400(client: TestClient) -> None:
    assert "No article on this page." in client.get("/articles?page=2").text
    for page in ("0", "-1", "abc", "21"):
        response = client.get(f"/articles?page={page}")
        assert response.status_code == 400, page
        assert "page must be a number from 1 to 20" in response.text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("q=%22unclosed", "invalid search query"),
        ("since=yesterday", "since must be an ISO date"),
        ("until=2025-13-99x", "until must be an ISO date"),
        ("lang=%3Cscript%3E", "lang must be a language code"),
        ("q=" + "a" * 501, "q is too long"),
    ],
)
def test_bad_parameters_are_400_with_the_reason(
    client: TestClient, query: str, message: str
) -> None:
    response = client.get(f"/articles?{query}")
    assert response.status_code == 400
    assert message in response.text
    assert "<script>" not in response.text  # the bad value is echoed escaped


# ----- article ------------------------------------------------------------------------


def test_article_shows_text_removed_lines_and_copies(client: TestClient, corpus_db: Path) -> None:
    group_id, members = _group(corpus_db)
    with app.open_store(Settings(db=corpus_db)) as repo:
        doc = max((repo.documents.get_document(m) for m in members), key=lambda d: len(d.removed))
        links = app.article_view(repo, doc.id).links
    html = client.get(f"/articles/{doc.id}").text
    assert doc.meta.title and doc.meta.title in html
    first_sentence = doc.sentences[0].text_of(doc.text)
    assert first_sentence.replace("'", "&#39;").replace('"', "&#34;") in html
    # removed lines greyed in place, each with its reason
    assert html.count('class="removed-line"') == len(doc.removed)
    for removed in doc.removed[:5]:
        assert f'<span class="reason">{removed.reason}' in html
    # copied passages marked, each linking to where it stands in the other article
    assert links and 'class="copied' in html
    for link in links:
        assert f'id="at{link.a.start}"' in html
        assert f'href="/articles/{link.b.doc_id}#at{link.b.start}"' in html
        assert f'href="/reuse/{doc.id}/{link.b.doc_id}"' in html
    assert f'href="/origins/{group_id}"' in html


def test_copy_links_land_on_an_anchor_of_the_other_article(
    client: TestClient, corpus_db: Path
) -> None:
    _, members = _group(corpus_db)
    html = client.get(f"/articles/{members[0]}").text
    targets = set(re.findall(r'href="/articles/([0-9a-f]{16})#(at\d+)"', html))
    assert targets
    for other, anchor in targets:
        assert f'id="{anchor}"' in client.get(f"/articles/{other}").text


def test_article_outside_any_group(client: TestClient, corpus_db: Path) -> None:
    _, members = _group(corpus_db)
    loner = next(i for i in _stored(corpus_db) if i not in members)
    html = client.get(f"/articles/{loner}").text
    assert "Not in an origin group" in html


def test_article_by_prefix_redirects_to_its_full_id(client: TestClient, corpus_db: Path) -> None:
    doc_id = _stored(corpus_db)[0]
    response = client.get(f"/articles/{doc_id[:6].upper()}", follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["location"] == f"/articles/{doc_id}"


def test_raw_input_is_plain_text(client: TestClient, corpus_db: Path) -> None:
    doc_id = _stored(corpus_db)[0]
    response = client.get(f"/articles/{doc_id}/raw")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/articles/ffffffffffffffff", 404, "no document with id"),
        ("/articles/not-hex-at-all", 404, "ids are hexadecimal"),
        ("/articles/ab", 400, "too short"),
        ("/articles/ffffffffffffffff/raw", 404, "no document with id"),
        ("/reuse/ffffffffffffffff/eeeeeeeeeeeeeeee", 404, "no document with id"),
        ("/origins/og-0000", 404, "no origin group"),
        ("/no/such/page", 404, "There is no page at /no/such/page"),
    ],
)
def test_unknown_things_get_an_error_page(
    client: TestClient, path: str, status: int, message: str
) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert message in response.text
    assert response.headers["content-security-policy"] == CSP
    assert 'href="/articles">Back to the articles' in response.text


def test_post_is_not_allowed(client: TestClient) -> None:
    response = client.post("/articles")
    assert response.status_code == 405
    assert response.headers["content-security-policy"] == CSP


# ----- reuse, origin groups, rejections -------------------------------------------------


def test_reuse_side_by_side(client: TestClient, corpus_db: Path) -> None:
    _, members = _group(corpus_db)
    first, second = members[0], members[1]
    with app.open_store(Settings(db=corpus_db)) as repo:
        stored = app.stored_reuse(repo, first, second)
    html = client.get(f"/reuse/{first}/{second}").text
    n = len(stored.links)
    assert n and f"{n} shared passage" in html
    assert html.count('<td class="kind">') == n
    for link in stored.links:
        assert f'href="/articles/{first}#at{link.a.start}"' in html
        assert f'href="/articles/{second}#at{link.b.start}"' in html
    assert "% of its text" in html
    swapped = client.get(f"/reuse/{second}/{first}").text
    assert swapped.count('<td class="kind">') == n


def test_reuse_of_one_article_with_itself_is_400(client: TestClient, corpus_db: Path) -> None:
    doc_id = _stored(corpus_db)[0]
    response = client.get(f"/reuse/{doc_id}/{doc_id}")
    assert response.status_code == 400
    assert "two different articles" in response.text


def test_reuse_of_a_pair_never_aligned_says_so(client: TestClient, corpus_db: Path) -> None:
    _, members = _group(corpus_db)
    loner = next(i for i in _stored(corpus_db) if i not in members)
    html = client.get(f"/reuse/{members[0]}/{loner}").text
    assert "No shared passage is stored" in html


def test_origin_groups(client: TestClient, corpus_db: Path) -> None:
    group_id, members = _group(corpus_db)
    listing = client.get("/origins").text
    assert "1 group of articles" in listing
    assert f'href="/origins/{group_id}"' in listing
    page = client.get(f"/origins/{group_id}").text
    for member in members:
        assert f'href="/articles/{member}"' in page
    assert page.count('href="/reuse/') >= 1


def test_rejections_page(client: TestClient) -> None:
    html = client.get("/rejections").text
    assert "1 input could not become articles" in html
    assert "empty.txt" in html and "<code>empty</code>" in html


def test_static_files_and_headers(client: TestClient) -> None:
    for path in ("/static/style.css", "/static/app.js", "/articles"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-security-policy"] == CSP
        assert response.headers["x-frame-options"] == "DENY"
    assert "script-src 'self'" in CSP and "unsafe-inline" not in CSP


# ----- hostile input --------------------------------------------------------------------


def _no_markup_from_input(html: str) -> None:
    assert SCRIPT not in html
    assert "<img" not in html  # no tag can come from input: every "<" of it is escaped
    assert "<b>" not in html
    assert 'href="javascript:' not in html


def test_hostile_text_and_metadata_are_escaped(hostile: TestClient, hostile_db: Path) -> None:
    pages = ["/articles", "/articles?q=council", "/rejections", "/origins"]
    pages += [f"/articles/{doc_id}" for doc_id in _stored(hostile_db)]
    for path in pages:
        html = hostile.get(path).text
        _no_markup_from_input(html)
    escaped_script = "&lt;script&gt;alert(1)&lt;/script&gt;"
    listing = hostile.get("/articles").text
    assert f"Council budget {escaped_script}" in listing  # title, escaped
    assert "&lt;img src=x onerror=&#34;window.__xss=1&#34;&gt;" in listing  # outlet
    article = hostile.get(f"/articles/{_stored(hostile_db, DocumentFilter(outlet=IMG))[0]}").text
    assert f"pasted {escaped_script} into" in article  # body text
    assert "javascript:window.__xss=2" in article  # the URL is shown as text, not a link
    rejections = hostile.get("/rejections").text
    assert "&lt;img src=x onerror=alert(5)&gt;.txt" in rejections


def test_hostile_removed_lines_and_passages_are_escaped(
    hostile: TestClient, hostile_db: Path
) -> None:
    (port_news,) = _stored(hostile_db, DocumentFilter(query=text_query("quay")))
    html = hostile.get(f"/articles/{port_news}").text
    assert "&lt;script&gt;window.__xss=4&lt;/script&gt;" in html  # a removed line
    (group_id, members) = _group(hostile_db)
    reuse = hostile.get(f"/reuse/{members[0]}/{members[1]}").text
    _no_markup_from_input(reuse)
    assert "&lt;script&gt;" in reuse
    _no_markup_from_input(hostile.get(f"/origins/{group_id}").text)


def test_safe_urls_are_links(hostile: TestClient, hostile_db: Path) -> None:
    (ferry,) = _stored(
        hostile_db, DocumentFilter(outlet="Port News", query=text_query("delayed NOT quay"))
    )
    html = hostile.get(f"/articles/{ferry}").text
    # an http(s) URL is a link, its markup-like characters escaped
    assert 'href="https://port.example/ferry?a=1&amp;b=&lt;2&gt;"' in html


# ----- app factory and command --------------------------------------------------------


def test_create_app_refuses_a_missing_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store at"):
        create_app(tmp_path / "nothing.db", Settings())
    assert not (tmp_path / "nothing.db").exists()


def test_serve_command_runs_uvicorn_on_localhost(
    corpus_db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import uvicorn

    from tests.app.test_cli import run

    calls: list[tuple[uvicorn.Config, list[object]]] = []

    def run_server(server: uvicorn.Server, sockets: list[object]) -> None:
        calls.append((server.config, sockets))

    monkeypatch.setattr(uvicorn.Server, "run", run_server)
    with socket.socket() as probe:  # a port free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code, out, _ = run(capsys, "serve", "--db", str(corpus_db), "--port", str(port))
    assert code == 0
    ((config, sockets),) = calls
    assert (config.host, config.port) == ("127.0.0.1", port) and len(sockets) == 1
    assert f"http://127.0.0.1:{port}/" in out
    code, _, err = run(capsys, "serve", "--db", str(corpus_db.parent / "missing.db"))
    assert code == 5 and "no store at" in err


def test_common_word_with_a_filter_shows_an_upper_bound(tmp_path: Path) -> None:
    """Past 2,000 matches a search combined with another filter is not counted exactly
    (it would cost more than the page): the list says "up to" and pages on while full."""
    from recoupe.store.documents import _FTS_DRIVE_MAX
    from recoupe.store.sqlite import SQLiteStore
    from tests.store.test_sqlite import make_doc

    n = _FTS_DRIVE_MAX + 100
    with SQLiteStore(tmp_path / "big.db") as repo:
        docs = [
            make_doc(f"common word {i}", language=("fr", "en")[i % 2], published="2025-01-02")
            for i in range(n)
        ]
        repo.documents.add_documents(docs)
    with TestClient(create_app(tmp_path / "big.db", Settings())) as big:
        html = big.get("/articles?q=common&lang=en&page=2").text
        assert f"Up to {n:,} articles" in html
        assert len(_rows(html)) == 50
        assert (
            "page 2</span>" in html
            and 'rel="next" href="/articles?q=common&amp;lang=en&amp;page=3"' in html
        )
        assert f"{n:,} articles match." in big.get("/articles?q=common").text
        assert "Only the first 1,000 are paged through" in big.get("/articles?q=common").text


def test_an_untitled_article_is_shown_by_its_first_words(tmp_path: Path) -> None:
    """A file without a headline has no title: the list and its page show the first
    words of its text, never its path."""
    body = ("the harbour master said on Monday that the ferry would not sail before the "
            "storm had passed, and the port stayed closed for the whole day. ") * 3
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "no-headline-file.txt").write_text(body, encoding="utf-8")
    db = tmp_path / "s.db"
    with app.open_store(Settings(db=db)) as store:
        assert app.ingest(store, [str(tmp_path / "in")], Settings(db=db)).accepted == 1
        (row,) = store.documents.list_documents()
    assert row.title is None
    with TestClient(create_app(db, Settings(db=db))) as test_client:
        listing = test_client.get("/articles").text
        page = test_client.get(f"/articles/{row.id}").text
    shown = "the harbour master said on Monday that the ferry would not sail …"
    assert shown in listing and shown in page
    assert "no-headline-file" not in listing
    assert "<title>the harbour master" in page
