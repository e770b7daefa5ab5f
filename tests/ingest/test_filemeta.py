"""Metadata for files that carry none: sidecars, paths, folder defaults."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from recoupe.config import FolderDefaults, IngestSettings, Settings, load_settings
from recoupe.ingest import count_inputs
from recoupe.ingest.filemeta import path_values
from recoupe.types import RawDocument

from .helpers import collect, make_settings, reasons

TEXT = "The harbour authority said on Tuesday that the night ferry would not sail again.\n"


def _write(path: Path, text: str = TEXT) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_sidecar_gives_metadata_and_is_not_an_input(tmp_path: Path) -> None:
    _write(tmp_path / "a.txt")
    _write(tmp_path / "a.json", json.dumps({"title": "Ferry halted", "date": "2025-09-16",
                                            "source": "Harbor Post", "lang": "en"}))  # fmt: skip
    _write(tmp_path / "b.html", "<html><body><p>" + TEXT + "</p></body></html>")
    _write(tmp_path / "b.html.json", json.dumps({"outlet": "The Ledger"}))
    items = collect([tmp_path])
    assert reasons(items) == ["doc", "doc"]
    a, b = items
    assert isinstance(a, RawDocument) and isinstance(b, RawDocument)
    assert (a.meta.title, a.meta.published, a.meta.outlet, a.meta.language) == (
        "Ferry halted", "2025-09-16", "Harbor Post", "en"
    )
    assert (a.meta.published_source, a.meta.outlet_source) == ("sidecar", "sidecar")
    assert b.meta.outlet == "The Ledger"
    assert count_inputs([str(tmp_path)], make_settings()) == 2


def test_broken_sidecar_rejects_its_article(tmp_path: Path) -> None:
    _write(tmp_path / "a.txt")
    _write(tmp_path / "a.json", "[1, 2")
    (rej,) = collect([tmp_path / "a.txt"])
    assert reasons([rej]) == ["malformed-sidecar"]


def test_a_json_file_without_sibling_is_an_input(tmp_path: Path) -> None:
    _write(tmp_path / "feed.json", json.dumps({"text": TEXT}))
    assert reasons(collect([tmp_path])) == ["doc"]


def _with_pattern(pattern: str) -> Settings:
    return Settings(ingest=IngestSettings(meta_from_path=pattern))


def test_meta_from_path(tmp_path: Path) -> None:
    path = _write(tmp_path / "es" / "libya" / "2011-02-03" / "ext_1.txt")
    (doc,) = collect([tmp_path], _with_pattern("{lang}/{topic}/{date}/{name}"))
    assert isinstance(doc, RawDocument)
    assert (doc.meta.language, doc.meta.published, doc.meta.published_source) == (
        "es", "2011-02-03", "path"
    )
    assert path_values(path, "{outlet}/{year}/{month}/{day}/{*}") is None  # 5 parts needed
    other = _write(tmp_path / "lemonde" / "2011" / "02" / "03" / "a.txt")
    (doc,) = collect([other], _with_pattern("{outlet}/{year}/{month}/{day}/{name}.txt"))
    assert isinstance(doc, RawDocument)
    assert (doc.meta.outlet, doc.meta.published) == ("lemonde", "2011-02-03")


def test_path_that_does_not_match_gives_nothing(tmp_path: Path) -> None:
    _write(tmp_path / "reference" / "egypt.txt")
    (doc,) = collect([tmp_path], _with_pattern("{lang}/{topic}/{date}/{name}"))
    assert isinstance(doc, RawDocument) and doc.meta.published is None
    assert doc.meta.language is None  # not one of the configured languages


def test_folder_defaults_from_the_config_file(tmp_path: Path) -> None:
    _write(tmp_path / "corpus" / "ledger" / "2025-09-16" / "a.txt")
    _write(tmp_path / "corpus" / "ledger" / "b.txt")
    _write(tmp_path / "corpus" / "ledger" / "b.json", json.dumps({"source": "Sidecar Name"}))
    config = _write(tmp_path / "recoupe.toml", """
[[ingest.folders]]
path = "corpus/ledger"
outlet = "The Humber Ledger"
language = "en"
meta_from_path = "{date}/{name}"
""")
    settings = load_settings(config)
    assert settings.ingest.folders[0].path == str((tmp_path / "corpus" / "ledger").resolve())
    a, b = collect([tmp_path / "corpus"], settings)
    assert isinstance(a, RawDocument) and isinstance(b, RawDocument)
    assert (a.meta.outlet, a.meta.outlet_source, a.meta.published) == (
        "The Humber Ledger", "folder", "2025-09-16"
    )
    assert b.meta.outlet == "Sidecar Name"  # a sidecar beats the folder default


def test_folder_defaults_never_replace_a_record_field(tmp_path: Path) -> None:
    folder = tmp_path / "feeds"
    _write(folder / "a.jsonl", json.dumps({"text": TEXT, "source": "Record Outlet"}) + "\n"
           + json.dumps({"text": TEXT + "2"}) + "\n")  # fmt: skip
    settings = make_settings()
    folders = (FolderDefaults(path=str(folder), outlet="Folder"),)
    ingest = dataclasses.replace(settings.ingest, folders=folders)
    first, second = collect([folder], dataclasses.replace(settings, ingest=ingest))
    assert isinstance(first, RawDocument) and isinstance(second, RawDocument)
    assert (first.meta.outlet, second.meta.outlet) == ("Record Outlet", "Folder")
