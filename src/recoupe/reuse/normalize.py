"""Text normalisation shared by every copy detector.

Copies of one article differ in ways a reader does not see: typographic vs straight
quotes and apostrophes, non-breaking spaces, ligatures, letter case, and - in scraped or
syndicated feeds - lost accents ("Teheran" / "Téhéran"). Normalising those away is what
lets exact hashing and shingles see the copy.

Choices (and why):

* NFKC first: folds ligatures, full-width forms and compatibility spaces.
* casefold: case changes with headline style and is never evidence against a copy.
* strip accents: yes, but only the *combining diacritical marks* U+0300-U+036F (Latin,
  Greek, Cyrillic) and Arabic short-vowel marks (optional in writing anyway). Accent-only
  minimal pairs are rare and almost all function words (fr "a"/"à", "ou"/"où"), which do
  not matter for shingles, while accent loss in feeds is common. Marks of other scripts
  (Devanagari vowel signs...) carry meaning and are kept.
* quotes, apostrophes and dashes are unified to ASCII, whitespace collapsed.

Word tokens are maximal runs of ``\\w`` on the normalised text, so punctuation never
matters to word shingles.
"""

from __future__ import annotations

import re
import unicodedata

_COMBINING = re.compile("[\u0300-\u036f\u064b-\u065f\u0670]")
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
_PUNCT_MAP = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2039": '"',
        "\u203a": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
    }
)


def fold(text: str) -> str:
    """NFKC + casefold + accent stripping: enough for word tokens (punctuation is
    dropped by tokenisation anyway). ASCII input takes a fast path, which matters when
    a million articles are shingled."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKC", text).casefold()
    decomposed = unicodedata.normalize("NFD", text)
    stripped = _COMBINING.sub("", decomposed)
    return unicodedata.normalize("NFC", stripped)


def normalize(text: str) -> str:
    """Full normalisation for exact hashing and character shingles: ``fold`` plus unified
    quotes/dashes and single spaces."""
    return _SPACES.sub(" ", fold(text).translate(_PUNCT_MAP)).strip()


def words(text: str) -> list[str]:
    """Word tokens of ``text`` after ``fold``."""
    return _WORD.findall(fold(text))
