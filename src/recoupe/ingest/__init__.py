"""Readers that turn inputs into ``RawDocument | Rejection`` (I/O only, no cleaning).

A target is a file, a folder (walked recursively), an http(s) URL, or ``-`` (standard
input, ``recoupe.ingest.stdin``). A path that does not
exist stops the command (:class:`~recoupe.errors.InputError`); anything wrong with an
input's *content* becomes a :class:`~recoupe.types.Rejection` and the run goes on. Every
item leaves with a valid origin (``recoupe.ingest.valid``: a file name that is not UTF-8
keeps its odd bytes as ``\\xNN``). Supported inputs and reason codes: docs/inputs.md.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from recoupe.config import Settings
from recoupe.errors import InputError
from recoupe.ingest.common import REASONS, Item, guard
from recoupe.ingest.folder import is_container, iter_path, reader_for, walk
from recoupe.ingest.stdin import STDIN, iter_stdin
from recoupe.ingest.valid import valid_item
from recoupe.types import RawDocument, Rejection

if TYPE_CHECKING:
    from recoupe.ingest.fetch import Fetcher

__all__ = ["REASONS", "count_inputs", "is_url", "iter_inputs"]

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


def is_url(target: str) -> bool:
    """True for anything written ``scheme://...``: such a target is never a path, so
    ``file://`` and ``ftp://`` are refused as URLs instead of being looked up on disk."""
    return _SCHEME.match(target) is not None


def _check_paths(targets: Sequence[str]) -> None:
    """Fail before any work if a path is missing: a typo should not cost half a run."""
    if list(targets).count(STDIN) > 1:
        raise InputError("standard input (-) can be read once: give - once")
    for target in targets:
        if target != STDIN and not is_url(target) and not Path(target).exists():
            raise InputError(f"no such file or folder: {target}")


def iter_inputs(
    targets: Sequence[str], settings: Settings, stdin: BinaryIO | None = None
) -> Iterator[RawDocument | Rejection]:
    """Every document or rejection of ``targets``, in order (folders in sorted order);
    the target ``-`` reads ``stdin`` (by default the process's standard input).

    Raises InputError at once if a path does not exist; never raises for bad content.
    """
    _check_paths(targets)
    return _iterate(list(targets), settings, stdin)


def _iterate(targets: list[str], settings: Settings, stdin: BinaryIO | None) -> Iterator[Item]:
    fetcher: Fetcher | None = None  # one per run: robots.txt cache and rate limits
    try:
        for target in targets:
            if target == STDIN:
                stream = stdin if stdin is not None else sys.stdin.buffer
                items = guard(target, iter_stdin(settings, stream, reader_for))
            elif not is_url(target):
                items = guard(target, iter_path(Path(target), settings))
            else:
                # imported here, so httpx and feedparser load only when URLs are given
                from recoupe.ingest.fetch import Fetcher
                from recoupe.ingest.web import iter_url

                fetcher = fetcher or Fetcher(settings.fetch)
                items = guard(target, iter_url(target, fetcher))
            for item in items:
                yield valid_item(item)
    finally:
        if fetcher is not None:
            fetcher.close()


def count_inputs(targets: Sequence[str], settings: Settings) -> int | None:
    """How many items ``iter_inputs`` will yield, for a progress bar: the number of files.

    None when that cannot be known cheaply: a URL (a feed has many entries) or a
    container file (JSON, JSON Lines, WARC hold many records). Raises InputError like
    iter_inputs.
    """
    _check_paths(targets)
    total = 0
    follow = settings.ingest.follow_symlinks
    for target in targets:
        if is_url(target) or target == STDIN:
            return None
        path = Path(target)
        for entry in walk(path, follow) if path.is_dir() else [path]:
            if isinstance(entry, Path) and is_container(entry):
                return None
            total += 1
    return total
