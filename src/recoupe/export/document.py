"""The export document: one JSON value per export, following the published schema
``docs/schema/export-v1.schema.json`` (``FORMAT``/``VERSION`` below; a change that
breaks readers bumps the version and the schema file).

Markdown and HTML are rendered from this same document, so the three formats cannot
disagree. Everything a reader needs to check a citation is inside: each article's clean
text, and every span as ``[start, end)`` character offsets into it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from recoupe import __version__
from recoupe.corroborate import ClaimGroup, ClaimMention, Disagreement, SourceRef
from recoupe.pipeline.attribution import (
    Analysis,
    SpeakerQuotes,
    quoted_article,
    quotes_by_speaker,
    speaker_name,
)
from recoupe.types import (
    Attribution,
    Document,
    Entity,
    OriginGroup,
    Source,
    Story,
    StoryFindings,
    TextSpan,
)

FORMAT = "recoupe-export"
VERSION = 1
SCHEMA_FILE = "docs/schema/export-v1.schema.json"


def _source(src: SourceRef) -> dict[str, Any]:
    return {"name": src.name, "key": src.key, "anonymous": src.anonymous, "kind": src.kind.value}


def _mention(m: ClaimMention) -> dict[str, Any]:
    return {
        "article": m.doc_id, "start": m.span.start, "end": m.span.end, "text": m.text,
        "attributed": m.attributed, "direct": m.direct,
        "sources": [_source(s) for s in m.sources],
    }  # fmt: skip


def _group(g: ClaimGroup, disputes: tuple[Disagreement, ...]) -> dict[str, Any]:
    first = g.first_seen
    return {
        "id": g.id,
        "text": g.mentions[0].text,
        "articles": list(g.articles),
        "independent_origins": [list(o) for o in g.origins],
        "support": {
            "articles": g.support.articles,
            "origins": g.support.origins,
            "outlets": g.support.outlets,
            "languages": g.support.languages,
            "sources": g.support.sources,
        },
        "attributed_to": [_source(s) for s in g.sources],
        "first_seen": None
        if first is None
        else {
            "article": first.doc_id,
            "published": first.published,
            "outlet": first.outlet,
            "tied": list(first.tied),
        },
        "disputed": bool(disputes),
        "disputes": [_dispute(d) for d in disputes],
        "mentions": [_mention(m) for m in g.mentions],
    }


def _dispute(d: Disagreement) -> dict[str, Any]:
    return {"kind": d.kind.value, "left": d.left, "right": d.right,
            "a": d.a.doc_id, "b": d.b.doc_id}  # fmt: skip


def _value(span: TextSpan | None) -> dict[str, int] | None:
    return None if span is None else {"start": span.start, "end": span.end}


def _disagreement(d: Disagreement) -> dict[str, Any]:
    return {
        "kind": d.kind.value, "status": d.status.value, "within_claim": d.same_group,
        "left": d.left, "right": d.right, "a": _mention(d.a), "b": _mention(d.b),
        "a_value": _value(d.a_value), "b_value": _value(d.b_value),
        "a_day": d.a_day, "b_day": d.b_day, "claims": [d.group_a, d.group_b],
    }  # fmt: skip


def _speaker(src: Source | None, doc: Document) -> dict[str, Any] | None:
    if src is None:
        return None
    return {
        "name": speaker_name(src), "anonymous": src.anonymous,
        "kind": src.kind.value, "start": src.span.start, "end": src.span.end,
    }  # fmt: skip


def _quote(q: Attribution, doc: Document) -> dict[str, Any]:
    return {
        "article": doc.id, "start": q.content.start, "end": q.content.end,
        "text": q.content.text_of(doc.text), "speaker": _speaker(q.source, doc),
        "channel": _speaker(q.channel, doc),
        "cue": q.cue.text_of(doc.text) if q.cue else None,
    }  # fmt: skip


def _speaker_quotes(g: SpeakerQuotes) -> dict[str, Any]:
    return {
        "speaker": g.speaker, "kind": g.kind or None, "anonymous": g.anonymous,
        "quotes": [{"text": occs[0].text, "occurrences": [
            {"article": o.doc_id, "outlet": o.outlet, "published": o.published,
             "start": o.start, "end": o.end, "cue": o.cue, "channel": o.channel,
             "via": list(o.via)} for o in occs]} for occs in g.quotes],
    }  # fmt: skip


def _article(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id, "title": doc.meta.title, "outlet": doc.meta.outlet,
        "published": doc.meta.published, "language": doc.language, "url": doc.meta.url,
        "origin": doc.origin, "text": doc.text,
    }  # fmt: skip


def story_document(
    story: Story,
    entities: Sequence[Entity],
    origin_groups: Sequence[OriginGroup],
    findings: StoryFindings,
    documents: Mapping[str, Document],
    analyses: Mapping[str, Analysis],
) -> dict[str, Any]:
    """One story as an export value (see the schema for every field)."""
    docs = [documents[m] for m in story.members if m in documents]
    summary = findings.summary
    disputes = findings.disputed()
    return {
        "id": story.id, "title": story.title, "first": story.first, "last": story.last,
        "languages": list(story.languages), "outlets": list(story.outlets),
        "topic": story.topic,
        "entities": [{"key": e.key, "name": e.surface, "label": e.label, "mentions": e.count,
                      "articles": e.articles} for e in entities],
        "articles": [_article(d) for d in docs],
        "origin_groups": [{"id": g.id, "members": list(g.members), "root": g.root,
                           "direction": g.direction} for g in origin_groups],
        "summary": {
            "words": summary.words, "language": summary.language,
            "sentences": [{
                "text": s.text, "article": s.doc_id, "start": s.span.start, "end": s.span.end,
                "independent_origins": s.origins,
                "citations": [{"article": c.doc_id, "start": c.start, "end": c.end,
                               "kind": c.kind.value} for c in s.citations],
                "disputes": [{"kind": x.kind, "left": x.left, "right": x.right, "a": x.a,
                              "b": x.b} for x in s.disputes],
            } for s in summary.sentences],
        },
        "claims": [_group(g, disputes.get(g.id, ())) for g in sorted(
            findings.groups, key=lambda g: (-g.support.origins, -g.support.articles, g.id))],
        "disagreements": [_disagreement(d) for d in findings.disagreements],
        "unique": [{"article": u.doc_id, "mentions": [_mention(m) for m in u.mentions]}
                   for u in findings.unique],
        "quotes": [_quote(q, d) for d in docs if d.id in analyses
                   for q in analyses[d.id].quotes],
        "speakers": [_speaker_quotes(g) for g in quotes_by_speaker(
            (quoted_article(d), q) for d in docs if d.id in analyses
            for q in analyses[d.id].quotes)],
    }  # fmt: skip


def export_document(stories: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The whole export: format, version, producing version, stories."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "generator": f"recoupe {__version__}",
        "stories": list(stories),
    }
