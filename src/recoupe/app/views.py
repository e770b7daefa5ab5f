"""The one read model of a story, shared by the CLI (``recoupe story``), the web page
and the export: the story row, its articles, entities, topic, origin groups and - when
a run corroborated it - its stored findings and its articles' direct quotes.

Read-only: nothing here aligns, parses or groups; a view shows what the runs stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from recoupe.errors import NotFoundError, UsageError
from recoupe.pipeline.attribution import QuotedArticle, SpeakerQuotes, quotes_by_speaker
from recoupe.pipeline.stories import stored_story_entities, story_entities
from recoupe.store.base import Store
from recoupe.types import (
    Attribution,
    ClaimMention,
    Disagreement,
    DocumentFilter,
    DocumentSummary,
    Entity,
    FindingsOverview,
    FirstSeen,
    OriginGroup,
    Source,
    SourceRef,
    Story,
    StoryFilter,
    StoryFindings,
    Summary,
    Support,
    UniqueContent,
    citation_numbers,
    findings_overview,
)

MAX_TOPIC_STORIES = 20  # other stories of the topic a view lists
FULL_TEXT = 1 << 30  # as a length for ``leads``: the whole text


def parse_story_id(value: str | int) -> int:
    """A story id from user input ("12", "#12"); UsageError if it is not a number."""
    text = str(value).strip().lstrip("#")
    if not text.isdigit():
        raise UsageError(f"a story id is a number (see `recoupe stories`), not {value!r}")
    if len(text) > 18:  # past a 64-bit integer: no such story
        raise NotFoundError(f"no story {text}")
    return int(text)


def get_story(store: Store, story_id: str | int) -> Story:
    story = store.stories.get_story(parse_story_id(story_id))
    if story is None:
        raise NotFoundError(f"no story {story_id} (run `recoupe stories` to build and list them)")
    return story


@dataclass(frozen=True, slots=True)
class ClaimRow:
    """A claim carried by several articles, as a claims table shows it: its first
    mention stands for it; ``support.origins`` counts independent origins."""

    id: str
    mention: ClaimMention
    articles: tuple[str, ...]
    support: Support
    sources: tuple[SourceRef, ...]
    first_seen: FirstSeen | None
    disputes: tuple[Disagreement, ...] = ()  # the conflicts that make it disputed


@dataclass(frozen=True, slots=True)
class StoredFindings:
    """What a view shows of a story's stored findings: the cited summary, the claims
    carried by more than one article or disputed (most independent origins first) and
    how many others are carried by one article only, disagreements, and what each
    article adds. ``all`` is the whole record (exports)."""

    summary: Summary
    claims: list[ClaimRow]
    single_claims: int
    disagreements: tuple[Disagreement, ...]
    unique: tuple[UniqueContent, ...]
    words: int
    language: str | None
    all: StoryFindings
    overview: FindingsOverview


def independent_origins(story: Story, overview: FindingsOverview) -> int:
    """How many independent origins a story's articles come from: those of its articles
    carrying claims (``FindingsOverview.origins``), and each other article on its own.
    The one figure the story list, the story page and its header show."""
    return overview.origins + max(0, len(story.members) - overview.articles)


def claim_rows(found: StoryFindings, everything: bool = False) -> list[ClaimRow]:
    """The claim groups a claims table shows, most independent origins first: those
    carried by more than one article or disputed (every group with ``everything``)."""
    conflicts = found.disputed()
    claims = [
        ClaimRow(g.id, g.mentions[0], g.articles, g.support, g.sources, g.first_seen,
                 conflicts.get(g.id, ()))
        for g in found.groups
        if everything or len(g.articles) > 1 or g.id in conflicts
    ]  # fmt: skip
    claims.sort(key=lambda c: (-c.support.origins, -c.support.articles, c.id))
    return claims


def shown_findings(found: StoryFindings) -> StoredFindings:
    claims = claim_rows(found)
    return StoredFindings(found.summary, claims, len(found.groups) - len(claims),
                          found.disagreements, found.unique, found.words, found.language,
                          found, findings_overview(found))  # fmt: skip


@dataclass(frozen=True, slots=True)
class QuoteRow:
    """A direct quote of a story's article: ``[start, end)`` of its text, who said it
    (the source chain, nearest first, as ``recoupe quotes`` prints it) and the cue."""

    doc_id: str
    start: int
    end: int
    text: str
    speaker: str
    cue: str | None


def _source_name(src: Source, text: str) -> str:
    name = src.name or src.span.text_of(text)
    return f"{name} (anonymous)" if src.anonymous else name


def quote_row(doc_id: str, q: Attribution, text: str) -> QuoteRow:
    names = [_source_name(s, text) for s in q.chain()]
    if q.channel is not None:
        names.insert(1, f"to {_source_name(q.channel, text)}")
    if q.first_report:
        names.append("(first report)")
    cue = q.cue.text_of(text) if q.cue else None
    return QuoteRow(doc_id, q.content.start, q.content.end, q.content.text_of(text),
                    " ← ".join(names) or "?", cue)  # fmt: skip


@dataclass(frozen=True, slots=True)
class StoryView:
    """A story as a reader sees it: the story row, its articles (stream order),
    entities (counts summed over articles), up to ``MAX_TOPIC_STORIES`` other stories of
    its topic, the origin groups its articles belong to, and, when the story was
    corroborated (and the caller asked), its stored findings and its articles' quotes."""

    story: Story
    articles: list[DocumentSummary]
    entities: list[Entity]
    topic_stories: list[Story]
    origin_groups: list[OriginGroup]
    findings: StoredFindings | None = None
    quotes: list[QuoteRow] = field(default_factory=list)
    speakers: tuple[SpeakerQuotes, ...] = ()  # the same quotes grouped by speaker

    @property
    def numbers(self) -> dict[str, int]:
        """Citation number of each article (``types.citation_numbers``: the CLI, the web
        and the exports number a story's articles alike)."""
        return citation_numbers((a.id, a.published) for a in self.articles)

    @property
    def timeline(self) -> list[DocumentSummary]:
        """The articles in citation order (by date, undated last)."""
        numbers = self.numbers
        return sorted(self.articles, key=lambda a: numbers[a.id])


