"""Candidate pairs of a story's mentions: only mentions that can be in a pair are
encoded (blocking by shared content words within a language; names or values across)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from recoupe.corroborate.sameclaim import ClaimText, claim_text
from recoupe.corroborate.similarity import (
    BLOCK_MAX_SHARE,
    BLOCK_MIN_JACCARD,
    BLOCK_MIN_KEYS,
    BLOCK_MIN_POSTING,
    _blocked_pairs,
    score_pairs,
)
from recoupe.reuse.signals import jaccard
from recoupe.types import ClaimMention, TextSpan


class CountingEncoder:
    """Every text maps to one direction (cosine 1 between any two): what is compared
    is decided by the blocking alone."""

    name = "counting"

    def __init__(self) -> None:
        self.encoded: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.encoded.extend(texts)
        out = np.zeros((len(texts), 8), dtype=np.float32)
        out[:, 0] = 1.0
        return out


def _mention(doc: str, k: int, text: str, language: str = "en") -> ClaimMention:
    return ClaimMention(doc, TextSpan(k * 1000, k * 1000 + len(text)), text, language)


def test_same_language_mentions_sharing_no_content_word_are_never_encoded() -> None:
    mentions = [
        _mention("a", 0, "The harbour fire destroyed three warehouses near the ferry terminal."),
        _mention("b", 0, "Three warehouses near the ferry terminal were destroyed by the fire."),
        _mention("b", 1, "Meanwhile, schools will reopen after the holidays on Monday."),
    ]
    enc = CountingEncoder()
    scored = score_pairs(mentions, encoder=enc)
    assert set(scored.cosine) == {(0, 1)}
    assert mentions[2].text not in enc.encoded and len(enc.encoded) == 2


def test_across_languages_mentions_with_names_or_values_are_compared() -> None:
    mentions = [
        _mention("a", 0, "Le maire Didier Vanhove a visité le port de Dunkerque."),
        _mention("b", 0, "Mayor Didier Vanhove visited the port of Dunkirk.", "en"),
        _mention("b", 1, "it was a long and difficult night for everyone there.", "en"),
    ]
    mentions[0] = ClaimMention("a", mentions[0].span, mentions[0].text, "fr")
    enc = CountingEncoder()
    scored = score_pairs(mentions, encoder=enc)
    assert (0, 1) in scored.cosine
    assert mentions[2].text not in enc.encoded


def _blocked_reference(texts: Sequence[ClaimText], docs: np.ndarray) -> set[tuple[int, int]]:
    """The blocking as a loop over the postings (what the sparse products replace)."""
    index: dict[str, list[int]] = {}
    for j, t in enumerate(texts):
        for key in t.content:
            index.setdefault(key, []).append(j)
    cap = max(BLOCK_MIN_POSTING, int(BLOCK_MAX_SHARE * len(texts)))
    shared: Counter[tuple[int, int]] = Counter()
    for posting in index.values():
        if len(posting) <= cap:
            for n, i in enumerate(posting):
                for j in posting[n + 1 :]:
                    if docs[i] != docs[j] and texts[i].language == texts[j].language:
                        shared[(i, j)] += 1
    return {
        (i, j) for (i, j), c in shared.items()
        if c >= BLOCK_MIN_KEYS and jaccard(texts[i].content, texts[j].content) >= BLOCK_MIN_JACCARD
    }  # fmt: skip


_WORDS = ["ministre", "gouvernement", "attaque", "missile", "frontière", "accord", "Paris",
          "sommet", "sanctions", "soldats", "blessés", "enquête", "1200", "2024"]  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.lists(st.sampled_from(_WORDS), min_size=0, max_size=8),
                  st.integers(0, 5), st.sampled_from(["fr", "en", None])),
        max_size=160,
    )
)
def test_blocked_pairs_are_those_of_the_posting_loop(
    rows: list[tuple[list[str], int, str | None]],
) -> None:
    texts = [claim_text(" ".join(words) + ".", lang, None) for words, _, lang in rows]
    docs = np.asarray([doc for _, doc, _ in rows], dtype=np.int64)
    assert _blocked_pairs(texts, docs) == _blocked_reference(texts, docs)
