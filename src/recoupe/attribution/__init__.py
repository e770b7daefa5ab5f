"""Attribution: who said what in an article (quotes, reported speech, chains, claims).

Entry point: ``analyse(text, language) -> Analysis`` on the *cleaned* text. All offsets
point into that text. See docs/attribution.md.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from recoupe.attribution import refine, tagger
from recoupe.attribution.claims import build_claims
from recoupe.attribution.indirect import find_indirect
from recoupe.attribution.lexicon import CueLexicon, default_lexicon, learn_cue_forms
from recoupe.attribution.quotes import Intro, attach_quotes, paragraph_intro, scan_quotes
from recoupe.attribution.speakers import EntityIndex, resolve_pronouns
from recoupe.nlp.pipelines import load_pipeline
from recoupe.nlp.sentences import paragraph_spans, split_sentences
from recoupe.types import (
    Analysis,
    Attribution,
    Claim,
    QuoteMarks,
    Sentence,
    Source,
    SourceKind,
    TextSpan,
)

__all__ = [
    "Analysis",
    "Attribution",
    "Claim",
    "CueLexicon",
    "QuoteMarks",
    "Source",
    "SourceKind",
    "TextSpan",
    "analyse",
    "default_lexicon",
    "learn_cue_forms",
    "merge",
    "scan_quotes",
]

COMPONENTS = {
    "fr": ("parser", "ner", "morphologizer", "attribute_ruler", "lemmatizer"),
    "en": ("parser", "ner", "tagger", "attribute_ruler", "lemmatizer"),
}


_REPORTING_PREPOSITIONS = frozenset({"selon", "according to", "d'après", "d’après"})


def chain_reported(text: str, attributions: list[Attribution]) -> list[Attribution]:
    """ "“Every litre counts,” the prefect told a news conference, according to the
    local newspaper Sud Horizon": an attribution inside the content of a "selon X" /
    "according to X" one is reported by X (``via``), and the outer one goes."""
    outer = [
        a for a in attributions
        if a.cue is not None and a.cue.text_of(text).lower() in _REPORTING_PREPOSITIONS
    ]  # fmt: skip
    drop: set[int] = set()
    out = []
    for att in attributions:
        host = next(
            (o for o in outer if o is not att and att.cue is not None
             and o.content.start <= att.cue.start and att.cue.end <= o.content.end),
            None,
        )  # fmt: skip
        if host is not None and att.via is None:
            att = dataclasses.replace(att, via=dataclasses.replace(host, content=att.content))
            drop.add(id(host))
        out.append(att)
    return [a for a in out if id(a) not in drop]


def merge(quotes: list[Attribution], indirect: list[Attribution]) -> list[Attribution]:
    """One attribution per cue: a quote whose cue also introduces a reported clause
    ("X a déclaré que “...") becomes one direct attribution over both spans, and a quote
    continuing the previous one's speaker without a cue becomes a further segment of it."""
    out = list(indirect)
    by_cue = {a.cue.start: i for i, a in enumerate(out) if a.cue is not None}
    last: int | None = None
    prev: Attribution | None = None
    for q in quotes:
        if q.cue is None and prev is not None and q.source is prev.source and last is not None:
            a = out[last]
            out[last] = dataclasses.replace(a, more=(*a.more, q.content))
            prev = q
            continue
        i = by_cue.get(q.cue.start) if q.cue is not None else None
        if i is None:
            if any(
                a.content.start <= q.content.start < q.content.end <= a.content.end for a in out
            ):
                prev, last = q, None
                continue
            out.append(q)
            i = len(out) - 1
        else:
            a = out[i]
            span = TextSpan(
                min(a.content.start, q.content.start), max(a.content.end, q.content.end)
            )
            out[i] = dataclasses.replace(
                a,
                content=span,
                source=q.source or a.source,
                direct=True,
                channel=a.channel or q.channel,
            )
        prev, last = q, i
    return sorted(out, key=lambda a: (a.content.start, a.content.end))


@dataclass(frozen=True, slots=True)
class Parsed:
    """An article parsed paragraph by paragraph: ``paras`` are ``[start, end)`` offsets,
    ``docs`` their spaCy docs, ``index`` the article's named-entity mentions."""

    paras: list[tuple[int, int]]
    docs: list[Any]
    index: EntityIndex


def parse(text: str, language: str) -> Parsed:
    """The parse the rules and the tagger read (one spaCy doc per paragraph)."""
    lang = language if language in COMPONENTS else "en"
    nlp = load_pipeline(lang, COMPONENTS[lang])
    paras = paragraph_spans(text)
    docs = list(nlp.pipe(text[a:b] for a, b in paras))
    index = EntityIndex()
    for (a, _), doc in zip(paras, docs, strict=True):
        index.add_doc(doc, a)
    return Parsed(paras, docs, index)


def rule_attributions(
    text: str, parsed: Parsed, lexicon: CueLexicon
) -> tuple[list[Attribution], list[Attribution]]:
    """(quotes, merged attributions) by the parser rules alone."""
    quotes: list[Attribution] = []
    indirect: list[Attribution] = []
    previous: Attribution | None = None
    intro: Intro = None
    index = parsed.index
    for (a, b), doc in zip(parsed.paras, parsed.docs, strict=True):
        marks = scan_quotes(text, a, b)
        reported = find_indirect(doc, a, lexicon, index)
        found = attach_quotes(doc, a, marks, lexicon, index, previous, intro, reported)
        quotes.extend(found)
        indirect.extend(reported)
        outer = [m for m in marks if not m.depth]
        previous = found[-1] if found and outer and not outer[-1].closed else None
        intro = paragraph_intro(doc, a, lexicon, index)
    return quotes, merge(quotes, indirect)


def analyse(
    text: str, language: str, lexicon: CueLexicon | None = None, learnt: bool = True,
    sentences: Sequence[Sentence] | None = None,
) -> Analysis:  # fmt: skip
    """Quotes, attributions and claims of the cleaned ``text`` in ``language`` ("fr" or
    "en"; other languages use the English rules and may find little). For English the
    learnt span tagger refines the rules' spans unless ``learnt`` is False. Claims are
    cut at ``sentences`` (the document's, when the caller has them: splitting again
    cost ~10 ms an article), else at the text's split in ``language``."""
    lang = language if language in COMPONENTS else "en"
    lexicon = lexicon or default_lexicon(lang)
    parsed = parse(text, lang)
    quotes, attributions = rule_attributions(text, parsed, lexicon)
    attributions = chain_reported(text, resolve_pronouns(text, attributions))
    resolved = {a.source.span: a.source for a in attributions if a.source is not None}
    vias = {a.cue: a.via for a in attributions if a.direct and a.via and a.cue}
    quotes = [
        dataclasses.replace(
            q,
            source=resolved.get(q.source.span, q.source) if q.source else None,
            via=q.via or (vias.get(q.cue) if q.cue else None),
        )
        for q in quotes
    ]
    if learnt and tagger.available(lang):
        attributions = resolve_pronouns(text, refine.refine(
            text, parsed.paras, parsed.docs, parsed.index, attributions, lexicon))  # fmt: skip
    if sentences is None:
        sentences = split_sentences(text, lang)
    claims = build_claims(text, sentences, attributions)
    return Analysis(tuple(quotes), tuple(attributions), claims)
