"""Listing pages over a store large enough for the full-text plans to differ: every way of
listing and counting agrees with the plain one, and ``page_documents`` says when its
count is only an upper bound."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from recoupe.store import documents
from recoupe.store.documents import _FTS_DRIVE_MAX
from recoupe.store.sqlite import SQLiteStore
from recoupe.types import DocumentFilter, text_query
from tests.store.test_sqlite import make_doc

N = _FTS_DRIVE_MAX + 400  # "common" is in every document: past the threshold


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SQLiteStore]:
    path: Path = tmp_path_factory.mktemp("paging") / "store.db"
    docs = [
        make_doc(
            f"common word {i} " + ("rare " if i % 100 == 0 else "") + ("half " * (i % 2)),
            language=("fr", "en", "de")[i % 3],
            published=None if i % 17 == 0 else f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}",
            outlet=f"Outlet {i % 5}",
        )
        for i in range(N)
    ]
    with SQLiteStore(path) as r:
        r.documents.add_documents(docs)
        yield r


FILTERS = [
    DocumentFilter(),
    DocumentFilter(language="fr"),
    DocumentFilter(query=text_query("common")),
    DocumentFilter(query=text_query("rare")),
    DocumentFilter(query=text_query("common"), language="en"),
    DocumentFilter(query=text_query("half"), outlet="outlet 3", since="2025-03"),
    DocumentFilter(query=text_query("rare OR half"), until="2025-06"),
]


@pytest.fixture(params=["weighed", "always probing"])
def plan(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The listing's plans as weighed, and with the per-row FTS probe taken whenever a
    query is past the threshold (at this size the weighing never takes it)."""
    if request.param == "always probing":
        monkeypatch.setattr(documents, "_PROBE_RATIO", 0)
    return str(request.param)


def test_the_probe_plan_is_taken_only_when_matches_are_most_of_a_large_store(
    repo: SQLiteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = DocumentFilter(query=text_query("common"), limit=50)
    with repo.documents._db.transaction("test", write=False) as conn:
        common = documents.resolve(conn, page.query)
        assert common is not None and common.matches == N
        assert not documents._probes(conn, page, common)  # 2,400 matches: read them all
        monkeypatch.setattr(documents, "_PROBE_RATIO", 0)
        assert documents._probes(conn, page, common)
        assert not documents._probes(conn, DocumentFilter(query=page.query), common)


@pytest.mark.parametrize("flt", FILTERS)
@pytest.mark.parametrize(("limit", "offset"), [(50, 0), (50, 950), (10, N - 5)])
def test_pages_agree_with_plain_listing(
    repo: SQLiteStore, flt: DocumentFilter, limit: int, offset: int, plan: str
) -> None:
    everything = [r.id for r in repo.documents.list_documents(DocumentFilter(
        flt.language, flt.outlet, flt.since, flt.until))]  # fmt: skip
    if flt.query:  # the same filters, the query applied to the text in Python
        q = flt.query
        words = [alt[0] for group in q.either for alt in group] or list(q.terms)
        texts = {
            r.id: repo.documents.get_document(r.id).text.split()
            for r in repo.documents.list_documents()
        }
        everything = [i for i in everything if any(w in texts[i] for w in words)]
    paged = DocumentFilter(flt.language, flt.outlet, flt.since, flt.until, flt.query,
                           limit, offset)  # fmt: skip
    _page = repo.documents.page_documents(paged)
    rows, total, exact = _page.documents, _page.total, _page.exact
    assert [r.id for r in rows] == everything[offset : offset + limit]
    assert [r.id for r in repo.documents.list_documents(paged)] == everything[
        offset : offset + limit
    ]
    if exact:
        assert total == len(everything)
    else:  # a frequent word with other filters: the count of the word alone
        assert flt.query and total == repo.documents.count_documents(
            DocumentFilter(query=flt.query)
        )
        assert total > len(everything)
    assert repo.documents.count_documents(paged) == len(everything)


def test_undated_documents_come_last(repo: SQLiteStore) -> None:
    rows = repo.documents.list_documents(DocumentFilter(query=text_query("common")))
    dated = [r.published for r in rows if r.published]
    assert dated == sorted(dated, reverse=True)
    assert all(r.published is None for r in rows[len(dated) :])


def test_count_is_an_upper_bound_only_when_exact_counting_is_costly(
    repo: SQLiteStore,
) -> None:
    costly = DocumentFilter(language="en", query=text_query("common"), limit=5)
    _page = repo.documents.page_documents(costly)
    rows, total, exact = _page.documents, _page.total, _page.exact
    assert [r.id for r in rows] == [r.id for r in repo.documents.list_documents(costly)]
    matches = repo.documents.count_documents(DocumentFilter(query=text_query("common")))
    assert (total, exact) == (matches, False)
    assert repo.documents.count_documents(costly) < matches
    # cheap counts stay exact: no query, the query alone, or a query with few matches
    for flt in (DocumentFilter(language="en"), DocumentFilter(query=text_query("common")),
                DocumentFilter(language="fr", query=text_query("rare"))):  # fmt: skip
        page = repo.documents.page_documents(flt)
        assert (page.total, page.exact) == (repo.documents.count_documents(flt), True)
