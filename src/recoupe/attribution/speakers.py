"""Turn a source phrase into a ``Source``: canonical entities, kind, anonymity.

Why document-level: articles name a person in full once ("le général Pat Ryder") and by
surname after ("a déclaré Ryder"), and refer back with pronouns ("a-t-il dit"). A claim
must carry the same speaker in both places, so short mentions are resolved to the most
recent longer mention containing them, and pronouns to the nearest preceding person.
Unnamed sources ("un responsable américain, qui s'est exprimé sous couvert d'anonymat")
are kept as an anonymous description, which is what cross-article comparison needs.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from recoupe.attribution import naming
from recoupe.attribution.lexicon import ANONYMITY, ANONYMOUS_ROLES, INDEFINITE, words
from recoupe.nlp.entities import Mention as EMention
from recoupe.nlp.normalize_entities import canonical
from recoupe.types import Attribution, Source, SourceKind, TextSpan

PERSON_LABELS = frozenset({"PER", "PERSON"})
ORG_LABELS = frozenset({"ORG", "NORP", "MISC"})
ORG_NOUNS = words(
    "administration gouvernement ministère campagne équipe services service agence armée "
    "government department ministry campaign team agency office committee"
)
_PRONOUNS = words(
    "il elle ils elles -il -elle -ils -elles he she they him her them lui eux "
    "i we you me us je j' j’ nous vous on -on moi"
)
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
    text: str = ""  # as written ("Clinton’s", not "Clinton ’s")


@dataclass(slots=True)
class EntityIndex:
    """Named-entity mentions of one document, in order, for canonical names."""

    mentions: list[Mention] = field(default_factory=list)

    roles: list[tuple[int, str, str]] = field(default_factory=list)

    def add_doc(self, doc: Any, base: int) -> None:
        found: list[Mention] = []
        for ent in doc.ents:
            if ent.label_ in PERSON_LABELS or ent.label_ in ORG_LABELS or ent.label_ == "LOC":
                words = tuple(t.text for t in ent if not t.is_punct)
                if words:
                    found.append(
                        Mention(base + ent.start_char, base + ent.end_char, words, ent.label_,
                                naming.clean_name(ent.text))
                    )
        for run in naming.person_runs(list(doc)):
            if run:
                text = naming.surface(run)
                start = base + run[0].idx
                words = tuple(text.split())
                if not any(m.start <= start < m.end and m.words == words for m in found):
                    found.append(Mention(start, start + len(text), words, "PER", text))
                role = _role_before(run)
                if role is not None:
                    self.roles.append((start, role, text))
        for ent in doc.ents:  # "The prefect of the department, Pierre-Yves Rambaud,"
            toks = list(ent)
            capitalised = all(t.text[:1].isupper() for t in toks if t.is_alpha)
            if ent.label_ in PERSON_LABELS or not capitalised:
                continue
            prev = doc[ent.start - 1] if ent.start > ent.sent.start else None
            role = _role_before(toks) if prev is not None and prev.text == "," else None
            if role is None or _is_place(ent.text):
                continue
            start = base + ent.start_char
            for m in found:
                if m.start == start:
                    m.label = "PER"
            self.roles.append((start, role, ent.text))
        self.mentions.extend(sorted(found, key=lambda m: m.start))
        self.mentions.sort(key=lambda m: m.start)
        self.roles = [(at, r, self.canonical_name(n, at)) for at, r, n in self.roles]

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
        text = mention.text or " ".join(words)
        while best is not None:
            words, text = best.words, best.text or " ".join(best.words)
            best = next(
                (
                    m
                    for m in self.mentions
                    if len(m.words) > len(words) and _contains(m.words, words)
                ),
                None,
            )
        return text

    def canonical_name(self, surface: str, start: int) -> str:
        """The full name a person written ``surface`` at ``start`` refers to."""
        words = tuple(w for w in re.split(r"\s+", surface) if w)
        return self.canonical(Mention(start, start + len(surface), words, "PER"))

    def role_person(self, role: str, pos: int) -> str | None:
        """The person introduced with ``role`` ("Le préfet ..., Pierre-Yves Rambaud")
        most recently before ``pos`` (else the first after it)."""
        found = None
        for at, r, name in self.roles:
            if r == role and (at < pos or found is None):
                found = name
        return found

    def label_of(self, name: str) -> str:
        """The label most mentions of ``name`` carry in the document ("" if none)."""
        words = tuple(name.split())
        labels = Counter(m.label for m in self.mentions if m.words == words)
        if not labels:
            return ""
        return labels.most_common(1)[0][0]

    def person_before(self, pos: int) -> Mention | None:
        found = None
        for m in self.mentions:
            if m.start >= pos:
                break
            if m.label in PERSON_LABELS:
                found = m
        return found


def _role_before(run: Sequence[Any]) -> str | None:
    """The role noun introducing a person name: "Le préfet Pierre-Yves Rambaud", "La
    préfète, Hélène Marchetti", "The prefect of the department, Pierre-Yves Rambaud"."""
    doc = run[0].doc
    start = max(run[0].sent.start, run[0].i - 7)
    for t in reversed(doc[start : run[0].i]):
        if t.lower_ in naming.ROLE_NOUNS:
            return str(t.lower_)
        if t.pos_ in ("VERB", "AUX") or t.lower_ in (".", ";", ":"):
            return None
    return None


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
    absolute offset ``base``: the span as written, and who it names (``naming``)."""
    span = TextSpan(base + tokens[0].idx, base + tokens[-1].idx + len(tokens[-1].text))
    np = naming.noun_phrase(tokens) or list(tokens)
    if head not in np:
        head = np_head_of(np)
    if len(np) == 1:
        head = np[0]  # "So I": the pronoun is the phrase
    if head.lower_ in _PRONOUNS or (head.pos_ == "PRON" and head.lower_ not in ("qu’", "qu'")):
        return _resolve_pronoun(head, span, base, index)
    description = naming.description(np)
    runs = [
        r
        for r in naming.person_runs(np)
        if not _is_place(naming.surface(r))
        and not naming.modifier(r, np)
        and not (head.lower_ in ORG_NOUNS and head not in r)  # "l'administration Biden"
    ]
    kind = SourceKind.OTHER
    names: list[str] = []
    if runs:
        chosen = runs if naming.coordinated(runs, np) else runs[:1]
        names = [
            naming.untitled(index.canonical_name(naming.surface(r), base + r[0].idx))
            for r in chosen
        ]
        kind = SourceKind.PERSON
    else:
        named = _named_head(np, head)
        alias = _known_person(np, index, base)
        if alias is not None:
            names, kind = [alias], SourceKind.PERSON
        elif named is not None:
            while len(named) > 1 and named[0].text in _DETERMINERS:  # "the", not "Le Monde"
                named = named[1:]
            names, kind = [naming.surface(named)], SourceKind.ORGANISATION
        elif head.lower_ in naming.ROLE_NOUNS and np[0].lower_ in _DEFINITE:
            person = index.role_person(head.lower_, span.start)
            if person is not None:
                names, kind = [person], SourceKind.PERSON
    names = list(dict.fromkeys(c for c in map(naming.clean_name, names) if c))
    head_in_named = bool(names)
    anonymous = False
    if not head_in_named and head.lower_ in ANONYMOUS_ROLES:
        det = {c.lower_ for c in head.children if c.dep_ in ("det", "nummod")}
        det |= {np[0].lower_} if np else set()
        if det & INDEFINITE or ANONYMITY.search(sentence_text):
            anonymous, kind = True, SourceKind.ANONYMOUS
    if not names and head.lower_ in ORG_NOUNS:
        kind = SourceKind.ORGANISATION
    if not names and not anonymous and index.label_of(description) in ORG_LABELS:
        kind = SourceKind.ORGANISATION
    if names and kind is SourceKind.ORGANISATION and index.label_of(names[0]) in PERSON_LABELS:
        kind = SourceKind.PERSON
    return Source(span, tuple(names), kind, anonymous, description)


_DEFINITE = words("le la l' l’ les the")


def np_head_of(np: Sequence[Any]) -> Any:
    ids = {t.i for t in np}
    return next((t for t in np if t.head.i not in ids or t.head == t), np[0])


def _known_person(np: Sequence[Any], index: EntityIndex, base: int) -> str | None:
    """A bare surname the article gave in full before as a person ("Rambaud" after "Le
    préfet Pierre-Yves Rambaud"): the phrase is capitalised words only."""
    words = [t for t in np if t.lower_ not in _DETERMINERS]
    if not words or not all(naming.name_like(t) for t in words):
        return None
    text = naming.surface(words)
    full = index.canonical_name(text, base + words[0].idx)
    if full != text and index.label_of(full) in PERSON_LABELS:
        return full
    return None


def _is_place(name: str) -> bool:
    """A name the gazetteer knows as a country, region or city (not a person)."""
    key = canonical(EMention(0, len(name), "LOC", name))
    return key is not None and not key.startswith("name:")


def _named_head(np: Sequence[Any], head: Any) -> list[Any] | None:
    """The organisation or state the phrase *is*: an entity holding its head, or ending
    it after common nouns only ("l'hebdomadaire Le Phare dunkerquois"); a place only when
    it is the whole phrase ("La Corée du Nord")."""
    ents = sorted({(t.ent_iob_, t.i) for t in np if t.ent_type_}, key=lambda x: x[1])
    if not ents:
        return None
    doc = np[0].doc
    for ent in doc.ents:
        toks = [t for t in np if ent.start <= t.i < ent.end]
        if not toks or ent.label_ in PERSON_LABELS:
            continue
        grown = False
        for t in np:  # "New York" + "Times": a capitalised word right after the entity
            if t.i == toks[-1].i + 1 and t.text[:1].isupper() and t.is_alpha:
                toks.append(t)
                grown = True
        rest = [t for t in np if t not in toks and t.lower_ not in _DETERMINERS]
        if grown and not rest:
            return toks
        if ent.label_ in ORG_LABELS or ent.label_ == "MISC":
            holds_head = ent.start <= head.i < ent.end
            after_nouns = toks[-1] == np[-1] and all(t.pos_ in ("NOUN", "ADJ") for t in rest)
            if holds_head or after_nouns or not rest:
                return toks
        elif not rest and ent.label_ in ("LOC", "GPE"):
            return toks
    return None


SINGULAR_THIRD = words("il elle -il -elle he she")


def _resolve_pronoun(head: Any, span: TextSpan, base: int, index: EntityIndex) -> Source:
    """Plural pronoun: the coordinated persons of its sentence ("Poutine et Kim ... ils");
    a singular third-person pronoun is left for ``resolve_pronouns`` (the last speaker);
    any other pronoun ("on", "we", "I") names nobody: unknown."""
    if head.lower_ in _PLURAL:
        names = [
            index.canonical(
                Mention(base + e.start_char, base + e.end_char, tuple(t.text for t in e), e.label_)
            )
            for e in head.sent.ents
            if e.label_ in PERSON_LABELS and e.end <= head.i
        ]
        names = [c for c in map(naming.clean_name, names) if c]
        if len(names) > 1:
            return Source(span, tuple(dict.fromkeys(names)), SourceKind.PERSON)
    return Source(span, (), SourceKind.OTHER)


def resolve_pronouns(text: str, attributions: Sequence[Attribution]) -> list[Attribution]:
    """Attributions in text order with a singular third-person pronoun source ("il a
    précisé", "he said") given the last named person speaker before it, and a possessive
    role ("Son président") described by the last organisation speaker; unknown (no name)
    when there is none."""
    out: list[Attribution] = []
    last_person: Source | None = None
    last_other: Source | None = None
    described: list[Source] = []
    for att in sorted(attributions, key=lambda a: (a.content.start, a.content.end)):
        src = att.source
        if src is not None and not src.entities:
            said = src.span.text_of(text).lower()
            if said in SINGULAR_THIRD and last_person is not None:
                src = Source(src.span, last_person.entities, SourceKind.PERSON)
                att = dataclasses.replace(att, source=src)
            elif (back := _back_reference(said, src, described)) is not None:
                src = dataclasses.replace(src, description=back.description, kind=back.kind)
                att = dataclasses.replace(att, source=src)
            elif (
                said.split(" ", 1)[0] in _POSSESSIVE
                and last_other is not None
                and " " in said
                and src.description
            ):
                desc = f"{src.description} ({last_other.name})"
                src = dataclasses.replace(src, description=desc)
                att = dataclasses.replace(att, source=src)
        if src is not None and src.entities and src.kind is SourceKind.PERSON:
            last_person = src if len(src.entities) == 1 else last_person
        elif src is not None and src.name and not src.anonymous:
            last_other = src
            described.append(src)
        out.append(att)
    return out


def _back_reference(said: str, src: Source, described: Sequence[Source]) -> Source | None:
    """ "La chambre a annoncé" after "la chambre d'agriculture": a definite head noun
    alone refers to the last described source it heads."""
    det, _, noun = said.partition(" ")
    if det not in _DEFINITE or not noun or " " in noun or src.description.lower() != noun:
        return None
    for prev in reversed(described):
        if prev.description.lower().startswith(noun + " ") and not prev.entities:
            return prev
    return None


_POSSESSIVE = words("son sa ses leur leurs its his her their")


UNKNOWN = "unknown"


def speaker_name(source: Source | None) -> str:
    """What a reader sees as the speaker: the canonical name(s), else the description of
    an unnamed source; "unknown" when the text does not tell (no source, or a pronoun
    nothing resolves)."""
    if source is None or not source.name:
        return UNKNOWN
    return source.name
