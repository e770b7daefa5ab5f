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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from recoupe.corroborate import (
    ClaimMention,
    VectorCache,
    claim_texts,
    disputed,
    find_disagreements,
    group_claims,
    mentions_from,
    score_pairs,
    unique_content,
)
from recoupe.corroborate.disagreement import phrase_spans
from recoupe.corroborate.frames import warm_parsers
from recoupe.nlp.encoder import Encoder
from recoupe.pipeline import vectors
from recoupe.pipeline.attribution import ANALYSER, analyse_documents
from recoupe.pipeline.copies import align_stories, origin_groups_of
from recoupe.pipeline.stage import Executor, SerialExecutor, Step, no_progress
from recoupe.store.base import Store
from recoupe.summarize import Article, summarize
from recoupe.types import Analysis, Document, OriginGroup, ReuseLink, Story, StoryFindings

FINDINGS_VERSION = "3"  # bump when grouping, disagreement or summary rules change
DEFAULT_WORDS = 100


@dataclass(frozen=True, slots=True)
class StoryEvidence:
    """The inputs of corroboration for one story, read from the store."""

    documents: dict[str, Document]
    analyses: dict[str, Analysis]
    links: tuple[ReuseLink, ...]
    origin_groups: tuple[OriginGroup, ...]


def _digest(story: Story, ev: StoryEvidence, words: int, language: str | None) -> str:
    return _digest_of(story, ev.links, ev.origin_groups, words, language)


def _digest_of(
    story: Story, links: Sequence[ReuseLink], origins: Sequence[OriginGroup], words: int,
    language: str | None,
) -> str:  # fmt: skip
    """What the findings of a story depend on besides the stored documents and analyses
    (which change only with its members): members, reuse links, origin groups."""
    payload = {
        "v": FINDINGS_VERSION, "analyser": ANALYSER, "members": sorted(story.members),
        "links": sorted((lk.a.doc_id, lk.a.start, lk.b.doc_id, lk.b.start, lk.kind.value)
                        for lk in links),
        "origins": sorted((g.id, *sorted(g.members)) for g in origins),
        "words": words, "language": language,
    }  # fmt: skip
    return hashlib.sha1(json.dumps(payload).encode()).hexdigest()


def _story_links(store: Store, story: Story) -> tuple[ReuseLink, ...]:
    """The reuse links between members of the story, in a stable order."""
    members = set(story.members)
    links: dict[tuple[str, int, str, int], ReuseLink] = {}
    for m in story.members:
        for lk in store.copies.reuse_links(m):
            if lk.a.doc_id in members and lk.b.doc_id in members:
                links[(lk.a.doc_id, lk.a.start, lk.b.doc_id, lk.b.start)] = lk
    return tuple(links[k] for k in sorted(links))


def _is_stale(store: Store, story: Story, words: int) -> bool:
    """Whether the story's stored findings are missing or were computed on other
    evidence: read from its links and origin groups only, not its documents, so an
    incremental run checks every story cheaply and reads only what changed."""
    stored = store.findings.digest(story.id)
    if stored is None:
        return True
    links = _story_links(store, story)
    return stored != _digest_of(story, links, origin_groups_of(store, story.members), words,
                                None)  # fmt: skip


def gather_evidence(
    store: Store,
    story: Story,
    encoder: Encoder,
    executor: Executor | None = None,
    step: Step = no_progress,
) -> StoryEvidence:
    """Align what is missing inside the story, analyse what is missing, read it all."""
    align_stories(store, executor or SerialExecutor(), encoder, [story], step)
    analyses = analyse_documents(store, list(story.members), executor, step)
    return read_evidence(store, story, analyses)


def read_evidence(
    store: Store, story: Story, analyses: dict[str, Analysis] | None = None
) -> StoryEvidence:
    """The stored evidence of a story (nothing computed): documents, analyses, the reuse
    links between its members, their origin groups."""
    ids = list(story.members)
    docs = store.documents.get_documents(ids)
    return StoryEvidence(
        {m: docs[m] for m in ids if m in docs},
        analyses if analyses is not None else store.stories.get_analyses(ids),
        _story_links(store, story),
        origin_groups_of(store, ids),
    )


@dataclass(frozen=True, slots=True)
class FindingsTask:
    """One story to corroborate: its evidence, the digest of it, its claim mentions and
    the store keys of its spans (derived once, by the parent that loads the vectors),
    and the stored vectors of those spans (store keys -> bytes)."""

    story_id: int
    members: tuple[str, ...]
    evidence: StoryEvidence
    digest: str
    mentions: tuple[ClaimMention, ...]
    keys: vectors.SentenceKeys
    vectors: dict[str, bytes]


@dataclass(frozen=True, slots=True)
class FindingsResult:
    story_id: int
    digest: str
    findings: StoryFindings
    vectors: dict[str, bytes]  # sentence vectors encoded now, keyed for the store


