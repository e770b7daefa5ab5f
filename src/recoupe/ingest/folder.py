"""Files and folders: walk in a stable order and hand each file to the reader for its type.

Folders are walked in sorted order so two runs see inputs in the same order (stable
origins, reproducible stores). Hidden files and folders are skipped (editor and VCS
litter); any other file a reader does not handle becomes an ``unsupported-type``
rejection rather than vanishing, because the user asked for the whole folder.

A ``NAME.json`` beside ``NAME.txt`` or ``NAME.html`` is that file's sidecar (its metadata,
``recoupe.ingest.filemeta``), not an input of its own.

Symbolic links are followed only while they stay inside the folder given (the *root*): a
link to ``/etc/passwd`` or to ``/`` in a downloaded corpus must not turn the machine's
files into articles. A link leading out is a ``symlink-outside`` rejection unless
``follow_symlinks`` is set; a loop is walked once either way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from recoupe.config import Settings
from recoupe.ingest.common import Item, guard
from recoupe.ingest.filemeta import is_sidecar, with_file_meta
from recoupe.ingest.html import looks_like_html, read_html
from recoupe.ingest.jsonl import iter_json, iter_jsonl
from recoupe.ingest.tables import iter_table
from recoupe.ingest.text import read_text
from recoupe.ingest.warc import iter_warc
from recoupe.types import RawDocument, Rejection

Reader = Callable[[Path, Settings], Iterable[Item]]


def _single(read: Callable[[Path, Settings], RawDocument]) -> Reader:
    """Adapt a one-document reader; a generator, so reading starts inside guard()."""

    def reader(path: Path, settings: Settings) -> Iterator[Item]:
        yield read(path, settings)

    return reader


_TEXT, _HTML = _single(read_text), _single(read_html)
_CONTAINERS: tuple[Reader, ...] = (iter_warc, iter_jsonl, iter_json, iter_table)
# Longest suffixes first: ".warc.gz" must win over ".gz".
_SUFFIXES: tuple[tuple[str, Reader], ...] = (
    (".csv.gz", iter_table),
    (".tsv.gz", iter_table),
    (".csv", iter_table),
    (".tsv", iter_table),
    (".tab", iter_table),
    (".warc.gz", iter_warc),
    (".warc", iter_warc),
    (".jsonl.gz", iter_jsonl),
    (".ndjson.gz", iter_jsonl),
    (".jsonl", iter_jsonl),
    (".ndjson", iter_jsonl),
    (".json.gz", iter_json),
    (".json", iter_json),
    (".html.gz", _HTML),
    (".htm.gz", _HTML),
    (".html", _HTML),
    (".htm", _HTML),
    (".xhtml", _HTML),
    (".txt.gz", _TEXT),
    (".txt", _TEXT),
    (".md", _TEXT),
)


def _by_name(path: Path) -> Reader | None:
    name = path.name.lower()
    return next((reader for suffix, reader in _SUFFIXES if name.endswith(suffix)), None)


def reader_for(path: Path) -> Reader | None:
    """The reader for a file: by extension (any case); a file with no extension is read
    as HTML if it opens like an HTML document, and is not guessed at otherwise."""
    reader = _by_name(path)
    if reader is None and not path.suffix:
        with path.open("rb") as stream:
            if looks_like_html(stream.read(512)):
                return _HTML
    return reader


def is_container(path: Path) -> bool:
    """True for files holding an unknown number of documents (JSON, JSON Lines, WARC)."""
    return _by_name(path) in _CONTAINERS


def walk(folder: Path, follow_symlinks: bool = False) -> Iterator[Path | Rejection]:
    """Regular files under ``folder``, sorted, hidden entries skipped. Symbolic links are
    followed when they stay under ``folder`` (or always, with ``follow_symlinks``); a
    folder reached twice (a loop) is walked once."""
    try:
        root = None if follow_symlinks else folder.resolve()
    except (OSError, RuntimeError) as exc:
        yield Rejection(str(folder), "read-error", f"cannot resolve folder: {exc}")
        return
    yield from _walk(folder, set(), root)


def _link_refusal(entry: Path, root: Path | None) -> Rejection | None:
    """Why the symbolic link ``entry`` is not followed, or None to follow it."""
    try:
        target = entry.resolve(strict=True)
    except FileNotFoundError:
        return Rejection(str(entry), "read-error", "broken symbolic link")
    except (OSError, RuntimeError) as exc:  # a loop of links raises one or the other
        return Rejection(str(entry), "read-error", f"symbolic link cannot be resolved: {exc}")
    if root is not None and not target.is_relative_to(root):
        detail = f"links to {target}, outside {root} (--follow-symlinks follows it)"
        return Rejection(str(entry), "symlink-outside", detail)
    return None


def _walk(folder: Path, seen: set[Path], root: Path | None) -> Iterator[Path | Rejection]:
    try:
        real = folder.resolve()
        if real in seen:
            return
        seen.add(real)
        entries = sorted(folder.iterdir(), key=lambda entry: entry.name)
    except (OSError, RuntimeError) as exc:
        yield Rejection(str(folder), "read-error", f"cannot list folder: {exc}")
        return
    for entry in entries:
        if entry.name.startswith(".") or is_sidecar(entry, entries):
            continue
        if entry.is_symlink() and (refusal := _link_refusal(entry, root)) is not None:
            yield refusal
        elif entry.is_dir():
            yield from _walk(entry, seen, root)
        elif entry.is_file():
            yield entry
        else:
            yield Rejection(str(entry), "unsupported-type", "not a regular file")


def iter_file(path: Path, settings: Settings) -> Iterator[Item]:
    """Every item of one file; nothing it contains can make this raise."""
    origin = str(path)
    if not path.is_file():  # never open a FIFO or device: it could block forever
        yield Rejection(origin, "unsupported-type", "not a regular file")
        return
    try:
        reader = reader_for(path)
    except OSError as exc:
        yield Rejection(origin, "read-error", f"{type(exc).__name__}: {exc}")
        return
    if reader is None:
        kind = f"'{path.suffix}' files" if path.suffix else "files without extension"
        yield Rejection(origin, "unsupported-type", f"no reader for {kind}")
        return
    yield from with_file_meta(path, guard(origin, reader(path, settings)), settings)


def iter_path(target: Path, settings: Settings) -> Iterator[Item]:
    """Items of a file, or of every file under a folder."""
    if not target.is_dir():
        yield from iter_file(target, settings)
        return
    for entry in walk(target, settings.ingest.follow_symlinks):
        if isinstance(entry, Rejection):
            yield entry
        else:
            yield from iter_file(entry, settings)