def summaries(store: Store, ids: Sequence[str]) -> dict[str, DocumentSummary]:
    if not ids:
        return {}
    return {r.id: r for r in store.documents.list_documents(DocumentFilter(ids=tuple(ids)))}


def story_view(store: Store, story_id: str | int, with_findings: bool = False,
               stored_only: bool = False) -> StoryView:  # fmt: skip
    """The view of a story; ``with_findings`` adds its stored findings and quotes (None
    and empty when it was never corroborated). Entities missing from the store are
    computed (and stored) unless ``stored_only`` (a web page: a GET runs no model)."""
    story = get_story(store, story_id)
    members = list(story.members)
    rows = summaries(store, members)
    topic = store.stories.list_stories(
        StoryFilter(topic=story.topic, limit=MAX_TOPIC_STORIES + 1)
    )
    view = StoryView(
        story, [rows[m] for m in members if m in rows],
        (stored_story_entities if stored_only else story_entities)(store.stories, members),
        [s for s in topic if s.id != story.id][:MAX_TOPIC_STORIES],
        store.copies.origin_groups_of(members),
    )  # fmt: skip
    if not with_findings:
        return view
    found = store.findings.get(story.id)
    if found is None:
        return view
    quotes, speakers = _quotes(store, members)
    return StoryView(view.story, view.articles, view.entities, view.topic_stories,
                     view.origin_groups, shown_findings(found), quotes, speakers)  # fmt: skip


def _quotes(
    store: Store, members: Sequence[str]
) -> tuple[list[QuoteRow], tuple[SpeakerQuotes, ...]]:
    stored = store.stories.get_quotes(members)
    quoted = [m for m in members if stored.get(m)]
    leads = {r.id: r for r in store.stories.leads(quoted, FULL_TEXT)}
    rows = [quote_row(m, q, leads[m].text) for m in quoted if m in leads for q in stored[m]]
    speakers = tuple(quotes_by_speaker(
        (QuotedArticle(m, r.text, r.outlet, r.published), q)
        for m, r in leads.items() for q in stored[m]))  # fmt: skip
    return rows, speakers
