from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from recoupe.corroborate import build_group
from recoupe.nlp.encoder import HashingEncoder
from recoupe.summarize import Article, CitationKind, Summary, summarize, update_summary
from recoupe.types import ClaimMention, OriginGroup, ReuseKind, ReuseLink, Span, TextSpan

from .helpers import DRONES, MISSILES, RYDER, SANCTIONS, SHELLS, WORKERS, article


def _check(summary: Summary, articles: list[Article], words: int) -> None:
    """The invariants every summary keeps."""
    texts = {a.doc_id: a.text for a in articles}
    assert summary.words == sum(len(s.text.split()) for s in summary.sentences) <= words
    assert len({s.text for s in summary.sentences}) == len(summary.sentences)
    for s in summary.sentences:
        assert texts[s.doc_id][s.span.start : s.span.end] == s.text
        source = s.citations[0]
        assert source.kind is CitationKind.SOURCE
        assert source.span == Span(s.doc_id, s.span.start, s.span.end)
        assert len({c.doc_id for c in s.citations}) == len(s.citations)
        for c in s.citations:
            assert 0 <= c.start < c.end <= len(texts[c.doc_id])
            if c.kind in (CitationKind.SOURCE, CitationKind.EXACT):
                assert texts[c.doc_id][c.start : c.end] == s.text
        assert 1 <= s.origins <= len(s.citations)


def _story() -> list[Article]:
    return [
        article("a", SHELLS, RYDER, DRONES, title="Obus nord-coréens"),
        article("b", WORKERS, SHELLS, SANCTIONS),
        article("c", SHELLS, SANCTIONS, MISSILES),
        article("d", DRONES, SHELLS, WORKERS),
    ]


def test_supported_sentences_are_chosen_and_cite_every_carrier() -> None:
    arts = _story()
    summary = summarize(arts, words=30)
    _check(summary, arts, 30)
    assert summary.language == "fr" and not summary.update
    first = summary.sentences[0]
    assert first.text == SHELLS  # carried by all four articles
    assert [c.doc_id for c in first.citations] == ["a", "b", "c", "d"]
    assert [c.kind for c in first.citations[1:]] == [CitationKind.EXACT] * 3
    assert first.origins == 4


def test_headlines_and_fragments_are_never_summary_text() -> None:
    arts = _story()
    summary = summarize(arts, words=200)
    _check(summary, arts, 200)
    assert "Obus nord-coréens" not in summary.text
    # Room for all, but only what two or more origins carry is summary material; the
    # rest (Ryder, missiles: one article each) is unique content, not the story.
    assert {x.text for x in summary.sentences} == {SHELLS, DRONES, WORKERS, SANCTIONS}


def test_copies_count_once() -> None:
    arts = _story()
    group = OriginGroup("og-1", ("b", "c", "d"), None, "unknown")
    summary = summarize(arts, words=30, origin_groups=[group])
    assert summary.sentences[0].text == SHELLS and summary.sentences[0].origins == 2


def test_link_citations_map_sentence_to_sentence() -> None:
    a = article("a", RYDER, MISSILES)
    rewritten = "Pat Ryder, général, a parlé mardi de la logistique russe."
    b = article("b", rewritten, "La Corée du Nord a tiré plus de 30 missiles cette année.")
    passage = ReuseLink(
        Span("a", a.sentences[0].start, a.sentences[1].end),
        Span("b", b.sentences[0].start, b.sentences[1].end),
        ReuseKind.PARAPHRASE,
        0.8,
    )
    summary = summarize([a, b], words=15, links=[passage], options=None)
    _check(summary, [a, b], 15)
    (s,) = summary.sentences
    other = s.citations[1]
    assert other.kind is CitationKind.PARAPHRASE
    k = [x.start for x in (a if s.doc_id == "a" else b).sentences].index(s.span.start)
    target = (b if s.doc_id == "a" else a).sentences[k]
    assert (other.start, other.end) == (target.start, target.end)


def test_language_preference_and_one_claim_once() -> None:
    en_shells = "Russia is buying millions of artillery shells from North Korea for its war."
    fr = article("fr", SHELLS, DRONES)
    en = article("en", en_shells, language="en")
    fr2 = article("fr2", SHELLS, WORKERS)
    mentions = [
        ClaimMention(d.doc_id, TextSpan(s.start, s.end), s.text_of(d.text), d.language)
        for d in (fr, en, fr2)
        for s in d.sentences[:1]
    ]
    group = build_group(mentions)
    arts = [fr, en, fr2]
    in_en = summarize(arts, words=14, language="en", claim_groups=[group])
    _check(in_en, arts, 14)
    assert [s.text for s in in_en.sentences] == [en_shells]
    cites = {c.doc_id: c.kind for c in in_en.sentences[0].citations}
    assert cites == {"en": CitationKind.SOURCE, "fr": CitationKind.SAME_CLAIM,
                     "fr2": CitationKind.SAME_CLAIM}  # fmt: skip
    in_fr = summarize(arts, words=100, claim_groups=[group])
    assert in_fr.language == "fr"
    assert in_fr.sentences[0].text == SHELLS and en_shells not in in_fr.text


def test_update_prefers_what_the_reader_has_not_seen() -> None:
    seen = [article("s1", SHELLS, WORKERS), article("s2", SHELLS, WORKERS)]
    new = [
        article("n1", SHELLS, MISSILES),
        article("n2", SHELLS, MISSILES),
        article("n3", SHELLS, DRONES),
        article("n4", MISSILES, SANCTIONS),
    ]
    plain = summarize(new, words=16)
    assert plain.sentences[0].text == SHELLS
    update = update_summary(new, seen, words=16)
    assert update.update and [s.text for s in update.sentences] == [MISSILES]
    assert {c.doc_id for c in update.sentences[0].citations} == {"n1", "n2", "n4"}


def test_encoder_and_cache_are_used() -> None:
    cache: dict[tuple[str, int, int], np.ndarray] = {}
    arts = _story()
    summary = summarize(arts, words=40, encoder=HashingEncoder(), cache=cache)
    _check(summary, arts, 40)
    assert cache and all(key[0] in "abcd" for key in cache)


def test_empty_and_tiny_inputs() -> None:
    assert summarize([]).sentences == ()
    one = [article("a", SHELLS, DRONES)]
    summary = summarize(one, words=20)
    _check(summary, one, 20)
    assert len(summary.sentences) == 1
    assert summarize(one, words=3).sentences == ()  # no sentence fits


POOL = [SHELLS, DRONES, WORKERS, RYDER, SANCTIONS, MISSILES,
        "Moscou dément tout achat d'armes à Pyongyang, selon l'agence TASS.",
        "Court.", "Titre sans point final"]  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(POOL), min_size=1, max_size=6), min_size=1, max_size=5),
    st.integers(min_value=5, max_value=120),
    st.booleans(),
)
def test_invariants(docs: list[list[str]], words: int, with_seen: bool) -> None:
    arts = [article(f"d{k}", *sents) for k, sents in enumerate(docs)]
    new, seen = (arts[1:], arts[:1]) if with_seen and len(arts) > 1 else (arts, [])
    summary = summarize(new, words=words, seen=seen, encoder=HashingEncoder(dim=64))
    _check(summary, new, words)
    assert {s.doc_id for s in summary.sentences} <= {a.doc_id for a in new}
