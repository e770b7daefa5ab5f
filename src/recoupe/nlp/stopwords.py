"""Stop words per language, from spaCy's own lists (spaCy is a dependency already).

The list's own file is executed, not ``spacy.lang.xx``: importing the language package
would compile its tokenizer exceptions first (~10 s for French), and no model is loaded.
Used wherever words must be told from grammar without a parse: summary concepts, the
context words of claim values.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable
from functools import cache
from pathlib import Path


@cache
def stop_words(language: str | None) -> frozenset[str]:
    """spaCy's stop words for ``language`` (ISO 639-1), casefolded; empty when spaCy has
    none."""
    code = (language or "").lower().split("-")[0].split("_")[0]
    spacy_spec = importlib.util.find_spec("spacy")
    if not code.isalpha() or spacy_spec is None or spacy_spec.origin is None:
        return frozenset()
    path = Path(spacy_spec.origin).parent / "lang" / code / "stop_words.py"
    spec = importlib.util.spec_from_file_location(f"_recoupe_stop_words_{code}", path)
    if not path.is_file() or spec is None or spec.loader is None:
        return frozenset()
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    words: Iterable[str] = getattr(module, "STOP_WORDS", ())
    return frozenset(w.casefold() for w in words)
