"""Synthetic stories for ``web_latency.py``: story rows and memberships, entities, and,
for the stories whose pages are measured, stored findings and attribution analyses.

What the stages would store, written directly through the repository's own methods
(``replace_stories``, ``put_entities``, ``put_analyses``, ``put_findings``): the web pages
read exactly these rows. Findings are real ``StoryFindings`` records (claim groups with
their independent origins, attributed sources and first sighting, disagreements, unique
content, a cited summary) over real spans of the synthetic articles, serialised with
``to_plain`` as the corroboration stage stores them; their sizes follow what the demo
corpus gives per article (~10 claim mentions, half of them found in no other article, a few
quotes: the demo's five-article story stores 54 kB of findings, 62 mentions).
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Sequence

from recoupe.corroborate import (
    ClaimGroup,
    ClaimMention,
    Disagreement,
    DisagreementKind,
    FirstSeen,
    SourceRef,
    Support,
    UniqueContent,
)
from recoupe.pipeline.attribution import ANALYSER
from recoupe.store.base import StreamEntry
from recoupe.store.sqlite import SQLiteStore
from recoupe.types import (
    Analysis,
    Attribution,
    Citation,
    CitationKind,
    Claim,
    Document,
    Entity,
    OriginGroup,
    Source,
    SourceKind,
    Story,
    StoryFindings,
    Summary,
    SummarySentence,
    TextSpan,
)

MAX_STORY = 30
ENTITY_POOL = 5_000
ENTITY_MODEL = "synthetic"
TOPIC_SIZE = 3  # consecutive stories share a topic
LABELS = ("PERSON", "ORG", "GPE", "LOC")


def story_sizes(n_docs: int, rng: random.Random) -> list[int]:
    """Sizes 1-30 with many small stories (mean ~5: ~20,000 stories for 100k articles)."""
    weights = [1.0 / k**1.45 for k in range(1, MAX_STORY + 1)]
    sizes: list[int] = []
    left = n_docs
    while left > 0:
        size = min(left, rng.choices(range(1, MAX_STORY + 1), weights=weights)[0])
        sizes.append(size)
        left -= size
    return sizes


def _entity(rank: int) -> Entity:
    label = LABELS[rank % len(LABELS)]
    if label == "GPE":
        return Entity(f"place:{100_000 + rank}", label, f"Place {rank}", 1)
    return Entity(f"name:entity {rank}", label, f"Entity {rank}", 1)


def _article_entities(rng: random.Random) -> list[Entity]:
    n = rng.randint(4, 10)
    ranks = {min(int(rng.paretovariate(0.8)) - 1, ENTITY_POOL - 1) for _ in range(n)}
    out = [_entity(r) for r in ranks]
    return [Entity(e.key, e.label, e.surface, rng.randint(1, 6)) for e in out]


def store_stories(
    repo: SQLiteStore, docs: Sequence[tuple[str, str | None, str | None, str | None, str]]
) -> list[Story]:
    """Stories over ``docs`` (id, published, language, outlet, title): articles sorted by
    date, cut into consecutive runs (a story's articles are days apart, as in a real
    stream), plus every article's entities. Returns the stories."""
    rng = random.Random(17)
    ordered = sorted(docs, key=lambda d: (d[1] is None, (d[1] or "")[:10], d[0]))
    entities = {d[0]: _article_entities(rng) for d in ordered}
    stream: list[StreamEntry] = []
    stories: list[Story] = []
    pos = 0
    for sid, size in enumerate(story_sizes(len(ordered), rng)):
        members = ordered[pos : pos + size]
        pos += size
        stream.extend(StreamEntry(d[0], sid, len(stream)) for d in members)
        days = sorted(d[1][:10] for d in members if d[1])
        counts: dict[str, int] = {}
        for d in members:
            for e in entities[d[0]]:
                counts[e.key] = counts.get(e.key, 0) + e.count
        stories.append(Story(
            id=sid, title=members[0][4], members=tuple(d[0] for d in members),
            first=days[0] if days else None, last=days[-1] if days else None,
            languages=tuple(sorted({d[2] for d in members if d[2]})),
            outlets=tuple(dict.fromkeys(d[3] for d in members if d[3])),
            entities=tuple(sorted(counts, key=lambda k: (-counts[k], k))[:10]),
        ))  # fmt: skip
    stories = [dataclasses.replace(s, topic=s.id - s.id % TOPIC_SIZE) for s in stories]
    repo.stories.put_stories(stream, stories)
    keys = list(entities)
    for lo in range(0, len(keys), 20_000):
        repo.stories.put_entities(ENTITY_MODEL, {k: entities[k] for k in keys[lo : lo + 20_000]})
    return stories


# ----- findings of one story ------------------------------------------------------------


def _source(rng: random.Random, doc: Document, at: int) -> tuple[Source, SourceRef]:
    """A speaker phrase at ``at`` (named three times in four, else anonymous)."""
    span = TextSpan(at, min(at + 12, len(doc.text)))
    if rng.random() < 0.75:
        name = f"Speaker {rng.randint(0, 400)}"
        src = Source(span, (name,), SourceKind.PERSON)
        return src, SourceRef(name.casefold(), name, False, SourceKind.PERSON)
    what = rng.choice(("official", "diplomat", "police source"))
    src = Source(span, (), SourceKind.ANONYMOUS, True, what)
    return src, SourceRef("~" + what, what, True, SourceKind.ANONYMOUS)


