"""Sentence spans over cleaned text.

Claims, quotes and re-used passages are compared sentence by sentence, and a viewer
highlights them in place, so sentences are ``[start, end)`` offsets into the text rather
than copies. How:

1. Paragraphs are split on blank lines first: a sentence never crosses a paragraph break
   (a headline without a full stop must not swallow the first sentence of the body).
2. Each paragraph goes through ``sentence_splitter`` (Moses-style rules with per-language
   non-breaking prefixes such as "M." or "Dr."), English rules for languages it lacks.
   It is given a copy of the paragraph of the same length, where every whitespace char is a
   plain space (single newlines are hard wraps, NBSP is common in French) and "…" is ".",
   which the rules otherwise ignore.
3. The splitter collapses spaces, so each returned sentence is located again by walking
   its non-space characters through the paragraph. If that ever fails (it should not), the
   paragraph falls back to a simple punctuation regex, so offsets are always exact.
4. Small repairs the rules miss: French abbreviations absent from the prefix list
   ("Mme.", "sept. 2022") are re-joined; CJK sentences ending in "。！？" are split.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import sentence_splitter
from sentence_splitter import SentenceSplitter

from recoupe.types import Sentence

# Languages with a prefix list in the installed sentence_splitter (24 European languages).
SPLITTER_LANGUAGES = frozenset(
    p.stem
    for p in (Path(sentence_splitter.__file__).parent / "non_breaking_prefixes").glob("*.txt")
)
_FALLBACK_LANGUAGE = "en"

# Blank line(s): a newline, then at least one more line holding only whitespace.
_PARAGRAPH_BREAK = re.compile(r"[^\S\n]*\n(?:[^\S\n]*\n)+\s*|\u2029\s*")
_NON_SPACE = re.compile(r"\S")
_WHITESPACE = re.compile(r"\s")
# Fallback and CJK: end after terminal punctuation and any closing quotes/brackets.
_REGEX_END = re.compile(r"[.!?…]+(?:\s?[\"'»”’)\]])*(?=\s)|[。！？]+[」』”’）)]*")
# The splitter only breaks at a space after [.?!] (and maybe quotes/brackets): without one,
# a paragraph is one sentence, and the (slow) splitter can be skipped.
_MAY_BREAK = re.compile(r"[.?!][^ ]* ")
_CJK_END = re.compile(r"[。！？]+[」』”’）)]*(?=\S)")

# Abbreviations that the splitter's prefix lists lack; a sentence ending in one of them
# followed by "." is joined to the next one.
_EXTRA_ABBREVIATIONS = {
    "fr": "Mme Mmes Mlle Mlles Me Mgr Pr Dre Pre Cie Ste Sté gén col cap "
    "janv févr fév avr juil sept oct nov déc",
    "en": "Mrs Ms Messrs Gov Sen Rep Gen Lt Col Capt Sgt Jan Feb Aug Sep Oct Nov Dec",
}
_ABBREVIATION_END = {
    lang: re.compile(r"(?<!\w)(?:" + "|".join(words.split()) + r")\.$")
    for lang, words in _EXTRA_ABBREVIATIONS.items()
}


def _splitter_language(language: str | None) -> str:
    code = (language or "").strip().lower().replace("_", "-").split("-")[0]
    return code if code in SPLITTER_LANGUAGES else _FALLBACK_LANGUAGE


@cache
def _splitter(language: str) -> SentenceSplitter:
    """One splitter per language (building one reads its prefix file)."""
    return SentenceSplitter(language=language)


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of each paragraph (blank-line separated), stripped, non-empty."""
    spans = []
    start = 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [s for s in (_strip(text, a, b) for a, b in spans) if s is not None]


def _strip(text: str, start: int, end: int) -> tuple[int, int] | None:
    first = _NON_SPACE.search(text, start, end)
    if first is None:
        return None
    end_ = end
    while text[end_ - 1].isspace():
        end_ -= 1
    return first.start(), end_


def _align(para: str, pieces: list[str]) -> list[tuple[int, int]] | None:
    """Offsets (in ``para``) of each piece, matching non-space characters in order;
    ``None`` if a piece does not match."""
    spans = []
    pos, n = 0, len(para)
    for piece in pieces:
        start = end = -1
        for ch in piece:
            if ch.isspace():
                continue
            while pos < n and para[pos].isspace():
                pos += 1
            if pos >= n or para[pos] != ch:
                return None
            if start < 0:
                start = pos
            pos += 1
            end = pos
        if start >= 0:
            spans.append((start, end))
    if _NON_SPACE.search(para, pos):
        return None  # the splitter dropped text at the end
    return spans


def _regex_split(para: str) -> list[tuple[int, int]]:
    """Split after terminal punctuation followed by a space: crude but never fails."""
    spans, start = [], 0
    for m in _REGEX_END.finditer(para):
        spans.append((start, m.end()))
        start = m.end()
    spans.append((start, len(para)))
    return [s for s in (_strip(para, a, b) for a, b in spans) if s is not None]


def _repair(para: str, spans: list[tuple[int, int]], language: str) -> list[tuple[int, int]]:
    """Join sentences cut after a known abbreviation; split CJK sentences."""
    abbreviation = _ABBREVIATION_END.get(language)
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if joined and abbreviation and abbreviation.search(para, joined[-1][0], joined[-1][1]):
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    out: list[tuple[int, int]] = []
    for start, end in joined:
        for m in _CJK_END.finditer(para, start, end):
            out.append((start, m.end()))
            start = m.end()  # (?=\S): a non-space char starts the next sentence here
        out.append((start, end))
    return out


def split_sentences(text: str, language: str | None) -> tuple[Sentence, ...]:
    """Sentences of ``text`` as spans: stripped, non-empty, in order, never overlapping,
    never crossing a blank line. ``language`` (ISO 639-1, may be None) picks the rules."""
    lang = _splitter_language(language)
    splitter = _splitter(lang)
    sentences: list[Sentence] = []
    for p_start, p_end in paragraph_spans(text):
        para = text[p_start:p_end]
        # Same length as para: offsets found in the copy are offsets in para.
        copy = _WHITESPACE.sub(" ", para).replace("…", ".")
        if _MAY_BREAK.search(copy) is None:  # fast path, e.g. one-sentence paragraphs
            spans: list[tuple[int, int]] | None = [(0, len(para))]
        else:
            spans = _align(copy, splitter.split(copy))
        if spans is None:
            spans = _regex_split(para)
        sentences.extend(Sentence(p_start + a, p_start + b) for a, b in _repair(para, spans, lang))
    return tuple(sentences)
