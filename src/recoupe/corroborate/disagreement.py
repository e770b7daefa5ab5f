"""Disagreements: two articles that state the same proposition with different values.

A fact-checker wants "12 injured (BPA, Tuesday) vs 15 injured (L'Écho des Quais,
Wednesday)", not "14 vs 2e+07" (hostages vs dollars) nor two weekdays of two different
events. So a disagreement is only reported when all of this holds:

1. **Same subject.** The two mentions (different articles) are candidates of claim
   grouping (encoder cosine >= ``similarity.CANDIDATE_COSINE``): they are about the same
   thing, though each sentence may say more ("..., faisant 12 blessés et provoquant un
   panache de fumée" / "le bilan a été revu à la hausse : quinze personnes ont été
   blessées, dont trois grièvement"). Sentences that say much else besides (cosine
   down to ``SENTENCE_MIN``) qualify only through one value phrase at least
   ``ANCHOR_MIN`` alike ("put the number of injured at 12, two of them seriously").
2. **Same participants.** When both mentions name participants (capitalised words), they
   share at least one: "12 injured at Dunkirk" is not compared with "4 injured at
   Herstal".
   A value whose subject is a name is compared only with a sentence that names it too.
3. **Same quantity.** The values are of one kind (a count, a percentage, money in one
   currency, a measure in one unit) and the clauses around them say the same thing: the
   encoder cosine of the two *value phrases* ("faisant 12 blessés" / "quinze personnes
   ont été blessées"; ``Value.phrase``) reaches ``PHRASE_MIN``, and each is the other's
   best match among the unmatched values of that kind (one-to-one). People are never
   compared with dollars, nor "trois grièvement" with "two towns". Dates (a day, a year,
   a time) are compared only between mentions that are the same claim but for their
   values (``Decision.frame`` >= ``DATE_FRAME_MIN``): a weekday differs between two
   events of one story far more often than between two reports of one event.
4. **Really different.** The intervals the wording allows do not meet (``values.agree``):
   rounding is agreement ("29.6 %" / "about 29 %"), "Betancourt and 14 other hostages"
   agrees with 15, "une centaine" with "about 90", a restriction ("ne ... que") is not a
   negation, "mardi" in Wednesday's paper is Tuesday.

Then **time**: each mention refers to the days it names (resolved against its article's
date), or else to any time up to its publication. When the two are strictly ordered
("18 % lundi" then "17 % mercredi") the pair is an ``UPDATE`` - shown with both dates,
not as a conflict; otherwise it is a ``CONFLICT`` and both claims are *disputed*.
A claim updated to a value that is itself in conflict is disputed too (12 injured on
Tuesday, 15 on Wednesday, while another report on Wednesday still says 12).

Negation is compared only within one language, between near-identical wordings
(content-word Jaccard >= ``NEGATION_OVERLAP``): "a confirmé" / "n'a pas confirmé".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from recoupe.corroborate.frames import AMBIGUOUS_VALUES, Frame, FrameIndex
from recoupe.corroborate.parts import KEY_CHARS, parts_of
from recoupe.corroborate.sameclaim import SAME, ClaimText, same_language
from recoupe.corroborate.similarity import (
    CANDIDATE_COSINE,
    F32,
    ScoredPairs,
    VectorCache,
    lexical_score,
    vectors,
)
from recoupe.corroborate.values import (
    Value,
    ValueKind,
    agree,
    comparable_kinds,
    day_span,
    parse_published,
    values,
)
from recoupe.nlp.encoder import Encoder
from recoupe.reuse.normalize import fold
from recoupe.reuse.shingles import char_shingles
from recoupe.reuse.signals import jaccard
from recoupe.types import (
    ClaimGroup,
    ClaimMention,
    Disagreement,
    DisagreementKind,
    DisagreementStatus,
    TextSpan,
)

PHRASE_MIN = 0.5
SENTENCE_MIN = 0.4  # mentions less alike than this are never compared
ANCHOR_MIN = 0.65  # below CANDIDATE_COSINE, a pair needs one value phrase this close
DATE_FRAME_MIN = 0.8
NEGATION_OVERLAP = 0.6
_DATE_KINDS = (ValueKind.DAY, ValueKind.YEAR, ValueKind.TIME)
_QUANTITIES = (ValueKind.COUNT, ValueKind.PERCENT, ValueKind.MONEY, ValueKind.MEASURE)
# not compared: ages (whose age, the parse would have to say) and clock times


@dataclass(frozen=True, slots=True)
class _Diff:
    kind: DisagreementKind
    a: Value
    b: Value


def _unmatched(mine: Sequence[Value], theirs: Sequence[Value], kind: ValueKind) -> list[Value]:
    return [v for v in mine if v.kind is kind
            and not any(comparable_kinds(v, w) and agree(v, w) for w in theirs)]  # fmt: skip


def _assign(left: Sequence[Value], right: Sequence[Value],
            score: Callable[[Value, Value], float]) -> list[tuple[Value, Value]]:  # fmt: skip
    """One-to-one pairs, best first, among those scoring above 0."""
    ranked = sorted(((score(v, w), k, m) for k, v in enumerate(left)
                     for m, w in enumerate(right)), reverse=True)  # fmt: skip
    used_l: set[int] = set()
    used_r: set[int] = set()
    out = []
    for s, k, m in ranked:
        if s > 0 and k not in used_l and m not in used_r:
            used_l.add(k)
            used_r.add(m)
            out.append((left[k], right[m]))
    return out


def _date_differences(a: ClaimText, b: ClaimText) -> list[_Diff]:
    """Dates of two mentions that are one claim but for their values: the only unmatched
    ones of their kind, or sharing a context word."""
    out = []
    for kind in _DATE_KINDS:
        left, right = _unmatched(a.values, b.values, kind), _unmatched(b.values, a.values, kind)
        bonus = float(len(left) == 1 and len(right) == 1)

        def shared(v: Value, w: Value, bonus: float = bonus) -> float:
            return len(v.context & w.context) + bonus

        for v, w in _assign(left, right, shared):
            if not agree(v, w):
                out.append(_Diff(DisagreementKind.DATE, v, w))
    return out


def _quantity_candidates(a: ClaimText, b: ClaimText) -> list[tuple[Value, Value]]:
    """Pairs of unmatched values of one quantity kind that could be about one thing."""
    out = []
    for kind in _QUANTITIES:
        for v in _unmatched(a.values, b.values, kind):
            out += [(v, w) for w in _unmatched(b.values, a.values, kind)
                    if comparable_kinds(v, w) and not agree(v, w)]  # fmt: skip
    return out


def _kind_of(v: Value, w: Value) -> DisagreementKind:
    if v.kind in _DATE_KINDS:
        return DisagreementKind.DATE
    return DisagreementKind.QUANTITY if v.vague or w.vague else DisagreementKind.NUMBER


def _participants_differ(a: ClaimText, b: ClaimText) -> bool:
    return bool(a.names) and bool(b.names) and not (a.names & b.names)


def _reference(text: ClaimText, value: Value, published: str | None) -> tuple[float, float]:
    """The days (ordinals) a value holds for: a day written inside its own phrase
    ("rempli qu'à 18 % lundi"), else any time up to its article's date (or any time).
    A day elsewhere in the sentence is the event's ("tôt mardi matin, faisant 12
    blessés": the toll is as of publication, not of Tuesday)."""
    lo, hi = value.phrase
    inside = tuple(v for v in text.values if v.kind is ValueKind.DAY and lo <= v.start <= hi)
    named = day_span(tuple(v for v in inside if v.end <= hi))
    if named is not None:
        return named
    day = parse_published(published)
    return float("-inf"), (float(day.toordinal()) if day else float("inf"))


