"""Typed settings with defaults, read from one TOML file and overridden from the CLI.

The file is ``recoupe.toml`` in the working folder (or ``--config PATH``); every key is
optional. Sections mirror the dataclasses below, e.g.::

    [ingest]
    max_bytes = 20_000_000
    [ingest.json_fields]
    text = ["body", "text"]
    [fetch]
    timeout = 15.0
    allow_private = false

Every value is checked, whether it comes from the file or from code: its type (TOML's,
strictly: ``batch_size = 2.5`` and ``languages = "fr"`` are errors, not guesses) and its
range (``batch_size = 0`` would silently ingest nothing). A bad value raises ConfigError
with one line naming the setting and what it accepts (exit code 6).
"""

from __future__ import annotations

import dataclasses
import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from recoupe.errors import ConfigError

DEFAULT_LANGUAGES = (
    "en", "fr", "de", "es", "it", "pt", "nl", "pl", "ru", "uk", "tr", "ar", "zh",
)  # fmt: skip

_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _range(low: float, high: float) -> dict[str, tuple[float, float]]:
    """Field metadata: the inclusive range a number must fall in."""
    return {"range": (low, high)}


def _number(value: Any, name: str, want: type, low: float, high: float) -> None:
    """Raise ConfigError unless ``value`` is a finite number of type ``want`` in range."""
    kind = "an integer" if want is int else "a number"
    if isinstance(value, bool) or not isinstance(value, (int, float) if want is float else int):
        raise ConfigError(f"{name} must be {kind} from {low:g} to {high:g}, not {value!r}")
    if not math.isfinite(value) or not low <= value <= high:
        raise ConfigError(f"{name} must be {kind} from {low:g} to {high:g}, not {value!r}")


def _strings(value: Any, name: str, allow_empty: bool = True) -> None:
    if not isinstance(value, tuple) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(f"{name} must be a list of non-empty strings, not {value!r}")
    if not value and not allow_empty:
        raise ConfigError(f"{name} must not be empty")


def _validate(obj: Any, where: str) -> None:
    """Check every field of settings dataclass ``obj`` against its declared type/range."""
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        name = f"{where}.{f.name}" if where else f.name
        if "range" in f.metadata:
            low, high = f.metadata["range"]
            _number(value, name, type(f.default), low, high)
        elif isinstance(f.default, bool) and not isinstance(value, bool):
            raise ConfigError(f"{name} must be true or false, not {value!r}")
        elif isinstance(f.default, tuple) and f.name != "folders":
            _strings(value, name)


@dataclass(frozen=True, slots=True)
class JsonFields:
    """Field names tried, in order, when reading JSON / JSON Lines records and CSV/TSV
    columns (case-insensitively for columns). The defaults cover news-please, newspaper4k,
    trafilatura, Media Cloud, GDELT (GKG, events, mentions, DOC API), Event Registry and
    NewsAPI exports (docs/inputs.md)."""

    url: tuple[str, ...] = (
        "url", "link", "uri", "canonical_link", "DocumentIdentifier", "SOURCEURL",
        "MentionIdentifier",
    )  # fmt: skip
    title: tuple[str, ...] = ("title", "headline")
    text: tuple[str, ...] = (
        "text", "body", "content", "articleBody", "maintext", "story_text", "raw_text",
    )  # fmt: skip
    html: tuple[str, ...] = ("html", "raw_html")
    date: tuple[str, ...] = (
        "date", "published", "date_publish", "datePublished", "pubdate", "publish_date",
        "dateTimePub", "published_at", "publishedAt", "pubDate", "publication_date",
        "dateTime", "DATEADDED", "DATE", "MentionTimeDate", "seendate",
    )  # fmt: skip
    source: tuple[str, ...] = (
        "source", "outlet", "site", "site_name", "source_domain", "media_name",
        "meta_site_name", "sitename", "source-hostname", "hostname", "SourceCommonName",
        "MentionSourceName", "source.title", "publisher", "domain", "media_url",
    )  # fmt: skip
    author: tuple[str, ...] = ("author", "authors", "byline")
    language: tuple[str, ...] = ("language", "lang", "meta_lang", "sourcelanguage")

    def __post_init__(self) -> None:
        _validate(self, "ingest.json_fields")


_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
#: Names a ``meta_from_path`` placeholder may take; any other name matches a part of the
#: path and is ignored (``{topic}``), ``{*}`` too.
PATH_FIELDS = ("lang", "language", "date", "year", "month", "day", "outlet", "source",
               "author", "title", "name")  # fmt: skip
STDIN_FORMATS = ("", "text", "html", "json", "jsonl", "csv", "tsv", "warc")


