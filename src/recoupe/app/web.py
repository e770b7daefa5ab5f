"""Read models of the web UI: what a page shows, read from what the runs stored."""

from __future__ import annotations

import dataclasses
import enum
import functools
import json
import types
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from recoupe.corroborate import (
    ClaimMention,
    Disagreement,
    FirstSeen,
    SourceRef,
    Support,
    UniqueContent,
    disputed,
)
from recoupe.errors import NotFoundError, StoreError, UsageError
from recoupe.pipeline.attribution import QuotedArticle, SpeakerQuotes, quotes_by_speaker
from recoupe.pipeline.stories import story_entities
from recoupe.store.analyses import decode_quotes
from recoupe.store.base import DocumentFilter, StoredRejection, StoryFilter
from recoupe.store.sqlite import SQLiteRepository
from recoupe.summarize import Summary
from recoupe.types import (
    Attribution,
    Document,
    DocumentSummary,
    Entity,
    OriginGroup,
    ReuseLink,
    Source,
    Story,
)

T = TypeVar("T")

# ----- web UI read models (called by recoupe.web) --------------------------------------
# Read-only on purpose: a page shows what the runs stored and never aligns, clusters or
# writes, so browsing stays fast and a GET cannot change the store.


@dataclass(frozen=True, slots=True)
class ArticleListing:
    """One page of an article list and how many articles match in all (``exact`` False:
    at most ``total``, when an exact count would cost more than the page)."""

    rows: list[DocumentSummary]
    total: int
    exact: bool = True


def article_listing(repo: SQLiteRepository, flt: DocumentFilter) -> ArticleListing:
    return ArticleListing(*repo.page_documents(flt))


@dataclass(frozen=True, slots=True)
class ArticleFacets:
    """What a list can be filtered by, with counts: languages and outlets."""

    languages: dict[str | None, int]
    outlets: dict[str, int]


def article_facets(repo: SQLiteRepository) -> ArticleFacets:
    return ArticleFacets(repo.language_counts(), repo.outlet_counts())


def _oriented(links: Sequence[ReuseLink], doc_id: str) -> list[ReuseLink]:
    """``links`` with ``doc_id`` on the ``a`` side, in its text order."""
    out = [
        link if link.a.doc_id == doc_id else ReuseLink(link.b, link.a, link.kind, link.score)
        for link in links
    ]
    return sorted(out, key=lambda link: (link.a.start, link.b.doc_id, link.b.start))


def _summaries(repo: SQLiteRepository, ids: Sequence[str]) -> dict[str, DocumentSummary]:
    if not ids:
        return {}
    return {r.id: r for r in repo.list_documents(DocumentFilter(ids=tuple(ids)))}


@dataclass(frozen=True, slots=True)
class ArticleView:
    """An article with its stored copies: passages it shares (``a`` = this article) and
    its origin group; ``others`` summarises every other article they name."""

    doc: Document
    links: list[ReuseLink]
    origin_group: OriginGroup | None
    others: dict[str, DocumentSummary]


def article_view(repo: SQLiteRepository, id_or_prefix: str) -> ArticleView:
    doc = repo.get_document(id_or_prefix)
    links = _oriented(repo.copies.reuse_links(doc.id), doc.id)
    group = repo.copies.origin_group_of(doc.id)
    named = {link.b.doc_id for link in links} | set(group.members if group else ())
    named.discard(doc.id)
    return ArticleView(doc, links, group, _summaries(repo, sorted(named)))


@dataclass(frozen=True, slots=True)
class StoredReuse:
    """The passages two articles share as the copies stage stored them (``a`` on the
    side of ``first``). No links may mean the pair was never aligned."""

    first: Document
    second: Document
    links: list[ReuseLink]


def stored_reuse(repo: SQLiteRepository, first: str, second: str) -> StoredReuse:
    """Like ``reuse_between`` but without aligning a pair no run aligned."""
    doc_a, doc_b = repo.get_document(first), repo.get_document(second)
    if doc_a.id == doc_b.id:
        raise UsageError("give two different articles")
    links = _oriented(repo.copies.reuse_links(doc_a.id, doc_b.id), doc_a.id)
    return StoredReuse(doc_a, doc_b, links)


@dataclass(frozen=True, slots=True)
class OriginGroupView:
    """An origin group, its members (group order) and the member pairs that share stored
    passages, with how many (``pairs_checked`` False when the group is too large to list
    them all)."""

    group: OriginGroup
    members: list[DocumentSummary]
    pairs: list[tuple[str, str, int]]
    pairs_checked: bool


MAX_GROUP_PAIRS_MEMBERS = 200  # past this, pairs are not listed (one query per member)