def _status(a: tuple[float, float], b: tuple[float, float]) -> DisagreementStatus:
    if a[1] < b[0] or b[1] < a[0]:
        return DisagreementStatus.UPDATE
    return DisagreementStatus.CONFLICT


def _iso(span: tuple[float, float]) -> str | None:
    from datetime import date

    lo, hi = span
    if lo == float("-inf") or hi == float("inf") or lo != hi:
        return None
    return date.fromordinal(int(lo)).isoformat()


def _negation_differs(a: ClaimText, b: ClaimText) -> bool:
    if a.negated == b.negated or not same_language(a, b) or not a.content or not b.content:
        return False
    return len(a.content & b.content) / len(a.content | b.content) >= NEGATION_OVERLAP


def _article_span(m: ClaimMention, v: Value) -> TextSpan:
    return TextSpan(m.span.start + v.start, m.span.start + v.end)


def _phrase_key(m: ClaimMention, v: Value) -> tuple[str, int, int]:
    return (m.doc_id, m.span.start + v.phrase[0], m.span.start + v.phrase[1])


def _phrase(m: ClaimMention, v: Value) -> tuple[tuple[str, int, int], str]:
    """(cache key, text) of the phrase of value ``v`` of mention ``m``."""
    return _phrase_key(m, v), m.text[v.phrase[0] : v.phrase[1]]


