"""Records produced by attribution analysis.

Frozen slotted dataclasses like ``recoupe.types`` (the lead will move them there): stages
share them without copying and cannot mutate each other's output. Every offset is a
``[start, end)`` character offset into the *cleaned* text, so a viewer can highlight the
source, cue and content of a claim in place and later stages can compare contents.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class TextSpan:
    """A ``[start, end)`` span of the cleaned text."""

    start: int
    end: int

    def text_of(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass(frozen=True, slots=True)
class QuoteMarks:
    """A quoted stretch found by the scanner: ``span`` covers the marks themselves,
    ``inner`` what they enclose. ``closed`` is False for a quote that runs to the end of
    its paragraph (news style for multi-paragraph quotes, or a missing closing mark)."""

    span: TextSpan
    inner: TextSpan
    opener: str
    closed: bool
    depth: int = 0  # 0 for an outer quote, 1 for a quote inside a quote...


class SourceKind(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"
    ANONYMOUS = "anonymous"  # "un responsable américain", "officials who spoke on condition..."
    OTHER = "other"  # a description that is neither ("the report", "les experts")


@dataclass(frozen=True, slots=True)
class Source:
    """Who a content is attributed to.

    ``span`` is the source phrase as written; ``entities`` the canonical names of the named
    entities in it ("Ryder" resolved to "Pat Ryder" from a longer mention elsewhere in the
    document); ``description`` the head noun and its modifiers for an unnamed source
    ("responsable américain"), so two anonymous sources can be compared without a name.
    """

    span: TextSpan
    entities: tuple[str, ...]
    kind: SourceKind
    anonymous: bool = False
    description: str = ""

    @property
    def name(self) -> str:
        """A display name: the entities, else the description."""
        return " & ".join(self.entities) if self.entities else self.description


@dataclass(frozen=True, slots=True)
class Attribution:
    """One attribution relation: ``content`` is attributed to ``source`` through ``cue``.

    ``direct`` marks verbatim quotes. ``channel`` is whom the source spoke to ("told
    Reuters", "a déclaré à l'Associated Press"): the outlet that carried it, not the one
    who said it. ``via`` is the attribution that reports this one (content <- Y <- X in
    "a rapporté X, citant Y"): following ``via`` walks the chain outwards.
    ``first_report`` marks "reported first by X" / "rapportée pour la première fois par X".
    ``more`` holds further content segments of the same attribution: a quote continued
    after its cue ("“A,” she said. “B.”" is one attribution over A and B).
    """

    content: TextSpan
    source: Source | None
    cue: TextSpan | None
    direct: bool = False
    channel: Source | None = None
    via: Attribution | None = None
    first_report: bool = False
    more: tuple[TextSpan, ...] = ()

    def chain(self) -> tuple[Source, ...]:
        """Sources from the nearest to the farthest (speaker, then who reported them)."""
        out: list[Source] = []
        node: Attribution | None = self
        while node is not None:
            if node.source is not None:
                out.append(node.source)
            node = node.via
        return tuple(out)


@dataclass(frozen=True, slots=True)
class Claim:
    """A unit of content later stages count and compare: an attributed content, a quote,
    or a sentence the outlet states in its own voice (``attributions`` empty).

    ``sources`` keeps the exact source spans (nearest first, chains flattened), so a
    claim never loses who it was attributed to when it is compared across articles.
    """

    span: TextSpan
    attributions: tuple[Attribution, ...]
    sources: tuple[Source, ...]

    @property
    def own_voice(self) -> bool:
        return not self.attributions
