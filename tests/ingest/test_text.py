"""Plain text and Markdown files."""

from __future__ import annotations

import codecs
import gzip
from pathlib import Path

from recoupe.types import InputKind

from .helpers import LATIN1_TEXT, collect, only_doc


def test_utf8_text_is_read_as_is(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Titre\n\nPremier paragraphe, accentué.\n", encoding="utf-8")
    doc = only_doc(collect([path]))
    assert doc.origin == str(path)
    assert doc.kind is InputKind.TEXT
    assert doc.is_html is False
    assert doc.content == "Titre\n\nPremier paragraphe, accentué.\n"


def test_bom_is_stripped_and_newlines_normalised(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(codecs.BOM_UTF8 + b"one\r\ntwo\rthree\n")
    assert only_doc(collect([path])).content == "one\ntwo\nthree\n"


def test_markdown_and_upper_case_extension(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# Title\n\nBody text.\n")
    (tmp_path / "B.TXT").write_text("Other body text.\n")
    docs = collect([tmp_path])
    assert [d.content for d in docs] == ["Other body text.\n", "# Title\n\nBody text.\n"]


def test_txt_containing_html_stays_text(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text("<html><body><p>Not guessed.</p></body></html>")
    doc = only_doc(collect([path]))
    assert doc.is_html is False
    assert doc.kind is InputKind.TEXT


def test_latin1_falls_back_to_detection(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes(LATIN1_TEXT.encode("latin-1"))
    assert only_doc(collect([path])).content == LATIN1_TEXT


def test_utf16_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "wide.txt"
    path.write_bytes("Ünïcode in UTF-16\r\n".encode("utf-16"))
    assert only_doc(collect([path])).content == "Ünïcode in UTF-16\n"


def test_mostly_utf8_keeps_utf8_with_a_replacement_character(tmp_path: Path) -> None:
    path = tmp_path / "stray.txt"
    path.write_bytes(("Le président a déclaré à l'économie.\n" * 3).encode() + b"\xff end\n")
    content = only_doc(collect([path])).content
    assert content.startswith("Le président a déclaré")
    assert content.endswith("\ufffd end\n")


def test_gzipped_text(tmp_path: Path) -> None:
    path = tmp_path / "a.txt.gz"
    path.write_bytes(gzip.compress(b"compressed body\n"))
    assert only_doc(collect([path])).content == "compressed body\n"
