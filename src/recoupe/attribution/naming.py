"""Who a source phrase names: a person, an organisation, a state, or a description.

Why linear rules over the tokens rather than the parse: the small parsers mislabel the
very phrases that name speakers ("Le préfet Pierre-Yves Rambaud" gets no entity, "Le
maire de Loon-Plage, Didier Vanhove" hangs the name as an apposition of "maire"), and a
wrong speaker is worse than none. So the phrase is first cut to its noun phrase (no
dateline "VILLACOUBLAY (Yvelines) (Reuters) -", no parenthesis, no leading "Mais"/"But",
nothing from a relative clause on), then:

* a person named in it (an entity, or a capitalised run after a role noun that is not a
  place) is the speaker; two persons only when coordinated ("Poutine et Kim");
* else an organisation entity that is the phrase's head;
* else a place that *is* the whole phrase ("La Corée du Nord", a state speaking);
* else the phrase itself is a description ("préfecture du Nord", "parquet de Dunkerque",
  "direction de Valtera"): a place or organisation inside a longer phrase is a modifier,
  never the speaker ("Dunkerque" in "le parquet de Dunkerque").

A role noun with a definite article ("le préfet", "the prefect") resolves to the person
the article introduced with that role ("Le préfet des Pyrénées-Orientales, Pierre-Yves
Rambaud"): ``EntityIndex.role_person``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from typing import Any

from recoupe.attribution.lexicon import words

PERSON_LABELS = frozenset({"PER", "PERSON"})
ORG_LABELS = frozenset({"ORG"})
PLACE_LABELS = frozenset({"LOC", "GPE", "FAC"})
# Nouns of a role a person holds; "le préfet" then names the person introduced with it.
ROLE_NOUNS = words(
    "préfet préfète maire ministre président présidente directeur directrice porte-parole "
    "procureur procureure colonel capitaine commandant général générale sénateur "
    "sénatrice député députée conseiller conseillère délégué déléguée secrétaire "
    "prefect mayor minister president director spokesman spokeswoman spokesperson "
    "prosecutor colonel captain commander general senator governor councillor "
    "councilman councilwoman secretary chairman chairwoman chief"
)
_LEADING = words("mais et or donc puis ensuite but and so then also aussi")
_RELATIVE = words("qui que dont lequel laquelle who whom which that whose")
_DETERMINERS = words(
    "le la les l' l’ un une des du de d' d’ ce cet cette ces son sa ses leur leurs "
    "the a an this that these those his her its their"
)
_DASHES = frozenset({"-", "–", "—", "--"})
_POSSESSIVE_END = re.compile(r"\s*['’]s?\s*$")
_APPOSITION_DASH = re.compile(r"\s(?:--|[-–—])\s.*$")
_EDGE = " \t\n\"'“”«»‘’.,;:!?>=<*&#|/\\-–—"
_CAPITAL = re.compile(r"^[A-ZÀ-ÖØ-ÞĀ-Ž]")


def noun_phrase(tokens: Sequence[Any]) -> list[Any]:
    """``tokens`` cut to the speaker's noun phrase (see the module docstring)."""
    toks = list(tokens)
    dash = next((k for k, t in enumerate(toks) if t.text in _DASHES and k > 0), None)
    if dash is not None and _dateline(toks[:dash]):
        toks = toks[dash + 1 :]
    out: list[Any] = []
    depth = 0
    for t in toks:
        if t.text == "(":
            depth += 1
            continue
        if t.text == ")":
            depth = max(0, depth - 1)
            continue
        if depth:
            continue
        if out and t.lower_ in _RELATIVE:
            break
        out.append(t)
    while out and (out[0].lower_ in _LEADING or out[0].is_punct):
        out.pop(0)
    while out and (
        out[-1].is_punct or out[-1].lower_ in _DETERMINERS or out[-1].text.endswith(("'", "’"))
    ):
        out.pop()
    return out


def _dateline(toks: Sequence[Any]) -> bool:
    """An all-capitals place opening the phrase, with optional region, date or agency:
    "WASHINGTON", "DUNKIRK, France, Sept 16 (BPA)", "VILLACOUBLAY (Yvelines) (Reuters)"."""
    alpha = [t for t in toks if t.is_alpha]
    return bool(alpha) and alpha[0].text.isupper() and len(alpha[0].text) > 1


def surface(tokens: Sequence[Any]) -> str:
    """The tokens as written (original spacing: "Loon-Plage", "chambre d'agriculture")."""
    if not tokens:
        return ""
    # A span's text, not ``doc.text[...]``: spaCy rebuilds ``doc.text`` from every token
    # on each access, which made this the parse's hottest line.
    return str(tokens[0].doc[tokens[0].i : tokens[-1].i + 1].text)


