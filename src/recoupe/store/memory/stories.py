"""The stories part of an in-memory store (``StoriesStore``): the text-vector cache,
entities, the clustering stream, story rows and analyses, with the behaviour of the
SQLite backend (same orders, same filters)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from recoupe.store.base import LeadRow, StoryListPage, StreamEntry
from recoupe.store.memory.documents import store_languages
from recoupe.store.memory.search import Matcher
from recoupe.store.memory.state import MemoryState, StoryRow
from recoupe.store.rows import outlet_key
from recoupe.types import Analysis, Attribution, Entity, Story, StoryFilter


def _sorted(rows: list[StoryRow]) -> list[StoryRow]:
    """Most recent last day first, undated last, then larger first, then by id."""
    rows = sorted(rows, key=lambda r: (-r.n_articles, r.id))
    return sorted(rows, key=lambda r: (r.last is not None, r.last or ""), reverse=True)


class MemoryStories:
    """The stories, entities and analyses tables of one in-memory store."""

    def __init__(self, state: MemoryState) -> None:
        self._s = state

    def get_text_vectors(self, keys: Sequence[str]) -> dict[str, bytes]:
        with self._s.lock:
            self._s.check_open()
            return {k: self._s.vectors[k] for k in keys if k in self._s.vectors}

    def put_text_vectors(self, data: Mapping[str, bytes]) -> None:
        with self._s.lock:
            self._s.check_open()
            self._s.vectors.update((k, bytes(v)) for k, v in data.items())

    def ids_without_entities(self, model: str) -> list[str]:
        with self._s.lock:
            self._s.check_open()
            rows = sorted(self._s.documents.values(), key=lambda r: r.num)
            return [r.doc.id for r in rows if self._s.entity_runs.get(r.doc.id) != model]

    @staticmethod
    def _ranked(entities: Sequence[Entity]) -> list[Entity]:
        return sorted(entities, key=lambda e: (-e.count, e.key))

    def put_entities(self, model: str, entities: Mapping[str, Sequence[Entity]]) -> None:
        with self._s.lock:
            self._s.check_open()
            self._s.require(entities, "storing entities")
            for doc_id, found in entities.items():
                self._s.entities[doc_id] = self._ranked(found)
                self._s.entity_runs[doc_id] = model

    def entities_of(self, ids: Sequence[str]) -> dict[str, list[Entity]]:
        with self._s.lock:
            self._s.check_open()
            return {i: list(self._s.entities.get(i, ())) for i in ids}

    def text_entities_done(self, model: str, ids: Sequence[str]) -> set[str]:
        with self._s.lock:
            self._s.check_open()
            return {i for i in ids if self._s.text_entity_runs.get(i) == model}

    def put_text_entities(self, model: str, entities: Mapping[str, Sequence[Entity]]) -> None:
        with self._s.lock:
            self._s.check_open()
            self._s.require(entities, "storing text entities")
            for doc_id, found in entities.items():
                self._s.text_entities[doc_id] = self._ranked(found)
                self._s.text_entity_runs[doc_id] = model

    def text_entities_of(self, ids: Sequence[str]) -> dict[str, list[Entity]]:
        with self._s.lock:
            self._s.check_open()
            return {i: list(self._s.text_entities.get(i, ())) for i in ids}

    def stream(self) -> list[StreamEntry]:
        with self._s.lock:
            self._s.check_open()
            rows = sorted((seq, d, sid) for d, (sid, seq) in self._s.members.items())
        return [StreamEntry(d, sid, seq) for seq, d, sid in rows]

    def ids_to_cluster(self, everything: bool = False) -> list[str]:
        with self._s.lock:
            self._s.check_open()
            rows = [r for r in self._s.documents.values()
                    if everything or r.doc.id not in self._s.members]  # fmt: skip
        published = [r.doc.meta.published for r in rows]
        order = sorted(
            range(len(rows)),
            key=lambda i: (published[i] is None, (published[i] or "")[:10], rows[i].num),
        )
        return [rows[i].doc.id for i in order]

    def leads(self, ids: Sequence[str], chars: int) -> list[LeadRow]:
        with self._s.lock:
            self._s.check_open()
            docs = [self._s.documents[i].doc for i in ids if i in self._s.documents]
        return [LeadRow(d.id, d.meta.title, d.text[:chars], d.language, d.meta.published,
                        d.meta.outlet) for d in docs]  # fmt: skip

    def put_stories(
        self,
        stream: Sequence[StreamEntry],
        stories: Sequence[Story],
        dropped: Sequence[int] = (),
    ) -> None:
        s = self._s
        with s.lock:
            s.check_open()
            s.require((e.doc_id for e in stream), "storing stories")
            for sid in dropped:
                s.stories.pop(sid, None)
            for e in stream:
                s.members[e.doc_id] = (e.story_id, e.seq)
            for st in stories:
                s.stories[st.id] = StoryRow(
                    st.id, st.title, st.first, st.last, tuple(st.languages), tuple(st.outlets),
                    tuple(st.entities), len(st.members),
                    st.topic if st.topic is not None else st.id,
                )  # fmt: skip

    def clear_stories(self) -> None:
        with self._s.lock:
            self._s.check_open()
            self._s.members.clear()
            self._s.stories.clear()

    def _story(self, row: StoryRow) -> Story:
        members = sorted((seq, d) for d, (sid, seq) in self._s.members.items() if sid == row.id)
        return Story(row.id, row.title, tuple(d for _, d in members), row.first, row.last,
                     row.languages, row.outlets, row.entities, row.topic)  # fmt: skip

    def _matching(self, flt: StoryFilter) -> list[StoryRow]:
        s = self._s
        rows = list(s.stories.values())
        if flt.language:
            lang = flt.language.strip().lower()
            rows = [r for r in rows if lang in r.languages]
        if flt.outlet:
            key = outlet_key(flt.outlet)
            ids = {sid for d, (sid, _) in s.members.items() if s.documents[d].outlet_key == key}
            rows = [r for r in rows if r.id in ids]
        if flt.since:
            since = flt.since.strip()[:10]
            rows = [r for r in rows if r.last is not None and r.last >= since]
        if flt.until:
            until = flt.until.strip() + "\U0010ffff"
            rows = [r for r in rows if r.first is not None and r.first <= until]
        if flt.topic is not None:
            rows = [r for r in rows if r.topic == flt.topic]
        if flt.query is not None:
            matcher = Matcher(flt.query, store_languages(s))
            ids = {sid for d, (sid, _) in s.members.items()
                   if matcher.matches(s.documents[d].index)}  # fmt: skip
            rows = [r for r in rows if r.id in ids]
        return _sorted(rows)

    def list_stories(self, flt: StoryFilter | None = None) -> list[Story]:
        flt = flt or StoryFilter()
        with self._s.lock:
            self._s.check_open()
            end = None if flt.limit is None else flt.offset + flt.limit
            return [self._story(r) for r in self._matching(flt)[flt.offset : end]]

    def page_stories(self, flt: StoryFilter | None = None) -> StoryListPage:
        with self._s.lock:
            return StoryListPage(self.list_stories(flt), self.count_stories(flt), True)

    def count_stories(self, flt: StoryFilter | None = None) -> int:
        with self._s.lock:
            self._s.check_open()
            return len(self._matching(flt or StoryFilter()))

    def get_story(self, story_id: int) -> Story | None:
        with self._s.lock:
            self._s.check_open()
            row = self._s.stories.get(story_id)
            return None if row is None else self._story(row)

    def story_of(self, doc_id: str) -> int | None:
        with self._s.lock:
            self._s.check_open()
            found = self._s.members.get(doc_id)
        return None if found is None else found[0]

    def analysed(self, analyser: str, ids: Sequence[str]) -> set[str]:
        with self._s.lock:
            self._s.check_open()
            return {i for i in ids if i in self._s.analyses and self._s.analyses[i][0] == analyser}

    def put_analyses(self, analyser: str, data: Mapping[str, Analysis]) -> None:
        with self._s.lock:
            self._s.check_open()
            self._s.require(data, "storing analyses")
            self._s.analyses.update((d, (analyser, a)) for d, a in data.items())

    def get_analyses(self, ids: Sequence[str]) -> dict[str, Analysis]:
        with self._s.lock:
            self._s.check_open()
            return {i: self._s.analyses[i][1] for i in ids if i in self._s.analyses}

    def get_quotes(self, ids: Sequence[str]) -> dict[str, tuple[Attribution, ...]]:
        return {i: a.quotes for i, a in self.get_analyses(ids).items()}

    def forget_document(self, doc_id: str) -> None:
        s = self._s
        with s.lock:
            s.check_open()
            for table in (s.entities, s.entity_runs, s.text_entities, s.text_entity_runs,
                          s.analyses):  # fmt: skip
                table.pop(doc_id, None)
