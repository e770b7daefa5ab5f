"""The copies stage over a real SQLite store, with a cheap deterministic encoder."""

from __future__ import annotations

import json
from pathlib import Path

from recoupe import app
from recoupe.config import Settings
from recoupe.nlp.encoder import HashingEncoder
from recoupe.types import ReuseKind

WIRE = [
    "The harbour authority of Dunmore suspended all night ferries on Tuesday after two "
    "vessels collided near the northern breakwater.",
    "Eleven passengers were treated for minor injuries at the county hospital, the "
    "authority said in a statement released at noon.",
    "Investigators from the maritime safety board arrived in the afternoon and will "
    "question both crews on Wednesday morning.",
    "The company that operates the two ferries said it would cooperate fully with the "
    "inquiry and offered refunds to all travellers.",
]
OTHER = [
    "The city council of Brackwater approved a new budget for its public libraries on "
    "Monday evening after a long debate.",
    "Opening hours will be extended on Saturdays from next month, the mayor told "
    "reporters outside the town hall.",
    "Two branches that closed during the pandemic will reopen before the end of the "
    "year, according to the approved plan.",
]


def _write(folder: Path, name: str, date: str, paragraphs: list[str]) -> None:
    record = {"url": f"https://news.example/{name}", "date": date, "text": "\n\n".join(paragraphs)}
    (folder / name).write_text(json.dumps(record) + "\n", encoding="utf-8")


def _store(tmp_path: Path) -> Settings:
    folder = tmp_path / "in"
    folder.mkdir()
    _write(folder, "wire.jsonl", "2025-09-01", WIRE)
    _write(
        folder, "copy.jsonl", "2025-09-02", [*WIRE, "A local paragraph says the port stays open."]
    )
    _write(folder, "cut.jsonl", "2025-09-03", WIRE[1:3])
    _write(folder, "other.jsonl", "2025-09-01", OTHER)
    settings = Settings(db=tmp_path / "c.db", languages=("en",))
    with app.open_store(settings) as repo:
        report = app.ingest(repo, [str(folder)], settings)
        assert report.accepted == 4, report.rejections
    return settings


def test_copies_find_near_duplicates_links_and_origin_group(tmp_path: Path) -> None:
    settings = _store(tmp_path)
    with app.open_store(settings) as repo:
        report = app.find_copies(repo, encoder=HashingEncoder())
        ids = {
            r.origin.rsplit("/", 1)[-1].split(".")[0]: r.id for r in repo.documents.list_documents()
        }
        assert report.near_duplicates >= 1
        pairs = {(d.a, d.b) for d in repo.copies.near_duplicates()}
        assert tuple(sorted((ids["wire"], ids["copy"]))) in pairs
        (group,) = report.origin_groups
        assert set(group.members) == {ids["wire"], ids["copy"], ids["cut"]}
        assert group.root == ids["wire"]
        assert group.direction.startswith("earliest published")
        links = repo.copies.reuse_links(ids["wire"], ids["cut"])
        assert links and all(link.kind is ReuseKind.VERBATIM for link in links)
        assert not repo.copies.reuse_links(ids["other"])

        again = app.find_copies(repo, encoder=HashingEncoder())
        assert again.aligned_now == 0  # resumes: nothing left to do
        assert again.links == report.links


def test_reuse_between_orients_links_and_restore_forgets(tmp_path: Path) -> None:
    settings = _store(tmp_path)
    with app.open_store(settings) as repo:
        ids = {
            r.origin.rsplit("/", 1)[-1].split(".")[0]: r.id for r in repo.documents.list_documents()
        }
        doc_a, doc_b, links = app.reuse_between(repo, ids["cut"], ids["wire"], HashingEncoder())
        assert doc_a.id == ids["cut"]
        assert links
        for link in links:
            assert link.a.doc_id == doc_a.id
            assert doc_a.text[link.a.start : link.a.end] in doc_b.text
        repo.copies.forget_document(ids["cut"])
        assert not repo.copies.reuse_links(ids["cut"])
