"""Scored pairs of claim mentions: which pairs of one story could state the same thing,
and what the same-claim decision (``sameclaim``) says of each.

All pairs of a story are never scored one by one. Within one language, mentions are
blocked by shared content words (``BLOCK_MIN_KEYS`` words that are not in a fifth of
the story's mentions); only the mentions of such pairs are encoded and only those pairs
compared. Across languages, the mentions naming someone or carrying a value are encoded
and compared in blocks of rows (one matrix product per block). Only pairs of different
articles whose cosine reaches ``CANDIDATE_COSINE`` are read further. Every
pair the same-claim models accepted on their fitting data (MSRP news pairs, SemEval
translations) has a cosine of 0.61 or more, so the prefilter loses nothing the decision
would take, and on a real story it leaves a few percent of all pairs.

Without an encoder (tests, lexical-only deployments) the cosine is replaced by the
character 4-gram Jaccard rescaled so that the aligner's near-copy threshold
(``reuse.align.NEAR_MIN``) lands on the encoder's typical same-claim cosine: copies
still group, paraphrases and translations do not.
"""

from __future__ import annotations

from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse  # type: ignore[import-untyped]

from recoupe.corroborate.sameclaim import ClaimText, claim_text, decide
from recoupe.nlp.encoder import Encoder
from recoupe.reuse.align import NEAR_MIN
from recoupe.reuse.signals import jaccard
from recoupe.types import ClaimMention

CANDIDATE_COSINE = 0.5
BLOCK_MIN_KEYS = 2
BLOCK_MIN_JACCARD = 0.2
BLOCK_MAX_SHARE = 0.2
BLOCK_MIN_POSTING = 50
LEXICAL_SAME = 0.85  # the cosine a near copy stands for when there is no encoder
_BLOCK = 512

F32 = NDArray[np.float32]
VectorCache = MutableMapping[tuple[str, int, int], NDArray[np.float32]]
"""Vectors by (doc id, start, end) - the same keys as ``reuse.align.VectorCache``, so a
pipeline can share one cache (of one encoder) between alignment and corroboration."""
Pair = tuple[int, int]


def lexical_score(char_jaccard: float) -> float:
    """Character Jaccard on the cosine scale: ``NEAR_MIN`` -> ``LEXICAL_SAME``, 1 -> 1,
    linear below (0 -> 0)."""
    if char_jaccard >= NEAR_MIN:
        return LEXICAL_SAME + (1.0 - LEXICAL_SAME) * (char_jaccard - NEAR_MIN) / (1.0 - NEAR_MIN)
    return LEXICAL_SAME * char_jaccard / NEAR_MIN


def vectors(
    keys: Sequence[tuple[str, int, int]],
    texts: Sequence[str],
    encoder: Encoder,
    cache: VectorCache | None = None,
) -> F32:
    """Encoder rows for ``texts``; cached ones reused, the rest encoded in one batch."""
    store: VectorCache = {} if cache is None else cache
    missing = [i for i, key in enumerate(keys) if key not in store]
    if missing:
        fresh = encoder.encode([texts[i] for i in missing])
        for i, vec in zip(missing, fresh, strict=True):
            store[keys[i]] = vec
    if not keys:
        return np.zeros((0, 1), dtype=np.float32)
    return np.stack([store[key] for key in keys]).astype(np.float32, copy=False)


@dataclass(frozen=True, slots=True)
class ScoredPairs:
    """Candidate pairs ``(i, j)``, ``i < j``, of mentions of different articles.

    ``same``: P(same claim) on the decision scale (``sameclaim.SAME``), 0 for pairs whose
    values conflict; ``frame``: the same with values ignored (the proposition they would
    share if their values agreed); ``conflicts``: pairs with conflicting comparable
    values; ``cosine``: the evidence the pair was found with."""

    same: dict[Pair, float]
    frame: dict[Pair, float]
    conflicts: frozenset[Pair]
    cosine: dict[Pair, float]


def claim_texts(mentions: Sequence[ClaimMention]) -> list[ClaimText]:
    return [claim_text(m.text, m.language, m.published) for m in mentions]


def _candidates(docs: NDArray[np.int64], vecs: F32, floor: float) -> dict[Pair, float]:
    out: dict[Pair, float] = {}
    for lo in range(0, len(vecs), _BLOCK):
        block = vecs[lo : lo + _BLOCK] @ vecs.T
        rows, cols = np.nonzero(block >= floor)
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
            i = lo + r
            if i < c and docs[i] != docs[c]:
                out[(i, c)] = float(block[r, c])
    return out


