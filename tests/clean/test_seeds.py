"""The two real seed articles (read from ../shared/seeds, never copied here): every
boilerplate line the issue lists is removed with a reason, and no body paragraph is lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from recoupe.clean.text import clean_text, split_lines

# input line number -> expected reason, per seed file prefix
EXPECTED = {
    "000_": {
        1: "site-name",
        3: "title",
        5: "duplicate-title",
        11: "tag-line",
        13: "caption",
        25: "teaser",
        39: "teaser",
        53: "teaser",
        62: "form",
        64: "navigation",
        66: "navigation",
        68: "share-buttons",
        69: "share-buttons",
        70: "share-buttons",
        71: "share-buttons",
        73: "comment-widget",
        75: "comment-widget",
        77: "advertisement",
    },
    "003_": {
        7: "live-teaser",
        21: "video-player",
        27: "media-timestamp",
        29: "video-player",
    },
}


def _seed(seeds_dir: Path, prefix: str) -> Path:
    matches = sorted(seeds_dir.glob(f"{prefix}*.txt"))
    assert matches, f"seed {prefix}* missing"
    return matches[0]


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_seed_boilerplate_removed_with_reasons(seeds_dir: Path, prefix: str) -> None:
    text = _seed(seeds_dir, prefix).read_text(encoding="utf-8")
    cleaned = clean_text(text)
    got = {r.line_no: r.reason for r in cleaned.removed}
    assert got == EXPECTED[prefix]


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_seed_no_body_paragraph_lost(seeds_dir: Path, prefix: str) -> None:
    text = _seed(seeds_dir, prefix).read_text(encoding="utf-8")
    cleaned = clean_text(text)
    body = [line for line in split_lines(text) if line.no not in EXPECTED[prefix]]
    paragraphs = cleaned.text.split("\n\n")
    assert paragraphs == [line.text for line in body]


def test_seed_000_metadata_and_caption(seeds_dir: Path) -> None:
    text = _seed(seeds_dir, "000_").read_text(encoding="utf-8")
    cleaned = clean_text(text)
    lines = {line.no: line.text for line in split_lines(text)}
    assert cleaned.meta.title == lines[3]
    assert cleaned.meta.outlet == lines[1]
    assert [c.line_no for c in cleaned.removed if c.is_caption] == [13]


def test_seed_cleaning_is_idempotent(seeds_dir: Path) -> None:
    for prefix in EXPECTED:
        first = clean_text(_seed(seeds_dir, prefix).read_text(encoding="utf-8"))
        again = clean_text(first.text, first.meta)
        assert again.text == first.text
        assert again.removed == ()
