"""Characters of clean text: one Unicode form, no invisible characters inside words.

Pages are full of characters a reader never sees: soft hyphens (U+00AD, put in long words
by hyphenation scripts), zero-width spaces and word joiners, byte-order marks in the middle
of a text. Left in, "Bundes\\u00adregierung" is not "Bundesregierung" for language
identification, sentence splitting, search or copy detection; plain ``trafilatura.extract``
drops them, so recoupe's text used to miss matches its peers found.

``normalize_text`` runs before anything measures the text (so every offset points into the
normalised text), and it is idempotent. Composed (NFC) form, so "é" written as "e" + U+0301
equals "é". Zero-width joiners and non-joiners are kept where they do something (between
letters of scripts that use them: Arabic, Persian, Indic scripts, emoji sequences) and
removed elsewhere.
"""

from __future__ import annotations

import re
import unicodedata

# Always invisible and meaningless in a news text: soft hyphen, zero-width space, word
# joiner, zero-width no-break space (BOM), Mongolian vowel separator, invisible operators.
_INVISIBLE = "\u00ad\u200b\u2060\ufeff\u180e\u2061\u2062\u2063\u2064"
_DROP = str.maketrans("", "", _INVISIBLE)
_JOINERS = re.compile("[\u200c\u200d]")


def _keeps_joiner(text: str, at: int) -> bool:
    """A joiner between two characters of a script that shapes with it (not Latin,
    Greek or Cyrillic, where it only hides inside words) stays."""
    before = text[at - 1] if at else ""
    after = text[at + 1] if at + 1 < len(text) else ""
    for ch in (before, after):
        if not ch or ch.isspace() or ch.isascii():
            return False
        name = unicodedata.name(ch, "")
        if name.startswith(("LATIN", "GREEK", "CYRILLIC")):
            return False
    return True


def normalize_text(text: str) -> str:
    """``text`` in NFC with invisible characters removed (see the module docstring)."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFC", text.translate(_DROP))
    if "\u200c" in text or "\u200d" in text:
        text = "".join(
            ch for i, ch in enumerate(text) if not _JOINERS.match(ch) or _keeps_joiner(text, i)
        )
    return text


__all__ = ["normalize_text"]
