"""Per-story stage: attribution analysis (quotes, attributed contents, claims).

A full dependency parse is the expensive, sentence-level work the design keeps inside
stories: it runs on demand for the articles of the stories a user looks at (or for all
with ``recoupe analyse``), and each article's result is stored, keyed by ``ANALYSER`` -
changing the rules changes the tag and re-analyses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from recoupe.attribution import COMPONENTS, analyse
from recoupe.attribution.speakers import UNKNOWN, speaker_name
from recoupe.nlp.pipelines import load_pipeline
from recoupe.pipeline.stage import Executor, SerialExecutor, Step, batched, no_progress
from recoupe.store.base import Store
from recoupe.types import Analysis, Attribution, Document, Sentence, SourceKind
from recoupe.types.folding import folded

__all__ = [
    "ANALYSER",
    "Analysis",
    "QuoteOccurrence",
    "QuotedArticle",
    "SpeakerQuotes",
    "analyse_batch",
    "analyse_documents",
    "analysis_language",
    "quoted_article",
    "quotes_by_speaker",
    "speaker_name",
    "stored_analyses",
]

ANALYSER = "rules-fr-en-v3+crf-polnear-en-v1"
SUPPORTED = ("fr", "en")


def analysis_language(doc: Document) -> str | None:
    """The rules exist for French and English; other languages get no analysis rather
    than English rules applied to them."""
    return doc.language if doc.language in SUPPORTED else None


AnalysisTask = tuple[str, str, str | None, tuple[Sentence, ...]]
"""(doc id, cleaned text, analysis language or None, the document's sentences)."""


def analyse_batch(batch: Sequence[AnalysisTask]) -> dict[str, Analysis]:
    """Kernel: the analysis of each article, its claims cut at the document's own
    sentences. Articles in unsupported languages get an empty analysis (stored, so they
    are not parsed again)."""
    return {doc_id: analyse(text, lang, sentences=sentences) if lang else Analysis((), (), ())
            for doc_id, text, lang, sentences in batch}  # fmt: skip


@dataclass(frozen=True, slots=True)
class AttributionKernel:
    """``analyse_batch`` as a kernel that can load its parsers ahead (``warm``)."""

    def __call__(self, batch: Sequence[AnalysisTask]) -> dict[str, Analysis]:
        return analyse_batch(batch)

    def warm(self) -> None:
        for language in SUPPORTED:
            load_pipeline(language, COMPONENTS[language])


ANALYSE_BATCH = 8  # a parse costs ~50-200 ms an article: small batches keep both cores busy


def analyse_documents(
    store: Store,
    ids: Sequence[str],
    executor: Executor | None = None,
    step: Step = no_progress,
) -> dict[str, Analysis]:
    """Analysis of each article of ``ids``: computed now (on the executor's workers) for
    those without a stored one by this analyser, then read back."""
    done = store.stories.analysed(ANALYSER, ids)
    todo = [i for i in ids if i not in done]

    def tasks() -> Iterator[list[AnalysisTask]]:
        for chunk in batched(todo, ANALYSE_BATCH):
            docs = store.documents.get_documents(chunk)
            yield [(d.id, d.text, analysis_language(d), d.sentences) for d in docs.values()]

    n = 0
    for found in (executor or SerialExecutor()).map(AttributionKernel(), tasks()):
        store.stories.put_analyses(ANALYSER, found)
        n += len(found)
        step("attribution", n, len(todo))
    return stored_analyses(store, ids)


def stored_analyses(store: Store, ids: Sequence[str]) -> dict[str, Analysis]:
    """The stored analyses of ``ids`` (none computed)."""
    return store.stories.get_analyses(ids)


@dataclass(frozen=True, slots=True)
class QuoteOccurrence:
    """One place a quote appears: the article, its outlet and date, the quote's span in
    the article's text, its cue and the chain beyond the speaker (who reported it)."""

    doc_id: str
    outlet: str | None
    published: str | None
    start: int
    end: int
    text: str
    cue: str | None
    via: tuple[str, ...]
    channel: str | None = None


@dataclass(frozen=True, slots=True)
class SpeakerQuotes:
    """The quotes of one speaker across a story: each quote with every occurrence (a
    wire quote copied by three outlets is one quote with three occurrences)."""

    speaker: str
    kind: str
    anonymous: bool
    quotes: tuple[tuple[QuoteOccurrence, ...], ...]

    @property
    def occurrences(self) -> int:
        return sum(len(q) for q in self.quotes)


_NON_WORD = re.compile(r"[\W_]+")


def _quote_key(text: str) -> str:
    """Case-, accent- and punctuation-insensitive words of ``text``."""
    return _NON_WORD.sub(" ", folded(text)).strip()


def _speaker_key(name: str) -> str:
    return _quote_key(name)


@dataclass(frozen=True, slots=True)
class QuotedArticle:
    """What grouping quotes needs of an article."""

    id: str
    text: str
    outlet: str | None
    published: str | None


def quoted_article(doc: Document) -> QuotedArticle:
    return QuotedArticle(doc.id, doc.text, doc.meta.outlet, doc.meta.published)


def quotes_by_speaker(
    items: Iterable[tuple[QuotedArticle, Attribution]],
) -> list[SpeakerQuotes]:
    """Direct quotes of a story grouped by speaker (folded name; anonymous sources by
    description, apart from named ones; "unknown" last), most quoted first; inside a
    speaker, identical quotes (same words) are one quote with several occurrences, in
    publication order."""
    groups: dict[tuple[str, bool], dict[str, list[QuoteOccurrence]]] = {}
    meta: dict[tuple[str, bool], tuple[str, str, bool]] = {}
    for doc, q in items:
        name = speaker_name(q.source)
        anonymous = bool(q.source and q.source.anonymous)
        kind = q.source.kind.value if q.source is not None and name != UNKNOWN else ""
        key = (_speaker_key(name), anonymous)
        meta.setdefault(key, (name, kind, anonymous))
        text = q.content.text_of(doc.text)
        occ = QuoteOccurrence(
            doc.id, doc.outlet, doc.published, q.content.start, q.content.end,
            text, q.cue.text_of(doc.text) if q.cue else None,
            tuple(speaker_name(s) for s in q.chain()[1:]),
            speaker_name(q.channel) if q.channel is not None else None,
        )  # fmt: skip
        groups.setdefault(key, {}).setdefault(_quote_key(text), []).append(occ)
    for short, longer in _short_forms(meta).items():
        for qkey, occs in groups.pop(short).items():
            groups[longer].setdefault(qkey, []).extend(occs)
    out = []
    for key, quotes in groups.items():
        name, kind, anonymous = meta[key]
        ordered = tuple(
            tuple(sorted(occs, key=lambda o: (o.published or "9999", o.doc_id, o.start)))
            for occs in quotes.values()
        )
        out.append(SpeakerQuotes(name, kind, anonymous, ordered))
    return sorted(out, key=lambda g: (g.speaker == UNKNOWN, -g.occurrences, g.speaker.casefold()))


def _short_forms(
    meta: dict[tuple[str, bool], tuple[str, str, bool]],
) -> dict[tuple[str, bool], tuple[str, bool]]:
    """A one-word named speaker that opens or ends exactly one longer named speaker of
    the story is that speaker ("Valtera" -> "Valtera Recycling", "Rambaud" ->
    "Pierre-Yves Rambaud" when one article gives only the surname)."""
    named = [k for k, (_, kind, anon) in meta.items() if kind in _NAMED and not anon]
    out = {}
    for key in named:
        words = key[0].split()
        if len(words) != 1:
            continue
        longer = [
            k for k in named
            if len(k[0].split()) > 1 and words[0] in (k[0].split()[0], k[0].split()[-1])
        ]  # fmt: skip
        if len(longer) == 1:
            out[key] = longer[0]
    return out


_NAMED = (SourceKind.PERSON.value, SourceKind.ORGANISATION.value)
