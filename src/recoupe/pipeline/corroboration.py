"""Per-story stage: corroboration and the cited summary.

For one story: align the article pairs inside it that no copies run aligned yet (so
copied passages are known), analyse attribution where missing, turn every claim into a
mention, group mentions that state the same thing, count independent origins (copies
of one wire count once), flag disagreements, find what only one article says, and
write the extractive summary whose sentences cite every article carrying them.

The result is stored per story under a digest of everything it depends on (members,
analyser, the story's reuse links and origin groups, options): a page or an export
reads it in one query, and it is recomputed only when its inputs changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from recoupe.corroborate import (
    ClaimGroup,
    ClaimMention,
    Disagreement,
    UniqueContent,
    VectorCache,
    claim_texts,
    disputed,
    find_disagreements,
    group_claims,
    mentions_from,
    score_pairs,
    unique_content,
)
from recoupe.nlp.encoder import Encoder
from recoupe.pipeline.attribution import ANALYSER, Analysis, AttributionStage
from recoupe.pipeline.copies import CopiesStage, origin_groups_of, unpack_sentence_vectors
from recoupe.pipeline.plain import to_plain, typed
from recoupe.store.base import CopiesRepository, Repository, StoriesRepository
from recoupe.summarize import Article, Summary, summarize
from recoupe.types import Document, OriginGroup, ReuseLink, Story

FINDINGS_VERSION = "3"  # bump when grouping, disagreement or summary rules change
DEFAULT_WORDS = 100

Step = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class StoryFindings:
    """What the story's articles establish together. ``words``/``language`` are the
    summary options it was computed with."""

    story_id: int
    groups: tuple[ClaimGroup, ...]
    disagreements: tuple[Disagreement, ...]
    unique: tuple[UniqueContent, ...]
    summary: Summary
    words: int
    language: str | None

    def disputed(self) -> dict[str, tuple[Disagreement, ...]]:
        """Claim group id -> the conflicts that make it disputed."""
        return disputed(self.disagreements)


@dataclass(frozen=True, slots=True)
class StoryEvidence:
    """The inputs of corroboration for one story, read from the store."""

    documents: dict[str, Document]
    analyses: dict[str, Analysis]
    links: tuple[ReuseLink, ...]
    origin_groups: tuple[OriginGroup, ...]


def _digest(story: Story, ev: StoryEvidence, words: int, language: str | None) -> str:
    payload = {
        "v": FINDINGS_VERSION, "analyser": ANALYSER, "members": sorted(story.members),
        "links": sorted((lk.a.doc_id, lk.a.start, lk.b.doc_id, lk.b.start, lk.kind.value)
                        for lk in ev.links),
        "origins": sorted((g.id, *sorted(g.members)) for g in ev.origin_groups),
        "words": words, "language": language,
    }  # fmt: skip
    return hashlib.sha1(json.dumps(payload).encode()).hexdigest()


def read_findings(data: str) -> StoryFindings:
    """Stored findings (JSON written by ``CorroborationStage.findings``)."""
    return typed(StoryFindings, json.loads(data))


class CorroborationStage:
    def __init__(
        self,
        repo: Repository,
        copies: CopiesRepository,
        stories: StoriesRepository,
        encoder: Encoder,
        step: Step | None = None,
    ) -> None:
        self.repo, self.copies, self.stories, self.encoder = repo, copies, stories, encoder
        self.step = step or (lambda name, done, total: None)

    def evidence(self, story: Story) -> StoryEvidence:
        """Align what is missing inside the story, analyse what is missing, read it."""
        CopiesStage(self.repo, self.copies, self.encoder, self.step).align_within(story.members)
        analyses = AttributionStage(self.repo, self.stories, self.step).analyses(story.members)
        members = set(story.members)
        links: dict[tuple[str, int, str, int], ReuseLink] = {}
        for m in story.members:
            for lk in self.copies.reuse_links(m):
                if lk.a.doc_id in members and lk.b.doc_id in members:
                    links[(lk.a.doc_id, lk.a.start, lk.b.doc_id, lk.b.start)] = lk
        groups = origin_groups_of(self.copies, story.members)
        docs = {m: self.repo.get_document(m) for m in story.members}
        return StoryEvidence(docs, analyses, tuple(links[k] for k in sorted(links)), groups)

    def findings(
        self,
        story: Story,
        words: int = DEFAULT_WORDS,
        language: str | None = None,
        refresh: bool = False,
    ) -> tuple[StoryFindings, StoryEvidence]:
        """The story's findings: stored ones if still current, else computed and stored."""
        ev = self.evidence(story)
        digest = _digest(story, ev, words, language)
        stored = self.stories.get_findings(story.id)
        if stored is not None and stored[0] == digest and not refresh:
            return read_findings(stored[1]), ev
        found = self.compute(story, ev, words, language)
        self.stories.put_findings(story.id, digest, json.dumps(to_plain(found)))
        return found, ev

    def _cache(self, ids: Sequence[str]) -> VectorCache:
        cache: VectorCache = {}
        for doc_id, blob in self.copies.get_vectors("sentences", self.encoder.name, ids).items():
            unpack_sentence_vectors(doc_id, blob, cache)
        return cache

    def compute(
        self, story: Story, ev: StoryEvidence, words: int, language: str | None
    ) -> StoryFindings:
        self.step("corroboration", 0, 1)
        cache = self._cache(list(story.members))
        found = compute_findings(story.id, story.members, ev, self.encoder, cache, words, language)
        self.step("corroboration", 1, 1)
        return found


def story_mentions(members: Sequence[str], ev: StoryEvidence) -> list[ClaimMention]:
    """The claim mentions of a story's analysed articles, in member order."""
    out: list[ClaimMention] = []
    for doc_id in members:
        if doc_id not in ev.analyses:
            continue
        doc = ev.documents[doc_id]
        out += mentions_from(
            doc_id, doc.text, ev.analyses[doc_id].claims,
            language=doc.language or doc.meta.language, published=doc.meta.published,
            outlet=doc.meta.outlet, sentences=doc.sentences,
        )  # fmt: skip
    return out


def compute_findings(
    story_id: int,
    members: Sequence[str],
    ev: StoryEvidence,
    encoder: Encoder | None,
    cache: VectorCache,
    words: int = DEFAULT_WORDS,
    language: str | None = None,
) -> StoryFindings:
    """The findings of one story from its evidence: the pure part of the stage (no
    store), so benches and executors run it as is. ``cache`` holds sentence vectors by
    (doc id, start, end) and receives the ones computed here."""
    mentions = story_mentions(members, ev)
    texts = claim_texts(mentions)
    pairs = score_pairs(mentions, texts, encoder, cache)
    groups = group_claims(mentions, pairs=pairs, origin_groups=ev.origin_groups, links=ev.links)
    disagreements = find_disagreements(groups, mentions, pairs, texts, encoder, cache)
    unique = unique_content(groups, ev.links)
    articles = [Article.from_document(ev.documents[m]) for m in members]
    summary = summarize(
        articles, words=words, language=language, origin_groups=ev.origin_groups,
        links=ev.links, claim_groups=groups, encoder=encoder, cache=cache,
        disputed=disputed(disagreements),
    )  # fmt: skip
    return StoryFindings(story_id, groups, disagreements, unique, summary, words, language)
