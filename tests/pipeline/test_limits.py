"""Checks before the HTML parser: bombs refused, ordinary pages (and scripts that look like
tags) let through, deep nesting explained."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from recoupe.ingest.html import decode_html
from recoupe.pipeline.limits import PARSER_MAX_DEPTH, check_html, nesting_depth, too_deep

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


def test_nesting_depth() -> None:
    assert nesting_depth("<div><p>a<p>b<div><br><img src=x></div></div>") == 2
    deep = PAGE.format("<div>" * 1_000 + "text" + "</div>" * 1_000)
    assert nesting_depth(deep) > PARSER_MAX_DEPTH
    assert too_deep(deep) is not None
    assert too_deep(PAGE.format("<div>" * 50 + "text" + "</div>" * 50)) is None


@pytest.mark.slow
def test_real_pages_pass(shared_dir: Path) -> None:
    """None of the 181 real pages of the extraction benchmark is refused by the defaults
    or looks too deep."""
    pages = sorted((shared_dir / "data" / "extraction" / "scrapinghub" / "html").glob("*.gz"))
    assert len(pages) > 100
    for path in pages:
        html = decode_html(gzip.decompress(path.read_bytes()))
        assert check_html(html, 200_000, 1_000) is None, path.name
        assert too_deep(html) is None, path.name
