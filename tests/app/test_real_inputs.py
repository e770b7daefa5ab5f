"""Real corpora through the whole ingest: CL-TLS outlets and folder dates, SemEval texts
as a Media Cloud CSV (read from ../shared at run time; nothing of them is stored here)."""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import pytest

from recoupe import app
from recoupe.config import IngestSettings, Settings
from recoupe.types import DocumentFilter

BENCH = Path(__file__).resolve().parents[2] / "bench"
_BAD_OUTLET = re.compile(r"[.!?…;](?:\s|$)|[{}]|,")


def _cltls(shared_dir: Path) -> Path:
    folder = shared_dir / "data" / "clustering" / "cl-tls"
    if not folder.is_dir():
        pytest.skip("CL-TLS not available")
    return folder


def _crisis_folders(folder: Path) -> list[str]:
    return sorted(str(p) for p in folder.glob("*/*") if p.is_dir() and p.name != "reference")


@pytest.mark.slow
def test_cltls_outlets_are_names_and_folder_dates_date_everything(
    shared_dir: Path, tmp_path: Path
) -> None:
    """Without sidecars no stored outlet is longer than 60 characters or holds a sentence
    end, a brace or a comma; with --meta-from-path every article has its folder's date."""
    folder = _cltls(shared_dir)
    ingest = IngestSettings(meta_from_path="{lang}/{topic}/{date}/{name}")
    settings = Settings(db=tmp_path / "cl.db", ingest=ingest)
    with app.open_store(settings) as store:
        report = app.ingest(store, _crisis_folders(folder), settings)
        rows = store.documents.list_documents(DocumentFilter())
        docs = [store.documents.get_document(r.id) for r in rows]
    assert report.accepted > 1500 and len(docs) == report.accepted
    for doc in docs:
        outlet = doc.meta.outlet
        assert outlet is None or (len(outlet) <= 60 and not _BAD_OUTLET.search(outlet)), outlet
        assert doc.meta.published == Path(doc.origin).parent.name, doc.origin
        assert doc.meta.published_source == "path"


@pytest.mark.slow
def test_semeval_texts_as_a_media_cloud_csv(shared_dir: Path, tmp_path: Path) -> None:
    """Every row stored with its date and outlet, or rejected as not an article."""
    source = shared_dir / "data" / "similarity" / "semeval2022_task8" / "training_set.csv"
    if not source.is_file():
        pytest.skip("SemEval data not available")
    sys.path.insert(0, str(BENCH))
    from metadata import semeval_texts, write_mediacloud_csv

    texts = dict(list(semeval_texts(source).items())[:300])
    table = tmp_path / "mc.csv"
    expected = write_mediacloud_csv(texts, table)
    with table.open(encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh))[:3] == ["id", "title", "text"]
    settings = Settings(db=tmp_path / "mc.db")
    with app.open_store(settings) as store:
        report = app.ingest(store, [str(table)], settings)
        rows = store.documents.list_documents(DocumentFilter())
        docs = [store.documents.get_document(r.id) for r in rows]
    assert report.total == len(texts)
    assert {r.reason for r in report.rejections} <= {"not-an-article"}
    row_of = {f"{table}#{k}": key for k, key in enumerate(texts, start=1)}
    for doc in docs:
        date, outlet = expected[row_of[doc.origin]]
        assert (doc.meta.published, doc.meta.outlet) == (date, outlet)
        assert doc.kind.value == "csv"