def _mention(
    rng: random.Random, doc: Document, sentence: int
) -> tuple[ClaimMention, Claim, Attribution | None]:
    s = doc.sentences[sentence % len(doc.sentences)]
    span = TextSpan(s.start, s.end)
    attributed = rng.random() < 0.5
    attribution = None
    refs: tuple[SourceRef, ...] = ()
    sources: tuple[Source, ...] = ()
    if attributed:
        src, ref = _source(rng, doc, s.start)
        cue = TextSpan(s.start, min(s.start + 4, s.end))
        attribution = Attribution(span, src, cue, direct=rng.random() < 0.4)
        refs, sources = (ref,), (src,)
    mention = ClaimMention(
        doc.id, span, s.text_of(doc.text), doc.language, refs, doc.meta.published,
        doc.meta.outlet, attributed, attribution is not None and attribution.direct,
    )  # fmt: skip
    claim = Claim(span, (attribution,) if attribution else (), sources)
    return mention, claim, attribution


def _origins(articles: Sequence[str], group_of: dict[str, str]) -> tuple[tuple[str, ...], ...]:
    by: dict[str, list[str]] = {}
    for a in articles:
        by.setdefault(group_of.get(a, a), []).append(a)
    return tuple(tuple(v) for v in by.values())


def _group(gid: str, mentions: Sequence[ClaimMention], group_of: dict[str, str]) -> ClaimGroup:
    articles = tuple(dict.fromkeys(m.doc_id for m in mentions))
    origins = _origins(articles, group_of)
    sources = tuple({s.key: s for m in mentions for s in m.sources}.values())
    dated = [m for m in mentions if m.published]
    first = min(dated, key=lambda m: (m.published or "", m.outlet or "", m.doc_id), default=None)
    support = Support(
        len(articles), len(origins), len({m.outlet for m in mentions}),
        len({m.language for m in mentions}), len(sources),
    )  # fmt: skip
    seen = FirstSeen(first.doc_id, first.published or "", first.outlet) if first else None
    return ClaimGroup(gid, tuple(mentions), articles, origins, sources, seen, support)


def story_findings(
    story: Story, docs: dict[str, Document], groups: Sequence[OriginGroup], seed: int
) -> tuple[StoryFindings, dict[str, Analysis]]:
    """Findings of ``story`` and the stored analyses of its articles (id -> JSON)."""
    rng = random.Random(seed)
    group_of = {m: g.id for g in groups for m in g.members}
    members = [docs[m] for m in story.members]
    shared = min(16, max(4, len(members)))  # claims several articles may carry
    by_group: dict[int, list[ClaimMention]] = {}
    singles: list[ClaimMention] = []
    analyses: dict[str, Analysis] = {}
    for doc in members:
        claims, quotes, atts = [], [], []
        picks = rng.sample(range(shared), k=min(shared, rng.randint(3, 6)))
        for k in picks:  # the claim's sentence: the k-th of each article carrying it
            mention, claim, att = _mention(rng, doc, k)
            by_group.setdefault(k, []).append(mention)
            claims.append(claim)
            atts += [att] if att else []
        for j in range(rng.randint(3, 7)):  # said by this article only
            mention, claim, att = _mention(rng, doc, 16 + j)
            singles.append(mention)
            claims.append(claim)
            atts += [att] if att else []
        quotes = [a for a in atts if a.direct] or atts[:1]
        analyses[doc.id] = Analysis(tuple(quotes), tuple(atts), tuple(claims))
    claim_groups = [_group(f"g{k}", ms, group_of) for k, ms in sorted(by_group.items())]
    claim_groups += [_group(f"s{n}", [m], group_of) for n, m in enumerate(singles)]
    disagreements = tuple(
        Disagreement(DisagreementKind.NUMBER, g.mentions[0], g.mentions[1], "30", "40", g.id, g.id)
        for g in claim_groups[:3]
        if len(g.mentions) > 1 and rng.random() < 0.5
    )
    unique = tuple(
        UniqueContent(d.id, tuple(m for m in singles if m.doc_id == d.id)) for d in members
    )
    sentences, words = [], 0
    ranked = sorted(claim_groups, key=lambda g: (-g.support.origins, -g.support.articles, g.id))
    for g in ranked:
        lead = g.mentions[0]
        n_words = len(lead.text.split())
        if words + n_words > 100:
            continue
        words += n_words
        cites = tuple(
            Citation(m.doc_id, m.span.start, m.span.end,
                     CitationKind.SOURCE if m is lead else CitationKind.SAME_CLAIM)
            for m in g.mentions
        )  # fmt: skip
        sentences.append(SummarySentence(lead.text, lead.doc_id, lead.span, lead.language, cites,
                                         g.support.origins, 1.0))  # fmt: skip
    summary = Summary(tuple(sentences), words, None)
    found = StoryFindings(story.id, tuple(claim_groups), disagreements, unique, summary, 100, None)
    return found, analyses


def store_findings(repo: SQLiteStore, stories: Sequence[Story]) -> None:
    """Findings and analyses of ``stories`` stored as the corroboration stage does."""
    for story in stories:
        docs = {m: repo.documents.get_document(m) for m in story.members}
        groups = [
            g for g in (repo.copies.origin_group_of(m) for m in story.members) if g is not None
        ]
        found, analyses = story_findings(story, docs, groups, seed=story.id)
        repo.stories.put_analyses(ANALYSER, analyses)
        repo.findings.put(story.id, "synthetic", found)


def measured_stories(stories: Sequence[Story], rng: random.Random) -> list[Story]:
    """The stories whose pages are measured (and get findings): 100 of 20-30 articles,
    100 of 5-19, 100 of 1-4."""
    out: list[Story] = []
    for lo, hi in ((20, MAX_STORY), (5, 19), (1, 4)):
        pool = [s for s in stories if lo <= len(s.members) <= hi]
        out += rng.sample(pool, min(100, len(pool)))
    return out
