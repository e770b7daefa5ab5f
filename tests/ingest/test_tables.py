"""CSV and TSV exports: one article per row, columns named by the header."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

from recoupe.types import InputKind, RawDocument, Rejection

from .helpers import collect, make_settings, reasons

BODY = ("The harbour authority said on Tuesday that the night ferry would not sail again "
        "before the inquiry ends.\nThe company has 14 days to answer.")  # fmt: skip


def write_csv(path: Path, rows: list[list[str]], delimiter: str = ",", encoding: str = "utf-8"
              ) -> Path:  # fmt: skip
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    return path


def docs(items: list[RawDocument | Rejection]) -> list[RawDocument]:
    return [i for i in items if isinstance(i, RawDocument)]


def test_common_hand_off_with_quoted_multiline_text(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "articles.csv", [
        ["url", "title", "text", "date", "source"],
        ["https://harbor.example/ferry", 'Ferry "halted", again', BODY, "2025-09-16",
         "Harbor Post"],
    ])  # fmt: skip
    (doc,) = collect([path])
    assert isinstance(doc, RawDocument)
    assert doc.kind is InputKind.CSV and doc.origin == f"{path}#1"
    assert doc.content == BODY
    m = doc.meta
    assert (m.url, m.title, m.published, m.outlet) == (
        "https://harbor.example/ferry", 'Ferry "halted", again', "2025-09-16", "Harbor Post"
    )
    assert (m.published_source, m.outlet_source) == ("metadata", "metadata")


def test_media_cloud_columns(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "mc.csv", [
        ["id", "indexed_date", "language", "media_name", "media_url", "publish_date", "title",
         "url", "text"],
        ["1", "2025-09-17 00:00:00", "en", "Harbor Post", "https://harbor.example/",
         "2025-09-16 10:00:00", "Ferry halted", "https://harbor.example/a", BODY],
    ])  # fmt: skip
    (doc,) = docs(collect([path]))
    assert (doc.meta.outlet, doc.meta.published, doc.meta.language) == (
        "Harbor Post", "2025-09-16 10:00:00", "en"
    )


def test_event_registry_and_gdelt_columns(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "er.csv", [
        ["uri", "lang", "dateTimePub", "url", "title", "body", "source.title"],
        ["8123", "eng", "2025-09-16T08:00:00Z", "https://x.example/a", "Ferry", BODY,
         "Harbor Post"],
    ])  # fmt: skip
    (doc,) = docs(collect([path]))
    assert (doc.meta.outlet, doc.meta.language, doc.meta.published) == (
        "Harbor Post", "en", "2025-09-16T08:00:00Z"
    )
    gkg = write_csv(tmp_path / "gkg.tsv", [
        ["GKGRECORDID", "DATE", "SourceCommonName", "DocumentIdentifier"],
        ["20250916-1", "20250916080000", "harbor.example", "https://harbor.example/a"],
    ], delimiter="\t")  # fmt: skip
    (rej,) = collect([gkg])
    assert isinstance(rej, Rejection) and rej.reason == "no-text-field"
    assert "https://harbor.example/a" in rej.detail  # the row is a link: say so


def test_gdelt_times_are_utc(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "events.csv", [
        ["GLOBALEVENTID", "DATEADDED", "SOURCEURL", "text"],
        ["1", "20250916080000", "https://x.example/a", BODY],
    ])  # fmt: skip
    (doc,) = docs(collect([path]))
    assert doc.meta.published == "20250916080000Z"  # parsed as UTC by the pipeline


def test_semicolons_case_and_legacy_encoding(tmp_path: Path) -> None:
    text = "Le conseil municipal a voté lundi la fermeture du marché, a déclaré la maire."
    rows = [["Titre", "TEXT", "Date"], ["Marché", text, "05/03/2025"]]
    path = write_csv(tmp_path / "export.csv", rows, delimiter=";", encoding="cp1252")
    (doc,) = docs(collect([path]))
    assert doc.content == text
    assert doc.meta.published == "05/03/2025"


def test_gzipped_tsv(tmp_path: Path) -> None:
    path = tmp_path / "a.tsv.gz"
    path.write_bytes(gzip.compress(f"title\ttext\nFerry\t{BODY.replace(chr(10), ' ')}\n".encode()))
    (doc,) = docs(collect([path]))
    assert doc.meta.title == "Ferry"


def test_bad_rows_cost_only_themselves(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    one_line = BODY.replace("\n", " ")
    path.write_text(f"title,text\nA,{one_line}\nB,x,extra\n\nC,\n", encoding="utf-8")
    items = collect([path])
    assert isinstance(items[0], RawDocument)
    assert reasons(items[1:]) == ["malformed-csv", "no-text-field"]
    assert [i.origin.rsplit("#", 1)[1] for i in items] == ["1", "2", "3"]


def test_empty_and_header_only_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    header = tmp_path / "header.csv"
    header.write_text("url,title,text\n", encoding="utf-8")
    twice = tmp_path / "twice.csv"
    twice.write_text("text,TEXT\na,b\n", encoding="utf-8")
    assert reasons(collect([empty, header, twice])) == ["empty", "empty", "malformed-csv"]


def test_huge_field_is_too_large(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text("title,text\nA," + "x" * 300_000 + "\nB,fine text here\n", encoding="utf-8")
    items = collect([path], make_settings(max_bytes=200_000))
    assert reasons(items)[:1] == ["too-large"]
