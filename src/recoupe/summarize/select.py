"""Extractive multi-document summary of one story, every sentence cited.

How (parameters in ``SummaryOptions``; measured in docs/summaries.md):

1. Units: every sentence of every article. Candidates: sentences of the articles to
   summarize with ``min_words``..``max_words`` words that end like a sentence (".", "!",
   "?", "…", possibly followed by a closing quote or bracket): headlines, datelines and
   captions without a full stop are evidence, never summary text.
2. Concepts (``concepts``): word bigrams weighted by support = the number of independent
   origins carrying them (origin groups and copied passages count once), zero under
   ``MIN_SUPPORT`` origins.
3. Claims: claim groups (from ``corroborate.group_claims``, or, when none are given,
   sentence-level groups built the same way with the encoder if one is given) add one
   concept per group carried by two or more origins, weighted ``claim_weight`` x its
   origins: what independent articles state in *other words or languages* counts too.
4. Greedy budgeted coverage: repeatedly take the candidate with the largest weight of
   not-yet-covered concepts divided by ``words ** length_exponent`` that still fits the
   length; a candidate whose claim groups are all already covered is skipped (never state
   a claim twice, not even in another language), and so is a text already said.
   Sentences in the requested language are taken first; others only fill the room left.
5. Update mode (``seen``): concepts and claims also carried by already-seen articles are
   discounted by ``novelty`` x the share of seen origins carrying them.
6. Order: the news first. The first sentence states the story's most independently
   supported claim (the claim group with the most origins, when one has two or more);
   the others follow by their independent origins, then by selection gain - not in
   article order, which opened summaries on side details.
7. Disputed claims (``disputed``: claim group -> its conflicts) are kept, and their
   sentences carry the conflicts (``SummarySentence.disputes``): shown with the
   disagreement, never as agreed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from recoupe.corroborate.grouping import group_claims
from recoupe.corroborate.independence import copy_links, doc_origins, independent_origins
from recoupe.corroborate.similarity import VectorCache
from recoupe.nlp.encoder import Encoder
from recoupe.summarize.cite import Unit, UnitIndex, best_per_article, inside, link_citations
from recoupe.summarize.concepts import MIN_SUPPORT, Concept, concepts, support, support_floor
from recoupe.types import (
    Article,
    Citation,
    CitationKind,
    ClaimGroup,
    ClaimMention,
    Disagreement,
    Dispute,
    OriginGroup,
    ReuseLink,
    Summary,
    SummarySentence,
    TextSpan,
)

_SENTENCE_END = re.compile(r"[.!?…][\"'»”’)\]]*\s*$")


@dataclass(frozen=True, slots=True)
class SummaryOptions:
    """Tuned on the odd RPM2 topics only (bench/summarization.py); the even topics are the
    held-out check."""

    min_words: int = 6
    max_words: int = 60
    length_exponent: float = 0.6  # gain / words**0.6: 1.0 favours short sentences too much
    min_support: int = MIN_SUPPORT
    claim_weight: float = 3.0
    novelty: float = 0.3  # update mode: weight x (1 - 0.3 x share of seen origins)


@dataclass
class _Story:
    units: list[Unit]
    origin_of: dict[str, str]
    copies: list[ReuseLink]  # the links that count as copying (support, origins)
    links: list[ReuseLink]  # every link (citations)
    groups_of: dict[int, set[str]]  # unit index -> claim group ids
    group_support: dict[str, tuple[int, int]]  # group id -> (new origins, seen origins)
    claim_cites: dict[str, list[Citation]]  # group id -> spans of its mentions
    outlet_of: dict[str, str | None]  # article id -> outlet (one outlet counts once)
    disputes: dict[str, tuple[Disagreement, ...]]  # claim group id -> its conflicts


def _units(articles: Sequence[Article], seen: Sequence[Article]) -> list[Unit]:
    out: list[Unit] = []
    for k, art in enumerate([*articles, *seen]):
        for s in art.sentences:
            text = s.text_of(art.text)
            out.append(
                Unit(
                    len(out), k, art.doc_id, s.start, s.end, text, art.language,
                    len(text.split()), k >= len(articles),
                )
            )  # fmt: skip
    return out


def _mention(u: Unit, outlet: str | None = None) -> ClaimMention:
    return ClaimMention(u.doc_id, TextSpan(u.start, u.end), u.text, u.language, outlet=outlet)


def _claims(
    units: list[Unit],
    claim_groups: Sequence[ClaimGroup],
    encoder: Encoder | None,
    cache: VectorCache | None,
    outlet_of: dict[str, str | None],
    links: Sequence[ReuseLink],
) -> list[ClaimGroup]:
    """The given claim groups, or sentence-level groups (lexical, + encoder if given, +
    the sentences the aligner linked)."""
    if claim_groups:
        return list(claim_groups)
    mentions = [_mention(u, outlet_of.get(u.doc_id)) for u in units if len(u.text.strip()) >= 25]
    return list(group_claims(mentions, encoder=encoder, cache=cache, links=links))


def _story(
    units: list[Unit],
    origin_groups: Sequence[OriginGroup],
    links: Sequence[ReuseLink],
    groups: list[ClaimGroup],
    outlet_of: dict[str, str | None],
    disputes: dict[str, tuple[Disagreement, ...]],
) -> _Story:
    origin_of = doc_origins(origin_groups)
    copies = copy_links(links, [_mention(u) for u in units])
    index = UnitIndex(units)
    seen_docs = {u.doc_id for u in units if u.seen}
    groups_of: dict[int, set[str]] = {}
    group_support: dict[str, tuple[int, int]] = {}
    claim_cites: dict[str, list[Citation]] = {}
    for g in groups:
        new = [m for m in g.mentions if m.doc_id not in seen_docs]
        old = [m for m in g.mentions if m.doc_id in seen_docs]
        group_support[g.id] = (
            len(independent_origins(new, origin_of, copies)) if new else 0,
            len(independent_origins(old, origin_of, copies)) if old else 0,
        )
        claim_cites[g.id] = [
            Citation(m.doc_id, m.span.start, m.span.end, CitationKind.SAME_CLAIM) for m in new
        ]
        for m in g.mentions:
            for u in index.overlapping(m.doc_id, m.span.start, m.span.end):
                if inside(m.span.start, m.span.end, u.span) or inside(u.start, u.end, m.location):
                    groups_of.setdefault(u.index, set()).add(g.id)
    return _Story(units, origin_of, copies, list(links), groups_of, group_support, claim_cites,
                  outlet_of, disputes)  # fmt: skip


def _joined(story: _Story) -> dict[int, list[int]]:
    """Unit -> units on the other side of a copy link (their concepts count once)."""
    by_doc: dict[str, list[Unit]] = {}
    for u in story.units:
        by_doc.setdefault(u.doc_id, []).append(u)
    out: dict[int, list[int]] = {}
    for link in story.copies:
        a = [u for u in by_doc.get(link.a.doc_id, ()) if inside(u.start, u.end, link.a)]
        b = [u for u in by_doc.get(link.b.doc_id, ()) if inside(u.start, u.end, link.b)]
        for x in a:
            for y in b:
                out.setdefault(x.index, []).append(y.index)
                out.setdefault(y.index, []).append(x.index)
    return out


def _weights(
    story: _Story, options: SummaryOptions
) -> tuple[dict[int, frozenset[Concept]], dict[Concept, float]]:
    units = story.units
    unit_concepts = {u.index: concepts(u.text, u.language) for u in units}
    origin = [story.origin_of.get(u.doc_id, u.doc_id) for u in units]
    joined = _joined(story)
    new_carriers: dict[Concept, list[int]] = {}
    seen_carriers: dict[Concept, list[int]] = {}
    for u in units:
        target = seen_carriers if u.seen else new_carriers
        for c in unit_concepts[u.index]:
            target.setdefault(c, []).append(u.index)
    new_support = support(new_carriers, origin, joined)
    seen_support = support(seen_carriers, origin, joined)
    n_new = len({origin[u.index] for u in units if not u.seen})
    n_seen = len({origin[u.index] for u in units if u.seen})
    floor = support_floor(options.min_support, n_new)

    def discount(seen_count: int) -> float:
        return 1.0 - options.novelty * seen_count / n_seen if n_seen else 1.0

    weights: dict[Concept, float] = {
        c: s * discount(seen_support.get(c, 0)) for c, s in new_support.items() if s >= floor
    }
    for gid, (s_new, s_seen) in story.group_support.items():
        if s_new >= 2:
            weights[("#claim", gid)] = options.claim_weight * s_new * discount(s_seen)
    for index, gids in story.groups_of.items():
        unit_concepts[index] = unit_concepts[index] | {("#claim", g) for g in gids}
    return unit_concepts, weights


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def _candidate(u: Unit, options: SummaryOptions, budget: int) -> bool:
    return (
        not u.seen
        and options.min_words <= u.words <= min(options.max_words, budget)
        and _SENTENCE_END.search(u.text) is not None
    )


def _language(articles: Sequence[Article], language: str | None) -> str | None:
    if language is not None:
        return language
    counts = Counter(a.language for a in articles if a.language)
    return min(counts, key=lambda lang: (-counts[lang], lang)) if counts else None


def _select(
    story: _Story,
    candidates: list[Unit],
    unit_concepts: dict[int, frozenset[Concept]],
    weights: dict[Concept, float],
    budget: int,
    language: str | None,
    options: SummaryOptions,
) -> list[tuple[Unit, float]]:
    chosen: list[tuple[Unit, float]] = []
    taken: set[int] = set()
    said: set[str] = set()  # a sentence repeated in one article can sit in two groups
    covered: set[Concept] = set()
    used = 0
    norms = {u.index: _norm(u.text) for u in candidates}
    for pool in _by_language(candidates, language):
        while True:
            best: tuple[float, Unit] | None = None
            for u in pool:
                if used + u.words > budget or u.index in taken or norms[u.index] in said:
                    continue
                gids = story.groups_of.get(u.index, set())
                if gids and all(("#claim", g) in covered for g in gids):
                    continue
                gain = sum(weights.get(c, 0.0) for c in unit_concepts[u.index] - covered)
                gain /= u.words**options.length_exponent
                if best is None or gain > best[0]:
                    best = (gain, u)
            if best is None or best[0] <= 0:
                break
            chosen.append((best[1], best[0]))
            taken.add(best[1].index)
            said.add(norms[best[1].index])
            covered |= unit_concepts[best[1].index] | {
                ("#claim", g) for g in story.groups_of.get(best[1].index, ())
            }
            used += best[1].words
    return chosen


def _by_language(candidates: list[Unit], language: str | None) -> tuple[list[Unit], list[Unit]]:
    """The candidates in the summary's language (or of no known language), then the
    others: the first pool is drawn from first. Split by one predicate in one pass (a
    membership test compared every candidate with every preferred one)."""
    pools: tuple[list[Unit], list[Unit]] = ([], [])
    for u in candidates:
        pools[0 if language is None or u.language in (language, None) else 1].append(u)
    return pools


def summarize(
    articles: Sequence[Article],
    *,
    words: int = 100,
    language: str | None = None,
    seen: Sequence[Article] = (),
    origin_groups: Sequence[OriginGroup] = (),
    links: Sequence[ReuseLink] = (),
    claim_groups: Sequence[ClaimGroup] = (),
    encoder: Encoder | None = None,
    cache: VectorCache | None = None,
    options: SummaryOptions | None = None,
    disputed: dict[str, tuple[Disagreement, ...]] | None = None,
) -> Summary:
    """Summary of ``articles`` in at most ``words`` words (whitespace-separated).

    ``language``: prefer sentences in it (default: the most common article language).
    ``seen``: articles the reader already knows (update mode: their content is
    discounted, they are never quoted). ``origin_groups`` and ``links``: the story's
    copies (support counts independent origins; links also give citations).
    ``claim_groups``: from ``corroborate.group_claims`` over the mentions of
    ``articles`` and ``seen``; when empty, sentences are grouped here (with ``encoder``
    if given: needed for paraphrases and other languages). ``cache``: vectors by
    (doc id, start, end), shared with alignment and grouping. ``disputed``: claim group
    id -> the conflicts that make it disputed (``corroborate.disputed``).
    """
    opts = options or SummaryOptions()
    units = _units(articles, seen)
    outlet_of = {a.doc_id: a.outlet for a in [*articles, *seen]}
    groups = _claims(units, claim_groups, encoder, cache, outlet_of, links)
    story = _story(units, origin_groups, links, groups, outlet_of, disputed or {})
    unit_concepts, weights = _weights(story, opts)
    target = _language(articles, language)
    candidates = [u for u in units if _candidate(u, opts, words)]
    chosen = _select(story, candidates, unit_concepts, weights, words, target, opts)
    if not chosen and candidates:  # nothing reaches the support floor: plain coverage
        unit_concepts, weights = _weights(story, replace(opts, min_support=1))
        chosen = _select(story, candidates, unit_concepts, weights, words, target, opts)
    chosen = _with_a_dispute(chosen, candidates, story, groups, words)
    sentences = _news_first([_sentence(u, score, story) for u, score in chosen], story, groups)
    return Summary(sentences, sum(s.words for s in sentences), target, update=bool(seen))


def _with_a_dispute(
    chosen: list[tuple[Unit, float]], candidates: list[Unit], story: _Story,
    groups: Sequence[ClaimGroup], budget: int,
) -> list[tuple[Unit, float]]:
    """A story with a disputed claim shows it: when no chosen sentence carries one, the
    sentence of the best-supported disputed claim joins the summary (in place of the
    weakest picks if the length needs it), with its conflict."""
    if not story.disputes or any(story.groups_of.get(u.index, set()) & story.disputes.keys()
                                 for u, _ in chosen):  # fmt: skip
        return chosen
    support = {g.id: (g.support.origins, g.support.articles) for g in groups}
    disputed = [u for u in candidates if u.words <= budget
                and story.groups_of.get(u.index, set()) & story.disputes.keys()]  # fmt: skip
    if not disputed:
        return chosen
    best = max(disputed, key=lambda u: (max(support.get(g, (0, 0)) for g in story.groups_of[u.index]
                                            if g in story.disputes), -u.index))  # fmt: skip
    kept = sorted(chosen, key=lambda t: -t[1])
    while kept and sum(u.words for u, _ in kept) + best.words > budget:
        kept.pop()
    return [*kept, (best, 0.0)]


def _news_first(
    sentences: list[SummarySentence], story: _Story, groups: Sequence[ClaimGroup]
) -> tuple[SummarySentence, ...]:
    """Most independently supported first (the sentence of the best-supported claim
    group leads when the summary has one), then by origins and gain."""
    order = sorted(sentences, key=lambda s: (-s.origins, -s.score, s.doc_id, s.span.start))
    ranked = sorted((g for g in groups if g.support.origins >= 2),
                    key=lambda g: (-g.support.origins, -g.support.articles, g.id))  # fmt: skip
    unit_at = {(u.doc_id, u.start): u.index for u in story.units}
    for g in ranked:
        lead = next((s for s in order
                     if g.id in story.groups_of.get(unit_at[(s.doc_id, s.span.start)], ())),
                    None)  # fmt: skip
        if lead is not None:
            return (lead, *(s for s in order if s is not lead))
    return tuple(order)


def update_summary(
    new: Sequence[Article],
    seen: Sequence[Article],
    *,
    words: int = 100,
    language: str | None = None,
    origin_groups: Sequence[OriginGroup] = (),
    links: Sequence[ReuseLink] = (),
    claim_groups: Sequence[ClaimGroup] = (),
    encoder: Encoder | None = None,
    cache: VectorCache | None = None,
    options: SummaryOptions | None = None,
) -> Summary:
    """Summary of the ``new`` articles of a story for a reader who has read ``seen``:
    ``summarize(new, seen=seen, ...)``."""
    return summarize(
        new,
        words=words,
        language=language,
        seen=seen,
        origin_groups=origin_groups,
        links=links,
        claim_groups=claim_groups,
        encoder=encoder,
        cache=cache,
        options=options,
    )


def _sentence(u: Unit, score: float, story: _Story) -> SummarySentence:
    new_units = [x for x in story.units if not x.seen]
    by_doc: dict[str, list[Unit]] = {}
    for x in new_units:
        by_doc.setdefault(x.doc_id, []).append(x)
    source = Citation(u.doc_id, u.start, u.end, CitationKind.SOURCE)
    text = u.text.strip()
    cands = [
        Citation(x.doc_id, x.start, x.end, CitationKind.EXACT)
        for x in new_units
        if x.doc_id != u.doc_id and x.text.strip() == text
    ]
    cands += [c for c in link_citations(u, story.links, by_doc) if c.doc_id in by_doc]
    for gid in sorted(story.groups_of.get(u.index, ())):
        cands += story.claim_cites.get(gid, [])
    cites = best_per_article(cands, source)
    mentions = [
        ClaimMention(c.doc_id, TextSpan(c.start, c.end), "", u.language,
                     outlet=story.outlet_of.get(c.doc_id))
        for c in cites
    ]  # fmt: skip
    origins = independent_origins(mentions, story.origin_of, story.copies)
    disputes = tuple(dict.fromkeys(
        Dispute(d.kind.value, d.left, d.right, d.a.doc_id, d.b.doc_id)
        for gid in sorted(story.groups_of.get(u.index, ())) for d in story.disputes.get(gid, ())
    ))  # fmt: skip
    return SummarySentence(
        u.text, u.doc_id, TextSpan(u.start, u.end), u.language, cites, len(origins), score,
        disputes,
    )
