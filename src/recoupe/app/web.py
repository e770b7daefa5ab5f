"""Read models of the web UI: what a page shows, read from what the runs stored. The
story page's model is the shared ``views.StoryView``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from recoupe.app.views import StoryView, story_view, summaries
from recoupe.errors import NotFoundError, UsageError
from recoupe.store.base import Store, StoredRejection
from recoupe.store.factory import open_store
from recoupe.types import (
    ClaimGroup,
    Disagreement,
    Document,
    DocumentFilter,
    DocumentSummary,
    FindingsOverview,
    OriginGroup,
    ReuseLink,
    Story,
    StoryFilter,
)

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
    leads: dict[str, str] = field(default_factory=dict)  # untitled id -> its first words


LEAD_WORDS = 12  # an untitled article is shown by this many of its first words


def first_words(text: str, words: int = LEAD_WORDS) -> str:
    """How an article without a title is shown: its first words (never its path; a
    made-up title would be a guess)."""
    parts = text.split(None, words)
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def article_listing(store: Store, flt: DocumentFilter) -> ArticleListing:
    page = store.documents.page_documents(flt)
    untitled = [r.id for r in page.documents if not r.title]
    leads = store.stories.leads(untitled, 200) if untitled else []
    return ArticleListing(page.documents, page.total, page.exact,
                          {r.id: first_words(r.text) for r in leads if r.text.strip()})  # fmt: skip


@dataclass(frozen=True, slots=True)
class ArticleFacets:
    """What a list can be filtered by, with counts: languages and outlets."""

    languages: dict[str | None, int]
    outlets: dict[str, int]


def article_facets(store: Store) -> ArticleFacets:
    return ArticleFacets(store.documents.language_counts(), store.documents.outlet_counts())


def _oriented(links: Sequence[ReuseLink], doc_id: str) -> list[ReuseLink]:
    """``links`` with ``doc_id`` on the ``a`` side, in its text order."""
    out = [
        link if link.a.doc_id == doc_id else ReuseLink(link.b, link.a, link.kind, link.score)
        for link in links
    ]
    return sorted(out, key=lambda link: (link.a.start, link.b.doc_id, link.b.start))


@dataclass(frozen=True, slots=True)
class ArticleView:
    """An article with its stored copies: passages it shares (``a`` = this article) and
    its origin group; ``others`` summarises every other article they name."""

    doc: Document
    links: list[ReuseLink]
    origin_group: OriginGroup | None
    others: dict[str, DocumentSummary]


def article_view(store: Store, id_or_prefix: str) -> ArticleView:
    doc = store.documents.get_document(id_or_prefix)
    links = _oriented(store.copies.reuse_links(doc.id), doc.id)
    group = store.copies.origin_group_of(doc.id)
    named = {link.b.doc_id for link in links} | set(group.members if group else ())
    named.discard(doc.id)
    return ArticleView(doc, links, group, summaries(store, sorted(named)))


@dataclass(frozen=True, slots=True)
class StoredReuse:
    """The passages two articles share as the copies stage stored them (``a`` on the
    side of ``first``). No links may mean the pair was never aligned."""

    first: Document
    second: Document
    links: list[ReuseLink]


def stored_reuse(store: Store, first: str, second: str) -> StoredReuse:
    """Like ``reuse_between`` but without aligning a pair no run aligned."""
    doc_a, doc_b = store.documents.get_document(first), store.documents.get_document(second)
    if doc_a.id == doc_b.id:
        raise UsageError("give two different articles")
    links = _oriented(store.copies.reuse_links(doc_a.id, doc_b.id), doc_a.id)
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


def origin_group_view(store: Store, group_id: str) -> OriginGroupView:
    group = store.copies.origin_group(group_id)
    if group is None:
        raise NotFoundError(f"no origin group {group_id!r} (run `recoupe copies` to find them)")
    rows = summaries(store, group.members)
    members = [rows[m] for m in group.members if m in rows]
    checked = len(group.members) <= MAX_GROUP_PAIRS_MEMBERS
    counts: dict[tuple[str, str], int] = {}
    inside = set(group.members)
    for member in group.members if checked else ():
        for link in store.copies.reuse_links(member):
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


def origin_group_listing(store: Store, offset: int, limit: int) -> OriginGroupListing:
    groups = sorted(store.copies.origin_groups(), key=lambda g: (-len(g.members), g.id))
    page = groups[offset : offset + limit]
    return OriginGroupListing(
        page, len(groups), summaries(store, [m for g in page for m in g.members])
    )


def rejection_listing(store: Store, limit: int) -> tuple[list[StoredRejection], int]:
    """The first ``limit`` rejections in recorded order, and how many there are."""
    return store.documents.list_rejections(limit), store.documents.count_rejections()


def open_existing_store(location: Path | str) -> Store:
    """Open an existing store for a long-lived reader (the web UI keeps it open until it
    stops). StoreError when a SQLite path has no file: creating an empty store would only
    hide a wrong path."""
    return open_store(location, create=False)


# ----- story pages ----------------------------------------------------------------------
# A story page reads the story's rows and, when a run corroborated it, its stored findings
# (``recoupe summary``/``corroborate``): nothing is aligned, parsed or grouped here.


@dataclass(frozen=True, slots=True)
class StoryListing:
    """One page of a story list and how many stories match (``exact`` False: at most
    ``total``, when a search matches so many articles that counting their stories would
    cost more than the page), with the findings overview of the stories corroborated."""

    rows: list[Story]
    total: int
    exact: bool = True
    overviews: dict[int, FindingsOverview] = field(default_factory=dict)


def story_listing(store: Store, flt: StoryFilter) -> StoryListing:
    page = store.stories.page_stories(flt)
    overviews = store.findings.overviews([s.id for s in page.stories])
    return StoryListing(page.stories, page.total, page.exact, overviews)


def story_facets(store: Store) -> ArticleFacets:
    """Stories per language and per outlet (a story counts once for each language and
    outlet of its articles), most frequent first: what a story list can be filtered by."""
    languages: Counter[str | None] = Counter()
    outlets: Counter[str] = Counter()
    for s in store.stories.list_stories():
        languages.update(s.languages or (None,))
        outlets.update(s.outlets)
    return ArticleFacets(dict(languages.most_common()), dict(outlets.most_common()))


def story_page(store: Store, story_id: str | int) -> StoryView:
    """A story page: the shared view with its stored findings and quotes. A story id
    that is not a number is a page that does not exist (404), not a usage error."""
    text = str(story_id).strip().lstrip("#")
    if not text.isdigit() or len(text) > 18:
        raise NotFoundError(f"no story {story_id!r} (story ids are numbers: see /stories)")
    return story_view(store, int(text), with_findings=True, stored_only=True)


def story_of_article(store: Store, doc_id: str) -> Story | None:
    """The story an article belongs to (None before `recoupe stories` ran)."""
    story_id = store.stories.story_of(doc_id)
    return None if story_id is None else store.stories.get_story(story_id)


# ----- claim pages ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClaimView:
    """One claim of a story: the story's view (its articles, numbered), the claim group
    (every mention, its sources, independent origins), the disagreements that name it
    and the conflicts that make it disputed (both empty when it is not)."""

    view: StoryView
    group: ClaimGroup
    disagreements: tuple[Disagreement, ...]
    disputes: tuple[Disagreement, ...]


def claim_view(store: Store, story_id: str | int, claim_id: str,
               view: StoryView | None = None) -> ClaimView:  # fmt: skip
    """The claim page's model, from the story's stored findings (NotFoundError when
    the story was never corroborated or has no such claim); ``view``: the story's page
    view when the caller has it (its findings are read then, not again)."""
    view = view if view is not None else story_page(store, story_id)
    if view.findings is None:
        raise NotFoundError(f"story {view.story.id} has no stored findings: run `recoupe run`")
    found = view.findings.all
    group = next((g for g in found.groups if g.id == claim_id), None)
    if group is None:
        raise NotFoundError(f"story {view.story.id} has no claim {claim_id!r}")
    named = tuple(d for d in found.disagreements if claim_id in (d.group_a, d.group_b))
    return ClaimView(view, group, named, found.disputed().get(claim_id, ()))
