"""News agencies and wire credits: who an article says its copy came from.

A wire story is copied by outlets that credit it - "(avec AFP)", "— BPA", "(Reuters) -",
"Additional reporting by Associated Press", "selon l'agence Belga" - and published by an
agency whose outlet name says so ("Agence France-Presse", "Boreal Press Agency (BPA)").
When one member of a group of copies is the agency the others credit, it is the source
the others copied (``reuse.origins``), whatever their time stamps say.

``agency_keys`` names an outlet as comparable keys (its name and its acronym, folded);
``credits`` reads the agencies an article credits from its text, its removed lines (a
trailing "— BPA" is removed as boilerplate but is evidence) and its byline. A credit is
an agency name in a credit *position* (parentheses, a dash at a line end, after "avec",
"with", "reporting by", "according to the ... agency", "selon l'agence", "Source:") -
a passing mention of Reuters in a sentence is not a credit. Known agencies of fr/en/de/
es/it news are listed; any outlet whose name says "agency" in one of those languages,
with its acronym in brackets, is one too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from recoupe.reuse.normalize import fold

# name variants -> canonical key (folded). Acronyms that are common words are matched
# only in credit positions, never in running text.
KNOWN: dict[str, tuple[str, ...]] = {
    "afp": ("afp", "agence france-presse", "agence france presse"),
    "ap": ("ap", "associated press"),
    "reuters": ("reuters", "thomson reuters"),
    "dpa": ("dpa", "deutsche presse-agentur", "deutsche presse agentur"),
    "efe": ("efe", "agencia efe"),
    "ansa": ("ansa",),
    "europa press": ("europa press",),
    "belga": ("belga",),
    "ats": ("ats", "keystone-ats", "sda", "keystone-sda"),
    "apa": ("apa", "austria presse agentur"),
    "anp": ("anp",),
    "xinhua": ("xinhua",),
    "tass": ("tass", "itar-tass"),
    "ria novosti": ("ria novosti", "ria"),
    "interfax": ("interfax",),
    "kyodo": ("kyodo",),
    "yonhap": ("yonhap",),
    "aap": ("aap", "australian associated press"),
    "pa": ("pa", "pa media", "press association"),
    "upi": ("upi", "united press international"),
    "bloomberg": ("bloomberg",),
    "anadolu": ("anadolu", "aa"),
    "lusa": ("lusa",),
    "agi": ("agi",),
    "adnkronos": ("adnkronos",),
    "kna": ("kna",),
    "epd": ("epd",),
    "pap": ("pap",),
    "ctk": ("ctk",),
    "mti": ("mti",),
    "ukrinform": ("ukrinform",),
    "pti": ("pti", "press trust of india"),
    "antara": ("antara",),
    "bernama": ("bernama",),
}
_AGENCY_WORDS = re.compile(
    r"\b(?:press agency|news agency|agence|agencia|agenzia|agentur|nachrichtenagentur|"
    r"agencia de noticias|presse-agentur|wire service)\b",
    re.I,
)
_ACRONYM = re.compile(r"\(([A-Z][A-Za-z]{1,7})\)")
_CREDIT_PATTERNS = [
    r"\(\s*(?:avec|with|con|mit|source\s*:?)\s+([^()]{2,60})\)",  # (avec AFP), (with AP)
    r"\(([A-Z][A-Za-z\-]{1,20}(?:\s[A-Z][A-Za-z\-]+){0,2})\)\s*[-–—]",  # (BPA) - / (AFP) –
    r"(?:^|\n)\s*[-–—]\s*([^\n]{2,40})\s*$",  # a line "— BPA"
    r"\b(?:additional\s+)?reporting\s+by\s+([^.;\n]{2,80})",
    r"\b(?:avec|with)\s+(?:l'|the\s+)?([^,.;\n]{2,60}?)\s*$",  # byline "... (avec BPA)"
    r"\b(?:according\s+to|selon|d'apres|nach\s+angaben|segun|secondo)\s+(?:the\s+|l'|la\s+)?"
    r"((?:agence|agency|agencia|agenzia|agentur)[^,.;\n]{0,60}|[^,.;\n]{0,60}?agency)",
    r"\b(?:sources?|quelle|fuente|fonte)\s*:\s*([^\n]{2,60})",
    r"©\s*([^\n]{2,40})",
]
_CREDITS = [re.compile(p, re.I | re.M) for p in _CREDIT_PATTERNS]


@cache
def _aliases() -> dict[str, str]:
    return {fold(alias): key for key, aliases in KNOWN.items() for alias in aliases}


def _keys_in(text: str) -> set[str]:
    """Known agency keys named in ``text`` (whole words), plus a bracketed acronym and the
    name itself when the name says "agency"."""
    folded = fold(text)
    out = {key for alias, key in _aliases().items()
           if re.search(rf"(?<![\w-]){re.escape(alias)}(?![\w-])", folded)}  # fmt: skip
    if _AGENCY_WORDS.search(text):
        name = fold(_ACRONYM.sub("", text)).strip(" .,-–—()")
        if name:
            out.add(name)
        out.update(fold(m) for m in _ACRONYM.findall(text))
    elif (m := re.fullmatch(r"\s*([A-Z]{2,6})\s*", text)) is not None:
        out.add(fold(m.group(1)))  # a bare acronym in a credit position: "— BPA"
    return out


def agency_keys(outlet: str | None) -> frozenset[str]:
    """The keys an outlet is known by when it is an agency ("Boreal Press Agency (BPA)"
    -> {"boreal press agency", "bpa"}; "Reuters" -> {"reuters"}); empty for an outlet
    that is not one."""
    if not outlet:
        return frozenset()
    folded = fold(outlet).strip()
    if folded in _aliases():
        return frozenset({_aliases()[folded]})
    if not _AGENCY_WORDS.search(outlet):
        return frozenset()
    return frozenset(_keys_in(outlet))


def credits(texts: Iterable[str]) -> frozenset[str]:
    """Agency keys credited in ``texts`` (an article's text, removed lines, byline)."""
    out: set[str] = set()
    for text in texts:
        for pattern in _CREDITS:
            for m in pattern.finditer(text):
                out |= _keys_in(m.group(1))
    return frozenset(out)
