"""Parts follow their wholes: "12 blessés ... Deux des blessés sont dans un état grave"
against "quinze personnes ont été blessées, dont trois grièvement".

A part ("dont trois", "two of them", "deux des blessés") is rarely in a sentence alike
enough to the other article's to be compared on its own, and a part alone does not say
of what it is a part. But once two wholes are known to quantify one thing (a reported
disagreement of the totals), the part of each is the same sub-quantity *when each article
states exactly one part of that whole*: the part written in the whole's own clause
("quinze ..., dont trois"), or a part naming the whole's counted noun ("deux des
blessés" of "12 blessés"). Two or more parts of one whole (the seriously injured and the
children) are ambiguous and are not compared.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from recoupe.corroborate.sameclaim import ClaimText
from recoupe.corroborate.values import Value, ValueKind
from recoupe.reuse.normalize import fold

KEY_CHARS = 5
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_LINKS = frozenset(
    [
        "de", "d", "des", "du", "of", "the", "les", "la", "le", "l", "them", "whom", "d'entre",
        "entre", "eux", "elles", "los", "las", "dei", "delle", "der",
    ]
)  # fmt: skip


def _words_after(text: str, end: int, n: int = 4) -> list[str]:
    out = []
    for m in _WORD.finditer(text, end):
        word = fold(m.group()).replace("’", "'")
        out.append(word.split("'", 1)[1] if re.match(r"^[dl]'.", word) else word)
        if len(out) >= n:
            break
    return out


def counted_key(text: str, v: Value) -> str:
    """The folded key of the first content word after a value ("12 blessés" -> "bless",
    "deux des blessés" -> "bless"), linking words skipped; '' when there is none."""
    for word in _words_after(text, v.end):
        if word not in _LINKS and len(word) >= 3:
            return word[:KEY_CHARS]
    return ""


def parts_of(
    whole: Value, at: int, mentions: Sequence[int], texts: Sequence[ClaimText]
) -> list[tuple[int, Value]]:
    """The parts of ``whole`` (a value of mention ``at``) among ``mentions`` (indices of
    the same article's mentions): in the whole's own clause, or naming its counted noun."""
    noun = counted_key(texts[at].text, whole)
    out = []
    for k in mentions:
        for w in texts[k].values:
            if not w.part or w.kind is not ValueKind.COUNT or w is whole:
                continue
            own_clause = k == at and w.phrase[0] <= whole.start < w.start
            if own_clause or (noun and counted_key(texts[k].text, w) == noun):
                out.append((k, w))
    return out
