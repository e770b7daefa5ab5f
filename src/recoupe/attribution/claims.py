"""Claims: the content units of an article that later stages count and compare.

Every attributed content and every quote is a claim carrying its exact source spans
(the whole chain, nearest first). Sentences no attribution covers are claims of the
outlet itself: a story's facts are also what the article asserts without a source, and
comparing articles needs those too.
"""

from __future__ import annotations

from collections.abc import Sequence

from recoupe.types import Attribution, Claim, Sentence, Source, TextSpan

MIN_OWN_CHARS = 25  # shorter uncovered sentences are headings or debris, not claims


def _overlaps(a: TextSpan, start: int, end: int) -> bool:
    return a.start < end and start < a.end


def build_claims(
    text: str, sentences: Sequence[Sentence], attributions: Sequence[Attribution]
) -> tuple[Claim, ...]:
    """Claims in text order: one per attribution (same content span merged, so a quote
    found both as quote and as reported clause counts once), plus uncovered sentences."""
    by_span: dict[TextSpan, list[Attribution]] = {}
    for att in attributions:
        by_span.setdefault(att.content, []).append(att)
    claims: list[Claim] = []
    for span, atts in by_span.items():
        sources: list[Source] = []
        for att in atts:
            for src in att.chain():
                if src not in sources:
                    sources.append(src)
        claims.append(Claim(span, tuple(atts), tuple(sources)))
    covered = [a.content for a in attributions] + [a.cue for a in attributions if a.cue]
    for s in sentences:
        if s.end - s.start < MIN_OWN_CHARS or any(_overlaps(c, s.start, s.end) for c in covered):
            continue
        claims.append(Claim(TextSpan(s.start, s.end), (), ()))
    return tuple(sorted(claims, key=lambda c: (c.span.start, c.span.end)))