def phrase_spans(m: ClaimMention) -> list[tuple[tuple[str, int, int], str]]:
    """(cache key, text) of the phrase of each quantity the mention states: the phrases
    disagreement detection may encode. A pipeline loads their stored vectors before it
    runs, as it does for sentences: re-corroborating a story that gained a member
    encoded every phrase again, the largest cost of an incremental run's findings."""
    return [_phrase(m, v) for v in values(m.text, m.language, m.published)
            if v.kind in _QUANTITIES]  # fmt: skip


class _Phrases:
    """Encoder vectors of value phrases, keyed like sentence vectors (doc, start, end)."""

    def __init__(self, encoder: Encoder | None, cache: VectorCache | None) -> None:
        self.encoder = encoder
        self.cache: VectorCache = cache if cache is not None else {}
        self.texts: dict[tuple[str, int, int], str] = {}

    key = staticmethod(_phrase_key)

    def want(self, m: ClaimMention, v: Value) -> None:
        key, text = _phrase(m, v)
        self.texts[key] = text

    def similarity(self, m: ClaimMention, v: Value, n: ClaimMention, w: Value) -> float:
        ka, kb = self.key(m, v), self.key(n, w)
        if self.encoder is None:
            return lexical_score(jaccard(char_shingles(self.texts[ka]),
                                         char_shingles(self.texts[kb])))  # fmt: skip
        if ka not in self.cache or kb not in self.cache:
            keys = [k for k in self.texts if k not in self.cache]
            vectors(keys, [self.texts[k] for k in keys], self.encoder, self.cache)
        return float(self.cache[ka] @ self.cache[kb])


def _quantity_differences(ma: ClaimMention, mb: ClaimMention, cands: list[tuple[Value, Value]],
                          phrases: _Phrases, closeness: float) -> list[_Diff]:  # fmt: skip
    """The candidate value pairs whose phrases say the same thing, one-to-one; none when
    the sentences are not candidates of grouping and no phrase reaches ``ANCHOR_MIN``."""
    sim = {(id(v), id(w)): phrases.similarity(ma, v, mb, w) for v, w in cands}
    if closeness < CANDIDATE_COSINE and max(sim.values()) < ANCHOR_MIN:
        return []
    left = list({id(v): v for v, _ in cands}.values())
    right = list({id(w): w for _, w in cands}.values())
    chosen = _assign(left, right, lambda v, w: sim.get((id(v), id(w)), -1.0) - PHRASE_MIN + 1e-9)
    return [_Diff(_kind_of(v, w), v, w) for v, w in chosen]


