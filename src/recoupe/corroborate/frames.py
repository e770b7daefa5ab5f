"""What a value quantifies: its frame, read from a dependency parse.

"500 soldats thaïlandais avaient été massés" and "cinq soldats thaïlandais avaient été
blessés" count one kind of thing (soldiers) in one story, but not the same set: what
separates them is the *predicate* - massed vs wounded. The sentences, and even the
clauses around the two numbers, are alike enough for an encoder to call them one subject;
the words the parse ties to the number are not. So a ``Frame`` keeps

* ``counted``: the noun the number counts ("soldats", "firefighters", "communes"; for an
  amount, its currency word; for "une centaine de soldats", "soldats");
* ``predicate``: the words that say what is counted - the verb or adjective that governs
  the counted noun ("blessés", "massés", "deployed", "full"), the participles attached to
  it ("soldats accusés d'avoir ..."), or the noun it is a complement of ("déploiement de
  500 soldats", "the number of injured");
* ``subject``: the governing verb's subject when it is not the counted thing itself ("Le
  Crédit agricole a perdu 6,85 milliards" / "les banques françaises ont perdu 17
  milliards": one predicate, two subjects); ``named_subject`` when it is a name, which
  the other sentence must then name too ("Natixis a perdu 975 millions" is not the loss
  "subie par la banque" of a sentence that never names Natixis);
* ``coordinated``: the counted noun is one of coordinated counts ("tué 18 civils et un
  policier", "blessé 382 civils et 241 policiers"): the value is a part of what its
  predicate applies to, compared only with a count of the same noun;
* ``listed``: the counted noun is followed by the names of its members ("les deux
  principaux syndicats, l'USM et le SM"): the sentence counts its own list, and two such
  counts that differ are two lists, not a disputed figure.

Frames come from the spaCy pipelines the project ships (French, English); a mention in
another language has no frame, and its values are not compared (nothing is guessed).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from recoupe.errors import ConfigError
from recoupe.nlp.encoder import Encoder
from recoupe.nlp.pipelines import load_pipeline, supported_languages
from recoupe.reuse.normalize import fold

F32 = NDArray[np.float32]

_COMPONENTS = {"fr": ("morphologizer", "parser"), "en": ("tagger", "attribute_ruler", "parser")}
_NOMINAL = frozenset(["NOUN", "PROPN", "PRON", "NUM"])
_PREDICATES = frozenset(["VERB", "ADJ"])
_PARTICIPLE_DEPS = frozenset(["acl", "amod", "acl:relcl", "relcl"])
_SUBJECT_DEPS = frozenset(["nsubj", "nsubj:pass", "nsubjpass"])
_MAX_UP = 4  # head steps from the number to its predicate


@dataclass(frozen=True, slots=True)
class Frame:
    """What one value quantifies (see the module doc). Words as written."""

    counted: str
    predicate: tuple[str, ...]  # verbs, adjectives, participles
    subject: str = ""
    governor: str = ""  # the noun the value is a complement of ("déploiement de 500 soldats")
    unit: bool = False  # ``counted`` is the value's own unit ("%", "euros"): not a thing
    plural_governor: bool = False  # "les mineurs de 16 ans": the value picks a subset
    named_subject: bool = False  # ``subject`` is a name (PROPN)
    coordinated: bool = False  # "18 civils et un policier": one of coordinated counts
    listed: bool = False  # "deux syndicats, l'USM et le SM": the members are named

    @property
    def words(self) -> tuple[str, ...]:
        """What the frame says about the counted thing: predicates and governing noun."""
        return (*self.predicate, self.governor) if self.governor else self.predicate


def parser_language(language: str | None) -> str | None:
    code = (language or "")[:2].lower()
    return code if code in supported_languages() and code in _COMPONENTS else None


def frames(text: str, language: str | None, spans: Sequence[tuple[int, int]],
           units: Sequence[bool] = ()) -> list[Frame | None]:  # fmt: skip
    """The frame of each value span (offsets into ``text``; ``units[k]`` when span k
    writes its unit - a percentage, an amount, a measure); None for every span when the
    language has no parser, or for a span the parse cannot place."""
    return next(frames_batch([(text, language, spans, units)]))


_FrameTask = tuple[str, str | None, Sequence[tuple[int, int]], Sequence[bool]]


def frames_batch(tasks: Sequence[_FrameTask]) -> Iterator[list[Frame | None]]:
    """``frames`` of each (text, language, spans, units), in order, the texts of one
    language parsed in one ``pipe``: the same parses as one call per text, at half the
    CPU (measured on 647 claim mentions of a real 196-article story)."""
    docs: dict[int, Any] = {}
    by_language: dict[str, list[int]] = {}
    for k, (_, language, spans, _) in enumerate(tasks):
        lang = parser_language(language)
        if lang is not None and spans:
            by_language.setdefault(lang, []).append(k)
    for lang, ks in sorted(by_language.items()):
        try:
            nlp = load_pipeline(lang, _COMPONENTS[lang])
        except ConfigError:
            continue
        docs.update(zip(ks, nlp.pipe(tasks[k][0] for k in ks), strict=True))
    for k, (_, _, spans, units) in enumerate(tasks):
        doc = docs.get(k)
        if doc is None:
            yield [None] * len(spans)
            continue
        flags = list(units) or [False] * len(spans)
        yield [_frame(doc, start, end, unit)
               for (start, end), unit in zip(spans, flags, strict=True)]  # fmt: skip


def _core(doc: Any, start: int, end: int) -> Any | None:
    """The token of the value span that the rest of the sentence attaches to."""
    inside = [t for t in doc if t.idx < end and t.idx + len(t.text) > start]
    if not inside:
        return None
    ids = {t.i for t in inside}
    tops = [t for t in inside if t.head.i not in ids or t.head.i == t.i]
    return tops[-1] if tops else inside[-1]


def _counted(core: Any, ids: set[int], unit: bool) -> Any | None:
    """The noun the value counts: the head of a number ("500 soldats"), the complement
    of a quantity noun ("une centaine de soldats", "hundreds of soldiers"), or the unit
    written in the value itself ("18 %", "6,85 milliards d'euros")."""
    units = [t for t in core.doc if t.i in ids and t.pos_ in ("NOUN", "SYM", "PROPN")]
    if unit:
        return units[-1] if units else None
    if (core.head.i != core.i and core.head.i not in ids and core.head.pos_ in ("NOUN", "PROPN")
            and core.dep_ in ("nummod", "det", "amod", "compound", "quantmod", "nmod")):
        return core.head
    for child in core.children:
        if child.i in ids:
            continue
        if child.pos_ == "NOUN" and child.dep_ in ("nmod", "pobj"):
            return child
        if child.dep_ == "prep" and child.lower_ == "of":
            objs = [g for g in child.children if g.dep_ == "pobj"]
            if objs:
                return objs[0]
    return units[-1] if units else None


def _predicate(
    start: Any, counted: Any | None, ids: set[int]
) -> tuple[list[Any], Any | None, Any | None]:
    """Participles on the counted noun, then the first verb/adjective (or governing noun)
    up the tree, outside the value; and that verb's own subject when it is not the
    counted noun."""
    words: list[Any] = []
    if counted is not None:
        words += [c for c in counted.children if c.dep_ in _PARTICIPLE_DEPS and c.pos_ == "VERB"
                  and c.i not in ids]  # fmt: skip
    node, seen = start, 0
    while node.head.i != node.i and seen < _MAX_UP:
        head = node.head
        seen += 1
        if head.pos_ == "ADP" or head.i in ids:
            node = head
            continue
        if head.pos_ in _PREDICATES:
            return [*words, head], None, _subject(head, counted)
        if head.pos_ == "AUX":
            return words, None, None
        if head.pos_ == "NOUN" and node.dep_ in ("nmod", "pobj", "obl", "obl:arg", "nmod:poss"):
            return words, head, None
        node = head
    return words, None, None


def _subject(verb: Any, counted: Any | None) -> Any | None:
    own = _compound(counted) if counted is not None else set()
    for child in verb.children:
        if child.dep_ in _SUBJECT_DEPS and child.i not in own and child.is_alpha:
            return child if child.pos_ in ("NOUN", "PROPN") else None
    return _lost_subject(verb, own)


def _lost_subject(verb: Any, own: set[int]) -> Any | None:
    """A finite verb the parse left without a subject, in a sentence that opens with a
    name the parse made a root of its own ("Natixis, filiale de ..., a perdu 975
    millions"): that name is the subject. Nothing else is guessed."""
    finite = any(c.dep_.startswith("aux") and c.pos_ == "AUX" for c in verb.children) or (
        "Fin" in verb.morph.get("VerbForm")
    )
    if not finite or verb.dep_ not in ("ROOT", "conj"):
        return None
    first = next((t for t in verb.doc if t.is_alpha and t.pos_ != "DET"), None)
    if first is None or first.i >= verb.i or first.i in own or first.pos_ != "PROPN":
        return None
    return first if first.dep_ == "ROOT" and first.i != verb.i else None


def _coordinated(counted: Any | None) -> bool:
    """Whether a counted noun is one of coordinated counts: it, or the noun it is
    coordinated with, has a number of its own ("18 civils et un policier")."""
    if counted is None:
        return False
    partners = [c for c in counted.children if c.dep_ == "conj" and c.pos_ == "NOUN"]
    if counted.dep_ == "conj" and counted.head.pos_ == "NOUN":
        partners.append(counted.head)
    if counted.dep_ in ("obj", "nsubj", "nsubj:pass", "dobj"):  # "tué 18 civils et un
        partners += [c for c in counted.head.children  # policier", the parse's way
                     if c.dep_ == "conj" and c.pos_ == "NOUN" and c.i > counted.i]
    return any(_numbered(p) for p in partners)


def _numbered(noun: Any) -> bool:
    return any(c.dep_ == "nummod" or (c.dep_ == "det" and c.lower_ in _ONE)
               for c in noun.children)  # fmt: skip


_ONE = frozenset(["un", "une", "a", "an", "one"])


def _listed(counted: Any | None) -> bool:
    """Whether the members of a counted noun are named after it, in apposition."""
    return counted is not None and any(
        c.dep_ == "appos" and c.i > counted.i and c.pos_ == "PROPN" for c in counted.children
    )


def _compound(token: Any) -> set[int]:
    """Token ids of a word written with hyphens ("sapeurs-pompiers": three tokens)."""
    doc, ids = token.doc, {token.i}
    k = token.i
    while k + 2 < len(doc) and doc[k + 1].text == "-" and not doc[k].whitespace_ and (
        not doc[k + 1].whitespace_
    ):
        ids |= {k + 1, k + 2}
        k += 2
    return ids


def _word(token: Any) -> str:
    doc, ids = token.doc, sorted(_compound(token))
    return str(doc[ids[0] : ids[-1] + 1].text)


def _phrase(token: Any) -> str:
    """A subject with its compound/flat name parts and adjectives ("Crédit agricole")."""
    parts = [token, *(c for c in token.children
                      if c.dep_ in ("amod", "compound", "flat:name", "flat") and c.i > token.i)]
    return " ".join(t.text for t in sorted(parts, key=lambda t: t.i))


def _frame(doc: Any, start: int, end: int, has_unit: bool) -> Frame | None:
    core = _core(doc, start, end)
    if core is None:
        return None
    ids = {t.i for t in doc if t.idx < end and t.idx + len(t.text) > start}
    counted = _counted(core, ids, has_unit)
    unit = counted is not None and counted.i in ids
    anchor = counted if counted is not None and not unit else core
    preds, governor, subject = _predicate(anchor, counted, ids)
    return Frame(
        _word(counted) if counted is not None else "",
        tuple(t.text for t in sorted(preds, key=lambda t: t.i)),
        _phrase(subject) if subject is not None else "",
        governor.text if governor is not None else "",
        unit,
        governor is not None and "Plur" in governor.morph.get("Number"),
        subject is not None and subject.pos_ == "PROPN",
        not unit and _coordinated(counted),
        not unit and _listed(counted),
    )


COUNTED_MIN = 0.5  # cosine of the counted nouns ("firefighters" / "sapeurs-pompiers")
PREDICATE_MIN = 0.6  # cosine of the best pair of predicate words ("blessés" / "injured")
PREDICATE_DIFFER = 0.4  # below this, two predicates say different things ("supprimés"/"créés")
SUBJECT_MIN = 0.5  # two subjects less alike than this are two participants
AMBIGUOUS_VALUES = 3  # distinct values of one counted thing beyond which predicates must match


_Wanted = tuple[str, str | None, dict[tuple[int, int], bool]]  # text, language, spans -> unit


class FrameIndex:
    """Frames of the values of some mentions (each mention parsed once) and word
    similarity between frame words: the encoder's cosine, or without an encoder,
    1.0 for the same folded word and 0.0 otherwise."""

    def __init__(self, encoder: Encoder | None) -> None:
        self.encoder = encoder
        self._wanted: dict[tuple[str, int, int], _Wanted] = {}
        self._frames: dict[tuple[tuple[str, int, int], int, int], Frame | None] = {}
        self._vectors: dict[str, F32] = {}

    def want(self, key: tuple[str, int, int], text: str, language: str | None,
             span: tuple[int, int], unit: bool = False) -> None:  # fmt: skip
        self._wanted.setdefault(key, (text, language, {}))[2][span] = unit

    def compute(self) -> None:
        """Parse every mention asked for, then encode the frame words in one batch."""
        keys, tasks = [], []
        for key, (text, language, units) in self._wanted.items():
            spans = sorted(units)
            keys.append(key)
            tasks.append((text, language, spans, [units[s] for s in spans]))
        for key, task, got in zip(keys, tasks, frames_batch(tasks), strict=True):
            for span, frame in zip(task[2], got, strict=True):
                self._frames[(key, *span)] = frame
        self._wanted = {}
        words = sorted({w for f in self._frames.values() if f is not None
                        for w in (f.counted, f.subject, *f.words) if w}
                       - set(self._vectors))  # fmt: skip
        if self.encoder is not None and words:
            for word, vec in zip(words, self.encoder.encode(words), strict=True):
                self._vectors[word] = vec

    def frame(self, key: tuple[str, int, int], span: tuple[int, int]) -> Frame | None:
        return self._frames.get((key, *span))

    def similarity(self, a: str, b: str) -> float:
        if not a or not b:
            return -1.0
        if self.encoder is None or a not in self._vectors or b not in self._vectors:
            return 1.0 if fold(a) == fold(b) else 0.0
        return float(self._vectors[a] @ self._vectors[b])

    def same_counted(self, a: Frame, b: Frame) -> bool:
        return self.similarity(a.counted, b.counted) >= COUNTED_MIN

    def same_quantity(self, a: Frame | None, b: Frame | None, ambiguous: bool) -> bool:
        """Whether two values quantify one thing (see the module doc): never with two
        different subjects; an event noun that is the other's verb ("12 blessés" /
        "quinze personnes ont été blessées"); else the same counted noun and the same
        predicate (not only a plural noun both values pick subsets of: "les mineurs de 13
        ans" / "de 16 ans"), never a part of coordinated counts against another noun, nor
        two counts of named lists - or, when the story counts that noun in few ways (not
        ``ambiguous``) and it is a thing, not a unit, predicates on both sides that do not clearly
        differ."""
        if a is None or b is None:
            return False
        if a.listed and b.listed:
            return False  # each counts the members it names: two lists
        if (a.coordinated or b.coordinated) and not self.same_counted(a, b):
            return False  # "18 civils et un policier" tués: a part of the dead
        if a.subject and b.subject and self.similarity(a.subject, b.subject) < SUBJECT_MIN:
            return False
        if self._event(a, b) or self._event(b, a):
            return True
        if not self.same_counted(a, b):
            return False
        best = max((self.similarity(x, y) for x in a.words for y in b.words), default=None)
        verbal = any(self.similarity(x, y) >= PREDICATE_MIN
                     for x in a.predicate for y in b.predicate)  # fmt: skip
        if best is not None and best >= PREDICATE_MIN and not verbal and (
            a.plural_governor and b.plural_governor
        ):
            return False  # "les mineurs de 13 ans" / "de 16 ans": two subsets, one noun
        if best is not None and best >= PREDICATE_MIN:
            return True
        if ambiguous or a.unit or b.unit or best is None:
            return False  # an unknown predicate: nothing says it is the same quantity
        return best >= PREDICATE_DIFFER

    def _event(self, a: Frame, b: Frame) -> bool:
        return bool(a.counted) and not a.unit and any(
            self.similarity(a.counted, y) >= PREDICATE_MIN for y in b.predicate
        )


def warm_parsers() -> None:
    """Load the parsers frames use now (before worker processes fork)."""
    for language in sorted(_COMPONENTS):
        if language in supported_languages():
            load_pipeline(language, _COMPONENTS[language])
