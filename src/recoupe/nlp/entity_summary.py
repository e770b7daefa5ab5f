"""From mentions to ``Entity`` records: one per canonical key, with the form a reader
should see.

The canonical key is what stories compare (``country:KP`` for Corée du Nord, Pyongyang
and North Korea alike); a reader needs a name. The displayed surface is the form written
most often, the longest on a tie ("Pat Ryder" over "Ryder" when both appear as often),
so a short form resolved to a full name shows the full name.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from recoupe.nlp.entities import Mention
from recoupe.nlp.normalize_entities import canonical, resolve_short_forms
from recoupe.types import Entity

_EDGE_JUNK = " \t\n-–—:,;.'’\"«»“”()"
_DATELINE_CUT = re.compile(r"\s[-–—]\s")
_LEADING_ARTICLE = re.compile(
    r"^(?:(?:the|le|la|les|un|une|des|du|de|a|an)\s+|[ld]['’]\s*)(?=\S)", re.I
)
PLACE_LABEL = "LOC"
TAG_LINE_WORDS = 4
# Titles before a person's name: "Councillor Janet Oduya" and "Janet Oduya" are one.
_TITLE = re.compile(
    r"^(?:(?:le|la|the)\s+)?(?:colonel|capitaine|captain|général|general|préfet|préfète|"
    r"prefect|councillor|président|présidente|president|maire|mayor|ministre|minister|"
    r"mr|mrs|ms|dr|m|mme|sir|lord|gov|sen|rep)\.?\s+(?=[A-ZÀ-Ž])",
    re.I,
)
_TRAILING_FUNCTION = re.compile(r"\s+(?:de|du|des|d['’]|of|the|la|le|les|l['’])$", re.I)


def tidy(mention: Mention, strict: bool = False) -> Mention | None:
    """The mention with dashes, quotes and punctuation trimmed from its edges (a
    dateline "WASHINGTON –" is "WASHINGTON"); ``strict`` (a story's displayed entities)
    also: a dateline cut from the sentence NER ran
    into ("DUNKERQUE – Un incendie" is "DUNKERQUE"), a leading article dropped ("the
    Valtera Recycling"), or None when it is debris: fewer than two letters, an elided
    article the small models sometimes tag ("l’", "qu’"), or text after a dash that is
    not a dateline."""
    raw = mention.surface
    if raw.rstrip().endswith(("'", "’")):
        return None
    surface = raw.strip(_EDGE_JUNK)
    if not strict:  # what the clustering features were measured with
        if sum(c.isalpha() for c in surface) < 2:
            return None
        return _moved(mention, raw, surface)
    cut = _DATELINE_CUT.search(surface)
    if cut is not None:
        head = surface[: cut.start()].strip(_EDGE_JUNK)
        if not head.isupper():
            return None
        surface = head
    article = _LEADING_ARTICLE.match(surface)
    if article is not None and surface[article.end() :][:1].isupper():
        surface = surface[article.end() :]
    if mention.label in ("PER", "PERSON"):
        surface = _TITLE.sub("", surface)
    surface = _TRAILING_FUNCTION.sub("", surface)
    if sum(c.isalpha() for c in surface) < 2 or not surface[:1].isupper():
        return None  # a common noun phrase ("port de"), not a name
    words = surface.split()
    if len(words) >= TAG_LINE_WORDS and all(w[:1].isupper() for w in words):
        return None  # a tag line the cleaner left ("Dunkerque Valtera Incendie Industrie")
    return _moved(mention, raw, surface)


def _moved(mention: Mention, raw: str, surface: str) -> Mention:
    if surface == raw:
        return mention
    start = mention.start + raw.index(surface)
    return Mention(start, start + len(surface), mention.label, surface)


def _own_sentence(mention: Mention, text: str) -> bool:
    """A one-word mention standing as a sentence of its own at a paragraph start
    ("Brick." left by a scraper): debris, not a name."""
    if " " in mention.surface:
        return False
    before = text[max(0, mention.start - 1) : mention.start]
    after = text[mention.end : mention.end + 1]
    return before in ("", "\n") and after == "."


def keyed_mentions(
    mentions: Sequence[Mention], language: str | None = None, text: str | None = None
) -> list[tuple[str, Mention]]:
    """(canonical key, mention) for every mention that has a key, short forms resolved
    within the document; debris is dropped first (``tidy``). With ``text`` (what a story
    shows, not the clustering features) the stricter cleaning applies (``tidy(strict)``,
    and a one-word mention that is a sentence of its own is dropped)."""
    strict = text is not None
    mentions = [t for t in (tidy(m, strict) for m in mentions) if t is not None]
    if text is not None:
        mentions = [m for m in mentions if not _own_sentence(m, text)]
    keys = [canonical(m, language) for m in mentions]
    kept = [m for m, k in zip(mentions, keys, strict=True) if k is not None]
    resolved = resolve_short_forms(mentions, keys)
    return list(zip(resolved, kept, strict=True))


def _is_place_key(key: str) -> bool:
    return key.startswith(("country:", "region:", "place:"))


def _summed(weighted: Iterable[tuple[str, str, str, int]]) -> list[Entity]:
    """One ``Entity`` per key from (key, surface, label, mentions) rows, most mentioned
    first (then by key); the surface is the one with the most mentions, the longest on a
    tie; the label the one most mentions carry (a gazetteer place is always a place)."""
    counts: Counter[str] = Counter()
    surfaces: dict[str, Counter[str]] = {}
    labels: dict[str, Counter[str]] = {}
    for key, surface, label, n in weighted:
        counts[key] += n
        surfaces.setdefault(key, Counter())[surface] += n
        labels.setdefault(key, Counter())[_LABELS.get(label, "MISC")] += n
    out = []
    for key, n in counts.items():
        label, _ = max(labels[key].items(), key=lambda kv: (kv[1] * (kv[0] != "MISC"), kv[0]))
        if label == "PER":  # a person shows under their full name ("Pat Ryder", not "Ryder")
            surface = max(surfaces[key], key=lambda x: (len(x.split()), surfaces[key][x], x))
        else:
            surface, _ = max(surfaces[key].items(), key=lambda kv: (kv[1], len(kv[0]), kv[0]))
        if _COMPANY.search(surface):
            label = "ORG"
        out.append(Entity(key, PLACE_LABEL if _is_place_key(key) else label, surface, n))
    return sorted(out, key=lambda e: (-e.count, e.key))


# One label set for both languages' models (fr: PER ORG LOC MISC; en: PERSON, GPE...).
_LABELS = {"PER": "PER", "PERSON": "PER", "ORG": "ORG", "LOC": "LOC", "GPE": "LOC",
           "FAC": "LOC", "MISC": "MISC"}  # fmt: skip
# A last word that makes a name a company or an organisation whatever the NER said.
_COMPANY = re.compile(
    r"\s(?:Recycling|Group|Groupe|Inc|Ltd|SA|SAS|SARL|Corp|Company|Industries|Energy|"
    r"Media|Press|Agency|Agence|Bank|Banque|Airlines|Motors|Holding)\.?$"
)


def summarise_entities(pairs: Iterable[tuple[str, Mention]]) -> list[Entity]:
    """One ``Entity`` per key of one article's keyed mentions."""
    return _summed((key, m.surface.strip(), m.label, 1) for key, m in pairs)


def merge_entities(groups: Iterable[Sequence[Entity]]) -> list[Entity]:
    """Entities of several articles summed per key: the surface is the one with the
    most mentions across the articles."""
    return _summed((e.key, e.surface, e.label, e.count) for es in groups for e in es)


def story_entities(groups: Sequence[Sequence[Entity]]) -> list[Entity]:
    """What a story shows of its articles' (whole-text) entities: person names merged
    across languages and short forms (``person_alias``), glued fragments dropped
    ("Russiecapacité" next to "Russie"), one label by majority over mentions, ranked by
    the number of articles that mention each (then by mentions)."""
    alias = person_alias([e for es in groups for e in es])
    first = {x.key: x for x in merge_entities(groups)}
    merged: list[list[Entity]] = [
        [_as(first[alias[e.key]], e.count) if e.key in alias else e for e in es]
        for es in groups
    ]
    totals = merge_entities(merged)
    articles: Counter[str] = Counter(k for es in merged for k in {e.key for e in es})
    surfaces = [e.surface for e in totals]
    kept = [e for e in totals if not _glued(e.surface, surfaces)]
    out = [Entity(e.key, e.label, e.surface, e.count, articles[e.key]) for e in kept]
    return sorted(out, key=lambda e: (-e.articles, -e.count, e.key))


def _as(target: Entity, count: int) -> Entity:
    """A short or foreign form counted under the full name it stands for."""
    return Entity(target.key, target.label, target.surface, count)


def _glued(surface: str, others: Sequence[str]) -> bool:
    """One word made of another entity's name and a lower-case word stuck to it, as a
    scraper leaves them ("Russiecapacité")."""
    if " " in surface:
        return False
    for other in others:
        rest = surface[len(other) :]
        stuck = len(rest) >= 3 and rest.isalpha() and rest.islower()
        if other != surface and len(other) >= 4 and surface.startswith(other) and stuck:
            return True
    return False


PERSON_LABELS = frozenset({"PER", "PERSON"})


def person_alias(entities: Sequence[Entity]) -> dict[str, str]:
    """Key -> key of the person it names, across the articles of a story: one spelling
    per language ("Vladimir Poutine", "Vladimir Putin": same name once a final mute "e"
    of the surname and y/i are folded) and short forms ("Poutine" alone -> the one full
    name ending with it). Only person keys (by majority label) are merged."""
    people = [e for e in merge_entities([entities]) if e.label in PERSON_LABELS]
    by_loose: dict[str, str] = {}
    out: dict[str, str] = {}
    for e in sorted(people, key=lambda e: (-e.count, e.key)):
        loose = _loose(e.key)
        target = by_loose.setdefault(loose, e.key)
        if target != e.key:
            out[e.key] = target
    full = [k for k in set(by_loose.values()) if " " in k]
    for e in people:
        if " " in e.key or e.key in out:
            continue
        word = _loose(e.key).removeprefix("name:")
        matches = {by_loose[_loose(k)] for k in full if _loose(k).split(" ")[-1] == word}
        if len(matches) == 1:
            out[e.key] = matches.pop()
    summed = merge_entities([entities])
    longer = [e for e in summed if " " in e.key and e.label == "ORG"]
    for e in summed:  # "Valtera" -> "Valtera Recycling", the one organisation it opens
        if " " in e.key or e.key in out or e.label == "LOC":
            continue
        opened = {x.key for x in longer if x.key.split(" ")[0] == e.key}
        if len(opened) == 1:
            out[e.key] = opened.pop()
    return out


def _loose(key: str) -> str:
    """A person key with the surname's final mute "e" dropped and y folded to i."""
    words = key.replace("y", "i").split(" ")
    last = words[-1]
    if len(last) > 4 and last.endswith("e") and last[-2] not in "aeiou":
        words[-1] = last[:-1]
    return " ".join(words)
