"""The bundled demo corpus ingests cleanly: every article accepted with its metadata and
none of its planted web junk left in the body."""

from __future__ import annotations

from pathlib import Path

import pytest

from recoupe import app
from recoupe.config import Settings
from recoupe.types import DocumentFilter

CORPUS = Path(__file__).resolve().parents[2] / "examples" / "corpus"
FRENCH_OUTLETS = {"Le Courrier du Littoral", "L'Écho des Quais", "Sud Horizon"}
JUNK_LINES = {
    "facebook", "twitter", "whatsapp", "advertisement", "publicité", "leave a comment",
    "laisser un commentaire", "most read", "share", "partager", "menu", "subscribe",
}  # fmt: skip


@pytest.fixture(scope="module")
def corpus_docs(tmp_path_factory: pytest.TempPathFactory) -> list:  # type: ignore[type-arg]
    db = tmp_path_factory.mktemp("examples") / "demo.db"
    settings = Settings(db=db)
    with app.open_store(settings) as repo:
        report = app.ingest(repo, [str(CORPUS)], settings)
        assert (report.accepted, report.rejected) == (13, 0)
        rows = repo.documents.list_documents(DocumentFilter())
        return [repo.documents.get_document(r.id) for r in rows]


def test_every_article_has_title_outlet_date_language(corpus_docs: list) -> None:  # type: ignore[type-arg]
    for doc in corpus_docs:
        assert doc.meta.title and doc.meta.outlet, doc.origin
        assert doc.meta.published and doc.meta.published.startswith("2025-"), doc.origin
        expected = "fr" if doc.meta.outlet in FRENCH_OUTLETS else "en"
        assert doc.language == expected, doc.origin


def test_no_planted_junk_left(corpus_docs: list) -> None:  # type: ignore[type-arg]
    for doc in corpus_docs:
        lines = {line.strip().casefold() for line in doc.text.splitlines()}
        assert not lines & JUNK_LINES, doc.origin
        assert "cookies" not in doc.text.casefold(), doc.origin
        assert len(doc.sentences) >= 5, doc.origin


def test_text_articles_keep_their_dateline_paragraph(corpus_docs: list) -> None:  # type: ignore[type-arg]
    texts = [d for d in corpus_docs if d.kind.value == "text"]
    assert len(texts) == 8
    for doc in texts:
        assert not doc.text.startswith(doc.meta.title or "\0")
        assert doc.removed, doc.origin


@pytest.mark.slow
def test_wire_copies_form_one_origin_group(tmp_path: Path) -> None:
    """examples/README.md: the BPA wire (A01) is copied by A03, A04 and A05 (a French
    translation); same-story articles written independently (A06, A07) are not copies."""
    settings = Settings(db=tmp_path / "demo.db")
    with app.open_store(settings) as repo:
        app.ingest(repo, [str(CORPUS)], settings)
        report = app.find_copies(repo)
        origin = {r.id: r.origin.rsplit("/", 1)[-1] for r in repo.documents.list_documents()}
    (group,) = report.origin_groups
    assert sorted(origin[m] for m in group.members) == [
        "bpa_wire-feed.jsonl#1",
        "courrier-littoral_dunkerque-incendie.txt",
        "harbourside-times_dunkirk-battery-fire.txt",
        "humber-ledger_dunkirk-battery-fire.html",
    ]


def _ground_truth() -> dict[str, tuple[str, str]]:
    """examples/README.md, Files table: file name (or name#line) -> (outlet, date)."""
    import re

    out = {}
    readme = (CORPUS.parent / "README.md").read_text(encoding="utf-8")
    for line in readme.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 8 and re.fullmatch(r"A\d\d", cells[0]):
            name = re.sub(r"`|\s*\(line \d+\)", "", cells[1]).strip()
            out[name] = (cells[3], cells[5].split(" ")[0])
    return out


def test_every_date_and_outlet_as_the_ground_truth_lists(corpus_docs: list) -> None:  # type: ignore[type-arg]
    from datetime import datetime

    truth = _ground_truth()
    assert len(truth) == 13
    for doc in corpus_docs:
        outlet, date = truth[Path(doc.origin).name]
        assert doc.meta.outlet == outlet, doc.origin
        if "T" in date:  # an instant: the same one, however precisely written
            assert datetime.fromisoformat(doc.meta.published) == datetime.fromisoformat(date)
        else:
            assert doc.meta.published[:10] == date, doc.origin
        assert doc.meta.published_source in ("metadata", "page", "dateline"), doc.origin
        assert doc.meta.outlet_source in ("metadata", "page", "masthead"), doc.origin
