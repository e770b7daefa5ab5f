"""The findings overview stored beside each story's findings (schema v7): what a story
list shows without reading every story's findings, equal to ``findings_overview`` of
the stored findings, and filled for stores written before it existed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from recoupe.store.sqlite import SQLiteStore
from recoupe.types import (
    ClaimGroup,
    ClaimMention,
    Disagreement,
    DisagreementKind,
    FirstSeen,
    StoryFindings,
    Summary,
    SummarySentence,
    Support,
    TextSpan,
    findings_overview,
)


def _findings(story_id: int) -> StoryFindings:
    """Four articles: a and b copies of one origin for claim g1, c independent; d carries
    only a lone claim; g1 and g2 disagree on a number."""
    def m(doc: str, start: int = 0) -> ClaimMention:
        return ClaimMention(doc, TextSpan(start, start + 10), "twelve hurt", "en")

    g1 = ClaimGroup("g1", (m("a"), m("b"), m("c")), ("a", "b", "c"), (("a", "b"), ("c",)), (),
                    FirstSeen("a", "2025-09-01", None), Support(3, 2, 3, 1, 0))  # fmt: skip
    g2 = ClaimGroup("g2", (m("d", 20),), ("d",), (("d",),), (), None, Support(1, 1, 1, 1, 0))
    dis = Disagreement(DisagreementKind.NUMBER, m("a"), m("d", 20), "12", "15", "g1", "g2")
    lead = SummarySentence("Twelve people were hurt.", "a", TextSpan(0, 24), "en", (), 2, 1.0)
    return StoryFindings(story_id, (g1, g2), (dis,), (), Summary((lead,), 4, "en"), 100, None)


def test_overview_counts_origins_claims_disputes_and_lead() -> None:
    o = findings_overview(_findings(7))
    assert (o.story_id, o.articles, o.origins, o.claims, o.disputed, o.lead) == (
        7, 4, 3, 1, 2, "Twelve people were hurt.")


def test_store_reads_overviews_in_one_call(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "s.db") as store:
        for sid in (1, 2):
            store.findings.put(sid, "d", _findings(sid))
        got = store.findings.overviews([2, 1, 3, 2])
        assert set(got) == {1, 2}
        assert got[1] == findings_overview(_findings(1))


def test_a_version_6_store_gets_its_overviews(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with SQLiteStore(path) as store:
        store.findings.put(5, "d", _findings(5))
    conn = sqlite3.connect(path, isolation_level=None)
    for col in ("claimed_articles", "origins", "claims", "disputed", "lead"):
        conn.execute(f"ALTER TABLE findings DROP COLUMN {col}")
    for col in ("published_precision", "published_source", "outlet_source"):  # version 8
        conn.execute(f"ALTER TABLE documents DROP COLUMN {col}")
    conn.execute("UPDATE meta SET value = '6' WHERE key = 'schema_version'")
    conn.close()
    with SQLiteStore(path) as store:
        assert store.findings.overviews([5]) == {5: findings_overview(_findings(5))}
        assert store.findings.get(5) == _findings(5)