def check_path_pattern(pattern: str, name: str = "ingest.meta_from_path") -> None:
    """A ``--meta-from-path`` pattern: path segments separated by "/", placeholders in
    braces, each placeholder a name (or ``*``), at least one."""
    if not isinstance(pattern, str):
        raise ConfigError(f"{name} must be a string such as \"{{lang}}/{{date}}/{{name}}\"")
    if not pattern:
        return
    if pattern.count("{") != pattern.count("}") or not _PLACEHOLDER.search(pattern):
        example = "{lang}/{topic}/{date}/{name}"
        raise ConfigError(f"{name} must hold placeholders in braces, e.g. \"{example}\", "
                          f"not {pattern!r}")  # fmt: skip
    for placeholder in _PLACEHOLDER.findall(pattern):
        if placeholder != "*" and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", placeholder):
            raise ConfigError(f"{name}: {{{placeholder}}} is not a placeholder name")


@dataclass(frozen=True, slots=True)
class FolderDefaults:
    """Metadata for every input under one folder (``[[ingest.folders]]``): the lowest
    precedence, filling only what the input, its sidecar and its path left blank."""

    path: str = ""
    outlet: str = ""
    language: str = ""
    author: str = ""
    meta_from_path: str = ""  # replaces [ingest] meta_from_path under this folder

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            if not isinstance(getattr(self, f.name), str):
                raise ConfigError(f"ingest.folders.{f.name} must be a string")
        if not self.path.strip():
            raise ConfigError("ingest.folders: every entry needs a path")
        if self.language and not _LANGUAGE_CODE.match(self.language):
            raise ConfigError(f"ingest.folders.language must be an ISO 639 code, not "
                              f"{self.language!r}")  # fmt: skip
        if _CONTROL.search(self.outlet) or len(self.outlet) > 200:
            raise ConfigError("ingest.folders.outlet must be a name (one line, 200 characters)")
        check_path_pattern(self.meta_from_path, "ingest.folders.meta_from_path")


@dataclass(frozen=True, slots=True)
class IngestSettings:
    # inputs larger than this are rejected ("too-large")
    max_bytes: int = field(default=20_000_000, metadata=_range(1, 2_000_000_000))
    # cleaned text shorter than this is rejected ("no-text")
    min_chars: int = field(default=20, metadata=_range(0, 1_000_000))
    # documents cleaned and committed together (and progress steps)
    batch_size: int = field(default=50, metadata=_range(1, 100_000))
    # Per-document budget for cleaning and analysing one input (recoupe.pipeline.budget):
    # CPU seconds and memory (MB above the worker's own) before it is stopped and the input
    # rejected ("too-slow" / "too-complex"). Both 0: no budget, the work runs in-process.
    doc_cpu_seconds: float = field(default=30.0, metadata=_range(0, 86_400))
    doc_memory_mb: int = field(default=1024, metadata=_range(0, 1_048_576))
    # Checked before the HTML parser sees a page ("too-complex"): start tags in the page,
    # attributes on one element (libxml2 takes quadratic time in the number of attributes).
    max_elements: int = field(default=200_000, metadata=_range(1, 100_000_000))
    max_attributes: int = field(default=1_000, metadata=_range(1, 1_000_000))
    # follow symbolic links that lead out of the folder being ingested
    follow_symlinks: bool = False
    json_fields: JsonFields = field(default_factory=JsonFields)
    # Metadata read from each input's path, e.g. "{lang}/{topic}/{date}/{name}" (the last
    # segments of the path; docs/inputs.md). Empty: none.
    meta_from_path: str = ""
    # How `recoupe ingest -` reads its standard input: one of STDIN_FORMATS ("" = sniffed).
    stdin_format: str = ""
    folders: tuple[FolderDefaults, ...] = ()

    def __post_init__(self) -> None:
        _validate(self, "ingest")
        check_path_pattern(self.meta_from_path)
        if self.stdin_format not in STDIN_FORMATS:
            shown = ", ".join(f for f in STDIN_FORMATS if f)
            raise ConfigError(f"ingest.stdin_format must be one of {shown}, not "
                              f"{self.stdin_format!r}")  # fmt: skip
        if not all(isinstance(f, FolderDefaults) for f in self.folders):
            raise ConfigError("ingest.folders must be a list of [[ingest.folders]] tables")


@dataclass(frozen=True, slots=True)
class FetchSettings:
    # seconds for one request: name resolution, connect, headers and body together
    timeout: float = field(default=15.0, metadata=_range(0.001, 3_600))
    max_bytes: int = field(default=10_000_000, metadata=_range(1, 2_000_000_000))  # response cap
    # seconds between two requests to one host
    min_interval: float = field(default=1.0, metadata=_range(0, 3_600))
    user_agent: str = "recoupe/0.1 (+https://example.invalid/recoupe)"
    respect_robots: bool = True
    allow_private: bool = False  # allow loopback/private addresses (tests, intranets)
    max_feed_items: int = field(default=200, metadata=_range(1, 100_000))

    def __post_init__(self) -> None:
        _validate(self, "fetch")
        if not isinstance(self.user_agent, str) or not self.user_agent.strip():
            agent = self.user_agent
            raise ConfigError(f"fetch.user_agent must be a non-empty string, not {agent!r}")
        if _CONTROL.search(self.user_agent):
            raise ConfigError("fetch.user_agent must not contain control characters")


