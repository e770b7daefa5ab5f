"""Cue words: which verbs and prepositions introduce reported speech.

Why a lexicon: reporting verbs are a small closed class of function-like words in every
language, so a short documented list is enough for French (no annotated French data is
available to learn from), while for English the cue forms can be *learnt* from PolNeAR
train annotations (``learn_cue_forms``), which adds the long tail ("slammed",
"acknowledged"). Both kinds live in one ``CueLexicon`` so the same parser rules run on
either, and the bench can compare a French-capable lexicon-only run with the learnt one.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any


def words(spaced: str) -> frozenset[str]:
    """A word set written as one space-separated string (lexicons stay readable)."""
    return frozenset(spaced.split())


# Lemmas of reporting verbs. French: the usual press verbs of saying, asserting and
# reporting; English: their equivalents (the "French-capable" English lexicon).
REPORTING_LEMMAS: dict[str, frozenset[str]] = {
    "fr": words(
        "déclarer affirmer indiquer dire ajouter estimer expliquer préciser souligner "
        "rapporter assurer confier citer annoncer avertir prévenir démentir reconnaître "
        "admettre juger insister noter observer répondre rappeler signaler "
        "révéler confirmer dénoncer avancer "
        "conclure raconter témoigner écrire poursuivre commenter détailler marteler "
        "regretter avouer glisser lâcher résumer nuancer ironiser relater constater "
        "soutenir alerter plaider protester exclamer souffler répéter promettre "
        "appeler décrier exprimer qualifier"
    ),
    "en": words(
        "say tell state declare claim add explain note report announce confirm deny "
        "insist argue warn acknowledge admit suggest write reveal estimate assert "
        "cite quote according"
    ),
}

# Present and past forms of the French cue verbs, to recognise an inverted cue right
# after a quote ("», raconte Sandrine") where the small tagger often calls the verb a
# noun or an adjective. Regular -er verbs are conjugated by rule; the others listed.
_FR_IRREGULAR = words(
    "dit disent dira disait dis écrit écrivent reconnaît reconnaissent reconnu admet "
    "admis prévient prévenu conclut conclu répond répondu répondent avertit averti "
    "dément démenti poursuit poursuivi soutient soutenu promet promis"
)
_ER_ENDINGS = ("e", "es", "ent", "é", "ée", "és", "ées", "ait", "aient", "a", "era", "erait")


@cache
def french_cue_forms(lemmas: frozenset[str]) -> frozenset[str]:
    """Conjugated forms of the -er lemmas plus the irregular forms above."""
    out = set(_FR_IRREGULAR)
    for lemma in lemmas:
        if lemma.endswith("er"):
            out.update(lemma[:-2] + e for e in _ER_ENDINGS)
    return frozenset(out)


# Verbs that report what a subject said or called for even without a cue of their own;
# the subject of one of them governing a short quote is its speaker (« globale » in
# "ils ont appelé à une coopération « globale »"); any other governing verb makes the
# quote a label ("une enquête pour « blessures involontaires »"), not a quote.
SPEECH_GOVERNORS = words(
    "appeler décrier dénoncer exprimer qualifier accuser réclamer exiger promettre "
    "demander évoquer saluer critiquer condamner fustiger vanter "
    "call describe denounce express label brand accuse demand urge promise praise "
    "criticize criticise condemn decry hail warn pledge vow"
)

# Participles that introduce the deeper source of a chain: "citant Y", "citing Y".
CITING_LEMMAS = frozenset({"citer", "cite", "quote"})

# Prepositions that attribute a whole clause: "selon X", "d'après X", "according to X".
PREPOSITION_CUES: dict[str, tuple[tuple[str, ...], ...]] = {
    "fr": (("selon",), ("d'", "après"), ("d’", "après"), ("d'après",), ("d’après",)),
    "en": (("according", "to"),),
}

# Head nouns of unnamed sources: with an indefinite determiner or an anonymity phrase,
# the source is an anonymous one described by its role.
ANONYMOUS_ROLES = words(
    "responsable responsables source sources officiel officiels diplomate diplomates "
    "fonctionnaire fonctionnaires conseiller conseillers membre membres proche proches "
    "expert experts analyste analystes porte-parole collaborateur haut-fonctionnaire "
    "official officials source sources aide aides adviser advisers advisor advisors "
    "diplomat diplomats person people insider insiders staffer staffers "
    "salarié salariés salariée employé employés employée agent agents habitant habitants "
    "témoin témoins employee employees worker workers resident residents witness witnesses"
)
INDEFINITE = words("un une des plusieurs deux trois a an one two three several some")
ANONYMITY = re.compile(
    r"anonymat|anonyme|anonymity|anonymously|not authori[sz]ed to|pas autorisée? à|"
    r"sous couvert|on condition|requested not to be named|declined to be named",
    re.IGNORECASE,
)
FIRST_REPORT = re.compile(r"première fois|premier à|first reported|first to report", re.I)


@dataclass(frozen=True, slots=True)
class CueLexicon:
    """Which tokens are cues: lemma in ``lemmas`` or lower-cased form in ``forms``."""

    language: str
    lemmas: frozenset[str]
    forms: frozenset[str] = frozenset()

    def is_cue(self, token: Any) -> bool:
        if token.pos_ not in ("VERB", "AUX") and token.tag_ not in ("VBD", "VBZ", "VBP", "VBN"):
            return False
        return bool(token.lemma_.lower() in self.lemmas or token.lower_ in self.forms)

    def is_cue_word(self, token: Any) -> bool:
        """Like ``is_cue`` whatever the part of speech (small taggers call "cité" a noun,
        so a French past participle is also tried as its infinitive)."""
        low = token.lower_
        if self.language == "fr" and low.endswith("é") and low[:-1] + "er" in self.lemmas:
            return True
        return bool(token.lemma_.lower() in self.lemmas or low in self.forms)

    def is_cue_form(self, token: Any) -> bool:
        """A cue by its written form whatever the tagger says (French inversion right
        after a quote); never after a determiner ("la note", "une précise")."""
        if self.language != "fr" or token.lower_ not in french_cue_forms(self.lemmas):
            return self.is_cue(token)
        i = token.i
        prev = token.doc[i - 1].lower_ if i > 0 else ""
        return prev not in ("le", "la", "les", "l'", "l’", "un", "une", "des", "du", "de")

    def is_citing(self, token: Any) -> bool:
        return bool(token.lemma_.lower() in CITING_LEMMAS)


def default_lexicon(language: str) -> CueLexicon:
    """The documented lexicon of ``language`` (English equivalents for other languages)."""
    return CueLexicon(language, REPORTING_LEMMAS.get(language, REPORTING_LEMMAS["en"]))


_WORD = re.compile(r"[a-z]+(?:['’][a-z]+)?")
_NOT_CUE = words(
    "has have had was were is are be been being will would not also to that the a it "
    "did does do could should may might can as in of"
)


def learn_cue_forms(
    examples: Iterable[tuple[str, Iterable[str]]], min_count: int = 3, min_precision: float = 0.2
) -> frozenset[str]:
    """Word forms that are cues often enough to trust: ``examples`` are (article text,
    cue span texts). Precision of a form = times annotated as (part of) a cue / times it
    occurs in the texts; auxiliaries and particles are never learnt."""
    as_cue: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for text, cues in examples:
        seen.update(_WORD.findall(text.lower()))
        for cue in cues:
            as_cue.update(w for w in _WORD.findall(cue.lower()) if w not in _NOT_CUE)
    return frozenset(
        w for w, n in as_cue.items() if n >= min_count and seen[w] and n / seen[w] >= min_precision
    )
