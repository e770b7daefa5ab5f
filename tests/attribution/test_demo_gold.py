"""The demo corpus gold (examples/gold/speakers.tsv): every quote and listed attribution
gets its speaker, and no other stretch of the demo is taken for a quote."""

from __future__ import annotations

from pathlib import Path

import pytest

from recoupe import app
from recoupe.attribution import analyse, gold
from recoupe.config import Settings
from recoupe.pipeline.attribution import analysis_language
from recoupe.types import DocumentFilter

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def test_every_gold_speaker_is_right(tmp_path: Path) -> None:
    settings = Settings(db=tmp_path / "demo.db")
    with app.open_store(settings) as repo:
        app.ingest(repo, [str(ROOT / "examples" / "corpus")], settings)
        docs = [
            repo.documents.get_document(r.id)
            for r in repo.documents.list_documents(DocumentFilter())
        ]
    found = {}
    for doc in docs:
        lang = analysis_language(doc)
        assert lang is not None
        a = analyse(doc.text, lang)
        found[Path(doc.origin).name] = (doc.text, a.quotes, a.attributions)
    rows = gold.read_gold(ROOT / "examples" / "gold" / "speakers.tsv")
    assert len(rows) >= 80 and {r.file for r in rows} == set(found)
    checks, extra = gold.check(rows, found)
    wrong = [(c.row.file, c.row.text, c.row.speaker, c.speaker, c.via) for c in checks
             if not c.right]  # fmt: skip
    assert not wrong
    assert not extra


def test_gold_rows_are_well_formed() -> None:
    for row in gold.read_gold(ROOT / "examples" / "gold" / "speakers.tsv"):
        assert row.kind in ("quote", "attribution") and row.text and row.speaker
