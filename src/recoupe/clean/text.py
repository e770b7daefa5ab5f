"""Boilerplate removal for input that is already text (scraped pages saved as .txt, JSON
records with a ``text`` field, the output of an extractor).

Each non-blank line is one unit. A line is removed when one of three kinds of evidence says
it is not article body:

* its **shape and position**: the header block above the first sentence (site name, title
  and its duplicates), tag lines, short labels between other junk lines;
* a **multilingual cue** (``cues.py``): teasers, share buttons, players, forms, ads...,
  always bounded by the line's length so a reported sentence that mentions a password or a
  video stays;
* **cross-document repetition**: the line occurs in other articles of the same outlet
  (``repeated`` maps ``line_key`` to how many), which catches any site's own footer without
  knowing its words.

Every removed line is returned with its reason; photo captions are returned flagged as
captions. Rules run until nothing changes (a fixed point), so cleaning the cleaned text
with the returned metadata removes nothing: cleaning is idempotent by construction.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from recoupe.clean import cues, header, walls
from recoupe.clean.chars import normalize_text
from recoupe.clean.dates import FoundDate, find_date, numeric_order
from recoupe.clean.outlets import outlet_of_line
from recoupe.types import Cleaned, Metadata, RemovedLine

HEADER_MAX_LINES = 30  # menus included, a page header is never longer than this
HEADER_MAX_WORDS = 30  # a line longer than this is running text, wherever it stands
TITLE_MIN_WORDS = 4  # shorter header lines are site names / section labels, not titles
SITE_NAME_MAX_WORDS = 5
LONG_SENTENCE_WORDS = 15  # lines this long are never removed on repetition evidence alone
CAPTION_MAX_WORDS = 60
SHORT_LABEL_WORDS = 8
BYLINE_MAX_WORDS = 12
SELF_PROMO_MAX_WORDS = 30
# Shape/statistics reasons that a reason from the line's place in the header overrides.
WEAK_REASONS = ("tag-line", "repeated-in-outlet")
DATELINE_MAX_WORDS = 16  # short non-sentence lines between two junk lines are junk too
DATED_HEADLINE_MAX_WORDS = 20
VIDEO_TITLE_MAX_WORDS = 12
TEASER_ENTRY_MAX_WORDS = 16

_SENTENCE_END = re.compile(r"[.!?…:;]$")
_CLOSERS = "\"'”»’)]*"
_TAG_FORBIDDEN = re.compile(r"[,.;:!?()\"«»“”…]|\d{3,}")
_PARTICLE_MAX_LEN = 3
_LIST_ITEM = re.compile(r"^(?:\d{1,2}[.)]|[•·▪►-])\s")  # "du", "de", "of", "the", "et"


@dataclass(frozen=True, slots=True)
class _Line:
    no: int  # 1-based line number in the input text
    text: str  # stripped


@dataclass(frozen=True, slots=True)
class _Context:
    """What a cleaning pass knows besides the lines themselves."""

    repeated: Mapping[str, int] = field(default_factory=dict)
    known_outlets: Collection[str] = ()
    language: str | None = None
    order: str | None = None  # how the page writes numeric dates ("dmy"/"mdy"), if it shows
    page: tuple[str, ...] = ()  # every line of the input, for the page naming itself
    memo: dict[tuple[str, str | None], str | None] = field(default_factory=dict)  # _label_line


def normalize_line(line: str) -> str:
    """The form under which two lines count as the same line: NFKC, case-folded, inner
    whitespace collapsed, decoration at both ends dropped."""
    folded = unicodedata.normalize("NFKC", line).casefold()
    folded = " ".join(folded.split())
    return folded.strip(" \t«»“”„\"'‘’‹›<>|•·*#-–—:.,;!?()[]")


def line_key(line: str) -> str:
    """A short stable hash of a normalised line, used for cross-document statistics (the
    line is Unicode-normalised first, as cleaning does: a soft hyphen changes nothing)."""
    key = normalize_line(normalize_text(line))
    return hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()


def line_keys(text: str) -> list[str]:
    """Distinct keys of the non-blank lines of ``text``, in order of first occurrence."""
    keys = dict.fromkeys(line_key(line) for line in text.splitlines() if line.strip())
    return list(keys)


def _words(line: str) -> int:
    return len(line.split())


def is_sentence(line: str) -> bool:
    """A line that reads as running text: ends like a sentence, or is long."""
    core = line.rstrip().rstrip(_CLOSERS).rstrip()
    return bool(_SENTENCE_END.search(core)) or _words(line) >= HEADER_MAX_WORDS


def _is_tag_line(line: str) -> bool:
    """'Russie Ukraine Guerre Corée du Nord': several capitalised words, no punctuation,
    particles and at most one in five other lowercase words. Reads as a list of labels,
    not a phrase."""
    tokens = line.split()
    if not 3 <= len(tokens) <= 12 or _TAG_FORBIDDEN.search(line):
        return False
    lower = [t for t in tokens if not t[0].isupper()]
    if not all(t.isalpha() for t in lower):
        return False
    particles = [t for t in lower if len(t) <= _PARTICLE_MAX_LEN]
    others = len(lower) - len(particles)
    return others <= len(tokens) // 5 and len(particles) <= len(tokens) // 2


def _cue_reason(line: str) -> str | None:
    words = _words(line)
    for cue in cues.LINE_CUES:
        if words <= cue.max_words and cue.pattern.search(line):
            return cue.reason
    return None


def _is_caption(line: str) -> bool:
    return _words(line) <= CAPTION_MAX_WORDS and bool(cues.CAPTION_CREDIT.search(line))


def _is_menu(line: str) -> bool:
    if not cues.MENU.match(line) or find_date(line):
        return False
    items = re.split(r"\s[|·•›>/]\s", line)
    return all(_words(item) <= cues.MENU_ITEM_MAX_WORDS for item in items)


def _header_block(lines: Sequence[_Line], junk: Mapping[int, str]) -> list[int]:
    """Indices of the leading lines above the first line of running text. Junk lines
    (already recognised by a cue) do not end the header, whatever their punctuation; nor
    does a headline that a date line follows (``_dated_headline``)."""
    block: list[int] = []
    for i, line in enumerate(lines[:HEADER_MAX_LINES]):
        running = i not in junk and (is_sentence(line.text) or _continues(lines, i))
        if running and not _dated_headline(lines, i):
            break
        block.append(i)
    return block


def _dated_headline(lines: Sequence[_Line], i: int) -> bool:
    """A short line at the top that ends like a sentence but stands where a headline
    does: right above a date line ("Palin appointee indicted." / "May 2, 2013"), or, when
    it ends with "?" or "!", right below one. A body sentence is not framed so."""
    text = lines[i].text
    if i >= header.TOP_LINES or _words(text) > DATED_HEADLINE_MAX_WORDS or _continues(lines, i):
        return False
    if i + 1 < len(lines) and header.date_shaped(lines[i + 1].text):
        return True
    return text.rstrip(_CLOSERS).endswith(("?", "!")) and i > 0 and header.date_shaped(
        lines[i - 1].text
    )


def _continues(lines: Sequence[_Line], i: int) -> bool:
    """A hard-wrapped sentence: the line ends with a comma, or the next input line follows
    it directly and starts in lowercase."""
    if lines[i].text.endswith((",", "-")):
        return True
    nxt = lines[i + 1] if i + 1 < len(lines) else None
    return nxt is not None and nxt.no == lines[i].no + 1 and nxt.text[:1].islower()


def _pick_title(
    lines: Sequence[_Line], block: Sequence[int], junk: Mapping[int, str], ctx: _Context
) -> int | None:
    """The headline among the header lines: a line the page repeats (titles often appear
    twice in scraped text), else the longest line that is not junk, a byline or a date
    line. A headline in Title Case reads like a tag line ("Red Sox Extend Offer To
    Teixeira"): such a line is the headline when no other line is."""
    candidates = [
        i
        for i in block
        if junk.get(i, "tag-line") == "tag-line"
        and _words(lines[i].text) >= TITLE_MIN_WORDS
        and not cues.BYLINE.match(lines[i].text)
        and not header.date_shaped(lines[i].text)
        and _reads_as_words(lines[i].text)
    ]
    if not candidates:
        return None
    keys = [normalize_line(lines[i].text) for i in block]
    repeated = [i for i in candidates if keys.count(normalize_line(lines[i].text)) > 1]
    if repeated:
        return repeated[0]
    plain = [i for i in candidates if i not in junk] or candidates
    longest = max(plain, key=lambda i: (_words(lines[i].text), -i))
    # A headline is followed by its standfirst, often longer: the line right above the
    # longest one (date lines between them aside), when it is a candidate too and adjacent
    # in the input, is the headline.
    before = longest - 1
    while before > 0 and header.date_shaped(lines[before].text):
        before -= 1
    if before in candidates and lines[before].no == lines[longest].no - (longest - before):
        return before
    return longest


_CODE = re.compile(r"[{}<>]|=\S|;\S|\b\w+\(\)")


def _reads_as_words(line: str) -> bool:
    """Not markup or code (a CSS rule, a script) but words: a headline reads."""
    letters = sum(ch.isalpha() or ch.isspace() for ch in line)
    return not _CODE.search(line) and letters >= 0.7 * len(line)


def _label_below_title(line: str, meta: Metadata) -> tuple[str | None, Metadata]:
    """The byline under the headline fills the metadata; other short labels there
    (section names, "Listen to this article") are page furniture (a date line among them
    is labelled by ``_label_dates``)."""
    byline = cues.BYLINE.match(line)
    if byline and _words(line) <= BYLINE_MAX_WORDS and find_date(line) is None:
        author = meta.author or byline.group(1).strip()
        return "byline", dataclasses.replace(meta, author=author)
    if _words(line) <= SHORT_LABEL_WORDS:
        return "page-header", meta
    return None, meta


def _site_name(
    lines: Sequence[_Line], i: int, meta: Metadata, ctx: _Context
) -> tuple[str, Metadata]:
    """The reason for the first short line above the headline, and the outlet it names
    when it is a known outlet, a masthead or a name the page repeats in its furniture
    (``recoupe.clean.outlets``): otherwise it is only page furniture."""
    text = lines[i].text
    if meta.outlet and normalize_line(text) == normalize_line(meta.outlet):
        return "site-name", meta
    others = [line for line in ctx.page if line.strip() != text]
    name = outlet_of_line(text, others, ctx.known_outlets)
    if name is None:
        return "page-header", meta
    if not meta.outlet:
        meta = dataclasses.replace(meta, outlet=name, outlet_source="masthead")
    return "site-name", meta


def _label_header(
    lines: Sequence[_Line],
    meta: Metadata,
    labels: dict[int, str],
    junk: Mapping[int, str],
    ctx: _Context,
) -> Metadata:
    """Site name, menus, title and its duplicates, byline in the header block. The title
    moves to the metadata (it is not lost) when the input did not give one; the first
    short line above the title names the outlet when none was given and it reads as one."""
    block = _header_block(lines, junk)
    if meta.title is None:
        first = _pick_title(lines, block, junk, ctx)
        if first is None:
            return meta
        meta = dataclasses.replace(meta, title=lines[first].text)
        labels[first] = "title"
    title_key = normalize_line(meta.title or "")
    matches = [i for i in block if normalize_line(lines[i].text) == title_key]
    if not matches:
        return meta
    for i in matches:
        labels.setdefault(i, "duplicate-title")
    above = [i for i in block if i < matches[0]]
    for rank, i in enumerate(above):
        short = _words(lines[i].text) <= SITE_NAME_MAX_WORDS
        # A site name is shaped like a tag line ("Nouvelles Du Monde"): its place says more.
        if rank == 0 and short and junk.get(i, "tag-line") in WEAK_REASONS:
            reason, meta = _site_name(lines, i, meta, ctx)
        else:
            reason = junk.get(i, "page-header")
        labels.setdefault(i, reason)
    for i in block:
        if i > matches[0] and i not in labels and junk.get(i, "tag-line") in WEAK_REASONS:
            below, meta = _label_below_title(lines[i].text, meta)
            if below:
                labels[i] = below
    return meta


# Labels a date line may replace: what the header rules call a line they cannot name.
_DATE_OVERRIDES = frozenset({"page-header", "tag-line", "repeated-in-outlet", "inside-junk-block"})


def _label_dates(
    lines: Sequence[_Line], meta: Metadata, labels: dict[int, str], junk: Mapping[int, str],
    ctx: _Context,
) -> Metadata:  # fmt: skip
    """Date lines at the top (header block and first lines) are labelled ``date``; the
    publication date is the first not written as an update time, else the dateline that
    opens the first paragraph (``recoupe.clean.header``)."""
    block = _header_block(lines, junk)
    top = sorted(set(block) | set(range(min(header.TOP_LINES, len(lines)))))
    title = next((i for i in block if labels.get(i) in ("title", "duplicate-title")), None)
    above: list[FoundDate] = []
    below: list[FoundDate] = []
    for i in top:
        if labels.get(i, junk.get(i, "page-header")) not in _DATE_OVERRIDES:
            continue
        if (date := header.date_line(lines[i].text, ctx.language, ctx.order)) is not None:
            labels[i] = "date"
            (above if title is not None and i < title else below).append(date)
        elif header.date_shaped(lines[i].text):
            labels[i] = "date"  # a date line whose date cannot be read (05/03/2013 in English)
    if not above and not below:
        first_body = next((i for i in range(len(lines)) if i not in labels and i not in junk),
                          None)  # fmt: skip
        if first_body is not None and first_body < header.TOP_LINES + len(block):
            date = header.dateline(lines[first_body].text, ctx.language, ctx.order)
            below = [date] if date else []
    chosen = header.pick(above, below)
    if chosen is None or meta.published:
        return meta
    return dataclasses.replace(meta, published=chosen.value, published_precision=chosen.precision,
                               published_source="dateline")  # fmt: skip


def _label_line(text: str, repeated: Mapping[str, int], outlet_key: str | None) -> str | None:
    """Context-free reason to remove one line, or None."""
    reason = _cue_reason(text)
    if reason:
        return reason
    if walls.is_notice_line(text):
        return "cookie-banner"
    if _is_menu(text):
        return "navigation"
    if _is_caption(text):
        return "caption"
    if _is_tag_line(text):
        return "tag-line"
    seen = repeated.get(line_key(text), 0)
    if seen and _repeats_like_boilerplate(text, seen, outlet_key):
        return "repeated-in-outlet"
    return None


def _repeats_like_boilerplate(text: str, seen: int, outlet_key: str | None) -> bool:
    """Repetition across an outlet's articles is evidence of a template line, but wire
    paragraphs repeat too: long sentences need more than repetition, unless they speak
    about the outlet itself ("X is funded by its readers", "X uses cookies")."""
    words = _words(text)
    if not is_sentence(text):
        return True
    if outlet_key and outlet_key in normalize_line(text) and words <= SELF_PROMO_MAX_WORDS:
        return True
    return seen >= 2 and words < LONG_SENTENCE_WORDS


def _label_context(lines: Sequence[_Line], labels: dict[int, str]) -> None:
    """Rules that look at neighbours, applied top-down so a list inherits its heading's
    reason: the short title after a video player/timestamp is the video's; the entries
    under a teaser heading ("Most read") are teasers; a short label between two junk lines
    belongs to the junk."""
    for i, line in enumerate(lines):
        if i in labels or is_sentence(line.text):
            continue
        words = _words(line.text)
        prev_reason = labels.get(i - 1)
        if prev_reason in ("media-timestamp", "video-player") and words <= VIDEO_TITLE_MAX_WORDS:
            labels[i] = "video-player"
        elif words <= TEASER_ENTRY_MAX_WORDS and (
            prev_reason == "teaser" or (prev_reason and _LIST_ITEM.match(line.text))
        ):
            labels[i] = "teaser"
        elif words <= SHORT_LABEL_WORDS and prev_reason and labels.get(i + 1):
            labels[i] = "inside-junk-block"


def _junk_of(text: str, outlet_key: str | None, ctx: _Context) -> str | None:
    """``_label_line`` of a line, computed once per cleaning (the passes of the fixed
    point see the same lines again)."""
    key = (text, outlet_key)
    if key not in ctx.memo:
        ctx.memo[key] = _label_line(text, ctx.repeated, outlet_key)
    return ctx.memo[key]


def _label_pass(
    lines: Sequence[_Line], meta: Metadata, ctx: _Context
) -> tuple[dict[int, str], Metadata]:
    outlet_key = normalize_line(meta.outlet) if meta.outlet else None
    junk = {
        i: r for i, line in enumerate(lines) if (r := _junk_of(line.text, outlet_key, ctx))
    }
    labels: dict[int, str] = {}
    meta = _label_header(lines, meta, labels, junk, ctx)
    meta = _label_dates(lines, meta, labels, junk, ctx)
    title_key = normalize_line(meta.title) if meta.title else None
    outlet_key = normalize_line(meta.outlet) if meta.outlet else None
    seen_keys: set[str] = set()
    for i, line in enumerate(lines):
        key = normalize_line(line.text)
        if i not in labels:
            if outlet_key and key == outlet_key and _words(line.text) <= SITE_NAME_MAX_WORDS:
                labels[i] = "site-name"
            elif key and key == title_key:
                labels[i] = "duplicate-title"
            elif key and key in seen_keys:
                labels[i] = "duplicate-line"
            elif i in junk:
                labels[i] = junk[i]
        seen_keys.add(key)
    _label_context(lines, labels)
    return labels, meta


def split_lines(text: str) -> list[_Line]:
    return [
        _Line(no, stripped)
        for no, raw in enumerate(text.splitlines(), start=1)
        if (stripped := " ".join(raw.split()))
    ]


def _assemble(kept: Sequence[_Line]) -> tuple[str, list[int]]:
    """Join kept lines: lines adjacent in the input stay in one paragraph (joined by a
    newline), others are separated by a blank line. Returns text and line start offsets."""
    parts: list[str] = []
    starts: list[int] = []
    pos = 0
    for j, line in enumerate(kept):
        if j:
            sep = "\n" if line.no == kept[j - 1].no + 1 else "\n\n"
            parts.append(sep)
            pos += len(sep)
        starts.append(pos)
        parts.append(line.text)
        pos += len(line.text)
    return "".join(parts), starts


def clean_text(
    text: str,
    meta: Metadata | None = None,
    repeated: Mapping[str, int] | None = None,
    keep: frozenset[int] = frozenset(),
    known_outlets: Collection[str] = (),
    language: str | None = None,
) -> Cleaned:
    """Remove boilerplate lines from ``text``.

    ``repeated`` maps ``line_key(line)`` to the number of *other* documents of the same
    outlet that contain the line. ``keep`` holds input line numbers a user restored: they
    are never removed. ``known_outlets`` are outlet names a header line may be recognised
    as; ``language`` (declared or detected) reads numeric dates that need it. Returns the
    cleaned body (Unicode-normalised, ``recoupe.clean.chars``), every removed line with
    its reason and its anchor in the cleaned text, and the metadata completed with title,
    outlet and publication date.
    """
    meta = meta or Metadata()
    text = normalize_text(text)
    lines = split_lines(text)
    page = tuple(line.text for line in lines)
    ctx = _Context(repeated or {}, known_outlets, language or meta.language,
                   numeric_order(list(page[:HEADER_MAX_LINES])), page)  # fmt: skip
    removed: list[tuple[_Line, str]] = []
    while True:
        labels, meta = _label_pass(lines, meta, ctx)
        labels = {i: r for i, r in labels.items() if lines[i].no not in keep}
        if not labels:
            break
        removed.extend((lines[i], r) for i, r in labels.items())
        lines = [line for i, line in enumerate(lines) if i not in labels]
    body, starts = _assemble(lines)
    kept_nos = [line.no for line in lines]
    audit = []
    for line, reason in sorted(removed, key=lambda item: item[0].no):
        nxt = next((j for j, no in enumerate(kept_nos) if no > line.no), None)
        anchor = starts[nxt] if nxt is not None else len(body)
        audit.append(RemovedLine(line.no, line.text, reason, anchor, reason == "caption"))
    return Cleaned(body, tuple(audit), meta)
