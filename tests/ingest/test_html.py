"""HTML files: decoded and kept as HTML; the page's metadata is left to cleaning."""

from __future__ import annotations

import gzip
from pathlib import Path

from recoupe.ingest.html import declared_charset, decode_html, looks_like_html
from recoupe.types import InputKind, Metadata

from .helpers import (
    ARTICLE_HTML,
    LATIN1_TEXT,
    collect,
    make_settings,
    only_doc,
    page_meta,
    reasons,
)


def test_html_file_keeps_html_and_gets_metadata_when_cleaned(tmp_path: Path) -> None:
    path = tmp_path / "budget.html"
    path.write_text(ARTICLE_HTML, encoding="utf-8")
    doc = only_doc(collect([path]))
    assert doc.kind is InputKind.HTML
    assert doc.is_html is True
    assert doc.content == ARTICLE_HTML
    assert doc.meta == Metadata()  # reading is I/O only: a file knows nothing of the page
    meta = page_meta(doc)
    assert meta.title == "Le budget adopté"
    assert meta.author == "Jeanne Martin"
    assert meta.outlet == "La Gazette"
    assert meta.published == "2024-03-05T10:00:00+01:00"  # as precise as the page says
    assert (meta.published_precision, meta.published_source) == ("second", "page")
    assert meta.language == "fr"
    assert meta.url == "https://gazette.example/politique/budget.html"
    assert meta.fetched is None


def test_meta_charset_is_honoured(tmp_path: Path) -> None:
    head = '<meta charset="windows-1252"><title>Été</title>'
    html = f"<html><head>{head}</head><body><p>{LATIN1_TEXT}</p></body></html>"
    path = tmp_path / "latin.htm"
    path.write_bytes(html.encode("cp1252"))
    doc = only_doc(collect([path]))
    assert LATIN1_TEXT in doc.content
    assert page_meta(doc).title == "Été"


def test_decoding_order() -> None:
    body = '<meta http-equiv="Content-Type" content="text/html; charset=koi8-r"><p>привет</p>'
    assert declared_charset(body.encode()) == "koi8-r"
    assert "привет" in decode_html(body.encode("koi8-r"))
    # the HTTP header wins over <meta>
    assert "привет" in decode_html(body.encode("cp1251"), "windows-1251")
    # a BOM wins over both, and valid UTF-8 wins over a (wrong) single-byte label
    assert "привет" in decode_html(b"\xef\xbb\xbf" + body.encode(), "iso-8859-1")
    assert "привет" in decode_html(body.encode(), "iso-8859-1")


def test_gzipped_html(tmp_path: Path) -> None:
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(ARTICLE_HTML.encode()))
    doc = only_doc(collect([path]))
    assert doc.content == ARTICLE_HTML
    assert page_meta(doc).title == "Le budget adopté"


def test_gzip_bomb_is_capped_while_decompressing(tmp_path: Path) -> None:
    path = tmp_path / "bomb.html.gz"
    path.write_bytes(gzip.compress(b"<html>" + b" " * 1_000_000))
    assert path.stat().st_size < 10_000
    items = collect([path], make_settings(max_bytes=100_000))
    assert reasons(items) == ["too-large"]


def test_corrupt_gzip(tmp_path: Path) -> None:
    path = tmp_path / "cut.html.gz"
    path.write_bytes(gzip.compress(ARTICLE_HTML.encode() * 20)[:200])
    assert reasons(collect([path])) == ["malformed-gzip"]


def test_malformed_html_is_still_a_document(tmp_path: Path) -> None:
    path = tmp_path / "broken.html"
    path.write_text("<html><body><div><p>Unclosed <b>tags <<>> & stray</div></span>")
    doc = only_doc(collect([path]))
    assert doc.is_html is True
    assert doc.content.startswith("<html>")


def test_looks_like_html() -> None:
    assert looks_like_html(b"  <!DOCTYPE html><html>")
    assert looks_like_html(b"\xef\xbb\xbf<HTML lang=en>")
    assert not looks_like_html(b"Hello <html>")
    assert not looks_like_html(b"<?xml version='1.0'?><rss/>")
