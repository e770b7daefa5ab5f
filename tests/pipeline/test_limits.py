"""Checks before the HTML parser (bombs refused, ordinary pages and scripts that look like
tags let through) and after it (a page the parser stopped reading)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from recoupe.clean.html import clean_html
from recoupe.ingest.html import decode_html
from recoupe.pipeline.limits import check_html, watch_parser
from recoupe.types import Metadata

PAGE = "<html><head><title>T</title></head><body>{}<p>Some article text here.</p></body></html>"


def test_attribute_bomb_is_refused() -> None:
    attrs = " ".join(f'a{i}="x"' for i in range(5_000))
    why = check_html(PAGE.format(f"<div {attrs}>hi</div>"), 200_000, 1_000)
    assert why is not None and "attributes" in why


def test_many_attributes_under_the_limit_pass() -> None:
    attrs = " ".join(f'a{i}="x"' for i in range(900))
    assert check_html(PAGE.format(f"<div {attrs}>hi</div>"), 200_000, 1_000) is None


def test_script_text_that_looks_like_a_long_tag_is_not_counted() -> None:
    script = "<script>for(i=0;i<n;i++){" + " x=1;" * 5_000 + "}</script>"
    assert check_html(PAGE.format(script), 200_000, 1_000) is None


def test_element_bomb_is_refused_but_script_text_is_not_counted() -> None:
    assert "elements" in (check_html(PAGE.format("<b>x</b>" * 3_000), 2_000, 1_000) or "")
    script = "<script>" + "if(a<b){}" * 3_000 + "</script>"
    assert check_html(PAGE.format(script), 2_000, 1_000) is None


def test_a_page_nested_past_the_parser_limit_is_seen() -> None:
    text = "The harbour reopened on Monday after the fire. " * 5
    deep = PAGE.format(f"<p>{text}</p>" + "<div>" * 1_000 + "lost" + "</div>" * 1_000)
    with watch_parser() as parser:
        cleaned = clean_html(deep, Metadata())
    assert text.strip() in cleaned.text  # the part before the nesting was read...
    assert parser.stopped is not None and "depth" in parser.stopped  # ...and no further
    with watch_parser() as parser:
        clean_html(PAGE.format(f"<p>{text}</p>"), Metadata())
    assert parser.stopped is None


@pytest.mark.slow
def test_real_pages_pass(shared_dir: Path) -> None:
    """None of the 181 real pages of the extraction benchmark is refused by the defaults
    or stops the parser."""
    pages = sorted((shared_dir / "data" / "extraction" / "scrapinghub" / "html").glob("*.gz"))
    assert len(pages) > 100
    for path in pages:
        html = decode_html(gzip.decompress(path.read_bytes()))
        assert check_html(html, 200_000, 1_000) is None, path.name
        with watch_parser() as parser:
            clean_html(html, Metadata())
        assert parser.stopped is None, path.name
