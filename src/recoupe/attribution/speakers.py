"""Turn a source phrase into a ``Source``: canonical entities, kind, anonymity.

Why document-level: articles name a person in full once ("le général Pat Ryder") and by
surname after ("a déclaré Ryder"), and refer back with pronouns ("a-t-il dit"). A claim
must carry the same speaker in both places, so short mentions are resolved to the most
recent longer mention containing them, and pronouns to the nearest preceding person.
Unnamed sources ("un responsable américain, qui s'est exprimé sous couvert d'anonymat")
are kept as an anonymous description, which is what cross-article comparison needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from recoupe.attribution.lexicon import ANONYMITY, ANONYMOUS_ROLES, INDEFINITE, words
from recoupe.types import Source, SourceKind, TextSpan

PERSON_LABELS = frozenset({"PER", "PERSON"})
ORG_LABELS = frozenset({"ORG", "NORP"})
ORG_NOUNS = words(
    "administration gouvernement ministère campagne équipe services service agence armée "
    "government department ministry campaign team agency office committee"
)
_PRONOUNS = words("il elle ils elles -il -elle -ils -elles he she they him her them lui eux")
_PLURAL = words("ils elles -ils -elles they eux them")
_STOP_DESCRIPTION = words("qui que dont who which that , ( — –")
_DETERMINERS = words(
    "le la les l' l’ un une des du de d' d’ ce cet cette ces the a an this that these those"
)


@dataclass(slots=True)
class Mention:
    start: int  # absolute offsets
    end: int
    words: tuple[str, ...]
    label: str


@dataclass(slots=True)
class EntityIndex:
    """Named-entity mentions of one document, in order, for canonical names."""

    mentions: list[Mention] = field(default_factory=list)

    def add_doc(self, doc: Any, base: int) -> None:
        for ent in doc.ents:
            if ent.label_ in PERSON_LABELS or ent.label_ in ORG_LABELS or ent.label_ == "LOC":
                words = tuple(t.text for t in ent if not t.is_punct)
                if words:
                    self.mentions.append(
                        Mention(base + ent.start_char, base + ent.end_char, words, ent.label_)
                    )

    def canonical(self, mention: Mention) -> str:
        """The most recent longer mention (else the first later one) whose words contain
        this mention's words in order, extended again while a longer one contains it:
        "Ryder" -> "Pat Ryder", "Kim" -> "Kim Jong" -> "Kim Jong Un" (NER cut the first
        full mention short)."""
        words = mention.words
        best: Mention | None = None
        for other in self.mentions:
            if len(other.words) <= len(words) or not _contains(other.words, words):
                continue
            if other.start < mention.start or best is None:
                best = other
            if other.start > mention.start:
                break
        while best is not None:
            words = best.words
            best = next(
                (
                    m
                    for m in self.mentions
                    if len(m.words) > len(words) and _contains(m.words, words)
                ),
                None,
            )
        return " ".join(words)

    def person_before(self, pos: int) -> Mention | None:
        found = None
        for m in self.mentions:
            if m.start >= pos:
                break
            if m.label in PERSON_LABELS:
                found = m
        return found


def _contains(long: Sequence[str], short: Sequence[str]) -> bool:
    it = iter(long)
    return all(any(w == x for x in it) for w in short)


def phrase_tokens(head: Any, stop_at: Any = None) -> list[Any]:
    """The contiguous tokens of ``head``'s subtree, without ``stop_at``'s subtree and
    without edge punctuation/prepositions."""
    excluded = set(t.i for t in stop_at.subtree) if stop_at is not None else set()
    toks = [t for t in head.subtree if t.i not in excluded]
    # keep the contiguous run holding the head
    run = [head]
    ids = {t.i for t in toks}
    i = head.i - 1
    while i in ids:
        run.insert(0, head.doc[i])
        i -= 1
    i = head.i + 1
    while i in ids:
        run.append(head.doc[i])
        i += 1
    while len(run) > 1 and (
        run[0].is_punct
        or run[0].dep_ in ("case", "mark", "prep", "cc", "advmod")
        or run[0].pos_ in ("CCONJ", "SCONJ")
    ):
        run.pop(0)
    while run and run[-1].is_punct:
        run.pop()
    return run or [head]


def make_source(
    tokens: Sequence[Any], head: Any, base: int, index: EntityIndex, sentence_text: str
) -> Source:
    """A ``Source`` for the phrase ``tokens`` (head ``head``) of a paragraph parsed at
    absolute offset ``base``."""
    span = TextSpan(base + tokens[0].idx, base + tokens[-1].idx + len(tokens[-1].text))
    if head.lower_ in _PRONOUNS or (head.pos_ == "PRON" and head.lower_ not in ("qu’", "qu'")):
        return _resolve_pronoun(head, span, base, index)
    ents = [e for e in head.doc.ents if e.start >= tokens[0].i and e.end <= tokens[-1].i + 1]
    names: list[str] = []
    kind = SourceKind.OTHER
    for e in ents:
        m = Mention(base + e.start_char, base + e.end_char, tuple(t.text for t in e), e.label_)
        if e.label_ in PERSON_LABELS:
            names.append(index.canonical(m))
            if e.start <= head.i < e.end:
                kind = SourceKind.PERSON
        elif e.label_ in ORG_LABELS or e.label_ == "LOC":
            words = list(m.words)
            for t in head.doc[e.end : tokens[-1].i + 1]:  # "New York" + "Times"
                if not (t.text[:1].isupper() and t.is_alpha):
                    break
                words.append(t.text)
            names.append(" ".join(words))
            if e.start <= head.i < e.end:
                kind = SourceKind.ORGANISATION
    names = list(dict.fromkeys(names))
    description = _description(tokens)
    head_in_named = any(e.start <= head.i < e.end for e in ents)
    anonymous = False
    if not head_in_named and head.lower_ in ANONYMOUS_ROLES:
        det = {c.lower_ for c in head.children if c.dep_ in ("det", "nummod")}
        if det & INDEFINITE or ANONYMITY.search(sentence_text):
            anonymous, kind = True, SourceKind.ANONYMOUS
    if head.lower_ in ORG_NOUNS:
        kind = SourceKind.ORGANISATION
    elif kind is SourceKind.OTHER and any(e.label_ in PERSON_LABELS for e in ents):
        kind = SourceKind.PERSON  # "le général Pat Ryder": a title before the name
    if kind in (SourceKind.ANONYMOUS, SourceKind.OTHER) and not head_in_named:
        names = [n for n in names if n.lower() not in description.lower()] if anonymous else names
    return Source(span, tuple(names), kind, anonymous, description)


def _description(tokens: Sequence[Any]) -> str:
    words: list[str] = []
    for t in tokens:
        if t.lower_ in _STOP_DESCRIPTION:
            break
        if not words and t.lower_ in _DETERMINERS:
            continue
        words.append(t.text)
    return " ".join(words)


def _resolve_pronoun(head: Any, span: TextSpan, base: int, index: EntityIndex) -> Source:
    """Plural pronoun: the coordinated subject of the sentence root if any ("Poutine et
    Kim ... ils"); else the nearest preceding person mention."""
    if head.lower_ in _PLURAL:
        names = [
            index.canonical(
                Mention(base + e.start_char, base + e.end_char, tuple(t.text for t in e), e.label_)
            )
            for e in head.sent.ents
            if e.label_ in PERSON_LABELS and e.end <= head.i
        ]
        if len(names) > 1:
            return Source(span, tuple(dict.fromkeys(names)), SourceKind.PERSON)
    person = index.person_before(span.start)
    if person is None:
        return Source(span, (), SourceKind.OTHER, description=head.text)
    return Source(span, (index.canonical(person),), SourceKind.PERSON)
