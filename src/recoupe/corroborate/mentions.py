"""Claim mentions from an article and its attribution claims.

Corroboration compares claims across articles, so each claim is turned into
self-contained records: its exact text, the article's language, date and outlet, and its
sources reduced to comparable keys (``SourceRef``). Nothing is guessed: a blank
publication date or outlet stays None.

**A mention is one proposition**: a sentence, or a clause of a long sentence - never a
paragraph. An attributed content can run over several sentences (a quote continued over
a paragraph); compared whole, a paragraph "matches" anything that matches one of its
sentences, and a copy that covers one of its sentences covers under half of it. So claim
spans are cut at the article's sentence boundaries, and a piece longer than
``MAX_CHARS`` is cut again at clause punctuation (";", ":", a dash), each piece keeping
the claim's sources.

**Nothing is lost to attribution**: a sentence of the article that no claim touches (an
attribution rule mis-placed its content, or found a cue but no content) becomes a
mention of its own, with no source - it is still what the article says.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from itertools import pairwise

from recoupe.types import Claim, ClaimMention, Document, Sentence, SourceRef, TextSpan

MIN_CHARS = 25  # shorter claims ("Brick.", a dateline) carry nothing to corroborate
MAX_CHARS = 300  # longer sentences are cut at clause punctuation
_CLAUSE_BREAK = re.compile(r"(?<=[;:])\s+|\s+[—–]\s+")


def _sources(claim: Claim) -> tuple[SourceRef, ...]:
    out: list[SourceRef] = []
    for source in claim.sources:
        ref = SourceRef.from_source(source)
        if ref is not None and ref.key not in {r.key for r in out}:
            out.append(ref)
    return tuple(out)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _clauses(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """``[start, end)`` cut at clause punctuation when longer than ``MAX_CHARS``."""
    if end - start <= MAX_CHARS:
        yield start, end
        return
    cut = start
    for m in _CLAUSE_BREAK.finditer(text, start, end):
        if m.start() - cut >= MIN_CHARS and end - m.end() >= MIN_CHARS:
            yield cut, m.start()
            cut = m.end()
    yield cut, end


def propositions(
    text: str, span: TextSpan, sentences: Sequence[Sentence] = ()
) -> list[TextSpan]:
    """``span`` cut into sentence (or clause) pieces, whitespace trimmed, in order."""
    lo, hi = max(0, span.start), min(span.end, len(text))
    cuts = sorted({s.start for s in sentences if lo < s.start < hi})
    bounds = [lo, *cuts, hi]
    out = []
    for lo, hi in pairwise(bounds):
        for a, b in _clauses(text, lo, hi):
            a, b = _trimmed(text, a, b)
            if b > a:
                out.append(TextSpan(a, b))
    return out


def mentions_from(
    doc_id: str,
    text: str,
    claims: Sequence[Claim],
    *,
    language: str | None = None,
    published: str | None = None,
    outlet: str | None = None,
    sentences: Sequence[Sentence] = (),
    min_chars: int = MIN_CHARS,
) -> tuple[ClaimMention, ...]:
    """Mentions of ``text``: every claim cut into propositions (``propositions``, with
    the article's ``sentences``), then every sentence no claim covers; pieces shorter
    than ``min_chars`` skipped, in text order, each span once (the first claim covering
    it keeps it)."""
    out: dict[tuple[int, int], ClaimMention] = {}

    def add(piece: TextSpan, claim: Claim | None) -> None:
        content = piece.text_of(text)
        if len(content) < min_chars or (piece.start, piece.end) in out:
            return
        out[(piece.start, piece.end)] = ClaimMention(
            doc_id=doc_id,
            span=piece,
            text=content,
            language=language,
            sources=_sources(claim) if claim else (),
            published=published,
            outlet=outlet,
            attributed=claim is not None and not claim.own_voice,
            direct=claim is not None and any(a.direct for a in claim.attributions),
        )

    for claim in sorted(claims, key=lambda c: (c.span.start, c.span.end)):
        for piece in propositions(text, claim.span, sentences):
            add(piece, claim)
    for s in sentences:
        if not any(min(e, s.end) > max(b, s.start) for b, e in out):
            for piece in propositions(text, TextSpan(s.start, s.end)):
                add(piece, None)
    return tuple(out[k] for k in sorted(out))


def mentions_of(
    doc: Document, claims: Sequence[Claim], min_chars: int = MIN_CHARS
) -> tuple[ClaimMention, ...]:
    """Mentions of a cleaned, analysed article (``claims`` from ``attribution.analyse``
    on ``doc.text``). Language: detected, else declared by the input."""
    return mentions_from(
        doc.id,
        doc.text,
        claims,
        language=doc.language or doc.meta.language,
        published=doc.meta.published,
        outlet=doc.meta.outlet,
        sentences=doc.sentences,
        min_chars=min_chars,
    )
