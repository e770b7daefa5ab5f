"""Claim mentions from an article and its attribution claims.

Corroboration compares claims across articles, so each claim is turned into a
self-contained record: its exact text, the article's language, date and outlet, and its
sources reduced to comparable keys (``SourceRef``). Nothing is guessed: a blank
publication date or outlet stays None.
"""

from __future__ import annotations

from collections.abc import Sequence

from recoupe.corroborate.records import ClaimMention, SourceRef
from recoupe.types import Claim, Document

MIN_CHARS = 25  # shorter claims ("Brick.", a dateline) carry nothing to corroborate


def _sources(claim: Claim) -> tuple[SourceRef, ...]:
    out: list[SourceRef] = []
    for source in claim.sources:
        ref = SourceRef.from_source(source)
        if ref is not None and ref.key not in {r.key for r in out}:
            out.append(ref)
    return tuple(out)


def mentions_from(
    doc_id: str,
    text: str,
    claims: Sequence[Claim],
    *,
    language: str | None = None,
    published: str | None = None,
    outlet: str | None = None,
    min_chars: int = MIN_CHARS,
) -> tuple[ClaimMention, ...]:
    """One mention per claim of ``text`` (claims shorter than ``min_chars`` stripped
    characters are skipped), in text order."""
    out = []
    for claim in sorted(claims, key=lambda c: (c.span.start, c.span.end)):
        content = claim.span.text_of(text)
        if len(content.strip()) < min_chars:
            continue
        out.append(
            ClaimMention(
                doc_id=doc_id,
                span=claim.span,
                text=content,
                language=language,
                sources=_sources(claim),
                published=published,
                outlet=outlet,
                attributed=not claim.own_voice,
                direct=any(a.direct for a in claim.attributions),
            )
        )
    return tuple(out)


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
        min_chars=min_chars,
    )
