"""Stage: RawDocument -> Document | Rejection (clean, identify language, split sentences).

Cleaning text input uses cross-document evidence (lines repeated in other articles of the
same outlet). That evidence lives in the store, which this stage must not import, so the
caller passes a ``LineCounts`` function; the stage adds the evidence of the batch itself, so
a first ingest of many articles of one outlet already benefits from it.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from recoupe.clean.html import clean_html
from recoupe.clean.text import clean_text, line_keys
from recoupe.config import Settings
from recoupe.nlp.langid import detect_language
from recoupe.nlp.sentences import split_sentences
from recoupe.types import Cleaned, Document, RawDocument, Rejection, RemovedLine

LineCounts = Callable[[str, Sequence[str]], Mapping[str, int]]
"""(outlet, line keys) -> for each key, in how many *stored* documents of the outlet it occurs."""


def content_hash(content: str) -> str:
    """SHA-256 of the content with Unicode and whitespace normalised, so re-ingesting the same
    article saved with other line endings or trailing spaces is recognised."""
    normal = " ".join(unicodedata.normalize("NFC", content).split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def document_id(digest: str) -> str:
    return digest[:16]


def _host_outlet(url: str | None) -> str | None:
    """The site's host name (without www.) when nothing better names the outlet."""
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


@dataclass(frozen=True, slots=True)
class _Pending:
    raw: RawDocument
    digest: str
    outlet: str | None  # outlet used for the line statistics
    keys: tuple[str, ...]


def _prepare(raw: RawDocument, digest: str) -> _Pending:
    """Learn the outlet before the real cleaning: a text page often names its site on its
    first line, which the header rule recognises."""
    outlet = raw.meta.outlet or _host_outlet(raw.meta.url)
    if raw.is_html:
        return _Pending(raw, digest, outlet, ())
    if outlet is None:
        outlet = clean_text(raw.content, raw.meta).meta.outlet
    return _Pending(raw, digest, outlet, tuple(line_keys(raw.content)))


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


def _clean(item: _Pending, repeated: Mapping[str, int]) -> Cleaned:
    meta = item.raw.meta
    if item.raw.is_html:  # the page's site name first; the host only when it names none
        cleaned = clean_html(item.raw.content, meta)
        if item.outlet and not cleaned.meta.outlet:
            cleaned = replace(cleaned, meta=replace(cleaned.meta, outlet=item.outlet))
        return cleaned
    if item.outlet and not meta.outlet:
        meta = replace(meta, outlet=item.outlet)
    return clean_text(item.raw.content, meta, repeated)


def _finish(item: _Pending, cleaned: Cleaned, settings: Settings) -> Document | Rejection:
    raw = item.raw
    if len(cleaned.text) < settings.ingest.min_chars:
        detail = f"{len(cleaned.text)} characters of article text left after cleaning"
        return Rejection(raw.origin, "no-text", detail)
    detected = detect_language(cleaned.text, settings.languages)
    language = detected or cleaned.meta.language
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
        language=language,
        sentences=split_sentences(cleaned.text, language),
    )


def _analyse(
    item: _Pending, repeated: Mapping[str, int], settings: Settings
) -> Document | Rejection:
    try:
        return _finish(item, _clean(item, repeated), settings)
    except Exception as exc:
        return Rejection(item.raw.origin, "clean-error", f"{type(exc).__name__}: {exc}")


@dataclass(frozen=True, slots=True)
class BatchResult:
    documents: list[Document]
    rejections: list[Rejection]
    duplicates: list[str]  # origins whose content was already stored or earlier in the batch
    outlet_lines: dict[str, tuple[str, tuple[str, ...]]]  # doc id -> (outlet, line keys)


def build_documents(
    raws: Iterable[RawDocument],
    settings: Settings,
    is_known: Callable[[str], bool],
    stored_counts: LineCounts,
) -> BatchResult:
    """Clean and analyse one batch. ``is_known(content_hash)`` says whether the store has the
    content already: such inputs (and repeats inside the batch) are duplicates, not work."""
    pending: list[_Pending] = []
    duplicates: list[str] = []
    rejections: list[Rejection] = []
    seen: set[str] = set()
    for raw in raws:
        digest = content_hash(raw.content)
        if digest in seen or is_known(digest):
            duplicates.append(raw.origin)
            continue
        seen.add(digest)
        try:
            pending.append(_prepare(raw, digest))
        except Exception as exc:
            rejections.append(Rejection(raw.origin, "clean-error", f"{type(exc).__name__}: {exc}"))
    evidence = _repetition_evidence(pending, stored_counts)
    documents: list[Document] = []
    outlet_lines: dict[str, tuple[str, tuple[str, ...]]] = {}
    for item in pending:
        result = _analyse(item, evidence.get(item.digest, {}), settings)
        if isinstance(result, Rejection):
            rejections.append(result)
            continue
        documents.append(result)
        if item.outlet and item.keys:
            outlet_lines[result.id] = (item.outlet, item.keys)
    return BatchResult(documents, rejections, duplicates, outlet_lines)


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
    "BatchResult",
    "LineCounts",
    "build_documents",
    "content_hash",
    "document_id",
    "restore_line",
]
