"""Records of what a story's articles establish together: claim mentions, claim groups,
disagreements, unique content, cited summaries and the findings of one story.

Frozen, slotted dataclasses like the rest of ``recoupe.types``: the corroboration and
summary algorithms produce them, the store persists them in tables of their own (one
codec), and the CLI, the web UI and the exports read the same records. Offsets are
``[start, end)`` into each article's cleaned text (``Document.text``), so every record
can be highlighted in place and cited exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from recoupe.types.core import Document, Sentence, Source, SourceKind, Span, TextSpan

# ----- corroboration ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Who a claim is attributed to, reduced to what compares across articles.

    ``key`` is canonical: the casefolded canonical entity names ("pat ryder"), or, for an
    unnamed source, ``"~"`` + its description ("~responsable américain"), so two articles
    quoting "un responsable américain" meet without pretending to know it is one person.
    ``name`` is for display.
    """

    key: str
    name: str
    anonymous: bool = False
    kind: SourceKind = SourceKind.OTHER

    @classmethod
    def from_source(cls, source: Source) -> SourceRef | None:
        """None for a source with neither entities nor description (nothing to show)."""
        name = source.name.strip()
        if not name:
            return None
        if source.entities:
            key = " & ".join(e.casefold() for e in source.entities)
        else:
            key = "~" + " ".join(source.description.casefold().split())
        return cls(key, name, source.anonymous, source.kind)


@dataclass(frozen=True, slots=True)
class ClaimMention:
    """One occurrence of a claim in one article.

    ``text`` is exactly ``article_text[span.start:span.end]``. ``attributed`` is False for
    a sentence the outlet states in its own voice; ``direct`` marks a verbatim quote.
    ``published`` is the article's ISO date or datetime as the input gave it.
    """

    doc_id: str
    span: TextSpan
    text: str
    language: str | None = None
    sources: tuple[SourceRef, ...] = ()
    published: str | None = None
    outlet: str | None = None
    attributed: bool = False
    direct: bool = False

    @property
    def key(self) -> tuple[str, int, int]:
        """(doc id, start, end): unique within a story, used as a vector cache key."""
        return (self.doc_id, self.span.start, self.span.end)

    @property
    def location(self) -> Span:
        return Span(self.doc_id, self.span.start, self.span.end)


@dataclass(frozen=True, slots=True)
class FirstSeen:
    """Where a claim was first seen: the earliest member of its earliest independent
    origin (``independence.earliest``). ``tied`` lists articles of other origins that are
    just as early as far as their dates tell (date-only values are whole days): when it
    is not empty, "first" is a stable choice among equals, not a finding."""

    doc_id: str
    published: str
    outlet: str | None
    tied: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Support:
    """How widely a claim is carried. ``origins`` is the figure that matters: copies of
    one wire count once."""

    articles: int
    origins: int
    outlets: int
    languages: int
    sources: int


@dataclass(frozen=True, slots=True)
class ClaimGroup:
    """Mentions of one story that state the same thing, across articles and languages.

    ``origins`` partitions ``articles`` into independent origins: articles joined because
    they belong to one origin group or carry this claim inside a copied passage.
    ``first_seen`` is None when no mention has a publication date.
    """

    id: str
    mentions: tuple[ClaimMention, ...]
    articles: tuple[str, ...]
    origins: tuple[tuple[str, ...], ...]
    sources: tuple[SourceRef, ...]
    first_seen: FirstSeen | None
    support: Support

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(sorted({m.language for m in self.mentions if m.language}))


class DisagreementKind(StrEnum):
    """What differs between two mentions that state (nearly) the same thing."""

    NUMBER = "number"  # 30 missiles vs 40 missiles
    DATE = "date"  # lundi vs mardi, 2 juillet vs 3 juillet, 2019 vs 2020
    QUANTITY = "quantity"  # des millions vs des centaines (de roquettes)
    NEGATION = "negation"  # a confirmé vs n'a pas confirmé


class DisagreementStatus(StrEnum):
    """A conflict (both can't be right at the same time: the claims are *disputed*), or
    an update (the two refer to different, ordered days: a value that changed)."""

    CONFLICT = "conflict"
    UPDATE = "update"


@dataclass(frozen=True, slots=True)
class Disagreement:
    """Two mentions of two claim groups that state the same proposition with values that
    differ in ``kind``: ``left`` is what ``a`` says, ``right`` what ``b`` says, each as
    written. ``a_value``/``b_value`` are the values' spans in each article's text (to
    highlight them); ``a_day``/``b_day`` the ISO day each mention refers to when it names
    one (an update is shown with both)."""

    kind: DisagreementKind
    a: ClaimMention
    b: ClaimMention
    left: str
    right: str
    group_a: str
    group_b: str
    status: DisagreementStatus = DisagreementStatus.CONFLICT
    a_value: TextSpan | None = None
    b_value: TextSpan | None = None
    a_day: str | None = None
    b_day: str | None = None

    @property
    def same_group(self) -> bool:
        return self.group_a == self.group_b

    @property
    def conflict(self) -> bool:
        return self.status is DisagreementStatus.CONFLICT


@dataclass(frozen=True, slots=True)
class UniqueContent:
    """Claims of one article found in no other article of the story: in no claim group
    with another article, and not inside a passage linked to another article."""

    doc_id: str
    mentions: tuple[ClaimMention, ...]


# ----- summaries ------------------------------------------------------------------------


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


# ----- one story ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoryFindings:
    """What the story's articles establish together. ``words``/``language`` are the
    summary options it was computed with."""

    story_id: int
    groups: tuple[ClaimGroup, ...]
    disagreements: tuple[Disagreement, ...]
    unique: tuple[UniqueContent, ...]
    summary: Summary
    words: int
    language: str | None

    def disputed(self) -> dict[str, tuple[Disagreement, ...]]:
        """Claim group id -> the conflicts that make it disputed."""
        return disputed(self.disagreements)


def disputed(disagreements: Sequence[Disagreement]) -> dict[str, tuple[Disagreement, ...]]:
    """Claim group id -> the conflicts that make it disputed: the two groups of every
    conflict, and the groups of an update that shares a value (same article, same span)
    with a conflict - "12 on Tuesday, 15 on Wednesday" is not a settled update while
    another report of Wednesday still says 12."""
    out: dict[str, list[Disagreement]] = {}
    in_conflict: dict[tuple[str, int, int], Disagreement] = {}
    for d in disagreements:
        if d.conflict:
            out.setdefault(d.group_a, []).append(d)
            out.setdefault(d.group_b, []).append(d)
            for occ in _occurrences(d):
                in_conflict.setdefault(occ, d)
    for d in disagreements:
        if d.conflict:
            continue
        shared = next((in_conflict[o] for o in _occurrences(d) if o in in_conflict), None)
        if shared is not None:
            out.setdefault(d.group_a, []).append(shared)
            out.setdefault(d.group_b, []).append(shared)
    return {g: tuple(dict.fromkeys(ds)) for g, ds in out.items()}


def _occurrences(d: Disagreement) -> list[tuple[str, int, int]]:
    return [(m.doc_id, v.start, v.end) for m, v in ((d.a, d.a_value), (d.b, d.b_value))
            if v is not None]  # fmt: skip
