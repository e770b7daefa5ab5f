"""Main text of an HTML page (trafilatura), plus an audit of every block it left out.

Extraction is trafilatura's, with settings measured on ``bench/extraction.py``: precision
mode without reader comments. When that keeps a scrap of a long page, the balanced mode is
tried and kept if it finds at least twice as much. Two generic repairs follow: a leading
paragraph that repeats the title goes (it is metadata), and a body that the site cut into
several same-class containers (one per ad row) is put back together.

The page's metadata (title, author, site name, date, canonical URL, ``<html lang>``) is read
here too, from the same parsed tree: it fills only the blanks of what ingest passed on.

The audit is ours: the page is parsed once, cut into *blocks* (text of block-level
elements, nested blocks and ``<br>`` lines split out), and every block whose text is not in
the cleaned text becomes a ``RemovedLine`` whose reason comes from where it sat (``<nav>``,
a ``comments`` container, a ``figcaption``...), anchored where it stood.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from lxml import etree
from trafilatura import bare_extraction
from trafilatura.metadata import extract_metadata
from trafilatura.settings import Document as TrafilaturaDocument
from trafilatura.utils import load_html

from recoupe.clean.chars import normalize_text
from recoupe.clean.dates import date_in_url, parse_date
from recoupe.clean.outlets import outlet_from_value
from recoupe.clean.pagemeta import page_published
from recoupe.types import Cleaned, Metadata, RemovedLine

# Extraction settings, measured on bench/extraction.py (see the module docstring).
PRIMARY_OPTIONS: dict[str, Any] = {"include_comments": False, "favor_precision": True}
RESCUE_OPTIONS: dict[str, Any] = {"include_comments": False}
RESCUE_PAGE_SHARE = 0.2  # rescue when the extraction holds less than this share of the page
RESCUE_MIN_GAIN = 2.0  # ... and keep the rescue only when it is this much longer

# Finding a page block in the cleaned text: short blocks ("Share") only right after the
# previous kept block, long ones anywhere (extractors may reorder or trim a little).
MATCH_WINDOW = 60
LONG_BLOCK = 40
# Body chunks: same tag and class as the main container, under one of its first ancestors,
# with enough paragraph text.
SPLIT_BODY_DEPTH = 3
SPLIT_BODY_MIN_CHARS = 300
SPLIT_BODY_MIN_PARAGRAPHS = 2


def _tags(names: str) -> frozenset[str]:
    return frozenset(names.split())


# Page elements whose text is never content.
_SKIP = _tags("script style noscript template head svg math iframe object select input textarea")
# Elements that start a new block of text on the page.
_PAGE_BLOCKS = _tags(
    "html body p div li ul ol dl dt dd h1 h2 h3 h4 h5 h6 figcaption figure td th tr table thead "
    "tbody tfoot caption blockquote pre section article main header footer nav aside form "
    "fieldset legend address details summary center menu hr dialog hgroup"
)
# Elements of trafilatura's output tree that make a paragraph of the cleaned text.
_XML_BLOCKS = _tags("body p head list item quote code table row div")
_BREAKS = _tags("br")  # pages built with <br> have no other paragraph marks
_SPACED = _tags("br lb cell td th img wbr")  # inline, but a space apart from their neighbours

# Class / id words telling why a block is not body text (innermost container wins).
_WORD_REASONS = {
    word: reason
    for reason, words in {
        "caption": "caption figcaption",
        "photo-credit": "credit credits",
        "comment": "comment comments disqus respond replies",
        "advertisement": "ad ads advert adverts advertisement advertising sponsor sponsored "
        "dfp adsbygoogle adslot outbrain taboola",
        "share-buttons": "share sharing shares sharebar social addthis sharethis",
        "related-links": "related recommended recommendations readmore trending popular promo",
        "navigation": "nav navbar navigation menu breadcrumb breadcrumbs pagination",
        "header": "header masthead",
        "footer": "footer",
    }.items()
    for word in words.split()
}
_REASON_RANK = list(dict.fromkeys(_WORD_REASONS.values()))  # first listed wins on a tie
_REGIONS = frozenset(["header", "footer"])
_TAG_REASONS = {"figcaption": "caption", "nav": "navigation", "menu": "navigation"}
_ROLE_REASONS = {**dict.fromkeys(["navigation", "menubar", "menu"], "navigation"),
                 "banner": "header", "contentinfo": "footer"}  # fmt: skip
_INVISIBLE = str.maketrans("", "", "\ufeff\u200b")  # BOM, zero-width space
_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
_WORD_SPLIT = re.compile(r"[^a-z0-9]+")
_LANG = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*$")
OUTSIDE = "outside-main-content"


@dataclass(slots=True)
class _Block:
    """A run of page text in one block element; ``end`` is where it ends in the cleaned
    text when it was kept, -1 when it was left out."""

    element: Any
    text: str
    end: int = -1


def clean_html(html: str, meta: Metadata) -> Cleaned:
    """Main text of ``html`` (paragraphs separated by a blank line), the blocks left out,
    and ``meta`` with its blanks filled from the page. Never raises: a page that cannot be
    parsed gives an empty text, which the caller turns into a Rejection."""
    try:
        tree = _parse(html)
        if tree is None:
            return Cleaned(text="", removed=(), meta=meta)
        blocks = [_Block(el, text) for el, text in _runs(tree, _PAGE_BLOCKS, _SKIP, _BREAKS)]
        meta = _fill_meta(tree, meta)
        paragraphs = _extract(tree, meta.url, sum(len(b.text) for b in blocks))
        if paragraphs and meta.title and _is_headline(paragraphs[0], meta.title):
            del paragraphs[0]  # the headline belongs to the metadata, not the body
        _match("\n\n".join(paragraphs), blocks)
        restored = _restore_split_body(paragraphs, blocks)
        if restored != paragraphs:
            paragraphs = restored
            _match("\n\n".join(paragraphs), blocks)
        text = "\n\n".join(paragraphs)
        removed = _audit(text, blocks, meta.title)
    except Exception:  # a broken page must not stop a batch: empty text -> Rejection
        return Cleaned(text="", removed=(), meta=meta)
    return Cleaned(text=text, removed=removed, meta=meta)


def _parse(html: str) -> Any:
    """Parse with trafilatura's loader (same parser as its extractor); fragments are
    wrapped in a body, since the loader rejects a lone block as 'not HTML'."""
    if not html or not html.strip():
        return None
    tree = load_html(html)
    if tree is None:
        tree = load_html(f"<html><body>{html}</body></html>")
    return tree


def _extract(tree: Any, url: str | None, page_chars: int) -> list[str]:
    """Paragraphs of the main text: precision mode, rescued by the balanced mode when it
    kept little of the page."""
    paragraphs = _run_trafilatura(tree, url, PRIMARY_OPTIONS)
    size = sum(map(len, paragraphs))
    if size < RESCUE_PAGE_SHARE * page_chars:
        rescue = _run_trafilatura(tree, url, RESCUE_OPTIONS)
        if sum(map(len, rescue)) > RESCUE_MIN_GAIN * size:
            paragraphs = rescue
    return paragraphs


def _run_trafilatura(tree: Any, url: str | None, options: dict[str, Any]) -> list[str]:
    document = bare_extraction(tree, url=url, **options)  # copies the tree
    if not isinstance(document, TrafilaturaDocument) or document.body is None:
        return []
    return [text for _, text in _runs(document.body, _XML_BLOCKS, frozenset())]


def _runs(
    root: Any, blocks: frozenset[str], skip: frozenset[str], breaks: frozenset[str] = frozenset()
) -> Iterator[tuple[Any, str]]:
    """Yield ``(element, text)`` for each run of text in document order, where a run is
    the text sitting in a block element between its nested blocks (whitespace collapsed).

    Iterative walk: malformed pages can nest deeper than Python's recursion limit.
    """
    buffer: list[str] = []
    stack: list[Any] = [root]

    def flush() -> Iterator[tuple[Any, str]]:
        text = " ".join(normalize_text("".join(buffer).translate(_INVISIBLE)).split())
        buffer.clear()
        if text:
            yield stack[-1], text

    walker = etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        tag = element.tag if isinstance(element.tag, str) else None
        if event == "start":
            if tag is None or tag in skip:
                walker.skip_subtree()
                continue
            if tag in blocks and element is not root:
                yield from flush()
                stack.append(element)
            elif tag in breaks:
                yield from flush()
            elif tag in _SPACED:
                buffer.append(" ")
            buffer.append(element.text or "")
        else:
            if tag is not None and tag not in skip:
                if tag in blocks:
                    yield from flush()
                    if element is not root:
                        stack.pop()
                elif tag in _SPACED:
                    buffer.append(" ")
            if element is not root:
                buffer.append(element.tail or "")
    yield from flush()


def _reason_of(element: Any, memo: dict[Any, str], content: set[Any]) -> str:
    """Reason of the innermost telling container. Containers of kept text tell nothing
    (a page-wide wrapper called "site-navigation" is no menu); ``memo`` makes each element
    cost once."""
    chain = []
    node = element
    while node is not None and node not in memo:
        chain.append(node)
        node = node.getparent()
    reason = OUTSIDE if node is None else memo[node]
    for node in reversed(chain):
        own = _own_reason(node) if node not in content else None
        # "header" / "footer" name a region: a box heading inside comments stays a comment
        if own and (reason == OUTSIDE or own not in _REGIONS):
            reason = own
        memo[node] = reason
    return reason


def _own_reason(element: Any) -> str | None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in ("html", "body"):  # their classes describe the whole page
        return None
    if tag in _TAG_REASONS:
        return _TAG_REASONS[tag]
    role = (element.get("role") or "").strip().lower()
    if role in _ROLE_REASONS:
        return _ROLE_REASONS[role]
    if tag in ("header", "footer") and not any(
        a.tag in ("article", "main") for a in element.iterancestors()
    ):  # a page's header, not an article's (title, byline)
        return tag
    names = f"{element.get('class') or ''} {element.get('id') or ''}"
    return _names_reason(names) if names.strip() else None


@functools.lru_cache(maxsize=4096)
def _names_reason(names: str) -> str | None:
    """Reason told by class / id words ("site-footer", "shareButtons", "ad-slot")."""
    words = set(_WORD_SPLIT.split(_CAMEL.sub(r"\1 \2", names).lower()))
    found = {_WORD_REASONS[w] for w in words if w in _WORD_REASONS}
    return next((r for r in _REASON_RANK if r in found), None)


def _match(text: str, blocks: list[_Block]) -> None:
    """Set ``end`` of every page block found in ``text``, walking both in document order."""
    matcher = _Matcher(text)
    cursor = 0
    for block in blocks:
        block.end = matcher.find(block.text, cursor)
        cursor = max(cursor, block.end)


def _restore_split_body(paragraphs: list[str], blocks: list[_Block]) -> list[str]:
    """Paragraphs with the rest of a body split into several containers put back.

    Some sites cut the article into chunks (one ``<div class="article__body">`` between
    each ad row) and the extractor keeps only the first. Containers with the same tag and
    class as the one holding most kept paragraphs, close to it in the tree, are the rest of
    the same body: their paragraphs are restored in document order.
    """
    weights: dict[Any, int] = {}
    for block in blocks:
        if block.end >= 0 and block.element.tag == "p":
            parent = block.element.getparent()
            if parent is not None:
                weights[parent] = weights.get(parent, 0) + len(block.text)
    if not weights:
        return paragraphs
    main = max(weights, key=weights.__getitem__)
    label, lineage = main.get("class"), list(main.iterancestors())
    near, lineage_set = set(lineage[:SPLIT_BODY_DEPTH]), set(lineage)
    if not label or not near:
        return paragraphs
    twins = set()
    for el in main.getroottree().iter(main.tag):
        if el.get("class") == label and el is not main and el not in lineage_set:
            ancestors = set(el.iterancestors())
            if main not in ancestors and ancestors & near:
                twins.add(el)
    if not twins:
        return paragraphs
    starts = list(itertools.accumulate((len(p) + 2 for p in paragraphs), initial=0))
    after: dict[int, list[str]] = {}
    found: dict[Any, list[tuple[int, str]]] = {}  # paragraphs of each twin
    seen = set(paragraphs)
    place = -1  # index of the paragraph holding the last kept block
    for block in blocks:
        if block.end >= 0:
            place = bisect.bisect_right(starts, block.end - 1) - 1
        elif block.element.tag == "p" and block.text not in seen:
            twin = _twin_of(block.element, twins)
            if twin is not None:
                seen.add(block.text)
                found.setdefault(twin, []).append((place, block.text))
    for twin_blocks in found.values():
        if (
            len(twin_blocks) >= SPLIT_BODY_MIN_PARAGRAPHS
            and sum(len(text) for _, text in twin_blocks) >= SPLIT_BODY_MIN_CHARS
        ):
            for place, text in twin_blocks:
                after.setdefault(place, []).append(text)
    restored = after.get(-1, [])
    for index, paragraph in enumerate(paragraphs):
        restored.append(paragraph)
        restored.extend(after.get(index, []))
    return restored


def _twin_of(element: Any, twins: set[Any]) -> Any:
    """The twin ``element`` sits in, unless a telling container (an ad, a share bar)
    stands between them."""
    node = element
    while node is not None:
        if node in twins:
            return node
        if _own_reason(node):
            return None
        node = node.getparent()
    return None


def _audit(text: str, blocks: list[_Block], title: str | None) -> tuple[RemovedLine, ...]:
    """Blocks left out of ``text``, anchored at the next kept paragraph."""
    content: set[Any] = set()  # elements holding kept text: their names are not reasons
    for block in blocks:
        node = block.element if block.end >= 0 and len(block.text) >= LONG_BLOCK else None
        while node is not None and node not in content:
            content.add(node)
            node = node.getparent()
    starts = [0] + [m.end() for m in re.finditer("\n\n", text)] if text else []
    memo: dict[Any, str] = {}
    removed: list[RemovedLine] = []
    listed: set[str] = set()
    cursor = 0
    for number, block in enumerate(blocks, start=1):
        if block.end >= 0:
            cursor = max(cursor, block.end)
            continue
        if block.text in listed:
            continue
        listed.add(block.text)
        at = bisect.bisect_left(starts, cursor)
        anchor = starts[at] if at < len(starts) else len(text)
        reason = _reason_of(block.element, memo, content)
        if title and _is_headline(block.text, title):
            reason = "title"
        removed.append(RemovedLine(number, block.text, reason, anchor, reason == "caption"))
    return tuple(removed)


def _is_headline(text: str, title: str) -> bool:
    """The page headline: the title, or the title without its " - Site name" suffix."""
    return text == title or (len(text.split()) >= 4 and title.startswith(text))


class _Matcher:
    """Finds page blocks in the cleaned text, ignoring whitespace: the extractor and the
    page walk do not always agree on spaces between inline elements ("Omar Ilhan" vs
    "OmarIlhan") or table cells."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.index = [i for i, ch in enumerate(text) if not ch.isspace()]
        self.squeezed = "".join(text[i] for i in self.index)

    def find(self, block: str, cursor: int) -> int:
        """End offset (in the text) of ``block`` if it stands there, else -1.

        Short blocks ("Share", "Home") must follow the previous kept block closely; long ones
        may stand anywhere, and count as kept when the extractor trimmed them a little (their
        opening or closing words are there).
        """
        needle = "".join(block.split())
        start = bisect.bisect_left(self.index, cursor)
        end = self._find(needle, start, start + len(needle) + MATCH_WINDOW)
        if end < 0 and len(needle) >= LONG_BLOCK:
            end = self._find(needle, start, len(self.squeezed))
            if end < 0:
                end = self._find(needle, 0, start)
            if end < 0 and len(needle) >= 2 * LONG_BLOCK:
                end = max(
                    self._find(needle[:LONG_BLOCK], start, len(self.squeezed)),
                    self._find(needle[-LONG_BLOCK:], start, len(self.squeezed)),
                )
        return end

    def _find(self, needle: str, start: int, stop: int) -> int:
        """End offset in the text of the first word-bounded match within squeezed[start:stop]."""
        text, index = self.text, self.index
        at = self.squeezed.find(needle, start, stop)
        while at >= 0:
            first, last = index[at], index[at + len(needle) - 1] + 1
            if (first == 0 or not text[first - 1].isalnum()) and (
                last == len(text) or not text[last].isalnum()
            ):
                return last
            at = self.squeezed.find(needle, at + 1, stop)
        return -1


