"""Use cases over stories: build them, list and show them, topics, attribution,
corroboration reports and exports."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from recoupe.app.corpus import default_encoder
from recoupe.errors import NotFoundError, UsageError
from recoupe.export import export_document, story_document
from recoupe.nlp.encoder import Encoder
from recoupe.pipeline.attribution import (
    Analysis,
    AttributionStage,
    SpeakerQuotes,
    quoted_article,
    quotes_by_speaker,
)
from recoupe.pipeline.copies import Step, origin_groups_of
from recoupe.pipeline.corroboration import (
    DEFAULT_WORDS,
    CorroborationStage,
    StoryFindings,
    read_findings,
)
from recoupe.pipeline.stories import StoriesReport, StoriesStage, story_entities
from recoupe.store.base import DocumentFilter, StoryFilter
from recoupe.store.sqlite import SQLiteRepository
from recoupe.types import (
    Document,
    DocumentSummary,
    Entity,
    OriginGroup,
    Story,
)

# ----- stories, entities, attribution -------------------------------------------------


def build_stories(
    repo: SQLiteRepository,
    encoder: Encoder | None = None,
    step: Step | None = None,
    rebuild: bool = False,
) -> StoriesReport:
    """Entities for new articles, then cluster the articles not in a story yet (all of
    them again with ``rebuild``), then story rows and topics."""
    return StoriesStage(repo.stories, default_encoder(encoder), step).run(rebuild=rebuild)


def list_stories(repo: SQLiteRepository, flt: StoryFilter | None = None) -> list[Story]:
    return repo.stories.list_stories(flt)


def count_stories(repo: SQLiteRepository, flt: StoryFilter | None = None) -> int:
    return repo.stories.count_stories(flt)


def _story_id(value: str | int) -> int:
    text = str(value).strip().lstrip("#")
    if not text.isdigit():
        raise UsageError(f"a story id is a number (see `recoupe stories`), not {value!r}")
    if len(text) > 18:  # past SQLite's integer range: no such story
        raise NotFoundError(f"no story {text}")
    return int(text)


def get_story(repo: SQLiteRepository, story_id: str | int) -> Story:
    story = repo.stories.get_story(_story_id(story_id))
    if story is None:
        raise NotFoundError(f"no story {story_id} (run `recoupe stories` to build and list them)")
    return story


@dataclass(frozen=True, slots=True)
class StoryView:
    """A story with what a reader sees of it: its articles (stream order), its
    entities (display forms, counts summed over articles), the other stories of its
    topic, and the origin groups its articles belong to."""

    story: Story
    articles: list[DocumentSummary]
    entities: list[Entity]
    topic_stories: list[Story]
    origin_groups: list[OriginGroup]


def story_view(repo: SQLiteRepository, story_id: str | int) -> StoryView:
    story = get_story(repo, story_id)
    rows = {r.id: r for r in repo.list_documents(DocumentFilter(ids=story.members))}
    articles = [rows[m] for m in story.members if m in rows]
    entities = story_entities(repo.stories, story.members)
    topic = [
        s for s in repo.stories.list_stories(StoryFilter(topic=story.topic)) if s.id != story.id
    ]
    groups = list(origin_groups_of(repo.copies, story.members))
    return StoryView(story, articles, entities, topic, groups)


@dataclass(frozen=True, slots=True)
class Topic:
    """Stories that belong together; ``title`` is the title of its largest story."""

    id: int
    title: str
    stories: list[Story]

    @property
    def n_articles(self) -> int:
        return sum(len(s.members) for s in self.stories)


def list_topics(repo: SQLiteRepository) -> list[Topic]:
    """Topics with their stories, the largest topics first."""
    by_topic: dict[int, list[Story]] = {}
    for s in repo.stories.list_stories():
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
    repo: SQLiteRepository, story_id: str | int, step: Step | None = None
) -> tuple[Story, list[ArticleAnalysis]]:
    """Attribution analysis of every article of a story, computed now for articles
    not analysed yet (stored for next time)."""
    story = get_story(repo, story_id)
    found = AttributionStage(repo, repo.stories, step).analyses(list(story.members))
    out = [ArticleAnalysis(repo.get_document(m), found[m]) for m in story.members if m in found]
    return story, out


def story_quotes(
    repo: SQLiteRepository, story_id: str | int, step: Step | None = None
) -> tuple[Story, list[SpeakerQuotes]]:
    """The direct quotes of a story grouped by speaker across its articles (analysing
    the articles not analysed yet)."""
    story, found = story_analyses(repo, story_id, step)
    return story, quotes_by_speaker(
        (quoted_article(a.doc), q) for a in found for q in a.analysis.quotes
    )


def analyse_all(repo: SQLiteRepository, step: Step | None = None) -> int:
    """Attribution analysis of every article not analysed yet; returns how many articles
    the store holds."""
    ids = [d.id for d in repo.list_documents()]
    AttributionStage(repo, repo.stories, step).analyses(ids)
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
    repo: SQLiteRepository,
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
    view = story_view(repo, story_id)
    stage = CorroborationStage(repo, repo.copies, repo.stories, default_encoder(encoder), step)
    found, evidence = stage.findings(view.story, words, language, refresh)
    return StoryReport(view, found, evidence.documents, evidence.analyses)


def export_stories(
    repo: SQLiteRepository,
    story_ids: Sequence[str | int] = (),
    words: int = DEFAULT_WORDS,
    language: str | None = None,
    encoder: Encoder | None = None,
    step: Step | None = None,
) -> dict[str, Any]:
    """The export document (docs/schema/export-v1.schema.json) of the given stories, or
    of every story when none is given (corroborating those not done yet)."""
    ids: list[str | int] = list(story_ids) or [s.id for s in repo.stories.list_stories()]
    out = []
    for n, sid in enumerate(ids, start=1):
        r = story_report(repo, sid, words, language, encoder, step)
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


def stored_story_report(repo: SQLiteRepository, story_id: str | int) -> StoryReport | None:
    """The story's report from what is stored, without computing anything (the web UI:
    a page must not align or parse). None when the story was never corroborated; the
    findings may predate articles added to the story since (``recoupe summary STORY``
    refreshes them)."""
    view = story_view(repo, story_id)
    stored = repo.stories.get_findings(view.story.id)
    if stored is None:
        return None
    findings = read_findings(stored[1])
    ids = list(view.story.members)
    documents = {m: repo.get_document(m) for m in ids}
    analyses = AttributionStage(repo, repo.stories).stored(ids)
    return StoryReport(view, findings, documents, analyses)


def stored_story_export(repo: SQLiteRepository, story_id: str | int) -> dict[str, Any]:
    """The export document of one story built from what is stored only (the web UI's
    download computes nothing). NotFoundError when the story was never corroborated."""
    r = stored_story_report(repo, story_id)
    if r is None:
        raise NotFoundError(
            f"story {story_id} has no stored findings yet: run `recoupe summary {story_id}`"
        )
    document = story_document(r.view.story, r.view.entities, r.view.origin_groups, r.findings,
                              r.documents, r.analyses)  # fmt: skip
    return export_document([document])
