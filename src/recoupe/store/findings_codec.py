"""The one codec between ``StoryFindings`` and the rows of the findings tables.

Every backend stores a story's findings in the same tables (``schema.py``: ``findings``,
``claim_groups``, ``claim_mentions``, ``disagreements``, ``unique_mentions``,
``summary_sentences``, ``summary_citations``, ``summary_disputes``) with the same rows,
so this module turns records into plain row tuples and back and the backends only run
their own SQL over them. Small lists (a group's articles and origins, a mention's
sources) are JSON text columns: they are always read with their row, never queried.

A disagreement and a unique-content entry point at mentions by article and span: the
mention's text and metadata are stored once, in ``claim_mentions``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from recoupe.errors import StoreError
from recoupe.types import (
    Citation,
    CitationKind,
    ClaimGroup,
    ClaimMention,
    Disagreement,
    DisagreementKind,
    DisagreementStatus,
    Dispute,
    FirstSeen,
    SourceKind,
    SourceRef,
    StoryFindings,
    Summary,
    SummarySentence,
    Support,
    TextSpan,
    UniqueContent,
    findings_overview,
)

OVERVIEW_COLUMNS = ("story_id", "claimed_articles", "origins", "claims", "disputed", "lead")
"""The columns of ``findings`` a story list reads (``FindingsOverview``, that order)."""

Row = tuple[Any, ...]
TABLES = (
    "findings", "claim_groups", "claim_mentions", "disagreements", "unique_mentions",
    "summary_sentences", "summary_citations", "summary_disputes",
)  # fmt: skip
COLUMNS: dict[str, tuple[str, ...]] = {
    "findings": ("story_id", "digest", "words", "language", "summary_words",
                 "summary_language", "summary_update", "claimed_articles", "origins",
                 "claims", "disputed", "lead"),
    "claim_groups": ("story_id", "group_id", "rank", "articles", "origins", "n_articles",
                     "n_origins", "n_outlets", "n_languages", "n_sources", "sources",
                     "first_doc", "first_published", "first_outlet", "first_tied"),
    "claim_mentions": ("story_id", "group_id", "k", "doc_id", "span_start", "span_end",
                       "text", "language", "sources", "published", "outlet", "attributed",
                       "direct"),
    "disagreements": ("story_id", "k", "kind", "status", "left_value", "right_value",
                      "group_a", "group_b", "a_doc", "a_start", "a_end", "b_doc", "b_start",
                      "b_end", "a_value_start", "a_value_end", "b_value_start",
                      "b_value_end", "a_day", "b_day"),
    "unique_mentions": ("story_id", "doc_id", "k", "span_start", "span_end"),
    "summary_sentences": ("story_id", "k", "doc_id", "span_start", "span_end", "text",
                          "language", "origins", "score"),
    "summary_citations": ("story_id", "sentence", "k", "doc_id", "span_start", "span_end",
                          "kind"),
    "summary_disputes": ("story_id", "sentence", "k", "kind", "left_value", "right_value",
                         "a_doc", "b_doc"),
}  # fmt: skip
ORDER: dict[str, str] = {
    "claim_groups": "rank", "claim_mentions": "group_id, k", "disagreements": "k",
    "unique_mentions": "doc_id, k", "summary_sentences": "k",
    "summary_citations": "sentence, k", "summary_disputes": "sentence, k",
}  # fmt: skip


def _refs(refs: Sequence[SourceRef]) -> str:
    return json.dumps([[r.key, r.name, r.anonymous, r.kind.value] for r in refs],
                      ensure_ascii=False)  # fmt: skip


@lru_cache(maxsize=8192)
def _unrefs(data: str) -> tuple[SourceRef, ...]:
    """Decoded once per distinct text: a story's mentions repeat the same few source
    lists (half of them none), and a page decodes hundreds (records are immutable, so
    sharing them is safe)."""
    if data == "[]":
        return ()
    return tuple(SourceRef(k, n, bool(a), SourceKind(kind)) for k, n, a, kind in json.loads(data))


def _strings(data: str) -> tuple[str, ...]:
    """A JSON list of strings as a tuple ("[]", the commonest, without the parser)."""
    return () if data == "[]" else tuple(json.loads(data))


def _mention_row(story_id: int, group_id: str, k: int, m: ClaimMention) -> Row:
    return (story_id, group_id, k, m.doc_id, m.span.start, m.span.end, m.text, m.language,
            _refs(m.sources), m.published, m.outlet, int(m.attributed), int(m.direct))  # fmt: skip


def _group_row(story_id: int, rank: int, g: ClaimGroup) -> Row:
    first = g.first_seen
    s = g.support
    return (
        story_id, g.id, rank, json.dumps(list(g.articles)),
        json.dumps([list(o) for o in g.origins]), s.articles, s.origins, s.outlets,
        s.languages, s.sources, _refs(g.sources),
        first.doc_id if first else None, first.published if first else None,
        first.outlet if first else None, json.dumps(list(first.tied)) if first else None,
    )  # fmt: skip


def _span(v: TextSpan | None) -> tuple[int | None, int | None]:
    return (None, None) if v is None else (v.start, v.end)


def _disagreement_row(story_id: int, k: int, d: Disagreement) -> Row:
    return (
        story_id, k, d.kind.value, d.status.value, d.left, d.right, d.group_a, d.group_b,
        d.a.doc_id, d.a.span.start, d.a.span.end, d.b.doc_id, d.b.span.start, d.b.span.end,
        *_span(d.a_value), *_span(d.b_value), d.a_day, d.b_day,
    )  # fmt: skip


def encode(story_id: int, digest: str, f: StoryFindings) -> dict[str, list[Row]]:
    """Rows of every findings table for one story (``COLUMNS`` order)."""
    s = f.summary
    rows: dict[str, list[Row]] = {t: [] for t in TABLES}
    o = findings_overview(f)
    rows["findings"].append((story_id, digest, f.words, f.language, s.words, s.language,
                             int(s.update), o.articles, o.origins, o.claims, o.disputed,
                             o.lead))  # fmt: skip
    for rank, g in enumerate(f.groups):
        rows["claim_groups"].append(_group_row(story_id, rank, g))
        rows["claim_mentions"] += [_mention_row(story_id, g.id, k, m)
                                   for k, m in enumerate(g.mentions)]  # fmt: skip
    rows["disagreements"] = [_disagreement_row(story_id, k, d)
                             for k, d in enumerate(f.disagreements)]  # fmt: skip
    for u in f.unique:
        rows["unique_mentions"] += [(story_id, u.doc_id, k, m.span.start, m.span.end)
                                    for k, m in enumerate(u.mentions)]  # fmt: skip
    for k, sent in enumerate(s.sentences):
        rows["summary_sentences"].append((story_id, k, sent.doc_id, sent.span.start,
                                          sent.span.end, sent.text, sent.language,
                                          sent.origins, sent.score))  # fmt: skip
        rows["summary_citations"] += [(story_id, k, j, c.doc_id, c.start, c.end, c.kind.value)
                                      for j, c in enumerate(sent.citations)]  # fmt: skip
        rows["summary_disputes"] += [(story_id, k, j, x.kind, x.left, x.right, x.a, x.b)
                                     for j, x in enumerate(sent.disputes)]  # fmt: skip
    return rows


def _mention(r: Row) -> ClaimMention:
    (_, _, _, doc, start, end, text, lang, sources, published, outlet, attributed,
     direct) = r  # fmt: skip
    return ClaimMention(doc, TextSpan(start, end), text, lang, _unrefs(sources), published,
                        outlet, bool(attributed), bool(direct))  # fmt: skip


def _group(r: Row, mentions: Sequence[ClaimMention]) -> ClaimGroup:
    (_, gid, _, articles, origins, n_art, n_orig, n_out, n_lang, n_src, sources, first_doc,
     first_pub, first_outlet, first_tied) = r  # fmt: skip
    first = None
    if first_doc is not None:
        first = FirstSeen(first_doc, first_pub, first_outlet, _strings(first_tied))
    return ClaimGroup(
        gid, tuple(mentions), _strings(articles),
        tuple(tuple(o) for o in json.loads(origins)), _unrefs(sources), first,
        Support(n_art, n_orig, n_out, n_lang, n_src),
    )  # fmt: skip


def _value(start: int | None, end: int | None) -> TextSpan | None:
    return None if start is None or end is None else TextSpan(start, end)


def decode(rows: Mapping[str, Sequence[Row]]) -> StoryFindings:
    """``StoryFindings`` from the rows of one story (each table in ``ORDER``)."""
    (head,) = rows["findings"]
    story_id, _, words, language, s_words, s_language, s_update = head[:7]
    by_group: dict[str, list[ClaimMention]] = {}
    at: dict[tuple[str, int, int], ClaimMention] = {}
    for r in rows["claim_mentions"]:
        m = _mention(r)
        by_group.setdefault(r[1], []).append(m)
        at[m.key] = m
    groups = tuple(_group(r, by_group.get(r[1], ())) for r in rows["claim_groups"])

    def mention(doc: str, start: int, end: int) -> ClaimMention:
        found = at.get((doc, start, end))
        if found is None:
            raise StoreError(f"findings of story {story_id} point at a mention not stored")
        return found

    disagreements = tuple(
        Disagreement(DisagreementKind(kind), mention(ad, as_, ae), mention(bd, bs, be), left,
                     right, ga, gb, DisagreementStatus(status), _value(avs, ave),
                     _value(bvs, bve), a_day, b_day)
        for (_, _, kind, status, left, right, ga, gb, ad, as_, ae, bd, bs, be, avs, ave, bvs,
             bve, a_day, b_day) in rows["disagreements"]
    )  # fmt: skip
    unique: dict[str, list[ClaimMention]] = {}
    for _, doc, _, start, end in rows["unique_mentions"]:
        unique.setdefault(doc, []).append(mention(doc, start, end))
    cites: dict[int, list[Citation]] = {}
    for _, sentence, _, doc, start, end, kind in rows["summary_citations"]:
        cites.setdefault(sentence, []).append(Citation(doc, start, end, CitationKind(kind)))
    disputes: dict[int, list[Dispute]] = {}
    for _, sentence, _, kind, left, right, a, b in rows["summary_disputes"]:
        disputes.setdefault(sentence, []).append(Dispute(kind, left, right, a, b))
    sentences = tuple(
        SummarySentence(text, doc, TextSpan(start, end), lang, tuple(cites.get(k, ())),
                        origins, score, tuple(disputes.get(k, ())))
        for _, k, doc, start, end, text, lang, origins, score in rows["summary_sentences"]
    )  # fmt: skip
    summary = Summary(sentences, s_words, s_language, bool(s_update))
    return StoryFindings(
        story_id, groups, disagreements,
        tuple(UniqueContent(d, tuple(ms)) for d, ms in unique.items()), summary, words,
        language,
    )  # fmt: skip
