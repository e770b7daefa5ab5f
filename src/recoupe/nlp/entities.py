"""Named-entity mentions: ``[start, end)`` spans of a text with a label and surface.

French and English use the spaCy pipelines of ``nlp.pipelines`` (NER only: the pipeline
without parser/lemmatizer runs several times faster). For other languages no pipeline
ships on PyPI, so a documented fallback finds *capitalised sequences* ("Bachar al-Assad",
"Siria", "Nazioni Unite") that do not open a sentence, labelled ``MISC``: crude, but
names are what separates one event from another, and ``normalize_entities`` then maps
countries and cities in those sequences onto the same keys as the spaCy mentions.

Labels are spaCy's own (``PERSON``/``PER``, ``ORG``, ``GPE``, ``LOC``, ...); numeric and
temporal labels (DATE, CARDINAL, MONEY...) are dropped: they are not entities of a story.
So is ``NORP`` (nationalities, religious and political groups: "French", "British"):
adjectives rather than participants, and one-sided across languages - only the English
model tags them, so they lowered the entity overlap of a French and an English article
on one event.

The fallback also drops a leading stop word of the language (spaCy's stop-word lists
ship with spaCy, no model needed): "Después Muamar Gadafi" opens a sentence, and is
"Muamar Gadafi".
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache

from recoupe.nlp.pipelines import load_pipeline, supported_languages

DROPPED_LABELS = frozenset(
    {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL", "LANGUAGE", "NORP"}
)
BATCH_SIZE = 64
# Words that are capitalised yet never names on their own (fallback only): a sequence
# made only of them is dropped.
_CAPS = re.compile(
    r"(?<![\w'’])(?:[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’\-]*)(?:\s+(?:(?:de|del|della|di|da|al|el|la|du|des)\s+)?"
    r"[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’\-]*)*"
)
_SENTENCE_START = re.compile(r"(?:^|[.!?:»\"“]\s+|\n\s*)$")


@dataclass(frozen=True, slots=True)
class Mention:
    """One entity mention: ``text[start:end] == surface``."""

    start: int
    end: int
    label: str
    surface: str


def _spacy_mentions(doc: object) -> tuple[Mention, ...]:
    ents = getattr(doc, "ents", ())
    return tuple(
        Mention(e.start_char, e.end_char, e.label_, e.text)
        for e in ents
        if e.label_ not in DROPPED_LABELS and e.text.strip()
    )


@cache
def stop_words(language: str | None) -> frozenset[str]:
    """spaCy's stop words of ``language`` (empty when spaCy has no such language)."""
    if not language:
        return frozenset()
    import spacy.util

    try:
        words = spacy.util.get_lang_class(language).Defaults.stop_words
    except (ImportError, KeyError):
        return frozenset()
    return frozenset(w.casefold() for w in words)


def fallback_mentions(text: str, language: str | None = None) -> tuple[Mention, ...]:
    """Capitalised sequences not opening a sentence (the fallback for languages without
    a pipeline). A sequence that opens a sentence is kept only if it has 2+ words; a
    leading stop word of ``language`` is dropped ("Después Gadafi" -> "Gadafi")."""
    out = []
    stops = stop_words(language)
    for m in _CAPS.finditer(text):
        surface = m.group(0).rstrip("'’-")
        start = m.start()
        at_start = bool(_SENTENCE_START.search(text[max(0, start - 3) : start]))
        first, _, rest = surface.partition(" ")
        if rest and first.casefold() in stops:  # the capital of what follows is its own
            surface, start = rest.lstrip(), start + len(surface) - len(rest.lstrip())
            at_start = False
        if at_start and " " not in surface:
            continue
        if len(surface) < 2:
            continue
        out.append(Mention(start, start + len(surface), "MISC", surface))
    return tuple(out)


def extract_entities(text: str, language: str | None) -> tuple[Mention, ...]:
    """Entity mentions of ``text``; see the module docstring for other languages."""
    return next(iter(extract_entities_batch([text], language)))


def extract_entities_batch(
    texts: Sequence[str], language: str | None, batch_size: int = BATCH_SIZE
) -> Iterator[tuple[Mention, ...]]:
    """Mentions of each text, in order (spaCy ``nlp.pipe`` for fr/en)."""
    if language not in supported_languages():
        for text in texts:
            yield fallback_mentions(text, language)
        return
    nlp = load_pipeline(language, ["ner"])
    for doc in nlp.pipe(texts, batch_size=batch_size):
        yield _spacy_mentions(doc)


def warm_entities() -> None:
    """Load every NER pipeline and the place gazetteer now (before worker processes
    fork, so they share them instead of loading their own)."""
    from recoupe.nlp.normalize_entities import gazetteer

    for language in sorted(supported_languages()):
        load_pipeline(language, ["ner"])
    gazetteer()
