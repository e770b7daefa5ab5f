"""Stage: RawDocument -> Document | Rejection (clean, identify language, split sentences).

Cleaning text input uses cross-document evidence (lines repeated in other articles of the
same outlet). That evidence lives in the store, which this stage must not import, so the
caller passes a ``LineCounts`` function; the stage adds the evidence of the batch itself, so
a first ingest of many articles of one outlet already benefits from it.

Nothing one input holds can stop the batch: its strings are made valid first (lone
surrogates replaced, reported in ``BatchResult.repaired``), an HTML page too complex to
parse is refused before the parser sees it (``recoupe.pipeline.limits``), the cleaning and
analysis of each input run under a CPU and memory budget (``recoupe.pipeline.budget``:
``too-slow`` / ``too-complex``), and any exception becomes that input's rejection.

A page that is not an article (a block, consent or error page: ``recoupe.clean.walls``)
is a ``not-an-article`` rejection. Metadata the input gave is normalised before cleaning
and completed from the URL after it (``recoupe.pipeline.metadata``); outlets the store
already knows (``known_outlets``) let a text's header line be recognised as one.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, fields, replace

from recoupe.clean.dates import DAY_FIRST_LANGUAGES, find_dates, numeric_order
from recoupe.clean.html import clean_html
from recoupe.clean.outlets import host_outlet
from recoupe.clean.text import clean_text, line_keys
from recoupe.clean.walls import judge
from recoupe.config import Settings
from recoupe.ingest.valid import valid_text
from recoupe.nlp.langid import detect_language
from recoupe.nlp.sentences import split_sentences
from recoupe.pipeline import metadata
from recoupe.pipeline.budget import (
    Budget,
    InProcess,
    Overrun,
    Runner,
    Worker,
    WorkerPool,
    runner_for,
)
from recoupe.pipeline.limits import check_html, watch_parser
from recoupe.types import (
    Cleaned,
    Document,
    InputKind,
    Metadata,
    RawDocument,
    Rejection,
    RemovedLine,
    Sentence,
)

LineCounts = Callable[[str, Sequence[str]], Mapping[str, int]]
"""(outlet, line keys) -> for each key, in how many *stored* documents of the outlet it occurs."""


def content_hash(content: str) -> str:
    """SHA-256 of the content with Unicode and whitespace normalised, so re-ingesting the same
    article saved with other line endings or trailing spaces is recognised."""
    normal = " ".join(unicodedata.normalize("NFC", content).split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def document_id(digest: str) -> str:
    return digest[:16]


def document_runner(settings: Settings, workers: int = 1) -> Worker | WorkerPool | InProcess:
    """What runs each document's cleaning: budgeted worker processes (``workers`` of
    them, cleaning that many documents at once), or this process when ``[ingest]
    doc_cpu_seconds`` and ``doc_memory_mb`` are both 0. Use one for a whole run
    (``with document_runner(settings) as runner``)."""
    ingest = settings.ingest
    budget = Budget(ingest.doc_cpu_seconds, ingest.doc_memory_mb)
    return runner_for(budget, lambda: warm_up(settings.languages), workers)


_WARM_TEXT = (
    "The harbour reopened on Monday after the fire, the port authority said. "
    "Le port a rouvert lundi après l'incendie, a indiqué l'autorité portuaire."
)


def warm_up(languages: tuple[str, ...]) -> None:
    """Load what cleaning loads on first use (the language model: 1.2 s; trafilatura's
    lazily built state) here, before a worker is forked, so that every worker, including
    one replacing a worker stopped over its budget, starts with it in memory."""
    page = f"<html><body><article><p>{_WARM_TEXT}</p></article></body></html>"
    for raw in (RawDocument("warm-up", InputKind.TEXT, _WARM_TEXT, False),
                RawDocument("warm-up", InputKind.HTML, page, True)):  # fmt: skip
        analyse_document(raw, None, {}, languages, 0)


def _failure(raw: RawDocument, exc: Exception) -> Rejection:
    """An unexpected exception costs only the input it happened on."""
    return Rejection(raw.origin, "clean-error", f"{type(exc).__name__}: {exc}")


@dataclass(frozen=True, slots=True)
class Repaired:
    """An input stored after its text was made valid: what was replaced."""

    origin: str
    detail: str


def _valid_raw(raw: RawDocument) -> tuple[RawDocument, str | None]:
    """``raw`` with its content and metadata made valid (``recoupe.ingest.valid``), and
    what was replaced (None when nothing was lost: a split surrogate pair is only joined)."""
    content, bad = valid_text(raw.content)
    where = ["text"] if bad else []
    changed: dict[str, str] = {}
    for f in fields(Metadata):
        value = getattr(raw.meta, f.name)
        if isinstance(value, str):
            fixed, n = valid_text(value)
            if fixed != value:
                changed[f.name] = fixed
            if n:
                bad += n
                where.append(f.name)
    if content == raw.content and not changed:
        return raw, None
    raw = replace(raw, content=content, meta=replace(raw.meta, **changed))
    if not bad:
        return raw, None
    places = ", ".join(where)
    return raw, f"{bad} invalid character(s) (lone surrogates) replaced by U+FFFD in {places}"


def _refusal(raw: RawDocument, settings: Settings) -> Rejection | None:
    """A page the parser must not be given (see ``recoupe.pipeline.limits``)."""
    if not raw.is_html:
        return None
    why = check_html(raw.content, settings.ingest.max_elements, settings.ingest.max_attributes)
    return Rejection(raw.origin, "too-complex", why) if why else None


@dataclass(frozen=True, slots=True)
class _Pending:
    raw: RawDocument
    digest: str
    outlet: str | None  # outlet used for the line statistics
    keys: tuple[str, ...]


def text_outlet_and_keys(
    raw: RawDocument, known: Collection[str] = ()
) -> tuple[str | None, tuple[str, ...]]:
    """(outlet named by the text itself, line keys) of a text input: worker task.

    The outlet is learnt before the real cleaning because a text page often names its
    site on its first line, which the header rule recognises (``known``: outlets the
    store knows)."""
    outlet = raw.meta.outlet or host_outlet(raw.meta.url)
    if outlet is None:
        outlet = clean_text(raw.content, raw.meta, known_outlets=known).meta.outlet
    return outlet, tuple(line_keys(raw.content))


_SMALL_TEXT = 100_000  # characters: a text input this small cleans in milliseconds


def texts_outlets_and_keys(
    raws: Sequence[RawDocument], known: Collection[str] = ()
) -> list[tuple[str | None, tuple[str, ...]]]:
    """``text_outlet_and_keys`` of several inputs: one worker task for a whole batch."""
    return [text_outlet_and_keys(raw, known) for raw in raws]


def _prepare_one(
    raw: RawDocument, digest: str, runner: Runner, known: Collection[str]
) -> _Pending | Rejection:
    try:
        found = runner.run(text_outlet_and_keys, raw, known)
    except Exception as exc:
        return _failure(raw, exc)
    if isinstance(found, Overrun):
        return Rejection(raw.origin, found.reason, found.detail)
    return _Pending(raw, digest, *found)


def _prepare(
    items: Sequence[tuple[RawDocument, str]], runner: Runner, known: Collection[str]
) -> list[_Pending | Rejection]:
    """The outlet and line keys of each input. Text inputs are read in the worker: the
    small ones of a batch in one task (if that task fails or overruns, one task per input
    finds which did), a large one, which alone could use the budget, on its own."""
    out: dict[int, _Pending | Rejection] = {}
    texts = []
    for k, (raw, digest) in enumerate(items):
        if raw.is_html:
            out[k] = _Pending(raw, digest, raw.meta.outlet or host_outlet(raw.meta.url), ())
        elif len(raw.content) > _SMALL_TEXT:
            out[k] = _prepare_one(raw, digest, runner, known)
        else:
            texts.append((k, raw, digest))
    if len(texts) == 1:
        k, raw, digest = texts[0]
        out[k] = _prepare_one(raw, digest, runner, known)
    elif texts:
        try:
            found = runner.run(texts_outlets_and_keys, [raw for _, raw, _ in texts], known)
        except Exception:
            found = None
        if isinstance(found, list):
            for (k, raw, digest), (outlet, keys) in zip(texts, found, strict=True):
                out[k] = _Pending(raw, digest, outlet, keys)
        else:
            for k, raw, digest in texts:
                out[k] = _prepare_one(raw, digest, runner, known)
    return [out[k] for k in range(len(items))]


def _repetition_evidence(
    pending: Sequence[_Pending], stored_counts: LineCounts
) -> dict[str, dict[str, int]]:
    """Per document id: line key -> number of OTHER documents of its outlet with that line
    (stored documents plus the rest of this batch)."""
    by_outlet: dict[str, list[_Pending]] = defaultdict(list)
    for item in pending:
        if item.outlet and item.keys:
            by_outlet[item.outlet].append(item)
    evidence: dict[str, dict[str, int]] = {}
    for outlet, items in by_outlet.items():
        batch = Counter(key for item in items for key in item.keys)
        stored = stored_counts(outlet, list(batch))
        for item in items:
            evidence[item.digest] = {
                key: stored.get(key, 0) + batch[key] - 1
                for key in item.keys
                if stored.get(key, 0) + batch[key] > 1
            }
    return evidence


def _clean(
    raw: RawDocument, outlet: str | None, repeated: Mapping[str, int],
    known: Collection[str], language: str | None = None,
) -> Cleaned:  # fmt: skip
    """Clean one input; the outlet the first pass found (site name, host, masthead) is
    kept; what is still blank is filled from the URL."""
    meta = raw.meta
    if raw.is_html:  # the page's site name first; the host only when it names none
        cleaned = clean_html(raw.content, meta)
    else:
        if outlet and not meta.outlet:
            source = "host" if outlet == host_outlet(meta.url) else "masthead"
            meta = replace(meta, outlet=outlet, outlet_source=source)
        cleaned = clean_text(raw.content, meta, repeated, known_outlets=known, language=language)
    return replace(cleaned, meta=metadata.complete(cleaned.meta))


def _reads_dates_by_language(content: str) -> bool:
    """Whether the top of a text has a numeric date only its language can read
    (``05/03/2013``: day first in French, unknown in English)."""
    head = content[:3000].splitlines()[:40]
    if numeric_order(head) is not None:
        return False
    return any(find_dates(line) != find_dates(line, "fr") for line in head)


@dataclass(frozen=True, slots=True)
class Analysed:
    """What a worker sends back for one input: everything a Document needs but the raw
    content, which the caller already holds."""

    cleaned: Cleaned
    language: str | None
    sentences: tuple[Sentence, ...]


def analyse_document(
    raw: RawDocument,
    outlet: str | None,
    repeated: Mapping[str, int],
    languages: tuple[str, ...],
    min_chars: int,
    known: Collection[str] = (),
) -> Analysed | Rejection:
    """Clean one input, identify its language, split its sentences: worker task.

    A text whose only dates are numeric dates its language must read (``05/03/2013``)
    is cleaned again once its language is known, so that date is read day first in
    French and left unread in English."""
    with watch_parser() as parser:
        cleaned = _clean(raw, outlet, repeated, known)
    if raw.is_html and parser.stopped:  # what was read may be a cut article
        detail = f"the HTML parser stopped reading the page: {parser.stopped}"
        return Rejection(raw.origin, "too-complex", detail)
    notices = [r.text for r in cleaned.removed if r.reason == "cookie-banner"]
    if (verdict := judge(cleaned.text, notices)) is not None:
        return Rejection(raw.origin, "not-an-article", verdict.detail)
    if len(cleaned.text) < min_chars:
        detail = f"{len(cleaned.text)} characters of article text left after cleaning"
        return Rejection(raw.origin, "no-text", detail)
    detected = detect_language(cleaned.text, languages)
    language = detected or cleaned.meta.language
    if (not raw.is_html and not cleaned.meta.published and language in DAY_FIRST_LANGUAGES
            and _reads_dates_by_language(raw.content)):  # fmt: skip
        redated = _clean(raw, outlet, repeated, known, language)
        if redated.meta.published:
            cleaned = redated
    return Analysed(cleaned, language, split_sentences(cleaned.text, language))


def _analyse_all(
    pending: Sequence[_Pending], evidence: Mapping[str, Mapping[str, int]],
    settings: Settings, runner: Runner, known: Collection[str],
) -> list[Document | Rejection]:  # fmt: skip
    """``_analyse`` of each item, in order; with a pool of workers (``WorkerPool``) as
    many at once as it has workers (threads only wait on the worker processes)."""
    size = getattr(runner, "size", 1)

    def one(item: _Pending) -> Document | Rejection:
        return _analyse(item, evidence.get(item.digest, {}), settings, runner, known)

    if size <= 1 or len(pending) <= 1:
        return [one(item) for item in pending]
    with ThreadPoolExecutor(max_workers=size) as threads:
        return list(threads.map(one, pending))


def _analyse(
    item: _Pending, repeated: Mapping[str, int], settings: Settings, runner: Runner,
    known: Collection[str],
) -> Document | Rejection:  # fmt: skip
    raw = item.raw
    try:
        result = runner.run(analyse_document, raw, item.outlet, repeated, settings.languages,
                            settings.ingest.min_chars, known)  # fmt: skip
    except Exception as exc:
        return _failure(raw, exc)
    if isinstance(result, Overrun):
        return Rejection(raw.origin, result.reason, result.detail)
    if isinstance(result, Rejection):
        return result
    cleaned = result.cleaned
    return Document(
        id=document_id(item.digest),
        content_hash=item.digest,
        origin=raw.origin,
        kind=raw.kind,
        meta=cleaned.meta,
        raw=raw.content,
        is_html=raw.is_html,
        text=cleaned.text,
        removed=cleaned.removed,
        language=result.language,
        sentences=result.sentences,
    )


@dataclass(frozen=True, slots=True)
class BatchResult:
    documents: list[Document]
    rejections: list[Rejection]
    duplicates: list[str]  # origins whose content was already stored or earlier in the batch
    outlet_lines: dict[str, tuple[str, tuple[str, ...]]]  # doc id -> (outlet, line keys)
    repaired: list[Repaired]  # inputs whose text had to be made valid (kept, not rejected)
    duplicate_of: dict[str, str] = field(default_factory=dict)  # origin -> stored doc id


@dataclass(slots=True)
class _FirstPass:
    pending: list[_Pending]
    duplicates: dict[str, str]  # origin -> document id of its content
    repeats: dict[str, str]  # origin -> the earlier input of this batch with its content
    rejections: list[Rejection]
    repaired: list[Repaired]


def _first_pass(
    raws: Iterable[RawDocument], settings: Settings, is_known: Callable[[str], bool],
    runner: Runner, known: Collection[str],
) -> _FirstPass:  # fmt: skip
    """Valid strings, content hash, duplicates, refusals and the outlet of each input."""
    todo: list[tuple[RawDocument, str]] = []
    duplicates: dict[str, str] = {}
    repeats: dict[str, str] = {}
    rejections: list[Rejection] = []
    repaired: list[Repaired] = []
    seen: dict[str, str] = {}
    for raw in raws:
        try:
            raw, repair = _valid_raw(raw)
            raw = metadata.normalise(raw)
            digest = content_hash(raw.content)
        except Exception as exc:  # one input's failure is its own
            rejections.append(_failure(raw, exc))
            continue
        if digest in seen or is_known(digest):
            duplicates[raw.origin] = document_id(digest)
            if digest in seen:
                repeats[raw.origin] = seen[digest]
            continue
        seen[digest] = raw.origin
        if repair:
            repaired.append(Repaired(raw.origin, repair))
        try:
            refusal = _refusal(raw, settings)
        except Exception as exc:
            refusal = _failure(raw, exc)
        if refusal:
            rejections.append(refusal)
        else:
            todo.append((raw, digest))
    pending = []
    for work in _prepare(todo, runner, known):
        if isinstance(work, Rejection):
            rejections.append(work)
        else:
            pending.append(work)
    return _FirstPass(pending, duplicates, repeats, rejections, repaired)


def _repeats_of_rejected(first: _FirstPass) -> None:
    """An input repeating, in the same batch, one that was rejected is not a duplicate of
    anything stored: it is rejected alike (moved from ``duplicates`` to ``rejections``)."""
    rejected = {r.origin: r for r in first.rejections}
    for origin, twin in first.repeats.items():
        if twin in rejected and origin in first.duplicates:
            rej = rejected[twin]
            del first.duplicates[origin]
            detail = f"same content as {twin}: {rej.detail}" if rej.detail else f"as {twin}"
            first.rejections.append(Rejection(origin, rej.reason, detail))


def build_documents(
    raws: Iterable[RawDocument],
    settings: Settings,
    is_known: Callable[[str], bool],
    stored_counts: LineCounts,
    runner: Runner | None = None,
    known_outlets: Collection[str] = (),
) -> BatchResult:
    """Clean and analyse one batch. ``is_known(content_hash)`` says whether the store has the
    content already: such inputs (and repeats inside the batch) are duplicates, not work.
    ``runner`` runs each input's work: ``document_runner(settings)`` gives it its budget
    (``recoupe.app.ingest`` does); by default it runs here, without one. ``known_outlets``:
    outlet names the store holds (a text's header line naming one is its outlet). Each
    input ends as exactly one document, duplicate or rejection."""
    runner = runner or InProcess()
    known = frozenset(known_outlets)
    first = _first_pass(raws, settings, is_known, runner, known)
    evidence = _repetition_evidence(first.pending, stored_counts)
    documents: list[Document] = []
    outlet_lines: dict[str, tuple[str, tuple[str, ...]]] = {}
    for item, result in zip(first.pending,
                            _analyse_all(first.pending, evidence, settings, runner, known),
                            strict=True):  # fmt: skip
        if isinstance(result, Rejection):
            first.rejections.append(result)
            continue
        documents.append(result)
        if item.outlet and item.keys:
            outlet_lines[result.id] = (item.outlet, item.keys)
    _repeats_of_rejected(first)
    return BatchResult(documents, first.rejections, list(first.duplicates), outlet_lines,
                       first.repaired, first.duplicates)  # fmt: skip


def _stands_after(line: RemovedLine, target: RemovedLine) -> bool:
    """Removed lines anchored where the restored line goes keep their input order."""
    return line.anchor > target.anchor or (
        line.anchor == target.anchor and line.line_no > target.line_no
    )


def restore_line(doc: Document, line_no: int, language_hint: str | None = None) -> Document:
    """Put a removed line back into the body at its anchor, as its own paragraph, and redo
    the offsets that depend on it. Works the same for text and HTML documents."""
    target = next((r for r in doc.removed if r.line_no == line_no), None)
    if target is None:
        raise KeyError(line_no)
    anchor = target.anchor
    insert = target.text + ("\n\n" if anchor < len(doc.text) else "")
    prefix = "\n\n" if anchor == len(doc.text) and doc.text else ""
    text = doc.text[:anchor] + prefix + insert + doc.text[anchor:]
    shift = len(prefix) + len(insert)
    removed = tuple(
        replace(r, anchor=r.anchor + shift) if _stands_after(r, target) else r
        for r in doc.removed
        if r is not target
    )
    language = doc.language or language_hint
    return replace(doc, text=text, removed=removed, sentences=split_sentences(text, language))


__all__ = [
    "Analysed",
    "BatchResult",
    "LineCounts",
    "Repaired",
    "analyse_document",
    "build_documents",
    "content_hash",
    "document_id",
    "document_runner",
    "restore_line",
]