def _fill_meta(tree: Any, meta: Metadata) -> Metadata:
    """Blanks of ``meta`` filled from the page; values already known are never replaced.

    This is the only place the page's metadata is read (ingest passes on only what the
    transport knew: URL, fetch or archive date, a feed entry's title, author and date), and
    trafilatura's extractor runs at most once per page, on the tree parsed for cleaning.
    The publication time is the page's own statement, as precise as it is written
    (``recoupe.clean.pagemeta``); trafilatura's day (which may come from the URL) is the
    fallback.
    """
    if meta.language is None:
        declared = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
        match = _LANG.match((declared or "").strip())
        if match:
            meta = replace(meta, language=match.group(1).lower())
    if meta.published is None:
        stated = page_published(tree, meta.language)
        if stated is not None:
            meta = replace(meta, published=stated.value, published_precision=stated.precision,
                           published_source="page")  # fmt: skip
    if all((meta.title, meta.author, meta.outlet, meta.published, meta.url)):
        return meta
    try:  # extensive=False: dates from the markup or the URL, never guessed from the text
        found = extract_metadata(tree, default_url=meta.url, extensive=False)
    except Exception:  # metadata is a bonus: a page with odd metadata is still a page
        return meta
    outlet = meta.outlet or outlet_from_value(found.sitename)
    day = None if meta.published else parse_date(found.date)
    in_url = date_in_url(meta.url or found.url) if day else None
    day_source = "url" if day and in_url and in_url.day == day.day else "page"
    return replace(
        meta,
        url=meta.url or found.url,
        title=meta.title or (normalize_text(found.title) if found.title else None),
        author=meta.author or found.author,
        outlet=outlet,
        outlet_source=meta.outlet_source or ("page" if outlet and not meta.outlet else None),
        published=meta.published or (day.value if day else None),
        published_precision=meta.published_precision or (day.precision if day else None),
        published_source=meta.published_source or (day_source if day else None),
    )