def origin_group_view(repo: SQLiteRepository, group_id: str) -> OriginGroupView:
    group = repo.copies.origin_group(group_id)
    if group is None:
        raise NotFoundError(f"no origin group {group_id!r} (run `recoupe copies` to find them)")
    rows = _summaries(repo, group.members)
    members = [rows[m] for m in group.members if m in rows]
    checked = len(group.members) <= MAX_GROUP_PAIRS_MEMBERS
    counts: dict[tuple[str, str], int] = {}
    inside = set(group.members)
    for member in group.members if checked else ():
        for link in repo.copies.reuse_links(member):
            if link.a.doc_id == member and link.b.doc_id in inside:
                key = (link.a.doc_id, link.b.doc_id)
                counts[key] = counts.get(key, 0) + 1
    pairs = [(a, b, n) for (a, b), n in sorted(counts.items())]
    return OriginGroupView(group, members, pairs, checked)


@dataclass(frozen=True, slots=True)
class OriginGroupListing:
    """One page of origin groups (largest first), their total, and their members."""

    groups: list[OriginGroup]
    total: int
    articles: dict[str, DocumentSummary]


def origin_group_listing(repo: SQLiteRepository, offset: int, limit: int) -> OriginGroupListing:
    groups = sorted(repo.copies.origin_groups(), key=lambda g: (-len(g.members), g.id))
    page = groups[offset : offset + limit]
    return OriginGroupListing(
        page, len(groups), _summaries(repo, [m for g in page for m in g.members])
    )


def rejection_listing(repo: SQLiteRepository, limit: int) -> tuple[list[StoredRejection], int]:
    """The first ``limit`` rejections in recorded order, and how many there are."""
    return repo.list_rejections(limit), repo.count_rejections()


def open_store(db: Path | str) -> SQLiteRepository:
    """Open an existing store for a long-lived reader (the web UI keeps it open until it
    stops). StoreError when there is no file: creating an empty store would only hide a
    wrong path."""
    if str(db) != ":memory:" and not Path(db).is_file():
        raise StoreError(f"no store at {db}: create one with `recoupe ingest`")
    return SQLiteRepository(db)


# ----- story pages ----------------------------------------------------------------------
# A story page reads the story's rows and, when a run corroborated it, its stored findings
# (``recoupe summary``/``corroborate``): nothing is aligned, parsed or grouped here.


@dataclass(frozen=True, slots=True)
class StoryListing:
    """One page of a story list and how many stories match (``exact`` False: at most
    ``total``, when a search matches so many articles that counting their stories would
    cost more than the page)."""

    rows: list[Story]
    total: int
    exact: bool = True


def story_listing(repo: SQLiteRepository, flt: StoryFilter) -> StoryListing:
    return StoryListing(*repo.stories.page_stories(flt))


Decode = Callable[[Any], Any]


@functools.cache
def _decoder(tp: Any) -> Decode:
    """A function rebuilding values of type ``tp`` from ``to_plain`` output: what
    ``recoupe.pipeline.plain.from_plain`` does, with the type hints looked at once per
    type instead of once per value (several times faster on a story's findings)."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [a for a in typing.get_args(tp) if a is not type(None)]
        some = _decoder(inner)
        return lambda v: None if v is None else some(v)
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            item = _decoder(args[0])
            return lambda v: tuple([item(x) for x in v])
        items = [_decoder(a) for a in args]
        return lambda v: tuple([d(x) for d, x in zip(items, v, strict=True)])
    if origin is dict:
        value = _decoder(typing.get_args(tp)[1])
        return lambda v: {str(k): value(x) for k, x in v.items()}
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        fields = [(f.name, _decoder(hints[f.name])) for f in dataclasses.fields(tp) if f.init]
        record = tp
        return lambda v: record(**{k: d(v[k]) for k, d in fields if k in v})
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp
    if tp is float:
        return float
    if tp in (str, int, bool, Any):  # as ``to_plain`` wrote them (not checked: speed)
        return lambda v: v
    raise TypeError(f"cannot read values of type {tp!r}")


def _typed(tp: type[T], value: Any) -> T:
    out: T = _decoder(typing.cast(Any, tp))(value)
    return out


@dataclass(frozen=True, slots=True)
class ClaimRow:
    """A claim carried by several articles, as the claims table shows it: its first
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
    """What a story page shows of its stored findings: the cited summary, the claims
    carried by more than one article or disputed (most independent origins first) and
    how many others are carried by one article only, disagreements, and what each
    article adds."""

    summary: Summary
    claims: list[ClaimRow]
    single_claims: int
    disagreements: tuple[Disagreement, ...]
    unique: tuple[UniqueContent, ...]
    words: int
    language: str | None


