"""Outlet names: from where they are reliable, never guessed from a sentence.

Independence is counted per origin *and outlet*, so a wrong outlet is worse than none. An
outlet comes from, in order: the input's metadata (a JSON/CSV field, a sidecar file, a
folder default, a ``--meta-from-path`` pattern), the page's site name (HTML), the host of
its URL, and only then from a line of a text input. Such a line (the short line above a
headline, where sites print their name) is taken only when

* it is the name of an outlet the store already knows, or
* it reads as a masthead: a short name, capitalised, with a newspaper word in it
  ("Times", "Courrier", "Zeitung", "Diario", "Gazzetta", "Daily"...) or shaped like a
  domain ("lemonde.fr"), or
* the page names itself with it again, in its own furniture: a picture credit
  ("Photo: J. Doe / Sud Horizon"), a copyright line ("© Sud Horizon 2025"), a cookie or
  subscription notice ("Sud Horizon uses cookies").

Whatever the source, a name must be shaped like one (``plausible_name``): at most 60
characters and 8 words, no sentence end, no brace or bracket, no comma, not a date.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable
from urllib.parse import urlsplit

from recoupe.clean import cues
from recoupe.clean.dates import find_dated

MAX_CHARS = 60
MAX_WORDS = 8
MASTHEAD_MAX_WORDS = 6

_DOMAIN = re.compile(
    r"^(?:www\.)?[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:[a-z]{2}|com|net|org|info|news|media|"
    r"online|press|tv|eu|co\.uk|com\.[a-z]{2})$",
    re.IGNORECASE,
)
_FORBIDDEN = re.compile(r"[{}\[\]<>|=;@#*\\]|[.!?…:](?:\s|$)|,")


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Words that make a short capitalised line a newspaper's name, in the languages we read.
_MASTHEAD_WORDS = _set(
    """
    times post daily herald news journal gazette tribune telegraph guardian observer
    chronicle courier mail mirror express standard independent record reporter examiner
    inquirer dispatch ledger bulletin register sentinel monitor globe press wire weekly
    magazine today enquirer advocate banner beacon messenger citizen democrat republican
    voice echo review star sun radio tv television channel network agency courrier écho
    echos nouvelles nouvel nouvelliste dépêche parisien quotidien presse républicain
    progrès hebdo matin soir libération libre midi journal agence zeitung nachrichten
    rundschau anzeiger kurier tagblatt allgemeine bote blatt morgenpost abendblatt
    tagesspiegel tageszeitung presseagentur woche diario periódico periodico heraldo correo
    noticias prensa crónica cronica semanario agencia informador corriere gazzetta giornale
    stampa messaggero repubblica notizie quotidiano agenzia gazet krant dagblad nieuws
    courant nieuwsblad jornal folha notícias diário correio expresso gazeta agência
    """
)
_UI_WORDS = _set(
    """
    menu navigation navegación navigazione navigatie search recherche buscar suche cerca
    home accueil inicio startseite login logout register subscribe abonnez boutique shop
    tienda negozio club jump skip
    """
)
_PARTICLES = _set(
    """
    the of and a an le la les l de du des d et el los las del y il lo gli i di e der die
    das den dem und von vom zu de het van en o os as do da dos das della dello delle degli
    dei al alla
    """
)
_SELF_CONTEXT = re.compile(r"(?:©|\(c\)|copyright|/)\s*(?:\d{4}\s*)?$", re.IGNORECASE)
# Lines where a site speaks of itself: cookies, newsletters, subscriptions, rights.
_FURNITURE = re.compile(
    r"cookie|newsletter|subscri|abonn|rights reserved|droits réservés|derechos reservados|"
    r"diritti riservati|rechte vorbehalten|funded by|financé par|mentions légales|impressum|"
    r"privacy|confidentialité|datenschutz|privacidad",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W_][\w'’.-]*", re.UNICODE)


def host_outlet(url: str | None) -> str | None:
    """The site's host name (without ``www.``) when nothing better names the outlet."""
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return None
    return host.removeprefix("www.") or None


def _looks_like_url(value: str) -> bool:
    return bool(re.match(r"^[a-z][a-z0-9+.-]*://", value, re.IGNORECASE)) or (
        value.startswith("www.") and " " not in value
    )


def outlet_from_value(value: str | None) -> str | None:
    """An outlet as given by metadata: trimmed; a URL stands for its host ("source":
    "https://www.example.org/" is the site example.org, not a name)."""
    if value is None:
        return None
    text = " ".join(value.split())
    if not text:
        return None
    if _looks_like_url(text):
        return host_outlet(text if "://" in text else f"http://{text}")
    return text


def plausible_name(name: str) -> bool:
    """Shaped like an outlet's name: short, no sentence end, brace, bracket or comma,
    not a date, with a letter in it."""
    text = name.strip()
    if not text or len(text) > MAX_CHARS or len(text.split()) > MAX_WORDS:
        return False
    if _DOMAIN.match(text):
        return True
    if _FORBIDDEN.search(text) or not any(ch.isalpha() for ch in text):
        return False
    return find_dated(text) is None


def _key(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(folded.replace("’", "'").split())


def _is_masthead(name: str) -> bool:
    """A short capitalised name with a newspaper word, or a domain name."""
    if _DOMAIN.match(name.strip()):
        return True
    words = [w.strip(".'’-") for w in _WORD.findall(name)]
    if not words or len(words) > MASTHEAD_MAX_WORDS:
        return False
    folded = [_key(w) for w in words]
    if any(w in _UI_WORDS for w in folded):
        return False
    capitalised = all(w[:1].isupper() or w[:1].isdigit() or f in _PARTICLES
                      for w, f in zip(words, folded, strict=True))  # fmt: skip
    named = any(f in _MASTHEAD_WORDS or f.removeprefix("l'") in _MASTHEAD_WORDS
                or f.removeprefix("d'") in _MASTHEAD_WORDS for f in folded)  # fmt: skip
    return capitalised and named


def _self_named(name: str, lines: Iterable[str]) -> bool:
    """The page names itself with ``name`` in its furniture: a credit or copyright
    ("Photo: X / Name", "© Name 2025") or a cookie/subscription notice."""
    key = _key(name)
    if len(key) < 3:
        return False
    pattern = re.compile(rf"(?<!\w){re.escape(key)}(?!\w)")
    for line in lines:
        folded = _key(line)
        for m in pattern.finditer(folded):
            if _SELF_CONTEXT.search(folded[: m.start()]):
                return True
            if _FURNITURE.search(line) or cues.FORM.search(line) or cues.COPYRIGHT.search(line):
                return True
    return False


def outlet_of_line(
    line: str, others: Iterable[str], known: Collection[str] = ()
) -> str | None:
    """The outlet a header line names, when it is a known outlet, a masthead, or a name
    the page repeats in its furniture (``others``: the page's other lines); else None."""
    name = " ".join(line.split())
    if not plausible_name(name):
        return None
    spelled = name.title() if name.isupper() and len(name) > 4 else name
    if known:
        keys = {_key(k): k for k in known}
        if _key(name) in keys:
            return keys[_key(name)]
    if _is_masthead(name) or _self_named(name, others):
        return spelled
    return None


__all__ = ["host_outlet", "outlet_from_value", "outlet_of_line", "plausible_name"]