def _sentence_cosines(mentions: Sequence[ClaimMention], idx: Sequence[int],
                      encoder: Encoder | None, cache: VectorCache | None) -> F32:  # fmt: skip
    if encoder is None:
        sigs = [char_shingles(mentions[i].text) for i in idx]
        return np.array([[lexical_score(jaccard(a, b)) for b in sigs] for a in sigs], np.float32)
    vecs = vectors([mentions[i].key for i in idx], [mentions[i].text for i in idx], encoder, cache)
    return vecs @ vecs.T


def _candidate_pairs(
    mentions: Sequence[ClaimMention], texts: Sequence[ClaimText], group_of: dict[Any, str],
    encoder: Encoder | None, cache: VectorCache | None,
) -> list[tuple[int, int, float, list[tuple[Value, Value]]]]:  # fmt: skip
    """Mention pairs of different groups and articles, alike enough, with the same
    participants, holding unmatched values of one quantity kind."""
    idx = [i for i, t in enumerate(texts) if any(v.kind in _QUANTITIES for v in t.values)]
    if len(idx) < 2:
        return []
    cos = _sentence_cosines(mentions, idx, encoder, cache)
    out = []
    # the pairs alike enough, in the order of a loop over a < b (a pair loop over a
    # 2,000-mention story's values was seconds)
    rows, cols = np.nonzero(np.triu(cos >= SENTENCE_MIN, 1))
    for a, b in zip(rows.tolist(), cols.tolist(), strict=True):
        i, j = idx[a], idx[b]
        if mentions[i].doc_id == mentions[j].doc_id:
            continue
        if group_of[mentions[i].key] == group_of[mentions[j].key]:
            continue
        if _participants_differ(texts[i], texts[j]):
            continue
        cands = _quantity_candidates(texts[i], texts[j])
        if cands:
            out.append((i, j, float(cos[a, b]), cands))
    return out


_Staged = list[tuple[int, int, float, list[_Diff]]]


def _same_quantities(staged: _Staged, mentions: Sequence[ClaimMention],
                     encoder: Encoder | None) -> _Staged:  # fmt: skip
    """The value pairs whose frames say they quantify one thing (``frames``): same
    counted noun, same subject, and the same predicate when the story counts that noun
    in more than ``AMBIGUOUS_VALUES`` ways; "the 28 other hostages" never."""
    index = FrameIndex(encoder)
    for i, j, _, diffs in staged:
        for d in diffs:
            for m, v in ((mentions[i], d.a), (mentions[j], d.b)):
                index.want(m.key, m.text, m.language, (v.start, v.end),
                           v.kind is not ValueKind.COUNT)  # fmt: skip
    index.compute()
    ambiguous = _AmbiguityTest(index)
    for i, j, _, diffs in staged:
        for d in diffs:
            for m, v in ((mentions[i], d.a), (mentions[j], d.b)):
                ambiguous.add(m.key, v, index.frame(m.key, (v.start, v.end)))

    out: _Staged = []
    for i, j, closeness, diffs in staged:
        kept = []
        for d in diffs:
            fa = index.frame(mentions[i].key, (d.a.start, d.a.end))
            fb = index.frame(mentions[j].key, (d.b.start, d.b.end))
            if d.a.relative or d.b.relative:
                continue
            if not (_subject_named(fa, mentions[j].text) and _subject_named(fb, mentions[i].text)):
                continue
            if index.same_quantity(fa, fb, ambiguous(d.a, fa) or ambiguous(d.b, fb)):
                kept.append(d)
        out.append((i, j, closeness, kept))
    return out


