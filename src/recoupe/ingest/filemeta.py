"""Metadata for files that carry none: a sidecar file, the path, folder defaults.

A folder of ``.txt`` files knows no outlet and no date, yet people keep them in a layout
that does (``<lang>/<topic>/<2011-02-03>/<name>.txt``, one folder per outlet). Three ways
to say so, in order of precedence (each fills only what the input itself left blank):

1. **sidecar**: ``NAME.json`` (or ``NAME.txt.json``) beside ``NAME.txt`` / ``NAME.html``,
   one JSON object with the usual field names (``title``, ``date``, ``source``, ``url``,
   ``author``, ``language``). Such a file is metadata, not an input: walking a folder skips
   it. One that is not a JSON object makes its article a ``malformed-sidecar`` rejection
   (metadata you wrote down should not be dropped silently).
2. **path**: ``--meta-from-path PATTERN`` / ``[ingest] meta_from_path``, e.g.
   ``{lang}/{topic}/{date}/{name}``, matched against the last segments of the path.
   Placeholders ``{lang}``/``{language}``, ``{date}`` (or ``{year}``, ``{month}``,
   ``{day}``), ``{outlet}``/``{source}``, ``{author}``, ``{title}`` give metadata; any
   other name (``{topic}``, ``{name}``, ``{*}``) matches a part and is ignored. A path
   that does not match gives nothing.
3. **folder defaults**: ``[[ingest.folders]]`` tables in ``recoupe.toml`` (``path``,
   ``outlet``, ``language``, ``author``, and a ``meta_from_path`` for that folder only).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import cache
from pathlib import Path

from recoupe.config import FolderDefaults, JsonFields, Settings
from recoupe.ingest.common import Item, Reject, merge_meta, normalise_language
from recoupe.ingest.jsonl import record_to_item
from recoupe.types import Metadata, RawDocument, Rejection

SIDECAR_MAX_BYTES = 1_000_000
# Files a sidecar may describe: a single article each.
_DESCRIBED = (".txt", ".md", ".html", ".htm", ".xhtml", ".txt.gz", ".html.gz", ".htm.gz")
_EXTENSIONS = re.compile(r"(?:\.[A-Za-z0-9]{1,5}){1,2}$")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def _described(path: Path) -> bool:
    return path.name.lower().endswith(_DESCRIBED)


def _stem(name: str) -> str:
    return _EXTENSIONS.sub("", name)


def sidecar_of(path: Path) -> Path | None:
    """The sidecar of a text or HTML file, if there is one."""
    if not _described(path):
        return None
    for candidate in (path.with_name(f"{_stem(path.name)}.json"),
                      path.with_name(f"{path.name}.json")):  # fmt: skip
        if candidate.is_file():
            return candidate
    return None


def is_sidecar(path: Path, siblings: Iterable[Path]) -> bool:
    """Whether ``path`` (a ``.json`` file) describes one of ``siblings``."""
    name = path.name
    if not name.lower().endswith(".json"):
        return False
    base = name[: -len(".json")]
    return any(_described(s) and (s.name == base or _stem(s.name) == base) for s in siblings)


def read_sidecar(path: Path, fields: JsonFields) -> Metadata:
    """The metadata a sidecar file gives (Reject ``malformed-sidecar`` if it is no object)."""
    try:
        if path.stat().st_size > SIDECAR_MAX_BYTES:
            raise Reject("malformed-sidecar", f"{path.name} is larger than 1 MB")
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise Reject("malformed-sidecar", f"{path.name}: {exc}") from exc
    if not isinstance(data, dict):
        raise Reject("malformed-sidecar", f"{path.name} holds {type(data).__name__}, not an object")
    data = {k: v for k, v in data.items() if k not in (*fields.text, *fields.html)}
    item = record_to_item(str(path), {**data, "text": "-"}, replace(fields, text=("text",)))
    if isinstance(item, Rejection):  # cannot happen with a text given; kept for safety
        raise Reject("malformed-sidecar", item.detail)
    meta = item.meta
    return replace(
        meta,
        published_source="sidecar" if meta.published else None,
        outlet_source="sidecar" if meta.outlet else None,
    )


# What a placeholder's part of the path must look like: a folder named "reference" is no
# date, "cl-tls" no language.
_SHAPES = {
    "date": r"(?:19|20)\d\d[-_.]?[01]\d[-_.]?[0-3]\d|[0-3]?\d[-_.][01]?\d[-_.](?:19|20)\d\d",
    "year": r"(?:19|20)\d\d",
    "month": r"[01]?\d",
    "day": r"[0-3]?\d",
    "lang": r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?",
    "language": r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?",
}


@cache
def _segment_regex(segment: str, last: bool) -> re.Pattern[str]:
    parts = []
    pos = 0
    for m in _PLACEHOLDER.finditer(segment):
        parts.append(re.escape(segment[pos : m.start()]))
        name = m.group(1)
        group = name if re.fullmatch(r"[A-Za-z_]\w*", name) else None
        shape = _SHAPES.get(name, ".+?")
        parts.append(f"(?P<{group}>{shape})" if group else ".+?")
        pos = m.end()
    parts.append(re.escape(segment[pos:]))
    return re.compile("^" + "".join(parts) + "$")


def path_values(path: Path, pattern: str) -> dict[str, str] | None:
    """Placeholder values of ``pattern`` in the last segments of ``path``, or None when
    the path does not match. The last segment is tried against the file name and
    against the name without its extensions."""
    segments = [s for s in pattern.strip("/").split("/") if s]
    parts = path.parts
    if not segments or len(parts) < len(segments):
        return None
    values: dict[str, str] = {}
    for k, (segment, part) in enumerate(zip(segments, parts[-len(segments) :], strict=True)):
        last = k == len(segments) - 1
        regex = _segment_regex(segment, last)
        m = regex.match(part) or (regex.match(_stem(part)) if last else None)
        if m is None:
            return None
        for name, value in m.groupdict().items():
            if name in values and values[name] != value:
                return None
            values[name] = value
    return values


def path_meta(path: Path, pattern: str, languages: tuple[str, ...] = ()) -> Metadata:
    """The metadata ``pattern`` reads from ``path`` (nothing when it does not match); a
    language must be one of ``languages`` (when given) to count."""
    values = path_values(path, pattern) if pattern else None
    if not values:
        return Metadata()
    date = values.get("date")
    if date is None and all(k in values for k in ("year", "month", "day")):
        date = f"{values['year']}-{values['month']}-{values['day']}"
    outlet = values.get("outlet") or values.get("source")
    language = normalise_language(values.get("lang") or values.get("language"))
    if languages and language not in languages:
        language = None
    return Metadata(
        outlet=outlet.strip() or None if outlet else None,
        outlet_source="path" if outlet else None,
        author=values.get("author") or None,
        title=values.get("title") or None,
        published=date,
        published_source="path" if date else None,
        language=language,
    )


def _folder_of(path: Path, folders: tuple[FolderDefaults, ...]) -> FolderDefaults | None:
    """The most specific ``[[ingest.folders]]`` entry holding ``path``."""
    try:
        real = path.resolve()
    except (OSError, RuntimeError):
        return None
    holding = [f for f in folders if real.is_relative_to(Path(f.path))]
    return max(holding, key=lambda f: len(Path(f.path).parts), default=None)


def file_meta(path: Path, settings: Settings) -> Metadata:
    """Sidecar, path and folder metadata of one file, merged by precedence."""
    ingest = settings.ingest
    folder = _folder_of(path, ingest.folders) if ingest.folders else None
    pattern = folder.meta_from_path if folder and folder.meta_from_path else ingest.meta_from_path
    meta = path_meta(path, pattern, settings.languages)
    if folder is not None:
        defaults = Metadata(
            outlet=folder.outlet or None,
            outlet_source="folder" if folder.outlet else None,
            language=folder.language or None,
            author=folder.author or None,
        )
        meta = merge_meta(meta, defaults)
    sidecar = sidecar_of(path)
    if sidecar is not None:
        meta = merge_meta(read_sidecar(sidecar, ingest.json_fields), meta)
    return meta


def with_file_meta(path: Path, items: Iterable[Item], settings: Settings) -> Iterator[Item]:
    """``items`` of one file with the file's sidecar, path and folder metadata filling
    their blanks (a broken sidecar rejects the file's documents)."""
    ingest = settings.ingest
    if not (ingest.meta_from_path or ingest.folders or _described(path)):
        yield from items
        return
    try:
        extra = file_meta(path, settings)
    except Reject as rej:
        for item in items:
            yield item if isinstance(item, Rejection) else rej.to_rejection(item.origin)
        return
    if extra == Metadata():
        yield from items
        return
    for item in items:
        if isinstance(item, RawDocument):
            yield replace(item, meta=merge_meta(item.meta, extra))
        else:
            yield item


__all__ = ["file_meta", "is_sidecar", "path_meta", "path_values", "sidecar_of", "with_file_meta"]