@dataclass(frozen=True, slots=True)
class FindingsKernel:
    """Kernel: the findings of each story of a batch (``compute_findings``)."""

    encoder: Encoder
    words: int = DEFAULT_WORDS
    language: str | None = None

    def warm(self) -> None:
        vectors.warm_encoder(self.encoder)
        warm_parsers()

    def __call__(self, batch: Sequence[FindingsTask]) -> list[FindingsResult]:
        out = []
        for task in batch:
            cache = vectors.cache_of(task.keys, task.vectors)
            found = compute_findings(task.story_id, task.members, task.evidence, self.encoder,
                                     cache, self.words, self.language, task.mentions)  # fmt: skip
            out.append(FindingsResult(task.story_id, task.digest, found,
                                      vectors.fresh(task.keys, cache, task.vectors)))  # fmt: skip
        return out


def vector_keys(
    model: str, ev: StoryEvidence, mentions: Sequence[ClaimMention]
) -> vectors.SentenceKeys:
    """Store keys of the spans corroboration encodes that are known before it runs:
    every sentence and every claim mention of the story, and the phrase of each value a
    mention states. Mentions and phrases too, so that re-corroborating a story that
    gained a member encodes only the newcomer's."""
    docs = ev.documents.values()
    keys = vectors.SentenceKeys.of(model, ((d.id, d.text, d.sentences) for d in docs))
    keys = keys.extended((m.key, m.text) for m in mentions)
    return keys.extended(span for m in mentions for span in phrase_spans(m))


def _task(
    store: Store, story: Story, ev: StoryEvidence, encoder: Encoder, digest: str
) -> FindingsTask:
    mentions = tuple(story_mentions(story.members, ev))
    keys = vector_keys(encoder.name, ev, mentions)
    stored = vectors.load(store.stories, keys)
    return FindingsTask(story.id, story.members, ev, digest, mentions, keys, stored)


def _store(store: Store, result: FindingsResult) -> None:
    if result.vectors:
        store.stories.put_text_vectors(result.vectors)
    store.findings.put(result.story_id, result.digest, result.findings)


def story_findings(
    store: Store,
    story: Story,
    encoder: Encoder,
    words: int = DEFAULT_WORDS,
    language: str | None = None,
    refresh: bool = False,
    step: Step = no_progress,
) -> tuple[StoryFindings, StoryEvidence]:
    """The story's findings: stored ones if still current, else computed and stored."""
    ev = gather_evidence(store, story, encoder, None, step)
    digest = _digest(story, ev, words, language)
    if not refresh and store.findings.digest(story.id) == digest:
        stored = store.findings.get(story.id)
        if stored is not None:
            return stored, ev
    step("corroboration", 0, 1)
    [result] = FindingsKernel(encoder, words, language)([_task(store, story, ev, encoder, digest)])
    _store(store, result)
    step("corroboration", 1, 1)
    return result.findings, ev


def corroborate_stories(
    store: Store,
    stories: Sequence[Story],
    encoder: Encoder,
    executor: Executor | None = None,
    step: Step = no_progress,
    words: int = DEFAULT_WORDS,
    aligned: bool = False,
) -> int:
    """The findings of every story of 2+ articles given whose stored findings are
    missing or stale, computed on the executor's workers (the alignment and attribution
    they need first, also on the workers; ``aligned``: the caller has just aligned the
    pairs of every story, as ``run_copies`` does); returns how many were corroborated
    now."""
    executor = executor or SerialExecutor()
    wanted = [s for s in stories if len(s.members) >= 2]
    if not aligned:
        align_stories(store, executor, encoder, wanted, step)
    wanted = largest_first([s for s in wanted if _is_stale(store, s, words)])
    analyse_documents(store, sorted({m for s in wanted for m in s.members}), executor, step)

    def tasks() -> Iterator[list[FindingsTask]]:
        for story in wanted:
            ev = read_evidence(store, story)
            digest = _digest(story, ev, words, None)
            if store.findings.digest(story.id) != digest:
                yield [_task(store, story, ev, encoder, digest)]

    n = 0
    for results in executor.map(FindingsKernel(encoder, words), tasks()):
        for result in results:
            _store(store, result)
            n += 1
            step("corroboration", n, len(wanted))
    return n


def largest_first(stories: Sequence[Story]) -> list[Story]:
    """Stories by decreasing size (then id): the order their findings are computed in.
    Results come back in order, a few in flight per worker, so a large story met late
    held the driver while the other worker ran out of queued stories (the corroboration
    of the real corpus kept 1.6 of 2 cores busy); largest first, the long ones run side
    by side and the small ones fill the end."""
    return sorted(stories, key=lambda s: (-len(s.members), s.id))


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
    mentions: Sequence[ClaimMention] | None = None,
) -> StoryFindings:
    """The findings of one story from its evidence: the pure part of the stage (no
    store), so benches and executors run it as is. ``cache`` holds sentence vectors by
    (doc id, start, end) and receives the ones computed here; ``mentions``: the
    story's ``story_mentions`` when the caller already has them."""
    mentions = list(mentions) if mentions is not None else story_mentions(members, ev)
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
