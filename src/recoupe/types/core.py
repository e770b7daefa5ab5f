"""Typed records of the core: inputs, documents, copies, attribution, stories.

Every record is a frozen, slotted dataclass so stages can share them freely (no stage can
mutate another's output) and an executor can ship them to workers. Character offsets always
point into ``Document.text`` (the cleaned text), never into the raw input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class InputKind(StrEnum):
    """Where a document came from; kept so a user can see how it was read."""

    TEXT = "text"
    HTML = "html"
    JSON = "json"
    CSV = "csv"
    WARC = "warc"
    URL = "url"
    FEED = "feed"


@dataclass(frozen=True, slots=True)
class Metadata:
    """What is known about an article besides its text. Every field is optional: inputs
    rarely carry all of them, and a guess is worse than a blank."""

    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    author: str | None = None
    published: str | None = None  # ISO 8601 date or datetime, as precise as the input
    fetched: str | None = None  # ISO 8601 datetime (UTC) when we downloaded it
    language: str | None = None  # language declared by the input (not detected)
    # How far ``published`` can be trusted: "day", "minute" or "second" (a time carries
    # its UTC offset when the input named a zone), and where it was read (DATE_SOURCES).
    published_precision: str | None = None
    published_source: str | None = None
    outlet_source: str | None = None  # where ``outlet`` was read (OUTLET_SOURCES)


#: Where a publication date can come from: the input's own fields (JSON/CSV record, feed
#: entry), a sidecar file, the path (``--meta-from-path``), the page's markup (HTML meta
#: tags, JSON-LD), the URL, a date line or dateline of the text.
DATE_SOURCES = ("metadata", "sidecar", "path", "page", "url", "dateline")
#: Where an outlet name can come from: the same, plus a folder default, the URL's host and
#: a masthead line of the text (see ``recoupe.clean.outlets``).
OUTLET_SOURCES = ("metadata", "sidecar", "path", "folder", "page", "host", "masthead")


@dataclass(frozen=True, slots=True)
class RawDocument:
    """What a reader produces: decoded content not cleaned yet, plus metadata.

    ``origin`` names the input precisely enough to find it again: a path, ``path#N`` for
    the N-th record of a JSON Lines / WARC file, or a URL.
    """

    origin: str
    kind: InputKind
    content: str
    is_html: bool
    meta: Metadata = field(default_factory=Metadata)


@dataclass(frozen=True, slots=True)
class Rejection:
    """An input that could not become a Document, with why. Stored and counted, never
    silently dropped. ``reason`` is a short stable code (see docs/inputs.md), ``detail``
    a human sentence."""

    origin: str
    reason: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class RemovedLine:
    """A line (or HTML block) taken out of the body, kept so a user can audit and restore it.

    ``anchor`` is the offset in the cleaned text where the line stood, so a viewer can show
    it greyed in place. ``is_caption`` marks photo captions: not body, but content.
    """

    line_no: int
    text: str
    reason: str
    anchor: int
    is_caption: bool = False


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence as a ``[start, end)`` span of the cleaned text."""

    start: int
    end: int

    def text_of(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass(frozen=True, slots=True)
class Cleaned:
    """Output of cleaning: body text (paragraphs separated by a blank line), what was
    removed, and metadata possibly completed from the text (title, outlet)."""

    text: str
    removed: tuple[RemovedLine, ...]
    meta: Metadata


@dataclass(frozen=True, slots=True)
class Document:
    """A cleaned, analysed article.

    ``content_hash`` is the SHA-256 of the normalised raw content: re-ingesting the same
    content is recognised and adds nothing. ``id`` is its first 16 hex digits.
    """

    id: str
    content_hash: str
    origin: str
    kind: InputKind
    meta: Metadata
    raw: str
    is_html: bool
    text: str
    removed: tuple[RemovedLine, ...]
    language: str | None
    sentences: tuple[Sentence, ...]

    @property
    def captions(self) -> tuple[RemovedLine, ...]:
        return tuple(r for r in self.removed if r.is_caption)


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    """One row of an article listing: enough to choose, not the whole text."""

    id: str
    origin: str
    kind: InputKind
    title: str | None
    outlet: str | None
    published: str | None
    language: str | None
    n_chars: int
    n_removed: int
    ingested: str


class ReuseKind(StrEnum):
    """How a passage of one article relates to a passage of another."""

    VERBATIM = "verbatim"  # same words (after normalisation)
    NEAR = "near"  # same words with small edits
    PARAPHRASE = "paraphrase"  # same content, other words, same language (re-translation)
    TRANSLATION = "translation"  # same content, other language


@dataclass(frozen=True, slots=True)
class Span:
    """A ``[start, end)`` span of one document's cleaned text."""

    doc_id: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class ReuseLink:
    """Two passages that carry the same content. ``score`` is in [0, 1]."""

    a: Span
    b: Span
    kind: ReuseKind
    score: float


@dataclass(frozen=True, slots=True)
class NearDuplicate:
    """Two whole articles that are (near) copies; ``jaccard`` is the shingle Jaccard
    estimate (1.0 for an exact duplicate)."""

    a: str
    b: str
    jaccard: float
    exact: bool = False


@dataclass(frozen=True, slots=True)
class OriginGroup:
    """Articles that are copies of one source: a claim they carry counts once.

    ``root`` is the article we believe the others copied (earliest published, or a superset
    of the others), or None when the evidence cannot tell; ``direction`` explains which.
    """

    id: str
    members: tuple[str, ...]
    root: str | None
    direction: str


# ----- attribution (quotes, attributed contents, claims) -----------------------------


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


@dataclass(frozen=True, slots=True)
class Analysis:
    """The attribution analysis of one article. ``quotes``: one direct attribution per
    quote (content = inside the marks); ``attributions``: quotes and indirect attributions
    merged (one per cue); ``claims``: content units with their sources."""

    quotes: tuple[Attribution, ...]
    attributions: tuple[Attribution, ...]
    claims: tuple[Claim, ...]


# ----- stories ----------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Story:
    """One real-world event followed over time. ``members`` are article ids in arrival
    order; ``first``/``last`` are ISO days; ``entities`` the most frequent canonical entity
    keys of its articles."""

    id: int
    title: str
    members: tuple[str, ...]
    first: str | None
    last: str | None
    languages: tuple[str, ...]
    outlets: tuple[str, ...]
    entities: tuple[str, ...]
    topic: int | None = None  # id of the topic the story belongs to, once topics are grouped


@dataclass(frozen=True, slots=True)
class Entity:
    """A canonical entity as seen in one article or one story: ``key`` is language-free
    (``country:KP``, ``place:<geonameid>``, ``name:pat ryder``), ``surface`` the form
    written most often, ``count`` how many mentions carried it, ``articles`` (stories
    only) how many articles mention it."""

    key: str
    label: str
    surface: str
    count: int
    articles: int = 0  # for a story: how many of its articles mention it
