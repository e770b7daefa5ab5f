"""The Python API for researchers: ``recoupe.open(db)`` and what the CLI does, as methods
that return typed records (``recoupe.types``, ``recoupe.app``) instead of printing.

    import recoupe
    with recoupe.open("news.db") as rc:
        rc.run("articles.csv")
        for story in rc.stories(limit=10):
            print(story.id, story.title, len(story.members))
        for claim in rc.claims(story.id):
            print(claim.mention.text, claim.support.origins)

Each method calls the same ``recoupe.app`` function as the command of the same name
(``recoupe ingest`` -> ``ingest``, ``recoupe run`` -> ``run_all``, ``recoupe corroborate``
-> ``story_claims``, ``recoupe export`` -> ``export_stories`` + ``export_text``), so a
notebook and a shell script see the same results. docs/api.md is the reference.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Sequence
from datetime import date
from os import PathLike
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO, Literal, Self

from recoupe.app.corpus import (
    IngestReport,
    Outcomes,
    get_article,
    ingest,
    list_articles,
    list_rejections,
)
from recoupe.app.run import RunReport, executor_for, run_all
from recoupe.app.stories import export_stories, list_stories, story_report
from recoupe.app.views import ClaimRow, StoryView, claim_rows, story_view
from recoupe.config import STDIN_FORMATS, Settings, check_path_pattern, load_settings
from recoupe.config import store_location as _location
from recoupe.errors import ConfigError, UsageError
from recoupe.export import to_html, to_markdown
from recoupe.pipeline.corroboration import DEFAULT_WORDS
from recoupe.store.base import Store, StoredRejection
from recoupe.store.factory import open_store
from recoupe.types import Document, DocumentFilter, DocumentSummary, Story, StoryFilter
from recoupe.types import text_query as _text_query

ExportFormat = Literal["json", "md", "html"]
EXPORT_FORMATS: tuple[str, ...] = ("json", "md", "html")
# The date filters' rule, as in the web UI (recoupe.web.params): a date or its start.
_ISO_PREFIX = re.compile(r"\d{4}(-\d{2}(-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?)?)?")
Target = str | PathLike[str]


def iso_prefix(value: str | date | None, name: str = "date") -> str | None:
    """A date filter: an ISO date or its start ("2025", "2025-09"), a ``date`` or
    ``datetime``; None or blank: no filter. UsageError for anything else."""
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if not text:
        return None
    if not _ISO_PREFIX.fullmatch(text):
        raise UsageError(f"{name} must be an ISO date or its start (2025, 2025-09), "
                         f"not {value!r}")  # fmt: skip
    return text


def with_ingest_options(
    settings: Settings,
    *,
    allow_private: bool = False,
    follow_symlinks: bool = False,
    meta_from_path: str | None = None,
    stdin_format: str | None = None,
    names: tuple[str, str] = ("meta_from_path", "format"),
) -> Settings:
    """``settings`` with an ingest's own options applied: a switch only turns its setting
    on; a pattern or format given replaces the configured one. UsageError for a bad
    pattern or format, naming them as ``names`` (the CLI's option names)."""
    if allow_private:
        settings = dataclasses.replace(
            settings, fetch=dataclasses.replace(settings.fetch, allow_private=True)
        )
    changes: dict[str, Any] = {}
    if follow_symlinks:
        changes["follow_symlinks"] = True
    if meta_from_path is not None:
        try:
            check_path_pattern(meta_from_path, names[0])
        except ConfigError as exc:
            raise UsageError(str(exc)) from None
        changes["meta_from_path"] = meta_from_path
    if stdin_format is not None:
        if stdin_format not in STDIN_FORMATS or not stdin_format:
            shown = ", ".join(f for f in STDIN_FORMATS if f)
            raise UsageError(f"{names[1]} must be one of {shown}, not {stdin_format!r}")
        changes["stdin_format"] = stdin_format
    if changes:
        settings = dataclasses.replace(
            settings, ingest=dataclasses.replace(settings.ingest, **changes)
        )
    return settings


def export_text(document: dict[str, Any], fmt: str = "json") -> str:
    """An export document (``export_stories``) as the text of a file: JSON following
    docs/schema/export-v1.schema.json, or a Markdown or HTML report."""
    if fmt == "json":
        return json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    if fmt == "md":
        return to_markdown(document)
    if fmt == "html":
        return to_html(document)
    raise UsageError(f"export format must be one of {', '.join(EXPORT_FORMATS)}, not {fmt!r}")


def story_claims(
    store: Store, story_id: str | int, everything: bool = False, refresh: bool = False
) -> list[ClaimRow]:
    """The claims of a story grouped across its articles and languages, most independent
    origins first: those carried by 2+ articles or disputed (every one with
    ``everything``). Corroborates the story first when its stored findings are missing
    or stale (``story_report``)."""
    report = story_report(store, story_id, refresh=refresh)
    return claim_rows(report.findings, everything)


def _targets(targets: Sequence[Target]) -> list[str]:
    if not targets:
        raise UsageError("give at least one file, folder, URL or '-' (standard input)")
    return [str(t) for t in targets]


class Recoupe:
    """A store opened for a session of work (``recoupe.open``); close it when done (or
    use it in a ``with`` block). Methods return records; nothing is printed."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self._store = store
        self._settings = settings

    @property
    def store(self) -> Store:
        """The store behind this session (the ``Store`` protocol of ``recoupe.store``)."""
        return self._store

    @property
    def settings(self) -> Settings:
        return self._settings

    @property
    def location(self) -> str:
        return self._store.location

    def close(self) -> None:
        self._store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<recoupe {self.location}>"

    # ----- inputs ---------------------------------------------------------------------

    def ingest(
        self,
        *targets: Target,
        meta_from_path: str | None = None,
        format: str | None = None,
        follow_symlinks: bool = False,
        allow_private: bool = False,
        on_input: Outcomes | None = None,
        stdin: BinaryIO | None = None,
    ) -> IngestReport:
        """Read, clean and store articles from files, folders, URLs, feeds or ``"-"``
        (``stdin``, read as ``format`` or sniffed). ``on_input`` hears what became of
        each input (an ``InputOutcome``). Ingesting again adds nothing."""
        settings = with_ingest_options(
            self._settings, allow_private=allow_private, follow_symlinks=follow_symlinks,
            meta_from_path=meta_from_path, stdin_format=format,
        )  # fmt: skip
        return ingest(self._store, _targets(targets), settings, None, on_input, stdin)

    def run(
        self,
        *targets: Target,
        meta_from_path: str | None = None,
        follow_symlinks: bool = False,
        workers: int | None = None,
        engine: str = "local",
        scheduler: str | None = None,
        on_input: Outcomes | None = None,
    ) -> RunReport:
        """``recoupe run``: ingest ``targets``, then copies, stories and the findings of
        every story of 2+ articles (each step incremental)."""
        settings = with_ingest_options(self._settings, follow_symlinks=follow_symlinks,
                                       meta_from_path=meta_from_path)  # fmt: skip
        with executor_for(engine, workers, scheduler) as executor:
            return run_all(self._store, _targets(targets), settings, executor,
                           outcome=on_input)  # fmt: skip

    # ----- reading --------------------------------------------------------------------

    def articles(
        self,
        *,
        lang: str | None = None,
        outlet: str | None = None,
        since: str | date | None = None,
        until: str | date | None = None,
        search: str | None = None,
        limit: int | None = 50,
    ) -> list[DocumentSummary]:
        """Stored articles, newest first (``recoupe articles``); ``limit=None``: all."""
        flt = DocumentFilter(language=lang, outlet=outlet, since=iso_prefix(since, "since"),
                             until=iso_prefix(until, "until"), query=_text_query(search),
                             limit=limit)  # fmt: skip
        return list_articles(self._store, flt)

    def article(self, article_id: str) -> Document:
        """One article (id or unique prefix): metadata, clean text, removed lines."""
        return get_article(self._store, article_id)

    def rejections(self, limit: int | None = None) -> list[StoredRejection]:
        """Inputs that could not become articles, with the reason."""
        return list_rejections(self._store, limit)

    def stories(
        self,
        *,
        lang: str | None = None,
        outlet: str | None = None,
        since: str | date | None = None,
        until: str | date | None = None,
        search: str | None = None,
        topic: int | None = None,
        limit: int | None = 50,
    ) -> list[Story]:
        """Stories, most recent first, as built by the last ``run`` (``recoupe stories
        --no-update``); ``limit=None``: all."""
        flt = StoryFilter(lang, outlet, iso_prefix(since, "since"), iso_prefix(until, "until"),
                          _text_query(search), topic, limit)  # fmt: skip
        return list_stories(self._store, flt)

    def story(self, story: str | int | Story | StoryView) -> StoryView:
        """One story (an id, or a ``Story``): its row, articles, entities, topic, origin
        groups and, when a run corroborated it, its stored findings (summary, claims,
        disagreements) and quotes. Read from the store as it is now."""
        return story_view(self._store, _story_id(story), with_findings=True)

    def claims(
        self, story: str | int | Story | StoryView, *, all: bool = False, refresh: bool = False
    ) -> list[ClaimRow]:
        """The claims of a story with how many articles and how many *independent*
        origins carry each (``recoupe corroborate``); ``all``: also those one article
        carries."""
        return story_claims(self._store, _story_id(story), all, refresh)

    def export(
        self,
        stories: Sequence[str | int | Story | StoryView] = (),
        *,
        format: ExportFormat = "json",
        path: str | PathLike[str] | None = None,
        words: int = DEFAULT_WORDS,
        lang: str | None = None,
    ) -> dict[str, Any] | str:
        """Export stories (every story when none is given): the JSON document as a
        ``dict`` (``format="json"``) or the Markdown / HTML report as text; with ``path``,
        also written to that file."""
        if format not in EXPORT_FORMATS:
            raise UsageError(f"format must be one of {', '.join(EXPORT_FORMATS)}, "
                             f"not {format!r}")  # fmt: skip
        document = export_stories(self._store, [_story_id(s) for s in stories], words, lang)
        text = export_text(document, format) if path is not None or format != "json" else ""
        if path is not None:
            try:
                Path(path).write_text(text, encoding="utf-8")
            except OSError as exc:
                raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from exc
        return document if format == "json" else text


def _story_id(story: str | int | Story | StoryView) -> str | int:
    if isinstance(story, StoryView):
        return story.story.id
    if isinstance(story, Story):
        return story.id
    return story


def open_recoupe(
    db: str | PathLike[str] | None = None,
    *,
    config: str | PathLike[str] | None = None,
    settings: Settings | None = None,
) -> Recoupe:
    """Open (or create) a store for a session: ``db`` is a SQLite file or a
    ``postgresql://`` URL; without it, the one ``config`` (or ./recoupe.toml, or the
    default ./recoupe.db) names. ``settings`` replaces the configuration file."""
    if settings is None:
        settings = load_settings(Path(config) if config is not None else None)
    if db is not None:
        settings = dataclasses.replace(settings, db=_location(str(db)))
    return Recoupe(open_store(settings.db), settings)


__all__ = [
    "EXPORT_FORMATS",
    "Recoupe",
    "export_text",
    "iso_prefix",
    "open_recoupe",
    "story_claims",
    "with_ingest_options",
]