class _AmbiguityTest:
    """Whether the story counts a value's thing in more than ``AMBIGUOUS_VALUES`` ways
    (values that do not agree). The answer depends only on the value's comparable class
    (kind, unit, part: ``comparable_kinds``) and its frame's counted noun, so it is kept
    per that pair; each written value counts once however many pairs it sits in."""

    def __init__(self, index: FrameIndex) -> None:
        self._index = index
        self._seen: set[tuple[tuple[str, int, int], Value]] = set()
        self._by_class: dict[tuple[Any, ...], list[tuple[Value, Frame]]] = {}
        self._known: dict[tuple[tuple[Any, ...], str], bool] = {}

    def add(self, key: tuple[str, int, int], v: Value, f: Frame | None) -> None:
        if f is None or (key, v) in self._seen:
            return
        self._seen.add((key, v))
        self._by_class.setdefault(_comparable_class(v), []).append((v, f))

    def __call__(self, v: Value, f: Frame | None) -> bool:
        if f is None:
            return True
        where = (_comparable_class(v), f.counted)
        if where not in self._known:
            self._known[where] = self._count_exceeds(where[0], f)
        return self._known[where]

    def _count_exceeds(self, kind: tuple[Any, ...], f: Frame) -> bool:
        amounts: list[Value] = []  # one value per set of agreeing ones
        for w, g in self._by_class.get(kind, ()):
            if self._index.same_counted(f, g) and not any(agree(w, x) for x in amounts):
                amounts.append(w)
                if len(amounts) > AMBIGUOUS_VALUES:  # it only grows: the answer is known
                    return True
        return False


def _comparable_class(v: Value) -> tuple[Any, ...]:
    """The key ``comparable_kinds`` compares: two values are comparable iff equal."""
    return (v.kind, "" if v.kind is ValueKind.COUNT else v.unit, v.part)


def _subject_named(f: Frame | None, other: str) -> bool:
    """Whether the other sentence names the subject a value's frame has, when that
    subject is a name ("Natixis a perdu 975 millions" / "la perte de 751 millions subie
    par la banque": the second does not say Natixis). Names are matched on their first
    ``KEY_CHARS`` folded letters ("Thaïlande" / "thaïlandais")."""
    if f is None or not f.named_subject:
        return True
    key = fold(f.subject.split()[0])[:KEY_CHARS]
    return any(w.startswith(key) for w in _WORDS.findall(fold(other)))


_WORDS = re.compile(r"[^\W\d_]+")


def _with_parts(staged: _Staged, mentions: Sequence[ClaimMention],
                texts: Sequence[ClaimText]) -> _Staged:  # fmt: skip
    """Add the parts of two disagreeing wholes ("dont trois" / "deux des blessés") when
    each article states exactly one part of its whole (``parts``)."""
    by_doc: dict[str, list[int]] = {}
    for k, m in enumerate(mentions):
        by_doc.setdefault(m.doc_id, []).append(k)
    out = list(staged)
    for i, j, closeness, diffs in staged:
        for d in diffs:
            if d.a.part or d.b.part or d.a.kind is not ValueKind.COUNT:
                continue
            pa = parts_of(d.a, i, by_doc[mentions[i].doc_id], texts)
            pb = parts_of(d.b, j, by_doc[mentions[j].doc_id], texts)
            if len(pa) != 1 or len(pb) != 1:
                continue
            (k, v), (n, w) = pa[0], pb[0]
            if comparable_kinds(v, w) and not agree(v, w):
                out.append((k, n, closeness, [_Diff(_kind_of(v, w), v, w)]))
    return out


