"""The stories/entities/analyses tables (schema v3) and the analysis codec."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recoupe.errors import StoreError
from recoupe.store import analyses as codec
from recoupe.store.base import StreamEntry
from recoupe.store.sqlite import SQLiteStore
from recoupe.types import (
    Analysis,
    Attribution,
    Claim,
    Document,
    Entity,
    InputKind,
    Metadata,
    Source,
    SourceKind,
    Story,
    StoryFilter,
    TextSpan,
    text_query,
)


def _doc(n: int, lang: str, published: str | None, text: str) -> Document:
    digest = f"{n:016x}" + "0" * 48
    meta = Metadata(url=f"https://x.example/{n}", outlet=f"Outlet {n % 2}", title=f"T{n}",
                    published=published)  # fmt: skip
    return Document(id=digest[:16], content_hash=digest, origin=f"in/{n}.txt",
                    kind=InputKind.TEXT, meta=meta, raw=text, is_html=False, text=text,
                    removed=(), language=lang, sentences=())  # fmt: skip


@pytest.fixture
def repo(tmp_path: Path) -> SQLiteStore:
    r = SQLiteStore(tmp_path / "s.db")
    r.documents.add_documents([
        _doc(1, "fr", "2024-03-02", "Un incendie ravage une usine à Lyon."),
        _doc(2, "en", "2024-03-01", "A fire destroys a factory in Lyon."),
        _doc(3, "en", None, "Floods in Valencia after a storm."),
    ])  # fmt: skip
    return r


def _ids(repo: SQLiteStore) -> list[str]:
    return [d.id for d in repo.documents.list_documents()]


def test_stream_order_is_by_day_then_undated(repo: SQLiteStore) -> None:
    order = repo.stories.ids_to_cluster()
    assert [repo.documents.get_document(i).meta.title for i in order] == ["T2", "T1", "T3"]


def test_stories_round_trip_and_filters(repo: SQLiteStore) -> None:
    a, b, c = repo.stories.ids_to_cluster()
    stream = [StreamEntry(a, 0, 0), StreamEntry(b, 0, 1), StreamEntry(c, 1, 2)]
    stories = [
        Story(0, "Fire in Lyon", (a, b), "2024-03-01", "2024-03-02", ("en", "fr"),
              ("Outlet 0", "Outlet 1"), ("place:lyon",), 0),
        Story(1, "Floods", (c,), None, None, ("en",), ("Outlet 1",), (), 0),
    ]  # fmt: skip
    repo.stories.put_stories(stream, stories)
    assert repo.stories.get_story(0) == stories[0]
    assert repo.stories.get_story(7) is None
    assert repo.stories.story_of(c) == 1
    assert [s.id for s in repo.stories.list_stories()] == [0, 1]  # undated last
    assert [s.id for s in repo.stories.list_stories(StoryFilter(language="fr"))] == [0]
    assert [s.id for s in repo.stories.list_stories(StoryFilter(query=text_query("Valencia")))] == [
        1
    ]
    assert [s.id for s in repo.stories.list_stories(StoryFilter(since="2024-03-02"))] == [0]
    assert repo.stories.count_stories(StoryFilter(topic=0)) == 2
    assert repo.stories.stream() == stream
    assert repo.stories.ids_to_cluster() == []
    assert len(repo.stories.ids_to_cluster(everything=True)) == 3


def test_entities_are_replaced_and_runs_recorded(repo: SQLiteStore) -> None:
    a, b, _ = _ids(repo)
    assert len(repo.stories.ids_without_entities("m1")) == 3
    repo.stories.put_entities("m1", {a: [Entity("place:lyon", "LOC", "Lyon", 2)], b: []})
    repo.stories.put_entities("m1", {a: [Entity("name:x", "PER", "X", 1)]})
    assert repo.stories.entities_of([a, b]) == {a: [Entity("name:x", "PER", "X", 1)], b: []}
    assert len(repo.stories.ids_without_entities("m1")) == 1
    assert len(repo.stories.ids_without_entities("m2")) == 3


def test_text_vectors_cache(repo: SQLiteStore) -> None:
    repo.stories.put_text_vectors({"enc:1": b"\x00\x01"})
    assert repo.stories.get_text_vectors(["enc:1", "enc:2"]) == {"enc:1": b"\x00\x01"}


def test_deleting_a_document_cascades(repo: SQLiteStore) -> None:
    a = _ids(repo)[0]
    repo.stories.put_analyses("v1", {a: Analysis((), (), ())})
    assert repo.stories.analysed("v1", [a]) == {a}
    assert repo.stories.analysed("v2", [a]) == set()
    repo.stories.forget_document(a)
    assert repo.stories.get_analyses([a]) == {}


_spans = st.builds(lambda a, n: TextSpan(a, a + n), st.integers(0, 500), st.integers(0, 80))
_sources = st.builds(
    Source, _spans, st.lists(st.text(max_size=12), max_size=2).map(tuple),
    st.sampled_from(list(SourceKind)), st.booleans(), st.text(max_size=20),
)  # fmt: skip
_attributions = st.recursive(
    st.builds(
        Attribution,
        _spans,
        st.none() | _sources,
        st.none() | _spans,
        st.booleans(),
        st.none() | _sources,
        st.none(),
        st.booleans(),
        st.lists(_spans, max_size=2).map(tuple),
    ),
    lambda inner: st.builds(Attribution, _spans, _sources, _spans, st.booleans(), st.none(), inner),
    max_leaves=3,
)


@given(
    st.lists(_attributions, max_size=3),
    st.lists(
        st.builds(
            Claim,
            _spans,
            st.lists(_attributions, max_size=2).map(tuple),
            st.lists(_sources, max_size=2).map(tuple),
        ),
        max_size=3,
    ),
)
def test_codec_round_trip(atts: list[Attribution], claims: list[Claim]) -> None:
    analysis = Analysis(tuple(atts[:1]), tuple(atts), tuple(claims))
    assert codec.decode(codec.encode(analysis)) == analysis


def test_codec_refuses_garbage() -> None:
    with pytest.raises(StoreError):
        codec.decode('{"format": 99}')
    with pytest.raises(StoreError):
        codec.decode("not json")