def _blocked_pairs(texts: Sequence[ClaimText], docs: NDArray[np.int64]) -> set[Pair]:
    """Pairs of mentions of different articles, in one language, sharing at least
    ``BLOCK_MIN_KEYS`` content words (stop words aside) among those that are not in more
    than ``BLOCK_MAX_SHARE`` of the mentions (a story's own name - "Syrie" - blocks
    nothing), and ``BLOCK_MIN_JACCARD`` of their content words. On the MSRP news pairs
    the block drops 1 of the 1,446 true pairs the decision accepts (and 1 of its 127
    false ones). Sparse products of the mentions x words matrix: the pair loop over the
    postings of a 200-article story cost seconds."""
    words = _mention_words(texts)
    if not words.nnz:
        return set()
    cap = max(BLOCK_MIN_POSTING, int(BLOCK_MAX_SHARE * len(texts)))
    blocking = words[:, np.flatnonzero(np.asarray(words.sum(axis=0)).ravel() <= cap)]
    shared = sparse.triu(blocking @ blocking.T, k=1).tocoo()
    keep = shared.data >= BLOCK_MIN_KEYS
    i, j = shared.row[keep], shared.col[keep]
    languages: dict[str | None, int] = {}
    lang = np.asarray([languages.setdefault(t.language, len(languages)) for t in texts])
    keep = (docs[i] != docs[j]) & (lang[i] == lang[j])
    i, j = i[keep], j[keep]
    inter = np.asarray(words[i].multiply(words[j]).sum(axis=1)).ravel()
    sizes = np.asarray(words.sum(axis=1)).ravel()
    union = sizes[i] + sizes[j] - inter
    keep = inter / union >= BLOCK_MIN_JACCARD
    return set(zip(i[keep].tolist(), j[keep].tolist(), strict=True))


def _mention_words(texts: Sequence[ClaimText]) -> Any:
    """The 0/1 mentions x content words matrix (scipy CSR, int32)."""
    vocab: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for r, t in enumerate(texts):
        for key in t.content:
            rows.append(r)
            cols.append(vocab.setdefault(key, len(vocab)))
    data = np.ones(len(rows), dtype=np.int32)
    return sparse.csr_matrix((data, (rows, cols)), shape=(len(texts), max(len(vocab), 1)))


def _encoded_candidates(
    mentions: Sequence[ClaimMention],
    texts: Sequence[ClaimText],
    docs: NDArray[np.int64],
    encoder: Encoder,
    cache: VectorCache | None,
) -> dict[Pair, float]:
    """Candidate pairs by cosine, encoding only the mentions that can be in one: within
    a language the pairs that share content words (a restatement keeps them); across
    languages (words differ) every mention naming someone or carrying a value, when the
    story has another language. Encoding every sentence of every member was the cost
    of corroboration; most of a story's sentences have no counterpart."""
    blocked = _blocked_pairs(texts, docs)
    languages = {t.language for t in texts}
    wanted = {i for pair in blocked for i in pair}
    if len(languages) > 1:
        wanted |= {i for i, t in enumerate(texts) if t.names or t.values}
    rows = sorted(wanted)
    if not rows:
        return {}
    vecs = vectors([mentions[i].key for i in rows], [mentions[i].text for i in rows],
                   encoder, cache)  # fmt: skip
    at = {i: k for k, i in enumerate(rows)}
    out: dict[Pair, float] = {}
    for i, j in blocked:
        cos = float(vecs[at[i]] @ vecs[at[j]])
        if cos >= CANDIDATE_COSINE:
            out[(i, j)] = cos
    if len(languages) > 1:
        sub_docs = docs[rows]
        for (r, c), cos in _candidates(sub_docs, vecs, CANDIDATE_COSINE).items():
            i, j = rows[r], rows[c]
            if texts[i].language != texts[j].language:
                out[(i, j)] = cos
    return out


def _lexical_candidates(texts: Sequence[ClaimText], docs: NDArray[np.int64]) -> dict[Pair, float]:
    index: dict[str, list[int]] = {}
    for j, t in enumerate(texts):
        for key in t.content:
            index.setdefault(key, []).append(j)
    out: dict[Pair, float] = {}
    for i, t in enumerate(texts):
        for j in {j for key in t.content for j in index[key] if j > i and docs[j] != docs[i]}:
            score = lexical_score(jaccard(t.chars, texts[j].chars))
            if score >= CANDIDATE_COSINE:
                out[(i, j)] = score
    return out


def score_pairs(
    mentions: Sequence[ClaimMention],
    texts: Sequence[ClaimText] | None = None,
    encoder: Encoder | None = None,
    cache: VectorCache | None = None,
) -> ScoredPairs:
    """Candidate pairs of ``mentions`` and the same-claim decision on each."""
    texts = list(texts) if texts is not None else claim_texts(mentions)
    doc_ids = {d: k for k, d in enumerate(sorted({m.doc_id for m in mentions}))}
    docs = np.asarray([doc_ids[m.doc_id] for m in mentions], dtype=np.int64)
    if encoder is not None and mentions:
        cosine = _encoded_candidates(mentions, texts, docs, encoder, cache)
    else:
        cosine = _lexical_candidates(texts, docs)
    same: dict[Pair, float] = {}
    frame: dict[Pair, float] = {}
    conflicts: set[Pair] = set()
    for (i, j), cos in cosine.items():
        decision = decide(texts[i], texts[j], cos)
        same[(i, j)], frame[(i, j)] = decision.same, decision.frame
        if decision.conflict:
            conflicts.add((i, j))
    return ScoredPairs(same, frame, frozenset(conflicts), cosine)
