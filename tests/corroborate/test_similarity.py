"""Candidate pairs of a story's mentions: only mentions that can be in a pair are
encoded (blocking by shared content words within a language; names or values across)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from recoupe.corroborate.similarity import score_pairs
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