def _stored_findings(data: str) -> StoredFindings:
    """The page's part of stored ``StoryFindings`` JSON (``to_plain`` of the record).
    Only the mentions a page shows are rebuilt: a 30-article story stores ~250 kB of
    findings, and rebuilding every record of it would cost more than the whole page."""
    plain = json.loads(data)
    found = _typed(tuple[Disagreement, ...], plain["disagreements"])
    conflicts = disputed(found)
    claims = [
        ClaimRow(
            g["id"], _typed(ClaimMention, g["mentions"][0]), tuple(g["articles"]),
            _typed(Support, g["support"]), _typed(tuple[SourceRef, ...], g["sources"]),
            _typed(FirstSeen | None, g["first_seen"]),  # type: ignore[arg-type]
            conflicts.get(g["id"], ()),
        )
        for g in plain["groups"]
        if len(g["articles"]) > 1 or g["id"] in conflicts
    ]  # fmt: skip
    claims.sort(key=lambda c: (-c.support.origins, -c.support.articles, c.id))
    return StoredFindings(
        summary=_typed(Summary, plain["summary"]),
        claims=claims,
        single_claims=len(plain["groups"]) - len(claims),
        disagreements=found,
        unique=_typed(tuple[UniqueContent, ...], plain["unique"]),
        words=int(plain["words"]),
        language=plain["language"],
    )


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


def _quote_row(doc_id: str, q: Attribution, text: str) -> QuoteRow:
    names = [_source_name(s, text) for s in q.chain()]
    if q.channel is not None:
        names.insert(1, f"to {_source_name(q.channel, text)}")
    if q.first_report:
        names.append("(first report)")
    cue = q.cue.text_of(text) if q.cue else None
    return QuoteRow(doc_id, q.content.start, q.content.end, q.content.text_of(text),
                    " ← ".join(names) or "?", cue)  # fmt: skip


MAX_TOPIC_STORIES = 20  # other stories of the topic listed on a story page


@dataclass(frozen=True, slots=True)
class StoryPage:
    """A story as its page shows it: the story row, its articles (stream order),
    entities (counts summed over articles), up to ``MAX_TOPIC_STORIES`` other stories of
    its topic, the origin groups its articles belong to, and, when the story was
    corroborated, its stored findings and its articles' direct quotes."""

    story: Story
    articles: list[DocumentSummary]
    entities: list[Entity]
    topic_stories: list[Story]
    origin_groups: list[OriginGroup]
    findings: StoredFindings | None
    quotes: list[QuoteRow]
    speakers: tuple[SpeakerQuotes, ...] = ()  # the same quotes grouped by speaker


def _story_id(value: str | int) -> int:
    text = str(value).strip().lstrip("#")
    if not text.isdigit() or len(text) > 18:
        raise NotFoundError(f"no story {value!r} (story ids are numbers: see /stories)")
    return int(text)


def _story(repo: SQLiteRepository, story_id: str | int) -> Story:
    story = repo.stories.get_story(_story_id(story_id))
    if story is None:
        raise NotFoundError(f"no story {story_id} (run `recoupe stories` to build and list them)")
    return story


def _member_groups(repo: SQLiteRepository, members: Sequence[str]) -> list[OriginGroup]:
    """The origin groups of ``members`` (one lookup per member not in a group found yet,
    not a read of every group of the store)."""
    groups: dict[str, OriginGroup] = {}
    covered: set[str] = set()
    for m in members:
        if m not in covered and (group := repo.copies.origin_group_of(m)) is not None:
            groups[group.id] = group
            covered.update(group.members)
    return list(groups.values())


def story_page(repo: SQLiteRepository, story_id: str | int) -> StoryPage:
    story = _story(repo, story_id)
    members = list(story.members)
    rows = _summaries(repo, members)
    entities = story_entities(repo.stories, members)
    topic = repo.stories.list_stories(StoryFilter(topic=story.topic, limit=MAX_TOPIC_STORIES + 1))
    stored = repo.stories.get_findings(story.id)
    findings = None if stored is None else _stored_findings(stored[1])
    quotes: list[QuoteRow] = []
    speakers: tuple[SpeakerQuotes, ...] = ()
    if findings is not None:
        stored_quotes = {m: decode_quotes(a) for m, a in repo.stories.get_analyses(members).items()}
        quoted = [m for m in members if stored_quotes.get(m)]
        leads = {r.id: r for r in repo.stories.leads(quoted, FULL_TEXT)}
        texts = {i: r.text for i, r in leads.items()}
        quotes = [_quote_row(m, q, texts[m]) for m in quoted if m in texts
                  for q in stored_quotes[m]]  # fmt: skip
        speakers = tuple(quotes_by_speaker(
            (QuotedArticle(m, r.text, r.outlet, r.published), q)
            for m, r in leads.items() for q in stored_quotes[m]))  # fmt: skip
    return StoryPage(
        story, [rows[m] for m in members if m in rows], entities,
        [s for s in topic if s.id != story.id][:MAX_TOPIC_STORIES],
        _member_groups(repo, members), findings, quotes, speakers,
    )  # fmt: skip


FULL_TEXT = 1 << 30  # as a length for ``leads``: the whole text


def story_of_article(repo: SQLiteRepository, doc_id: str) -> Story | None:
    """The story an article belongs to (None before `recoupe stories` ran)."""
    story_id = repo.stories.story_of(doc_id)
    return None if story_id is None else repo.stories.get_story(story_id)
