"""From mentions to ``Entity`` records: one per canonical key, with the form a reader
should see.

The canonical key is what stories compare (``country:KP`` for Corée du Nord, Pyongyang
and North Korea alike); a reader needs a name. The displayed surface is the form written
most often, the longest on a tie ("Pat Ryder" over "Ryder" when both appear as often),
so a short form resolved to a full name shows the full name.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from recoupe.nlp.entities import Mention
from recoupe.nlp.normalize_entities import canonical, resolve_short_forms
from recoupe.types import Entity

_EDGE_JUNK = " \t\n-–—:,;.'’\"«»“”()"


def tidy(mention: Mention) -> Mention | None:
    """The mention with dashes, quotes and punctuation trimmed from its edges (a
    dateline "WASHINGTON –" is "WASHINGTON"), or None when it is debris: fewer than two
    letters, or an elided article the small models sometimes tag ("l’", "qu’")."""
    raw = mention.surface
    if raw.rstrip().endswith(("'", "’")):
        return None
    surface = raw.strip(_EDGE_JUNK)
    if sum(c.isalpha() for c in surface) < 2:
        return None
    if surface == raw:
        return mention
    start = mention.start + raw.index(surface)
    return Mention(start, start + len(surface), mention.label, surface)


def keyed_mentions(
    mentions: Sequence[Mention], language: str | None = None
) -> list[tuple[str, Mention]]:
    """(canonical key, mention) for every mention that has a key, short forms resolved
    within the document; debris is dropped first (``tidy``)."""
    mentions = [t for t in map(tidy, mentions) if t is not None]
    keys = [canonical(m, language) for m in mentions]
    kept = [m for m, k in zip(mentions, keys, strict=True) if k is not None]
    resolved = resolve_short_forms(mentions, keys)
    return list(zip(resolved, kept, strict=True))


def _summed(weighted: Iterable[tuple[str, str, str, int]]) -> list[Entity]:
    """One ``Entity`` per key from (key, surface, label, mentions) rows, most mentioned
    first (then by key); the surface is the one with the most mentions, the longest on a
    tie."""
    counts: Counter[str] = Counter()
    surfaces: dict[str, Counter[tuple[str, str]]] = {}
    for key, surface, label, n in weighted:
        counts[key] += n
        surfaces.setdefault(key, Counter())[(surface, label)] += n
    out = []
    for key, n in counts.items():
        (surface, label), _ = max(
            surfaces[key].items(), key=lambda kv: (kv[1], len(kv[0][0]), kv[0])
        )
        out.append(Entity(key, label, surface, n))
    return sorted(out, key=lambda e: (-e.count, e.key))


def summarise_entities(pairs: Iterable[tuple[str, Mention]]) -> list[Entity]:
    """One ``Entity`` per key of one article's keyed mentions."""
    return _summed((key, m.surface.strip(), m.label, 1) for key, m in pairs)


def merge_entities(groups: Iterable[Sequence[Entity]]) -> list[Entity]:
    """Entities of several articles summed per key (a story's entities): the surface is
    the one with the most mentions across the articles."""
    return _summed((e.key, e.surface, e.label, e.count) for es in groups for e in es)
