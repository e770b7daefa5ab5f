"""Cheap checks of an HTML page before the parser sees it, for the hostile cases that are
common and easy to recognise: so many elements that cleaning would take minutes and
gigabytes, or so many attributes on one element that libxml2 (which checks each new
attribute against all earlier ones) takes quadratic time: 5,000 attributes cost about
0.1 s, 100,000 about a minute.

Both checks are bounds first: a page with fewer ``<`` than the element limit cannot have
too many elements, and only a tag longer than the attribute limit can hold too many
attributes. An ordinary page costs a ``str.count`` and one regular-expression scan
(well under a millisecond for a 100 KB page, ~1 % of cleaning it); counting properly
happens only when a bound is crossed.

Nesting depth needs a real scan, so it is only checked after cleaning found no text:
libxml2 stops reading a page nested deeper than :data:`PARSER_MAX_DEPTH` levels, which
would otherwise be reported as a page without text.
"""

from __future__ import annotations

import re

PARSER_MAX_DEPTH = 255  # libxml2's HTML parser gives up past this nesting depth

# Content of these elements is text to the parser, not markup.
_RAW_TEXT = re.compile(
    r"<(script|style|textarea|title|xmp|noscript|template)\b[^>]*>.*?</\1\s*>|<!--.*?-->",
    re.S | re.I,
)
_START_TAG = re.compile(r"<[a-zA-Z]")
# A start tag whose attributes fill at least N characters (N = the attribute limit: each
# attribute takes at least two, a name and a space).
_LONG_TAG = "<[a-zA-Z][^>]{%d,}"
_ATTRIBUTE = re.compile(r"""[^\s"'=<>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?""")
_TOKEN = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)")
# Elements that are never open around others (void) or that the parser closes by itself
# when a sibling starts (optional end tags): they do not deepen the tree.
_FLAT = frozenset(
    ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
     "source", "track", "wbr", "keygen", "p", "li", "dt", "dd", "tr", "td", "th", "option",
     "optgroup", "thead", "tbody", "tfoot", "colgroup", "rt", "rp")
)  # fmt: skip


def _long_tags(html: str, at_least: int) -> list[re.Match[str]]:
    """Start tags (or what looks like one in a script) at least ``at_least`` long. A
    ``>`` inside a quoted value ends the match early: what this misses, the worker's
    budget still stops."""
    return list(re.finditer(_LONG_TAG % at_least, html))


def check_html(html: str, max_elements: int, max_attributes: int) -> str | None:
    """Why ``html`` is too complex to parse (one sentence), or None when it may be parsed."""
    if html.count("<") > max_elements:
        elements = len(_START_TAG.findall(_RAW_TEXT.sub("", html)))
        if elements > max_elements:
            return f"{elements} elements, more than the limit of {max_elements}"
    # A tag can only hold more attributes than it has whitespace-separated words.
    if any(len(m.group().split()) > max_attributes for m in _long_tags(html, 2 * max_attributes)):
        for match in _long_tags(_RAW_TEXT.sub("", html), 2 * max_attributes):
            attributes = len(_ATTRIBUTE.findall(match.group(), 1))
            if attributes > max_attributes:
                return (
                    f"an element with {attributes} attributes, more than the limit of "
                    f"{max_attributes}"
                )
    return None


def nesting_depth(html: str) -> int:
    """How deep the page nests elements, as the parser would see it (roughly: void
    elements and elements with optional end tags do not count)."""
    depth = deepest = 0
    for closing, name in _TOKEN.findall(_RAW_TEXT.sub("", html)):
        if name.lower() in _FLAT:
            continue
        if closing:
            depth = max(depth - 1, 0)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def too_deep(html: str) -> str | None:
    """Why the parser could not read all of ``html`` (nesting), or None."""
    if html.count("<") <= PARSER_MAX_DEPTH:
        return None
    depth = nesting_depth(html)
    if depth > PARSER_MAX_DEPTH:
        return (
            f"elements nested {depth} levels deep; the HTML parser stops reading past "
            f"{PARSER_MAX_DEPTH}"
        )
    return None
