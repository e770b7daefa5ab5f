import re
import zlib
from collections.abc import Sequence

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from recoupe.nlp.encoder import HashingEncoder
from recoupe.reuse.align import AlignInput, Sides, align, align_sentences, merge_passages
from recoupe.types import ReuseKind, Sentence

POOL = [
    "The defence ministry is buying millions of rockets and artillery shells abroad.",
    "Officials said the purchase shows the army suffers from severe supply shortages.",
    "Nine drones of the Mohajer-6 series were delivered in August for use in the war.",
    "The ambassador met envoys of two separatist territories in the eastern region.",
    "Exports of weapons would violate two United Nations resolutions adopted in 2017.",
    "The small harbour town celebrated its annual fish festival with music and dance.",
    "Scientists found that dark chocolate may lift the mood of volunteers in a trial.",
    "The football club signed a young striker for a record fee on Tuesday evening.",
]


def _doc(doc_id: str, sentences: Sequence[str], language: str = "en") -> AlignInput:
    text = " ".join(sentences)
    spans, pos = [], 0
    for s in sentences:
        spans.append(Sentence(pos, pos + len(s)))
        pos += len(s) + 1
    return AlignInput(doc_id, text, tuple(spans), language)


class StubEncoder:
    """Maps texts to fixed vectors: sentences sharing a tag ("#k") are identical."""

    name = "stub"

    def __init__(self) -> None:
        self.calls = 0
        self.encoded: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        self.encoded.extend(texts)
        out = np.zeros((len(texts), 64), dtype=np.float32)
        for row, text in enumerate(texts):
            tag = re.search(r"#(\d+)", text)
            if tag:
                out[row, int(tag.group(1))] = 1.0
            else:  # a random direction of its own, far from the tags and each other
                rng = np.random.default_rng(zlib.crc32(text.encode()))
                vec = rng.normal(size=48)
                out[row, 16:] = vec / np.linalg.norm(vec)
        return out


def test_verbatim_near_and_unrelated() -> None:
    a = _doc("a", POOL[:5])
    near = POOL[1].replace("severe", "serious").replace("Officials said", "An official said")
    b = _doc("b", [POOL[6], POOL[0], near, POOL[7]])
    links = align_sentences(a, b, HashingEncoder())
    found = {(link.i, link.j): link.kind for link in links}
    assert found == {(0, 1): ReuseKind.VERBATIM, (1, 2): ReuseKind.NEAR}


def test_shared_sides_give_the_links_of_separate_ones() -> None:
    """An article's signals kept for its other pairs change nothing; an article
    changed under the same id is read again, not served stale."""
    a, b, c = _doc("a", POOL[:5]), _doc("b", [POOL[6], POOL[0], POOL[1]]), _doc("c", POOL[2:6])
    sides = Sides()
    for x, y in [(a, b), (a, c), (b, c)]:
        assert align(x, y, HashingEncoder(), None, sides) == align(x, y, HashingEncoder())
    edited = _doc("a", [POOL[7], POOL[3]])
    assert align(edited, c, None, None, sides) == align(edited, c)
    assert align(edited, c) != align(a, c)


def test_passages_merge_adjacent_links() -> None:
    a = _doc("a", POOL[:4])
    b = _doc("b", [POOL[7], POOL[1], POOL[2], POOL[3], POOL[6]])
    passages = align(a, b)
    assert len(passages) == 1
    (p,) = passages
    assert a.text[p.a.start : p.a.end] == " ".join(POOL[1:4])
    assert b.text[p.b.start : p.b.end] == " ".join(POOL[1:4])
    assert p.kind is ReuseKind.VERBATIM and p.score == 1.0


def test_semantic_kinds_depend_on_languages() -> None:
    a = _doc("a", ["Le ministère achète des obus à l'étranger #3.", POOL[5]], "fr")
    b = _doc("b", ["The ministry buys shells abroad, officials say #3.", POOL[6]], "en")
    (link,) = align_sentences(a, b, StubEncoder())
    assert (link.i, link.j, link.kind) == (0, 0, ReuseKind.TRANSLATION)
    reworded = "Selon des responsables, le ministère se procure ses obus hors du pays #3."
    b_fr = _doc("b", [reworded, POOL[6]], "fr")
    (link,) = align_sentences(a, b_fr, StubEncoder())
    assert link.kind is ReuseKind.PARAPHRASE


def test_same_language_encodes_only_sentences_sharing_content_words() -> None:
    """Within one language a sentence sharing no content word (stop words aside) with
    the other side is never encoded, and so never linked, even by a close vector."""
    a = _doc("a", ["Le ministère achète des obus à l'étranger #3.", POOL[5]], "fr")
    b = _doc("b", ["Une tout autre phrase sur la météo de demain #3.", POOL[6]], "fr")
    enc = StubEncoder()
    assert align_sentences(a, b, enc) == []
    assert enc.encoded == []


def test_one_to_one_prefers_the_best_match() -> None:
    a = _doc("a", ["A long sentence about the shells bought abroad #2.", POOL[5]])
    b = _doc(
        "b", ["Another wording of the shells bought abroad #2.", "Yet another close one #2 x."]
    )
    links = align_sentences(a, b, StubEncoder())
    assert len(links) == 1


def test_cache_encodes_each_sentence_once() -> None:
    enc = StubEncoder()
    cache: dict[tuple[str, int, int], np.ndarray] = {}
    a = _doc("a", [POOL[0] + " #1", POOL[5]])
    b = _doc("b", [POOL[6], "Different words: the defence ministry shops for rockets #1."])
    c = _doc("c", ["Third version, defence ministry purchases of rockets #1.", POOL[7]])
    align(a, b, enc, cache)
    align(a, c, enc, cache)
    # a's first sentence takes part in both pairs and is encoded once; the sentences
    # sharing no content word with the other side are not encoded at all
    assert len(enc.encoded) == len(set(enc.encoded)) == 3


def test_verbatim_sentences_are_not_embedded() -> None:
    enc = StubEncoder()
    a = _doc("a", POOL[:3])
    b = _doc("b", POOL[:3])
    links = align_sentences(a, b, enc)
    assert len(links) == 3 and enc.encoded == []


def test_short_lines_are_never_linked() -> None:
    a = _doc("a", ["Brick.", POOL[0]])
    b = _doc("b", ["Brick.", POOL[7]])
    assert align_sentences(a, b, HashingEncoder()) == []


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.sampled_from(POOL), min_size=1, max_size=8),
    st.lists(st.sampled_from(POOL), min_size=1, max_size=8),
)
def test_links_are_one_to_one_and_spans_in_bounds(sa: list[str], sb: list[str]) -> None:
    a, b = _doc("a", sa), _doc("b", sb)
    links = align_sentences(a, b, HashingEncoder())
    assert len({link.i for link in links}) == len(links) == len({link.j for link in links})
    for passage in merge_passages(a, b, links):
        assert 0 <= passage.a.start < passage.a.end <= len(a.text)
        assert 0 <= passage.b.start < passage.b.end <= len(b.text)
        assert 0.0 <= passage.score <= 1.0
        assert (passage.a.doc_id, passage.b.doc_id) == ("a", "b")
    # every identical sentence that could be paired is paired
    assert len(links) >= len(set(sa) & set(sb))
