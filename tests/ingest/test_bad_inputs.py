"""A corpus of bad inputs: each yields exactly the expected item and nothing raises."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.warcwriter import WARCWriter

from recoupe.ingest import REASONS, iter_inputs
from recoupe.types import RawDocument, Rejection

from .helpers import ARTICLE_HTML, LATIN1_TEXT, collect, http_response, make_settings, reasons

REPO = Path(__file__).resolve().parents[2]


def truncated_warc() -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    http_response(writer, "https://news.example/1", ARTICLE_HTML.encode())
    http_response(writer, "https://news.example/2", ARTICLE_HTML.encode() * 5)
    data = buffer.getvalue()
    return data[: len(data) - 300]


CORPUS: dict[str, tuple[bytes, list[str]]] = {
    "01-empty.txt": (b"", ["empty"]),
    "02-blank.txt": (b"  \n\t\r\n ", ["empty"]),
    "03-binary.txt": (b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 4, ["binary"]),
    "04-controls.html": (bytes(range(1, 9)) * 100 + b"<html>", ["binary"]),
    "05-latin1.txt": (LATIN1_TEXT.encode("latin-1"), ["doc"]),
    "06-invalid-bytes.txt": (bytes(range(0x80, 0x100)) * 3, ["undecodable"]),
    "07-too-large.txt": (b"word " * 400, ["too-large"]),
    "08-malformed.html": (b"<html><body><p>Unclosed <div><<>> </span>&nbsp", ["doc"]),
    "09-lines.jsonl": (
        b'{"text": "ok"}\n{"text": \n\n{"title": "x"}\n{"text": "ok too"}\n',
        ["doc", "malformed-json", "no-text-field", "doc"],
    ),
    "10-broken.json": (b'{"text": "unterminated', ["malformed-json"]),
    "11-truncated.warc.gz": (truncated_warc(), ["doc", "malformed-warc"]),
    "12-not-gzip.html.gz": (ARTICLE_HTML.encode(), ["doc"]),  # mislabelled: read as is
    "13-cut.txt.gz": (gzip.compress(b"text " * 1000)[:40], ["malformed-gzip"]),
    "14-image.png": (b"\x89PNG\r\n\x1a\n", ["unsupported-type"]),
    "15-empty.warc": (b"", ["empty"]),
    "16-empty.jsonl": (b"", ["empty"]),
}


def test_bad_input_corpus(tmp_path: Path) -> None:
    for name, (data, _) in CORPUS.items():
        (tmp_path / name).write_bytes(data)
    items = collect([tmp_path], make_settings(max_bytes=1500))
    by_file: dict[str, list[str]] = {}
    for item, reason in zip(items, reasons(items), strict=True):
        name = Path(item.origin.split("#")[0]).name
        by_file.setdefault(name, []).append(reason)
        if isinstance(item, Rejection):
            assert item.detail, item  # every rejection says why
    assert by_file == {name: expected for name, (_, expected) in CORPUS.items()}


def test_every_reason_code_is_documented() -> None:
    doc = (REPO / "docs" / "inputs.md").read_text(encoding="utf-8")
    missing = [code for code in REASONS if f"`{code}`" not in doc]
    assert not missing


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.binary(max_size=600) | st.text(max_size=300).map(str.encode),
    suffix=st.sampled_from([".txt", ".html", ".json", ".jsonl", ".warc", ".warc.gz", ".gz", ""]),
    gz=st.booleans(),
)
def test_arbitrary_bytes_never_raise(tmp_path: Path, data: bytes, suffix: str, gz: bool) -> None:
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(gzip.compress(data) if gz else data)
    items = list(iter_inputs([str(path)], make_settings(max_bytes=2000)))
    assert items
    for item in items:
        assert isinstance(item, (RawDocument, Rejection))
        if isinstance(item, Rejection):
            assert item.reason in REASONS or item.reason.startswith("http-")


def test_json_values_of_any_shape_never_raise(tmp_path: Path) -> None:
    odd = [None, 1, "s", [], {}, {"text": 5}, {"text": None}, {"text": {"a": 1}},
           {"text": "ok", "author": [None, 3, {"name": None}]}, {"html": ["<p>", 1]}]  # fmt: skip
    path = tmp_path / "odd.jsonl"
    path.write_text("\n".join(json.dumps(value) for value in odd))
    items = collect([path])
    assert len(items) == len(odd)
    assert reasons(items).count("doc") == 1
