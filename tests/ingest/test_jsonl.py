"""JSON and JSON Lines records."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from recoupe.config import IngestSettings, JsonFields, Settings
from recoupe.types import InputKind, RawDocument, Rejection

from .helpers import collect, make_settings, only_doc, reasons


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_jsonl_records_and_metadata(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "news.jsonl",
        [
            json.dumps(
                {
                    "headline": "Budget adopted",
                    "body": "Lawmakers adopted the budget.\r\nSecond line.",
                    "link": "https://news.example/budget",
                    "authors": ["Ann Lee", {"name": "Bo Chan"}],
                    "site_name": "News Example",
                    "datePublished": "2024-03-05T10:00:00Z",
                    "lang": "en-GB",
                }
            ),
            json.dumps({"raw_html": "<html><body><p>Some HTML</p></body></html>"}),
        ],
    )
    first, second = collect([path])
    assert isinstance(first, RawDocument) and isinstance(second, RawDocument)
    assert first.origin == f"{path}#1"
    assert first.kind is InputKind.JSON
    assert first.is_html is False
    assert first.content == "Lawmakers adopted the budget.\nSecond line."
    assert first.meta.title == "Budget adopted"
    assert first.meta.url == "https://news.example/budget"
    assert first.meta.author == "Ann Lee, Bo Chan"
    assert first.meta.outlet == "News Example"
    assert first.meta.published == "2024-03-05T10:00:00Z"
    assert first.meta.language == "en"
    assert second.origin == f"{path}#2"
    assert second.is_html is True


def test_first_present_non_empty_field_wins(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "a.jsonl",
        [
            json.dumps({"text": "  ", "body": "the body", "html": "<p>ignored</p>"}),
            json.dumps({"text": ["para one", "para two"]}),
            json.dumps({"text": "", "html": ""}),
        ],
    )
    items = collect([path])
    assert reasons(items) == ["doc", "doc", "empty"]
    assert isinstance(items[0], RawDocument) and items[0].content == "the body"
    assert isinstance(items[1], RawDocument) and items[1].content == "para one\n\npara two"


def test_custom_field_names(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "a.jsonl", [json.dumps({"corps": "texte", "titre": "T"})])
    fields = JsonFields(text=("corps",), title=("titre",))
    settings = Settings(ingest=IngestSettings(json_fields=fields))
    doc = only_doc(collect([path], settings))
    assert (doc.content, doc.meta.title) == ("texte", "T")


def test_bad_lines_cost_only_themselves(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "a.ndjson",
        [
            json.dumps({"text": "good one"}),
            '{"text": "no closing brace"',
            "",
            "[1, 2]",
            json.dumps({"title": "no body"}),
            json.dumps({"text": "good two"}),
        ],
    )
    items = collect([path])
    assert reasons(items) == ["doc", "malformed-json", "malformed-json", "no-text-field", "doc"]
    # origins are line numbers: the blank line 3 is skipped, not renumbered
    assert [i.origin.rsplit("#", 1)[1] for i in items] == ["1", "2", "4", "5", "6"]
    no_text = items[3]
    assert isinstance(no_text, Rejection)
    assert "articleBody" in no_text.detail and "raw_html" in no_text.detail


def test_invalid_utf8_line(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'{"text": "caf\xe9"}\n{"text": "ok"}\n')
    assert reasons(collect([path])) == ["undecodable", "doc"]


def test_line_over_the_limit(tmp_path: Path) -> None:
    long_line = json.dumps({"text": "x" * 5000})
    path = write_lines(tmp_path / "a.jsonl", [long_line, json.dumps({"text": "short"})])
    items = collect([path], make_settings(max_bytes=1000))
    assert reasons(items) == ["too-large", "doc"]
    assert items[1].origin.endswith("#2")


def test_gzipped_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"text": "one"}\n{"text": "two"}\n'))
    assert reasons(collect([path])) == ["doc", "doc"]


def test_truncated_gzipped_jsonl_keeps_what_was_read(tmp_path: Path) -> None:
    data = "".join(json.dumps({"text": f"record {n} " * 20}) + "\n" for n in range(2000))
    compressed = gzip.compress(data.encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(compressed[: len(compressed) // 2])
    items = collect([path])
    assert items[-1].reason == "malformed-gzip"  # type: ignore[union-attr]
    assert items[-1].origin == str(path)
    assert len(items) > 10 and set(reasons(items[:-1])) <= {"doc", "malformed-json"}


def test_json_object_and_list(tmp_path: Path) -> None:
    single = tmp_path / "one.json"
    single.write_text(json.dumps({"text": "alone", "title": "One"}))
    many = tmp_path / "many.json"
    many.write_text(json.dumps([{"text": "first"}, "not an object", {"html": "<p>x</p>"}]))
    doc = only_doc(collect([single]))
    assert doc.origin == str(single)
    items = collect([many])
    assert reasons(items) == ["doc", "malformed-json", "doc"]
    assert [i.origin for i in items] == [f"{many}#1", f"{many}#2", f"{many}#3"]


def test_json_that_is_really_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "lines.json"
    path.write_text('{"text": "one"}\n{"text": "two"}\n')
    items = collect([path])
    assert reasons(items) == ["doc", "doc"]
    assert items[1].origin == f"{path}#2"


def test_malformed_and_empty_json_files(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text('{"text": ')
    (tmp_path / "b.json").write_text("[]")
    (tmp_path / "c.jsonl").write_text("\n\n  \n")
    assert reasons(collect([tmp_path])) == ["malformed-json", "empty", "empty"]
