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

Nesting depth would need a real scan of every page (a few milliseconds each), so it is
left to the parser: libxml2 stops reading a page nested deeper than 255 levels, silently
for its caller. :func:`watch_parser` listens to libxml2's messages while a page is cleaned
and reports such a stop: cleaning only part of a page would store a cut article as if it
were whole.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from lxml import etree

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


class _Watch(etree.PyErrorLog):  # type: ignore[misc]
    """lxml's log of libxml2 messages for this thread, keeping the first resource-limit
    error (depth, huge text node) while armed. Cheap: libxml2 sends it only the messages
    no parser-local log took, a handful per hundred pages."""

    def __init__(self) -> None:
        super().__init__()
        self.armed = False
        self.stopped: str | None = None

    def receive(self, entry: Any) -> None:
        if self.armed and self.stopped is None and entry.type_name == "ERR_RESOURCE_LIMIT":
            self.stopped = str(entry.message)


_local = threading.local()


@contextmanager
def watch_parser() -> Iterator[_Watch]:
    """While the block runs, ``watch.stopped`` becomes why libxml2 stopped reading a page
    (None if it never did). Installs this thread's lxml message log on first use."""
    watch: _Watch | None = getattr(_local, "watch", None)
    if watch is None:
        watch = _local.watch = _Watch()
        etree.use_global_python_log(watch)
    watch.armed, watch.stopped = True, None
    try:
        yield watch
    finally:
        watch.armed = False