def find_disagreements(
    groups: Sequence[ClaimGroup],
    mentions: Sequence[ClaimMention],
    pairs: ScoredPairs,
    texts: Sequence[ClaimText],
    encoder: Encoder | None = None,
    cache: VectorCache | None = None,
) -> tuple[Disagreement, ...]:
    """Disagreements between the claim groups of one story. ``mentions``/``texts`` are
    what ``pairs`` was scored on (``similarity.score_pairs``); ``groups`` partition them.
    ``encoder``/``cache`` compare sentences and value phrases (without an encoder: their
    characters). One record per pair of groups and pair of values, the closest mention
    pair kept."""
    group_of = {m.key: g.id for g in groups for m in g.mentions}
    todo = _candidate_pairs(mentions, texts, group_of, encoder, cache)
    phrases = _Phrases(encoder, cache)
    for i, j, _, cands in todo:
        for v, w in cands:
            phrases.want(mentions[i], v)
            phrases.want(mentions[j], w)
    staged = [(i, j, closeness, _quantity_differences(mentions[i], mentions[j], cands, phrases,
                                                      closeness))
              for i, j, closeness, cands in todo]  # fmt: skip
    found: list[tuple[float, Disagreement]] = []
    for i, j, closeness, diffs in _with_parts(_same_quantities(staged, mentions, encoder),
                                              mentions, texts):  # fmt: skip
        ma, mb, ta, tb = mentions[i], mentions[j], texts[i], texts[j]
        found += [(closeness, _record(d, ma, mb, ta, tb, group_of[ma.key], group_of[mb.key]))
                  for d in diffs]  # fmt: skip
    for (i, j), frame in pairs.frame.items():
        ma, mb, ta, tb = mentions[i], mentions[j], texts[i], texts[j]
        ga, gb = group_of.get(ma.key), group_of.get(mb.key)
        if ga is None or gb is None or ga == gb or _participants_differ(ta, tb):
            continue
        quantities = bool(_quantity_candidates(ta, tb))  # their days are when, not what
        diffs = _date_differences(ta, tb) if frame >= DATE_FRAME_MIN and not quantities else []
        records = [_record(d, ma, mb, ta, tb, ga, gb) for d in diffs]
        if not records and pairs.same.get((i, j), 0.0) >= SAME and _negation_differs(ta, tb):
            status = _status(_reference_of(ta, ma.published), _reference_of(tb, mb.published))
            records.append(Disagreement(DisagreementKind.NEGATION, ma, mb,
                                        _neg(ta), _neg(tb), ga, gb, status))  # fmt: skip
        found += [(pairs.cosine[(i, j)], d) for d in records]
    best: dict[tuple[str, ...], tuple[float, Disagreement]] = {}
    for closeness, d in found:
        key = (*sorted((d.group_a, d.group_b)), d.kind.value, *sorted((d.left, d.right)))
        if key not in best or closeness > best[key][0]:
            best[key] = (closeness, d)
    # one record per pair of written values too: a value inside two overlapping mentions
    # (a claim and its sentence) is one value, not two disagreements
    by_values: dict[tuple[Any, ...], tuple[tuple[str, ...], float, Disagreement]] = {}
    for key, (closeness, d) in sorted(best.items()):
        where = _value_key(d) or key
        if where not in by_values or closeness > by_values[where][1]:
            by_values[where] = (key, closeness, d)
    return tuple(d for _, _, d in sorted(by_values.values(), key=lambda t: t[0]))


def _value_key(d: Disagreement) -> tuple[Any, ...] | None:
    if d.a_value is None or d.b_value is None:
        return None
    sides = sorted([(d.a.doc_id, d.a_value.start, d.a_value.end),
                    (d.b.doc_id, d.b_value.start, d.b_value.end)])  # fmt: skip
    return (d.kind.value, *sides)


def _record(d: _Diff, ma: ClaimMention, mb: ClaimMention, ta: ClaimText, tb: ClaimText,
            ga: str, gb: str) -> Disagreement:  # fmt: skip
    ra, rb = _reference(ta, d.a, ma.published), _reference(tb, d.b, mb.published)
    return Disagreement(d.kind, ma, mb, d.a.written, d.b.written, ga, gb, _status(ra, rb),
                        _article_span(ma, d.a), _article_span(mb, d.b), _iso(ra), _iso(rb))


def _reference_of(text: ClaimText, published: str | None) -> tuple[float, float]:
    """The days a whole mention refers to (for a negation): those it names, else up to
    its article's date."""
    named = day_span(tuple(v for v in text.values if v.kind is ValueKind.DAY))
    if named is not None:
        return named
    day = parse_published(published)
    return float("-inf"), (float(day.toordinal()) if day else float("inf"))


def _neg(t: ClaimText) -> str:
    return "negated" if t.negated else "affirmed"
