"""Records of corroboration: claim mentions in, claim groups and findings out.

Frozen, slotted dataclasses like ``recoupe.types`` (they can move there when the store
persists them). Offsets are ``[start, end)`` into each article's cleaned text
(``Document.text``), so every record can be highlighted in place and cited exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from recoupe.types import Source, SourceKind, Span, TextSpan


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
