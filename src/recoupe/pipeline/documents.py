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
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields, replace
from urllib.parse import urlsplit

from recoupe.clean.html import clean_html
from recoupe.clean.text import clean_text, line_keys
from recoupe.config import Settings
from recoupe.ingest.valid import valid_text
from recoupe.nlp.langid import detect_language
from recoupe.nlp.sentences import split_sentences
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


def _host_outlet(url: str | None) -> str | None:
    """The site's host name (without www.) when nothing better names the outlet."""
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


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


def text_outlet_and_keys(raw: RawDocument) -> tuple[str | None, tuple[str, ...]]:
    """(outlet named by the text itself, line keys) of a text input: worker task.

    The outlet is learnt before the real cleaning because a text page often names its
    site on its first line, which the header rule recognises."""
    outlet = raw.meta.outlet or _host_outlet(raw.meta.url)
    if outlet is None:
        outlet = clean_text(raw.content, raw.meta).meta.outlet
    return outlet, tuple(line_keys(raw.content))


_SMALL_TEXT = 100_000  # characters: a text input this small cleans in milliseconds


def texts_outlets_and_keys(
    raws: Sequence[RawDocument],
) -> list[tuple[str | None, tuple[str, ...]]]:
    """``text_outlet_and_keys`` of several inputs: one worker task for a whole batch."""
    return [text_outlet_and_keys(raw) for raw in raws]


def _prepare_one(raw: RawDocument, digest: str, runner: Runner) -> _Pending | Rejection:
    try:
        found = runner.run(text_outlet_and_keys, raw)
    except Exception as exc:
        return _failure(raw, exc)
    if isinstance(found, Overrun):
        return Rejection(raw.origin, found.reason, found.detail)
    return _Pending(raw, digest, *found)


def _prepare(
    items: Sequence[tuple[RawDocument, str]], runner: Runner
) -> list[_Pending | Rejection]:
    """The outlet and line keys of each input. Text inputs are read in the worker: the
    small ones of a batch in one task (if that task fails or overruns, one task per input
    finds which did), a large one, which alone could use the budget, on its own."""
    out: dict[int, _Pending | Rejection] = {}
    texts = []
    for k, (raw, digest) in enumerate(items):
        if raw.is_html:
            out[k] = _Pending(raw, digest, raw.meta.outlet or _host_outlet(raw.meta.url), ())
        elif len(raw.content) > _SMALL_TEXT:
            out[k] = _prepare_one(raw, digest, runner)
        else:
            texts.append((k, raw, digest))
    if len(texts) == 1:
        k, raw, digest = texts[0]
        out[k] = _prepare_one(raw, digest, runner)
    elif texts:
        try:
            found = runner.run(texts_outlets_and_keys, [raw for _, raw, _ in texts])
        except Exception:
            found = None
        if isinstance(found, list):
            for (k, raw, digest), (outlet, keys) in zip(texts, found, strict=True):
                out[k] = _Pending(raw, digest, outlet, keys)
        else:
            for k, raw, digest in texts:
                out[k] = _prepare_one(raw, digest, runner)
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


def _clean(raw: RawDocument, outlet: str | None, repeated: Mapping[str, int]) -> Cleaned:
    meta = raw.meta
    if raw.is_html:  # the page's site name first; the host only when it names none
        cleaned = clean_html(raw.content, meta)
        if outlet and not cleaned.meta.outlet:
            cleaned = replace(cleaned, meta=replace(cleaned.meta, outlet=outlet))
        return cleaned
    if outlet and not meta.outlet:
        meta = replace(meta, outlet=outlet)
    return clean_text(raw.content, meta, repeated)


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
) -> Analysed | Rejection:
    """Clean one input, identify its language, split its sentences: worker task."""
    with watch_parser() as parser:
        cleaned = _clean(raw, outlet, repeated)
    if raw.is_html and parser.stopped:  # what was read may be a cut article
        detail = f"the HTML parser stopped reading the page: {parser.stopped}"
        return Rejection(raw.origin, "too-complex", detail)
    if len(cleaned.text) < min_chars:
        detail = f"{len(cleaned.text)} characters of article text left after cleaning"
        return Rejection(raw.origin, "no-text", detail)
    detected = detect_language(cleaned.text, languages)
    language = detected or cleaned.meta.language
    return Analysed(cleaned, language, split_sentences(cleaned.text, language))