SERVER_SCHEMES = ("postgresql://", "postgres://")


def store_location(value: str | Path) -> Path | str:
    """Where a store lives as given by a user: a ``postgresql://`` URL stays a string
    (a ``Path`` would fold its ``//``), anything else is a SQLite file path."""
    text = str(value)
    return text if text.startswith(SERVER_SCHEMES) else Path(text)


@dataclass(frozen=True, slots=True)
class Settings:
    db: Path | str = Path("recoupe.db")  # a SQLite file, or a postgresql:// URL
    languages: tuple[str, ...] = DEFAULT_LANGUAGES
    ingest: IngestSettings = field(default_factory=IngestSettings)
    fetch: FetchSettings = field(default_factory=FetchSettings)

    def __post_init__(self) -> None:
        if not isinstance(self.db, Path) and not (
            isinstance(self.db, str) and self.db.startswith(SERVER_SCHEMES)
        ):
            raise ConfigError(f"db must be a path or a postgresql:// URL, not {self.db!r}")
        _strings(self.languages, "languages", allow_empty=False)
        for code in self.languages:
            if not _LANGUAGE_CODE.match(code):
                raise ConfigError(
                    f"languages must hold ISO 639 codes such as \"fr\" (2-3 lower-case "
                    f"letters), not {code!r}"
                )


def _convert(default: Any, value: Any, name: str) -> Any:
    """A TOML value as the type of ``default``; ConfigError when TOML gave another type.
    Ranges are checked by the dataclass itself."""
    if isinstance(default, tuple):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f'{name} must be a list of strings, e.g. ["a", "b"], not {value!r}')
        return tuple(value)
    if isinstance(default, Path):
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{name} must be a non-empty path string, not {value!r}")
        return store_location(value) if name == "db" else Path(value)
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"{name} must be true or false, not {value!r}")
        return value
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{name} must be an integer, not {value!r}")
        return value
    if isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{name} must be a number, not {value!r}")
        return float(value)
    if isinstance(default, str) and not isinstance(value, str):
        raise ConfigError(f"{name} must be a string, not {value!r}")
    return value


def _default_of(f: dataclasses.Field[Any]) -> Any:
    """A field's default without building its class (which may refuse to be empty)."""
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return None


def _build(cls: type[Any], data: Any, where: str) -> Any:
    """Build dataclass ``cls`` from a TOML table, rejecting unknown keys and wrong types."""
    if not isinstance(data, dict):
        raise ConfigError(f"[{where}] must be a table")
    fields = {f.name: f for f in dataclasses.fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{where}.{key}" if where else key
        if key not in fields:
            raise ConfigError(f"unknown setting {name}")
        default = _default_of(fields[key])
        if cls is IngestSettings and key == "folders":
            kwargs[key] = _folders(value, name)
        elif dataclasses.is_dataclass(default):
            kwargs[key] = _build(type(default), value, name)
        else:
            kwargs[key] = _convert(default, value, name)
    return cls(**kwargs)


def _folders(value: Any, name: str) -> tuple[FolderDefaults, ...]:
    """``[[ingest.folders]]``: an array of tables."""
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ConfigError(f"{name} must be an array of tables ([[ingest.folders]])")
    return tuple(_build(FolderDefaults, item, name) for item in value)


def _anchor_folders(settings: Settings, base: Path) -> Settings:
    """Folder paths of a config file are relative to the file's own folder."""
    if not settings.ingest.folders:
        return settings
    folders = tuple(
        dataclasses.replace(f, path=str((base / Path(f.path).expanduser()).resolve()))
        for f in settings.ingest.folders
    )
    ingest = dataclasses.replace(settings.ingest, folders=folders)
    return dataclasses.replace(settings, ingest=ingest)


def load_settings(path: Path | None = None) -> Settings:
    """Settings from ``path`` (must exist) or from ``./recoupe.toml`` if present."""
    if path is None:
        candidate = Path("recoupe.toml")
        if not candidate.exists():
            return Settings()
        path = candidate
    if path.is_dir():
        raise ConfigError(f"config file {path} is a folder, not a TOML file")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"config file not found: {path}") from exc
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror or exc}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"invalid config file {path}: {exc}") from exc
    try:
        built: Settings = _build(Settings, data, "")
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    return _anchor_folders(built, path.resolve().parent)
