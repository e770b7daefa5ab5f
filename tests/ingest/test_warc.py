"""WARC archives: HTML responses become documents, the rest is skipped or rejected."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from warcio.warcwriter import WARCWriter

from recoupe.types import InputKind, RawDocument

from .helpers import (
    ARTICLE_HTML,
    LATIN1_TEXT,
    build_warc,
    collect,
    http_response,
    make_settings,
    page_meta,
    reasons,
)

# warcinfo (1) and request (2) and metadata (6) are skipped silently
EXPECTED = [("doc", 3), ("unsupported-content-type", 4), ("http-404", 5), ("doc", 7)]


@pytest.mark.parametrize("gz", [True, False], ids=["gzip", "plain"])
def test_warc_records(tmp_path: Path, gz: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    path.write_bytes(build_warc(gzip=gz))
    items = collect([path])
    numbers = [int(item.origin.rsplit("#", 1)[1]) for item in items]
    assert list(zip(reasons(items), numbers, strict=True)) == EXPECTED
    first, last = items[0], items[3]
    assert isinstance(first, RawDocument) and isinstance(last, RawDocument)
    assert first.kind is InputKind.WARC and first.is_html
    assert first.content == ARTICLE_HTML
    assert first.meta.url == "https://news.example/a"
    assert first.meta.fetched and first.meta.fetched.endswith("Z")
    assert first.meta.title is None  # the page's own metadata is read by cleaning
    meta = page_meta(first)
    assert meta.url == "https://news.example/a"  # the crawled URL beats the canonical
    assert meta.fetched == first.meta.fetched
    assert meta.title == "Le budget adopté"
    assert meta.language == "fr"
    assert LATIN1_TEXT in last.content  # charset from the archived HTTP header


@pytest.mark.parametrize("gz", [True, False], ids=["gzip", "plain"])
@pytest.mark.parametrize("keep", [0.5, 0.9])
def test_truncated_warc_keeps_records_then_one_rejection(
    tmp_path: Path, gz: bool, keep: float
) -> None:
    data = build_warc(gzip=gz)
    path = tmp_path / "cut.warc"
    path.write_bytes(data[: int(len(data) * keep)])
    items = collect([path])
    assert reasons(items)[-1] == "malformed-warc"
    assert reasons(items).count("malformed-warc") == 1
    assert reasons(items)[:-1] == [r for r, _ in EXPECTED][: len(items) - 1]


def test_not_a_warc(tmp_path: Path) -> None:
    path = tmp_path / "fake.warc"
    path.write_text("this is not an archive\n")
    items = collect([path])
    assert reasons(items) == ["malformed-warc"]
    assert items[0].origin == f"{path}#1"


def test_record_over_the_limit_is_rejected_alone(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    http_response(writer, "https://news.example/big", b"<html>" + b"x" * 50_000 + b"</html>")
    http_response(writer, "https://news.example/small", ARTICLE_HTML.encode())
    path = tmp_path / "big.warc.gz"
    path.write_bytes(buffer.getvalue())
    assert reasons(collect([path], make_settings(max_bytes=10_000))) == ["too-large", "doc"]


@pytest.mark.parametrize("gz", [True, False], ids=["gzip", "plain"])
def test_any_cut_keeps_a_prefix_and_never_raises(tmp_path: Path, gz: bool) -> None:
    data = build_warc(gzip=gz)
    path = tmp_path / "cut.warc"
    expected = [r for r, _ in EXPECTED]
    for cut in range(1, len(data), 11):
        path.write_bytes(data[:cut])
        got = reasons(collect([path]))
        if got == ["empty"]:  # cut before the first response: nothing to keep
            assert b"WARC-Type: response" not in data[:cut] or gz, (cut, got)
            continue
        complete = got if "malformed-warc" not in got else got[:-1]
        assert complete == expected[: len(complete)], (cut, got)
        assert got.count("malformed-warc") <= 1
        if got[-1:] != ["malformed-warc"] and not gz:  # only a cut between records passes
            rest = data[cut:].lstrip(b"\r\n")
            assert not rest or rest.startswith(b"WARC/1.0"), (cut, got)


def test_archive_without_responses_is_reported(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    writer.write_record(writer.create_warcinfo_record("info.warc", {"software": "tests"}))
    path = tmp_path / "info.warc.gz"
    path.write_bytes(buffer.getvalue())
    assert reasons(collect([path])) == ["empty"]
