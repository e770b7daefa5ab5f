"""Records of the summarizer: articles in, cited summary sentences out.

Every summary sentence is verbatim text of one article (``doc_id``, ``span``) and cites
every article that carries the same content, each with the exact ``[start, end)`` span
of that article's cleaned text, so a reader can check each sentence at its sources.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from recoupe.types import Document, Sentence, Span, TextSpan


@dataclass(frozen=True, slots=True)
class Article:
    """What summarizing needs of an article: cleaned text, sentence spans, language,
    date and outlet (for display and for ordering)."""

    doc_id: str
    text: str
    sentences: tuple[Sentence, ...]
    language: str | None = None
    published: str | None = None
    outlet: str | None = None

    @classmethod
    def from_document(cls, doc: Document) -> Article:
        return cls(
            doc.id,
            doc.text,
            doc.sentences,
            doc.language or doc.meta.language,
            doc.meta.published,
            doc.meta.outlet,
        )


class CitationKind(StrEnum):
    """How the cited span relates to the summary sentence, closest first."""

    SOURCE = "source"  # the span the summary sentence was taken from
    EXACT = "exact"  # identical text in another article
    VERBATIM = "verbatim"  # reuse link: same words after normalisation
    NEAR = "near"  # reuse link: small edits
    TRANSLATION = "translation"  # reuse link: the same sentence in another language
    PARAPHRASE = "paraphrase"  # reuse link: same language, other words
    SAME_CLAIM = "same_claim"  # same claim group (independently written)


CITATION_RANK = {kind: rank for rank, kind in enumerate(CitationKind)}


@dataclass(frozen=True, slots=True)
class Citation:
    """An exact span of one article that carries the summary sentence's content. For
    SOURCE and EXACT the span's text equals the sentence text character for character."""

    doc_id: str
    start: int
    end: int
    kind: CitationKind

    @property
    def span(self) -> Span:
        return Span(self.doc_id, self.start, self.end)


@dataclass(frozen=True, slots=True)
class Dispute:
    """A conflict the sentence's claim is part of: ``left`` in article ``a`` vs
    ``right`` in article ``b``, values as written (``corroborate.Disagreement``)."""

    kind: str
    left: str
    right: str
    a: str
    b: str


@dataclass(frozen=True, slots=True)
class SummarySentence:
    """One sentence of a summary: ``text`` = ``article.text[span.start:span.end]`` of
    ``doc_id``. ``citations`` (one per article, SOURCE first) cover every article that
    carries it; ``origins`` counts the independent origins among them; ``score`` is the
    selection gain when it was picked. ``disputes``: the conflicts its claim is part of -
    a disputed claim is shown with them, never as agreed."""

    text: str
    doc_id: str
    span: TextSpan
    language: str | None
    citations: tuple[Citation, ...]
    origins: int
    score: float
    disputes: tuple[Dispute, ...] = ()

    @property
    def disputed(self) -> bool:
        return bool(self.disputes)

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True, slots=True)
class Summary:
    """An extractive summary of one story (or, with ``update``, of its new articles given
    the ones already seen). ``words`` counts whitespace-separated words and never exceeds
    the requested length."""

    sentences: tuple[SummarySentence, ...]
    words: int
    language: str | None
    update: bool = False

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)
