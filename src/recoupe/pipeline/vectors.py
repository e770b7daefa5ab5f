"""The store-wide encoder cache: every text any stage encodes (a lead, a sentence) is
stored once under ``model:sha1(text)``, so a sentence is encoded at most once, ever,
whichever stage meets it first and however many articles copy it.

Algorithms take a ``VectorCache`` keyed by (doc id, start, end) (``reuse.align``,
``corroborate``); these helpers translate between the two: ``load`` fills such a cache
from the store for the sentences of some documents (and other spans of them, claim
mentions: every key is a span of its document's text), ``fresh`` gives back, keyed for the
store, what a kernel added to it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from recoupe.nlp.encoder import Encoder
from recoupe.reuse.align import VectorCache
from recoupe.store.base import StoriesStore
from recoupe.types import Sentence

Keyed = tuple[str, int, int]


def text_key(model: str, text: str) -> str:
    """The cache key of ``text`` encoded by ``model``."""
    return model + ":" + hashlib.sha1(text.encode("utf-8")).hexdigest()


def to_bytes(vec: NDArray[np.float32]) -> bytes:
    return np.ascontiguousarray(vec, dtype="<f4").tobytes()


def from_bytes(blob: bytes) -> NDArray[np.float32]:
    return np.frombuffer(blob, dtype="<f4").astype(np.float32)


@dataclass(frozen=True, slots=True)
class SentenceKeys:
    """For the sentences of some documents: (doc id, start, end) -> store key."""

    model: str
    keys: dict[Keyed, str]

    @classmethod
    def of(cls, model: str, docs: Iterable[tuple[str, str, tuple[Sentence, ...]]]) -> SentenceKeys:
        """``docs``: (doc id, text, sentences)."""
        keys = {
            (doc_id, s.start, s.end): text_key(model, s.text_of(text))
            for doc_id, text, sentences in docs
            for s in sentences
        }
        return cls(model, keys)

    def extended(self, spans: Iterable[tuple[Keyed, str]]) -> SentenceKeys:
        """These keys and those of other spans (``(doc id, start, end)``, text), e.g.
        claim mentions: the first text given for a span stays its key."""
        keys = dict(self.keys)
        for span, text in spans:
            keys.setdefault(span, text_key(self.model, text))
        return SentenceKeys(self.model, keys)


def load(stories: StoriesStore, keys: SentenceKeys) -> dict[str, bytes]:
    """The stored vectors of these sentences, keyed for the store."""
    return stories.get_text_vectors(sorted(set(keys.keys.values())))


def cache_of(keys: SentenceKeys, stored: Mapping[str, bytes]) -> VectorCache:
    """An algorithm's cache holding the stored vectors of these sentences."""
    return {k: from_bytes(stored[key]) for k, key in keys.keys.items() if key in stored}


def fresh(keys: SentenceKeys, cache: VectorCache, known: Iterable[str]) -> dict[str, bytes]:
    """The vectors ``cache`` holds for these sentences that are not in ``known`` (store
    keys), keyed for the store."""
    seen = set(known)
    out: dict[str, bytes] = {}
    for k, vec in cache.items():
        key = keys.keys.get(k)
        if key is not None and key not in seen and key not in out:
            out[key] = to_bytes(vec)
    return out


def warm_encoder(encoder: Encoder) -> None:
    """Load ``encoder``'s model now (one tiny encode): what a kernel's ``warm()`` does
    before the local executor forks its workers."""
    encoder.encode(["warm-up"])
