"""Real data with the real encoder: the seed pair is one story; the demo corpus comes out
as examples/README.md says (S1, S2, S3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from recoupe.clean.text import clean_text
from recoupe.cluster.features import ArticleInput, build_features
from recoupe.cluster.online import cluster_stream
from recoupe.cluster.stories import group_topics, story_records
from recoupe.config import Settings
from recoupe.ingest import iter_inputs
from recoupe.nlp.encoder import shared_usem3
from recoupe.nlp.sentences import split_sentences
from recoupe.pipeline.documents import build_documents
from recoupe.types import Document, Metadata, RawDocument

CORPUS = Path(__file__).resolve().parents[2] / "examples" / "corpus"
STORIES = {
    "S1": {"bpa_wire-feed.jsonl#1", "harbourside-times_dunkirk-battery-fire.txt",
           "humber-ledger_dunkirk-battery-fire.html", "courrier-littoral_dunkerque-incendie.txt",
           "echo-des-quais_valtera-bilan.html", "northgate-daily_dunkirk-flare-up.txt"},
    "S2": {"bpa_wire-feed.jsonl#2", "northgate-daily_liege-paint-factory.txt",
           "courrier-littoral_liege-incendie.txt", "echo-des-quais_herstal-incendie.html"},
    "S3": {"sud-horizon_secheresse-crise.txt", "sud-horizon_derogation-vergers.txt",
           "harbourside-times_pyrenees-drought.txt"},
}  # fmt: skip


def _name(origin: str) -> str:
    return origin.rsplit("/", 1)[-1]


def _article(doc: Document) -> ArticleInput:
    return ArticleInput(
        doc.id, doc.text, doc.meta.title, doc.language, doc.meta.published, doc.meta.outlet
    )


@pytest.mark.slow
def test_examples_corpus_stories_come_out_as_written() -> None:
    settings = Settings()
    raws = [r for r in iter_inputs([str(CORPUS)], settings) if isinstance(r, RawDocument)]
    docs = build_documents(raws, settings, lambda _: False, lambda _o, _k: {}).documents
    assert len(docs) == 13
    docs.sort(key=lambda d: ((d.meta.published or "")[:10], d.origin))
    c = cluster_stream(build_features([_article(d) for d in docs], shared_usem3()))
    got = {}
    for record in story_records(c):
        got[record.id] = {_name(d.origin) for d in docs if d.id in record.members}
    stories = sorted(map(sorted, got.values()))
    assert stories == sorted(sorted(STORIES[name]) for name in ("S1", "S2", "S3"))
    topics = group_topics(c)
    s3 = next(sid for sid, names in got.items() if names == STORIES["S3"])  # the drought
    assert topics[s3] not in {topics[sid] for sid in got if sid != s3}
    s1 = next(r for r in story_records(c) if len(r.members) == 6)
    assert s1.languages == ("en", "fr") and s1.first == "2025-09-16"
    s3_record = next(r for r in story_records(c) if r.id == s3)
    assert s3_record.languages == ("en", "fr")  # A13 joins the French articles


@pytest.mark.slow
def test_the_two_seed_articles_are_one_story(seeds_dir: Path) -> None:
    articles = []
    for path in sorted(seeds_dir.glob("*.txt")):
        cleaned = clean_text(path.read_text(encoding="utf-8"), Metadata(), {})
        assert split_sentences(cleaned.text, "fr")
        articles.append(ArticleInput(path.stem, cleaned.text, cleaned.meta.title, "fr"))
    assert len(articles) == 2
    c = cluster_stream(build_features(articles, shared_usem3()))
    assert c.story_of[articles[0].id] == c.story_of[articles[1].id]
    assert "country:KP" in story_records(c)[0].entities
