"""Hand-made mentions for corroboration tests (no model, no shared data)."""

from __future__ import annotations

from collections.abc import Sequence

from recoupe.nlp.encoder import F32, Encoder
from recoupe.types import ClaimMention, ReuseKind, ReuseLink, SourceRef, Span, TextSpan


class RecordingEncoder:
    """``inner`` that records every text it is asked to encode."""

    def __init__(self, inner: Encoder) -> None:
        self.inner = inner
        self.seen: list[str] = []

    @property
    def name(self) -> str:
        return self.inner.name

    def encode(self, texts: Sequence[str]) -> F32:
        self.seen += list(texts)
        return self.inner.encode(texts)


def mention(
    doc: str,
    text: str,
    start: int = 0,
    *,
    language: str = "fr",
    published: str | None = None,
    outlet: str | None = None,
    sources: tuple[SourceRef, ...] = (),
) -> ClaimMention:
    return ClaimMention(
        doc, TextSpan(start, start + len(text)), text, language, sources, published, outlet
    )


def link(a: ClaimMention, b: ClaimMention, kind: ReuseKind = ReuseKind.VERBATIM) -> ReuseLink:
    """A passage link covering exactly the two mentions."""
    return ReuseLink(
        Span(a.doc_id, a.span.start, a.span.end),
        Span(b.doc_id, b.span.start, b.span.end),
        kind,
        0.9,
    )
