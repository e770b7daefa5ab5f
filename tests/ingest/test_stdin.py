"""Standard input: ``cat file.jsonl | recoupe ingest -``."""

from __future__ import annotations

import dataclasses
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from recoupe.config import JsonFields
from recoupe.errors import InputError
from recoupe.ingest import iter_inputs
from recoupe.ingest.stdin import sniff
from recoupe.types import InputKind, RawDocument, Rejection

from .helpers import make_settings

REPO = Path(__file__).resolve().parents[2]
TEXT = ("The harbour authority said on Tuesday that the night ferry would not sail again "
        "before the inquiry ends, a spokesman told reporters in the port.")  # fmt: skip


@pytest.mark.parametrize(
    ("head", "fmt"),
    [
        (b'{"text": "a"}\n{"text": "b"}\n', "jsonl"),
        (b'{\n  "text": "a"\n}\n', "json"),
        (b'[{"text": "a"}]', "json"),
        (b"\xef\xbb\xbf<!DOCTYPE html><html>", "html"),
        (b"WARC/1.0\r\nWARC-Type: warcinfo", "warc"),
        (b"url,title,text\nhttp://a,b,c\n", "csv"),
        (b"title\ttext\nb\tc\n", "tsv"),
        (b"title;text\nb;c\n", "csv"),
        (b"Just some words, written plainly.\n", "text"),
    ],
)
def test_sniffing(head: bytes, fmt: str) -> None:
    assert sniff(head, JsonFields()) == fmt


def _items(data: bytes, fmt: str = "") -> list[RawDocument | Rejection]:
    settings = make_settings()
    ingest = dataclasses.replace(settings.ingest, stdin_format=fmt)
    settings = dataclasses.replace(settings, ingest=ingest)
    return list(iter_inputs(["-"], settings, io.BytesIO(data)))


def test_json_lines_on_stdin_are_named_by_their_content() -> None:
    data = "\n".join(json.dumps({"text": TEXT, "n": n}) for n in range(2)).encode()
    first, second = _items(data)
    assert isinstance(first, RawDocument) and isinstance(second, RawDocument)
    assert first.kind is InputKind.JSON
    assert first.origin.startswith("<stdin:") and first.origin.endswith("#1")
    assert second.origin == first.origin[:-1] + "2"
    assert _items(data)[0].origin == first.origin  # the same stream, the same names
    assert _items(data + b"\n")[0].origin != first.origin


def test_forced_format_and_empty_stdin() -> None:
    (doc,) = _items(b'{"text": "not parsed as JSON"}', "text")
    assert isinstance(doc, RawDocument) and doc.kind is InputKind.TEXT
    (rej,) = _items(b"")
    assert isinstance(rej, Rejection) and rej.reason == "empty"


def test_stdin_given_twice() -> None:
    with pytest.raises(InputError):
        list(iter_inputs(["-", "-"], make_settings(), io.BytesIO(b"")))


def test_piped_into_the_cli(tmp_path: Path) -> None:
    records = tmp_path / "feed.jsonl"
    record = {"text": TEXT, "source": "Harbor Post", "publish_date": "2025-09-16"}
    records.write_text(json.dumps(record) + "\n", encoding="utf-8")
    command = [sys.executable, "-m", "recoupe", "ingest", "-", "--db", str(tmp_path / "s.db"),
               "--json"]  # fmt: skip
    with records.open("rb") as stdin:
        done = subprocess.run(command, stdin=stdin, capture_output=True, text=True, timeout=120,
                              check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    first, summary = [json.loads(line) for line in done.stdout.splitlines()]
    assert (first["outcome"], first["outlet"], first["published"]) == (
        "accepted", "Harbor Post", "2025-09-16"
    )
    assert (summary["record"], summary["accepted"]) == ("summary", 1)
