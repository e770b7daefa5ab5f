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
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from recoupe.errors import ConfigError

DEFAULT_LANGUAGES = (
    "en", "fr", "de", "es", "it", "pt", "nl", "pl", "ru", "uk", "tr", "ar", "zh",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class JsonFields:
    """Field names tried, in order, when reading JSON / JSON Lines records."""

    url: tuple[str, ...] = ("url", "link", "uri")
    title: tuple[str, ...] = ("title", "headline")
    text: tuple[str, ...] = ("text", "body", "content", "articleBody", "maintext")
    html: tuple[str, ...] = ("html", "raw_html")
    date: tuple[str, ...] = ("date", "published", "date_publish", "datePublished", "pubdate")
    source: tuple[str, ...] = ("source", "outlet", "site", "site_name", "source_domain")
    author: tuple[str, ...] = ("author", "authors", "byline")
    language: tuple[str, ...] = ("language", "lang")


@dataclass(frozen=True, slots=True)
class IngestSettings:
    max_bytes: int = 20_000_000  # inputs larger than this are rejected ("too-large")
    min_chars: int = 20  # cleaned text shorter than this is rejected ("no-text")
    batch_size: int = 50  # documents cleaned and committed together (and progress steps)
    json_fields: JsonFields = field(default_factory=JsonFields)


@dataclass(frozen=True, slots=True)
class FetchSettings:
    timeout: float = 15.0  # seconds per request
    max_bytes: int = 10_000_000  # response size cap
    min_interval: float = 1.0  # seconds between two requests to one host
    user_agent: str = "recoupe/0.1 (+https://example.invalid/recoupe)"
    respect_robots: bool = True
    allow_private: bool = False  # allow loopback/private addresses (tests, intranets)
    max_feed_items: int = 200


@dataclass(frozen=True, slots=True)
class Settings:
    db: Path = Path("recoupe.db")
    languages: tuple[str, ...] = DEFAULT_LANGUAGES
    ingest: IngestSettings = field(default_factory=IngestSettings)
    fetch: FetchSettings = field(default_factory=FetchSettings)


def _build(cls: type[Any], data: dict[str, Any], where: str) -> Any:
    """Build dataclass ``cls`` from a TOML table, rejecting unknown keys and wrong types."""
    if not isinstance(data, dict):
        raise ConfigError(f"[{where}] must be a table")
    fields = {f.name: f for f in dataclasses.fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        if key not in fields:
            raise ConfigError(
                f"unknown setting {where}.{key}" if where else f"unknown setting {key}"
            )
        default = getattr(cls(), key)
        name = f"{where}.{key}" if where else key
        if dataclasses.is_dataclass(default):
            kwargs[key] = _build(type(default), value, name)
        elif isinstance(default, tuple):
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{name} must be a list of strings")
            kwargs[key] = tuple(value)
        elif isinstance(default, Path):
            if not isinstance(value, str):
                raise ConfigError(f"{name} must be a path string")
            kwargs[key] = Path(value)
        elif isinstance(default, bool):
            if not isinstance(value, bool):
                raise ConfigError(f"{name} must be true or false")
            kwargs[key] = value
        elif isinstance(default, (int, float)):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ConfigError(f"{name} must be a number")
            kwargs[key] = type(default)(value)
        else:
            kwargs[key] = value
    return cls(**kwargs)


def load_settings(path: Path | None = None) -> Settings:
    """Settings from ``path`` (must exist) or from ``./recoupe.toml`` if present."""
    if path is None:
        candidate = Path("recoupe.toml")
        if not candidate.exists():
            return Settings()
        path = candidate
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"config file not found: {path}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"invalid config file {path}: {exc}") from exc
    built: Settings = _build(Settings, data, "")
    return built
