"""A page of stories (``page_stories``): the three ways a full-text query is resolved
(collecting the matching stories, walking with the matching rowids, walking with the
index) give the same page; only the first counts exactly. And the quotes-only codec."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from recoupe.errors import StoreError
from recoupe.store import analyses as codec
from recoupe.store import stories as store_stories
from recoupe.store.base import StreamEntry
from recoupe.store.sqlite import SQLiteStore
from recoupe.types import (
    Analysis,
    Attribution,
    Document,
    InputKind,
    Metadata,
    Source,
    SourceKind,
    Story,
    StoryFilter,
    TextSpan,
    text_query,
)

N_STORIES = 24
PER_STORY = 3


def _doc(n: int) -> Document:
    words = ["common"] + (["middle"] if n % 7 == 0 else []) + (["rare"] if n == 40 else [])
    text = f"Article {n} says " + " ".join(words) + "."
    digest = f"{n:016x}" + "0" * 48
    published = None if n % 11 == 0 else f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}"
    meta = Metadata(outlet=f"Outlet {n % 3}", title=f"T{n}", published=published)
    return Document(id=digest[:16], content_hash=digest, origin=f"in/{n}.txt",
                    kind=InputKind.TEXT, meta=meta, raw=text, is_html=False, text=text,
                    removed=(), language=("en", "fr")[n % 2], sentences=())  # fmt: skip


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> SQLiteStore:
    r = SQLiteStore(tmp_path_factory.mktemp("listing") / "s.db")
    docs = [_doc(n) for n in range(N_STORIES * PER_STORY)]
    r.documents.add_documents(docs)
    stream, stories = [], []
    for sid in range(N_STORIES):
        members = docs[sid * PER_STORY : (sid + 1) * PER_STORY]
        stream += [StreamEntry(d.id, sid, sid * PER_STORY + i) for i, d in enumerate(members)]
        days = sorted(d.meta.published for d in members if d.meta.published)
        stories.append(Story(
            sid, f"S{sid}", tuple(d.id for d in members), days[0] if days else None,
            days[-1] if days else None, tuple(sorted({d.language or "" for d in members})),
            tuple(sorted({d.meta.outlet or "" for d in members})), (), sid // 4,
        ))  # fmt: skip
    r.stories.put_stories(stream, stories)
    return r


FILTERS = [
    StoryFilter(query=text_query("common"), limit=5),
    StoryFilter(query=text_query("common"), limit=5, offset=10),
    StoryFilter(query=text_query("middle"), limit=4, offset=4),
    StoryFilter(query=text_query("middle"), language="fr", limit=50),
    StoryFilter(query=text_query("rare"), limit=5),
    StoryFilter(query=text_query("middle OR rare"), outlet="outlet 1", since="2024-03", limit=3),
    StoryFilter(query=text_query("nothing"), limit=5),
    StoryFilter(query=text_query("common"), limit=5, offset=100),
]


@pytest.mark.parametrize("flt", FILTERS)
@pytest.mark.parametrize("way", ["rowids", "index"])
def test_every_way_gives_the_same_page(
    repo: SQLiteStore, flt: StoryFilter, way: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _page = repo.stories.page_stories(flt)
    rows, total, exact = _page.stories, _page.total, _page.exact  # few matches: collected, counted
    assert exact and total == repo.stories.count_stories(flt)
    assert rows == repo.stories.list_stories(flt)
    monkeypatch.setattr(store_stories, "_FTS_SET_MAX", 0)
    monkeypatch.setattr(store_stories, "_FTS_ROWIDS_MAX", 10**9 if way == "rowids" else 0)
    monkeypatch.setattr(store_stories, "_WALK_BATCH", 4)  # several batches
    _page = repo.stories.page_stories(flt)
    walked, bound, exact = _page.stories, _page.total, _page.exact
    assert walked == rows
    assert (exact, bound) == (True, 0) if total == 0 else (not exact and bound >= total)
    assert repo.stories.list_stories(flt) == rows


def test_listing_order_puts_undated_stories_last(repo: SQLiteStore) -> None:
    stories = repo.stories.list_stories()
    days = [s.last for s in stories]
    dated = [d for d in days if d is not None]
    assert days == dated + [None] * (len(days) - len(dated))
    assert dated == sorted(dated, reverse=True)
    _page = repo.stories.page_stories(StoryFilter(language="fr", limit=5))
    rows, total, exact = _page.stories, _page.total, _page.exact
    assert exact and total == repo.stories.count_stories(StoryFilter(language="fr"))
    assert [s.id for s in rows] == [s.id for s in stories if "fr" in s.languages][:5]


def test_quotes_alone_are_decoded() -> None:
    source = Source(TextSpan(0, 3), ("Ann",), SourceKind.PERSON)
    quote = Attribution(TextSpan(5, 9), source, TextSpan(10, 14), direct=True)
    data = codec.encode(Analysis((quote,), (quote,), ()))
    assert codec.decode_quotes(data) == (quote,)
    with pytest.raises(StoreError):
        codec.decode_quotes('{"format": 99}')
    with pytest.raises(StoreError):
        codec.decode_quotes("not json")


def test_sqlite_extracts_only_the_quotes_and_reports_corrupt_rows(tmp_path: Path) -> None:
    source = Source(TextSpan(0, 3), ("Ann",), SourceKind.PERSON)
    quote = Attribution(TextSpan(5, 9), source, TextSpan(10, 14), direct=True)
    with SQLiteStore(tmp_path / "q.db") as repo:
        repo.documents.add_documents([_doc(1), _doc(2)])
        repo.stories.put_analyses("a", {_doc(1).id: Analysis((quote,), (quote,), ())})
        assert repo.stories.get_quotes([_doc(1).id, _doc(2).id]) == {_doc(1).id: (quote,)}
        corrupt = ('{"format": 99, "quotes": []}', '{"format": 1, "quotes": {}}', "[1,",
                   '{"format": 1, "quotes": "[]"}', '{"format": 1}')  # fmt: skip
        for data in corrupt:
            repo.stories.put_analyses("a", {_doc(2).id: Analysis((), (), ())})
            raw = sqlite3.connect(tmp_path / "q.db")
            with raw:
                raw.execute("UPDATE analyses SET data = ? WHERE doc_id = ?", (data, _doc(2).id))
            raw.close()
            with pytest.raises(StoreError):
                repo.stories.get_quotes([_doc(2).id])


def test_an_empty_walk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with SQLiteStore(tmp_path / "e.db") as empty:
        monkeypatch.setattr(store_stories, "_FTS_SET_MAX", -1)
        page = empty.stories.page_stories(StoryFilter(query=text_query("x"), limit=5))
        assert (page.stories, page.total, page.exact) == ([], 0, False)