def clean_name(name: str) -> str:
    """A name or description without the debris small parsers leave on it: a possessive
    ("Donald Trump ’s", "Ouisa Davis'"), an apposition after a dash ("Mehmet Oz — a
    surgeon"), quote marks or markup at its edges ('">Sanders', "Trump ''"), and with a
    parenthesis only when it is closed."""
    name = " ".join(name.split())
    name = _APPOSITION_DASH.sub("", name)
    name = _POSSESSIVE_END.sub("", name)
    for mark in ("'", "\"", "“", "”", "«", "»"):
        if mark in name and (name.count(mark) % 2 or mark in "“”«»"):
            opened = name.find(mark)
            if opened > 0 and not name[opened - 1].isalpha():
                name = name[:opened]  # an unclosed quote: a headline fragment after it
    name = name.strip(_EDGE)
    if name.count("(") != name.count(")"):
        name = name.replace("(", "").replace(")", "").strip()
    while name.startswith("(") and name.endswith(")"):
        name = name[1:-1].strip()
    return name


def description(tokens: Sequence[Any]) -> str:
    """The phrase without leading determiners, up to its first comma ("responsable
    américain", "porte-parole des secours", "direction de Valtera")."""
    toks = list(tokens)
    while toks and toks[0].lower_ in _DETERMINERS:
        toks.pop(0)
    cut = next((k for k, t in enumerate(toks) if t.text in (",", ";", ":") and k), None)
    return clean_name(surface(toks[:cut] if cut is not None else toks))


def person_runs(tokens: Sequence[Any]) -> list[list[Any]]:
    """Person names in ``tokens``: PER/PERSON entities, extended over adjacent
    capitalised words ("Pierre-Yves" + "Rambaud"), and a capitalised run right after a
    role noun even without an entity ("Le préfet Pierre-Yves Rambaud")."""
    runs: list[list[Any]] = []
    k = 0
    while k < len(tokens):
        t = tokens[k]
        after_role = k > 0 and tokens[k - 1].lower_ in ROLE_NOUNS
        if _headline_verb(t):
            k += 1
            continue
        if t.ent_type_ in PERSON_LABELS or (after_role and _name_word(t)):
            run = [t]
            while k + 1 < len(tokens) and not _headline_verb(tokens[k + 1]) and (
                tokens[k + 1].ent_type_ in PERSON_LABELS or _name_word(tokens[k + 1], True)
            ):
                k += 1
                run.append(tokens[k])
            j = tokens.index(run[0]) - 1
            while j >= 0 and _name_word(tokens[j]) and tokens[j].lower_ not in ROLE_NOUNS:
                run.insert(0, tokens[j])
                j -= 1
            runs.append(run)
        k += 1
    return runs


def modifier(run: Sequence[Any], np: Sequence[Any]) -> bool:
    """A name that modifies the phrase's head rather than being it: "la direction de
    Valtera", "le porte-parole de Vladimir Poutine", "Valtera's spokesman"."""
    doc = run[0].doc
    before = doc[run[0].i - 1].lower_ if run[0].i > 0 else ""
    after = doc[run[-1].i + 1].lower_ if run[-1].i + 1 < len(doc) else ""
    inside = run[0].i > np[0].i
    return (inside and before in _OF) or (after in ("'s", "’s") and run[-1].i < np[-1].i)


_OF = words("de du d' d’ des of")


def name_like(t: Any) -> bool:
    """A capitalised word that can be part of a name."""
    return bool(_CAPITAL.match(t.text) and (t.is_alpha or "-" in t.text))


def _headline_verb(t: Any) -> bool:
    """A capitalised English verb inside what NER took for a name: a headline ("Obama
    Sees 'Personal Insult'"), whose words are not a name."""
    return bool(t.doc.lang_ == "en" and t.tag_ in ("VBZ", "VBD", "VBP") and t.text[:1].isupper())


def _name_word(t: Any, inside: bool = False) -> bool:
    return bool(
        _CAPITAL.match(t.text)
        and (t.is_alpha or "-" in t.text)
        and t.pos_ in ("PROPN", "NOUN", "X", "VERB", "ADJ")
        and t.lower_ not in _DETERMINERS
        and t.ent_type_ not in PLACE_LABELS | ORG_LABELS
        and (inside or not t.is_sent_start)
    )


_TITLES = ROLE_NOUNS | words(
    "mr mrs ms dr m. mme mlle sir dame lord gov. sen. rep. rev. sergeant sgt. lieutenant "
    "lt. detective inspector professor prof. sergent lieutenant inspecteur professeur"
)


def untitled(name: str) -> str:
    """A person's name without the titles written before it ("Councillor Janet Oduya",
    "Colonel Thierry Vasseur" -> "Janet Oduya", "Thierry Vasseur")."""
    words_ = name.split(" ")
    while len(words_) > 2 and words_[0].lower() in _TITLES:
        words_.pop(0)
    return " ".join(words_)


def coordinated(runs: Sequence[Sequence[Any]], tokens: Sequence[Any]) -> bool:
    """Several person runs that the phrase coordinates ("Poutine et Kim", "A and B"),
    rather than a name and an apposition or a modifier."""
    if len(runs) < 2:
        return True
    for a, b in itertools.pairwise(runs):
        between = [t for t in tokens if a[-1].i < t.i < b[0].i]
        if not between or not all(t.lower_ in ("et", "and", ",", "&") for t in between):
            return False
        if not any(t.lower_ in ("et", "and", "&") for t in between):
            return False
    return True
