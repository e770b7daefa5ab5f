"""Use cases over stories: build them, list and show them, topics, attribution,
corroboration reports and exports."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from recoupe.app.corpus import default_encoder
from recoupe.app.views import StoryView, get_story, story_view
from recoupe.errors import NotFoundError, UsageError
from recoupe.export import export_document, story_document
from recoupe.nlp.encoder import Encoder
from recoupe.pipeline.attribution import (
    SpeakerQuotes,
    analyse_documents,
    quoted_article,
    quotes_by_speaker,
)
from recoupe.pipeline.corroboration import DEFAULT_WORDS, read_evidence, story_findings
from recoupe.pipeline.stage import Executor, Step, no_progress
from recoupe.pipeline.stories import StoriesReport, run_stories
from recoupe.store.base import Store
from recoupe.types import Analysis, Document, Story, StoryFilter, StoryFindings

# ----- stories, entities, attribution -------------------------------------------------


def build_stories(
    store: Store,
    encoder: Encoder | None = None,
    step: Step | None = None,
    rebuild: bool = False,
    executor: Executor | None = None,
) -> StoriesReport:
    """Entities for new articles, then cluster the articles not in a story yet (all of
    them again with ``rebuild``), then story rows and topics."""
    return run_stories(store, default_encoder(encoder), executor, step or no_progress, rebuild)


def list_stories(store: Store, flt: StoryFilter | None = None) -> list[Story]:
    return store.stories.list_stories(flt)


def count_stories(store: Store, flt: StoryFilter | None = None) -> int:
    return store.stories.count_stories(flt)


@dataclass(frozen=True, slots=True)
class Topic:
    """Stories that belong together; ``title`` is the title of its largest story."""

    id: int
    title: str
    stories: list[Story]

    @property
    def n_articles(self) -> int:
        return sum(len(s.members) for s in self.stories)


def list_topics(store: Store) -> list[Topic]:
    """Topics with their stories, the largest topics first."""
    by_topic: dict[int, list[Story]] = {}
    for s in store.stories.list_stories():
        by_topic.setdefault(s.topic if s.topic is not None else s.id, []).append(s)
    topics = []
    for tid, stories in by_topic.items():
        lead = max(stories, key=lambda s: (len(s.members), -s.id))
        topics.append(Topic(tid, lead.title, stories))
    return sorted(topics, key=lambda t: (-t.n_articles, t.id))


@dataclass(frozen=True, slots=True)
class ArticleAnalysis:
    """An article of a story with its attribution analysis."""

    doc: Document
    analysis: Analysis


def story_analyses(
    store: Store, story_id: str | int, step: Step | None = None
) -> tuple[Story, list[ArticleAnalysis]]:
    """Attribution analysis of every article of a story, computed now for articles
    not analysed yet (stored for next time)."""
    story = get_story(store, story_id)
    found = analyse_documents(store, list(story.members), None, step or no_progress)
    docs = store.documents.get_documents(list(story.members))
    out = [ArticleAnalysis(docs[m], found[m]) for m in story.members if m in found and m in docs]
    return story, out


def story_quotes(
    store: Store, story_id: str | int, step: Step | None = None
) -> tuple[Story, list[SpeakerQuotes]]:
    """The direct quotes of a story grouped by speaker across its articles (analysing
    the articles not analysed yet)."""
    story, found = story_analyses(store, story_id, step)
    return story, quotes_by_speaker(
        (quoted_article(a.doc), q) for a in found for q in a.analysis.quotes
    )


def analyse_all(store: Store, step: Step | None = None, executor: Executor | None = None) -> int:
    """Attribution analysis of every article not analysed yet; returns how many articles
    the store holds."""
    ids = [i for batch in store.documents.document_ids() for i in batch]
    analyse_documents(store, ids, executor, step or no_progress)
    return len(ids)


@dataclass(frozen=True, slots=True)
class StoryReport:
    """Everything known about a story: the view, its findings (claim groups with their
    independent origins, disagreements, unique content, cited summary) and its articles'
    documents and attribution analyses (to show spans and quotes in place)."""

    view: StoryView
    findings: StoryFindings
    documents: dict[str, Document]
    analyses: dict[str, Analysis]


def story_report(
    store: Store,
    story_id: str | int,
    words: int = DEFAULT_WORDS,
    language: str | None = None,
    encoder: Encoder | None = None,
    step: Step | None = None,
    refresh: bool = False,
) -> StoryReport:
    """Corroborate a story (aligning, analysing and grouping what is missing; stored
    findings are reused while the story's inputs are unchanged)."""
    if words < 10:
        raise UsageError(f"a summary needs at least 10 words, not {words}")
    view = story_view(store, story_id)
    found, evidence = story_findings(store, view.story, default_encoder(encoder), words,
                                     language, refresh, step or no_progress)  # fmt: skip
    return StoryReport(view, found, evidence.documents, evidence.analyses)


def export_stories(
    store: Store,
    story_ids: Sequence[str | int] = (),
    words: int = DEFAULT_WORDS,
    language: str | None = None,
    encoder: Encoder | None = None,
    step: Step | None = None,
) -> dict[str, Any]:
    """The export document (docs/schema/export-v1.schema.json) of the given stories, or
    of every story when none is given (corroborating those not done yet)."""
    ids: list[str | int] = list(story_ids) or [s.id for s in store.stories.list_stories()]
    out = []
    for n, sid in enumerate(ids, start=1):
        r = story_report(store, sid, words, language, encoder, step)
        out.append(
            story_document(
                r.view.story,
                r.view.entities,
                r.view.origin_groups,
                r.findings,
                r.documents,
                r.analyses,
            )
        )
        if step is not None:
            step("export", n, len(ids))
    return export_document(out)


def stored_story_report(store: Store, story_id: str | int) -> StoryReport | None:
    """The story's report from what is stored, without computing anything (the web UI:
    a page must not align or parse). None when the story was never corroborated; the
    findings may predate articles added to the story since (``recoupe summary STORY``
    refreshes them)."""
    view = story_view(store, story_id)
    findings = store.findings.get(view.story.id)
    if findings is None:
        return None
    ev = read_evidence(store, view.story)
    return StoryReport(view, findings, ev.documents, ev.analyses)


def stored_story_export(store: Store, story_id: str | int) -> dict[str, Any]:
    """The export document of one story built from what is stored only (the web UI's
    download computes nothing). NotFoundError when the story was never corroborated."""
    r = stored_story_report(store, story_id)
    if r is None:
        raise NotFoundError(
            f"story {story_id} has no stored findings yet: run `recoupe summary {story_id}`"
        )
    document = story_document(r.view.story, r.view.entities, r.view.origin_groups, r.findings,
                              r.documents, r.analyses)  # fmt: skip
    return export_document([document])