def _analyse_all(
    pending: Sequence[_Pending], evidence: Mapping[str, Mapping[str, int]],
    settings: Settings, runner: Runner,
) -> list[Document | Rejection]:  # fmt: skip
    """``_analyse`` of each item, in order; with a pool of workers (``WorkerPool``) as
    many at once as it has workers (threads only wait on the worker processes)."""
    size = getattr(runner, "size", 1)

    def one(item: _Pending) -> Document | Rejection:
        return _analyse(item, evidence.get(item.digest, {}), settings, runner)

    if size <= 1 or len(pending) <= 1:
        return [one(item) for item in pending]
    with ThreadPoolExecutor(max_workers=size) as threads:
        return list(threads.map(one, pending))


def _analyse(
    item: _Pending, repeated: Mapping[str, int], settings: Settings, runner: Runner
) -> Document | Rejection:
    raw = item.raw
    try:
        result = runner.run(analyse_document, raw, item.outlet, repeated, settings.languages,
                            settings.ingest.min_chars)  # fmt: skip
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


def _first_pass(
    raws: Iterable[RawDocument], settings: Settings, is_known: Callable[[str], bool],
    runner: Runner,
) -> tuple[list[_Pending], list[str], list[Rejection], list[Repaired]]:  # fmt: skip
    """Valid strings, content hash, duplicates, refusals and the outlet of each input:
    (pending work, duplicate origins, rejections, repairs)."""
    todo: list[tuple[RawDocument, str]] = []
    duplicates: list[str] = []
    rejections: list[Rejection] = []
    repaired: list[Repaired] = []
    seen: set[str] = set()
    for raw in raws:
        try:
            raw, repair = _valid_raw(raw)
            digest = content_hash(raw.content)
        except Exception as exc:  # one input's failure is its own
            rejections.append(_failure(raw, exc))
            continue
        if digest in seen or is_known(digest):
            duplicates.append(raw.origin)
            continue
        seen.add(digest)
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
    for work in _prepare(todo, runner):
        if isinstance(work, Rejection):
            rejections.append(work)
        else:
            pending.append(work)
    return pending, duplicates, rejections, repaired


def build_documents(
    raws: Iterable[RawDocument],
    settings: Settings,
    is_known: Callable[[str], bool],
    stored_counts: LineCounts,
    runner: Runner | None = None,
) -> BatchResult:
    """Clean and analyse one batch. ``is_known(content_hash)`` says whether the store has the
    content already: such inputs (and repeats inside the batch) are duplicates, not work.
    ``runner`` runs each input's work: ``document_runner(settings)`` gives it its budget
    (``recoupe.app.ingest`` does); by default it runs here, without one. Each input ends
    as exactly one document, duplicate or rejection."""
    runner = runner or InProcess()
    pending, duplicates, rejections, repaired = _first_pass(raws, settings, is_known, runner)
    evidence = _repetition_evidence(pending, stored_counts)
    documents: list[Document] = []
    outlet_lines: dict[str, tuple[str, tuple[str, ...]]] = {}
    for item, result in zip(pending, _analyse_all(pending, evidence, settings, runner),
                            strict=True):  # fmt: skip
        if isinstance(result, Rejection):
            rejections.append(result)
            continue
        documents.append(result)
        if item.outlet and item.keys:
            outlet_lines[result.id] = (item.outlet, item.keys)
    return BatchResult(documents, rejections, duplicates, outlet_lines, repaired)


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
