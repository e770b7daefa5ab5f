"""Indirect attribution: source, cue and content without quote marks.

Three shapes cover most reported speech in news, in French and English alike:

* a preposition that attributes its clause: "selon X", "d'après X", "according to X";
* a cue verb with a complement clause: "X a déclaré que ...", "X said (that) ...", or the
  passive "... a été rapportée par X";
* a cue verb after its content, usually inverted in French: "..., a rapporté le New York
  Times", "..., X said".

Chains are explicit in the text through citing participles: "a rapporté X, citant Y" and
"X a cité Y affirmant que ...": the content is attributed to Y, and ``via`` links to the
attribution of the same content to X (content <- Y <- X).
"""

from __future__ import annotations

from typing import Any

from recoupe.attribution.lexicon import FIRST_REPORT, PREPOSITION_CUES, CueLexicon
from recoupe.attribution.quotes import (
    _cue_span,
    _np_after,
    adjuncts_until,
    channel_of,
    inverted_after_comma,
    np_head,
    speaker_of,
)
from recoupe.attribution.speakers import EntityIndex, make_source, phrase_tokens
from recoupe.types import Attribution, TextSpan

_COMPLEMENTS = ("ccomp", "xcomp")
_PASSIVE_AUX = ("aux:pass", "auxpass")
_AGENTS = ("obl:agent", "agent")


def _span(tokens: list[Any], base: int) -> TextSpan | None:
    toks = [t for t in tokens if not t.is_space]
    while toks and (toks[0].is_punct and toks[0].text not in "“«\"'"):
        toks.pop(0)
    while toks and toks[-1].is_punct and toks[-1].text not in "”»\"'":
        toks.pop()
    if not toks:
        return None
    return TextSpan(base + toks[0].idx, base + toks[-1].idx + len(toks[-1].text))


def find_indirect(
    doc: Any, base: int, lexicon: CueLexicon, index: EntityIndex
) -> list[Attribution]:
    """Indirect attributions in the paragraph parsed as ``doc`` (absolute offset ``base``)."""
    out: list[Attribution] = []
    used: set[int] = set()
    for sent in doc.sents:
        out.extend(_prepositional(sent, base, lexicon, index))
        for tok in sent:
            if tok.i in used or not lexicon.is_cue(tok) or tok.pos_ == "AUX":
                continue
            att = _verbal(tok, base, lexicon, index, used)
            if att is not None:
                out.append(att)
    return out


def _prepositional(sent: Any, base: int, lexicon: CueLexicon, index: EntityIndex) -> list[Any]:
    out = []
    words = [t.lower_ for t in sent]
    for pattern in PREPOSITION_CUES.get(lexicon.language, ()):
        n = len(pattern)
        for k in range(len(words) - n + 1):
            if tuple(words[k : k + n]) != pattern:
                continue
            cue_toks = list(sent[k : k + n])
            after = [t for t in sent if t.i > cue_toks[-1].i]
            src_toks = []
            for t in after:
                if t.text in (",", ".", ";", ":", "!", "?", "(", ")", "—", "–"):
                    break
                src_toks.append(t)
            if not src_toks:
                continue
            noun = np_head(src_toks)
            src_end = src_toks[-1].i
            before = _after_break([t for t in sent if t.i < cue_toks[0].i])
            rest = _before_break([t for t in sent if t.i > src_end])
            relative = bool(rest) and rest[0].text == "," and len(rest) > 1 and (
                rest[1].lower_ in ("qui", "which", "who", "dont")
            )  # ", qui a engagé ...": a relative clause on the source, not the content
            content = before if len(before) >= len(rest) or relative else rest
            span = _span(content, base)
            if span is None:
                continue
            source = make_source(src_toks, noun, base, index, sent.text)
            cue = TextSpan(base + cue_toks[0].idx, base + cue_toks[-1].idx + len(cue_toks[-1].text))
            out.append(Attribution(span, source, cue))
    return out


def _verbal(
    verb: Any, base: int, lexicon: CueLexicon, index: EntityIndex, used: set[int]
) -> Attribution | None:
    sent = verb.sent
    cue = _cue_span(verb, base)
    if "Inf" in verb.morph.get("VerbForm") and lexicon.language == "fr":
        return None  # "être en mesure de dire": an infinitive reports nothing yet
    if any(c.dep_ in _PASSIVE_AUX for c in verb.children):
        return _passive(verb, base, index, cue)
    if lexicon.language == "fr" and _reflexive(verb):
        return None  # "l'incendie s'est déclaré": a fire broke out, nobody spoke
    if lexicon.is_citing(verb) and verb.dep_ in ("acl", "advcl", "xcomp"):
        # not part of a chain (those mark it used): "X resigned, citing health reasons"
        obj = next((c for c in verb.children if c.dep_ in ("dobj", "obj")), None)
        head_source = speaker_of(verb.head, base, index) if verb.dep_ == "advcl" else None
        if obj is None or head_source is None:
            return None
        content = _span(sorted(obj.subtree, key=lambda t: t.i), base)
        return None if content is None else Attribution(content, head_source, cue)
    comp = [c for c in verb.children if c.dep_ in _COMPLEMENTS and c.i > verb.i]
    if comp:
        content = _span(list(_with_mark(comp[0])), base)
        if content is None:
            return None
        if verb.dep_ in ("acl", "advcl") and not any(
            c.dep_.startswith("nsubj") for c in verb.children
        ):
            if verb.dep_ == "advcl" and verb.head.pos_ == "VERB":
                # "X issued a statement, saying that ...": X speaks
                source = speaker_of(verb.head, base, index)
                return None if source is None else Attribution(content, source, cue)
            return _participle(verb, content, base, lexicon, index, used)
        source = speaker_of(verb, base, index)
        if source is None and lexicon.language == "fr":
            return None
        return Attribution(content, source, cue, channel=channel_of(verb, base, index))
    clause = _que_clause(verb, lexicon)
    if clause is not None:
        que, citing = clause
        content = _span(list(verb.doc[que.i + 1 : sent.end]), base)
        source = speaker_of(verb, base, index)
        if content is not None and source is not None:
            att = Attribution(content, source, cue, channel=channel_of(verb, base, index))
            after = _np_after(citing) if citing is not None else []
            if citing is None or not after:
                return att
            used.add(citing.i)
            deeper = make_source(after, np_head(after), base, index, sent.text)
            return Attribution(content, deeper, _cue_span(citing, base), via=att)
    has_subject = any(c.dep_.startswith("nsubj") and c.i < verb.i for c in verb.children)
    obj = _object_content(verb) if has_subject else None
    if obj is not None:
        content = _span(obj, base)
        source = speaker_of(verb, base, index)
        if content is not None and source is not None:
            return Attribution(content, source, cue)
    # content before the cue: "..., a rapporté le New York Times", "..., X said."
    before = [t for t in sent if t.i < verb.i and t not in _cue_group(verb)]
    before = _after_break(before)
    subj_before = [c for c in verb.children if c.dep_.startswith("nsubj") and c.i < verb.i]
    if lexicon.language == "fr" and inverted_after_comma(verb):
        subj_before = []  # "..., ont constaté nos correspondants": the subject follows
    if subj_before:
        before = [t for t in before if t.i < min(x.i for x in subj_before[0].subtree)]
    if not before or not any(t.text in (",", "—", "–", "”", "»", '"') for t in before[-2:]):
        return None
    content = _span(before, base)
    source = speaker_of(verb, base, index, inverted=not subj_before)
    if subj_before:  # "“...,” he wrote in a blog post." (measured on train: helps)
        cue = _cue_span(verb, base, adjuncts_until(verb, sent.end))
    if content is None or source is None:
        return None
    att = Attribution(
        content,
        source,
        cue,
        channel=channel_of(verb, base, index),
        first_report=bool(FIRST_REPORT.search(sent.text)),
    )
    citing = _citing(verb, lexicon)
    if citing is not None:
        used.add(citing.i)
        after = _np_after(citing)
        if after:
            deeper = make_source(after, np_head(after), base, index, sent.text)
            return Attribution(content, deeper, _cue_span(citing, base), via=att)
    return att


def _participle(
    verb: Any,
    content: TextSpan,
    base: int,
    lexicon: CueLexicon,
    index: EntityIndex,
    used: set[int],
) -> Attribution | None:
    """ "X a cité des responsables affirmant que C": the noun phrase before the participle
    speaks (C <- responsables); a cue verb before that phrase reported them (<- X)."""
    np: list[Any] = []
    for t in reversed(verb.doc[verb.sent.start : verb.i]):
        if t.is_punct or t.pos_ in ("VERB", "AUX") or lexicon.is_cue_word(t):
            break
        np.insert(0, t)
    first = np[0].i if np else verb.i
    while np and np[0].dep_ in ("case", "det") and np[0].lower_ in ("des", "de", "d'", "d’"):
        np.pop(0)
    if not np:
        return None
    source = make_source(np, np_head(np), base, index, verb.sent.text)
    before = verb.doc[first - 1] if first > verb.sent.start else None
    via = None
    if before is not None and lexicon.is_cue_word(before):
        used.add(before.i)
        via = Attribution(content, speaker_of(before, base, index), _cue_span(before, base))
    return Attribution(content, source, _cue_span(verb, base), via=via)


_ADDRESSEE_VERBS = frozenset({"tell", "ask", "inform", "dire", "demander", "informer"})
_WHEN = frozenset({"DATE", "TIME"})
_OBJECT_PREPS = frozenset({"for", "about", "of", "on", "against", "pour", "contre", "sur"})


def _object_content(verb: Any) -> list[Any] | None:
    """What is announced, endorsed, called for: "X announced his candidacy", "X called
    for a ban", "X a annoncé sa candidature" (PolNeAR marks the object as content)."""
    for c in verb.children:
        if c.i < verb.i:
            continue
        named_ok = c.ent_type_ == "" or verb.lemma_ not in _ADDRESSEE_VERBS
        if c.dep_ in ("dobj", "obj") and c.pos_ in ("NOUN", "PROPN") and named_ok:
            return sorted(c.subtree, key=lambda t: t.i)
        if c.dep_ == "prep" and c.lower_ in _OBJECT_PREPS and c.i == verb.i + 1:
            pobj = [g for g in c.children if g.dep_ == "pobj" and g.ent_type_ not in _WHEN]
            if pobj:
                return sorted(pobj[0].subtree, key=lambda t: t.i)
    return None


def _after_break(toks: list[Any]) -> list[Any]:
    """Tokens after the last line break: a parser sentence can run over one (one
    paragraph per line), the content cannot."""
    breaks = [k for k, t in enumerate(toks) if "\n" in t.text_with_ws]
    return toks[breaks[-1] + 1 :] if breaks else toks


def _before_break(toks: list[Any]) -> list[Any]:
    for k, t in enumerate(toks):
        if "\n" in t.text_with_ws:
            return toks[: k + 1]
    return toks


def _reflexive(verb: Any) -> bool:
    before = verb.doc[max(verb.sent.start, verb.i - 3) : verb.i]
    return any(t.lower_ in ("se", "s'", "s’") for t in before)


_QUE = frozenset({"que", "qu'", "qu’", "that"})
_CLAUSE_STOPS = frozenset({".", ";", ":", "«", "“", '"'})


def _que_clause(verb: Any, lexicon: CueLexicon) -> tuple[Any, Any | None] | None:
    """The "que"/"that" opening the cue's reported clause when the parser missed it, and
    the citing participle standing between them ("X avait rapporté en avril, citant des
    documents de Y, qu'une inspection ..."): linear, French always, English only across
    a citing participle (the English parser finds the other clauses itself)."""
    citing = None
    for t in verb.doc[verb.i + 1 : min(verb.sent.end, verb.i + 20)]:
        if t.lower_ in _QUE:
            if lexicon.language != "fr" and citing is None:
                return None
            return t, citing
        if lexicon.is_citing(t) and citing is None:
            citing = t
        elif (t.pos_ in ("VERB", "AUX") and citing is None) or t.text in _CLAUSE_STOPS:
            return None
    return None


def _with_mark(comp: Any) -> list[Any]:
    return sorted(comp.subtree, key=lambda t: t.i)


def _cue_group(verb: Any) -> list[Any]:
    return [verb, *(c for c in verb.children if c.dep_ in ("aux", "aux:tense"))]


def _citing(verb: Any, lexicon: CueLexicon) -> Any | None:
    """A "citant Y" / "citing Y" participle attached to the cue or to its subject."""
    for t in verb.sent:
        if t.i > verb.i and lexicon.is_citing(t) and t.dep_ in ("acl", "advcl", "xcomp"):
            return t
    return None


def _passive(verb: Any, base: int, index: EntityIndex, cue: TextSpan) -> Attribution | None:
    """ "La découverte a été rapportée pour la première fois par le New York Times"."""
    subj = next((c for c in verb.children if c.dep_ in ("nsubj:pass", "nsubjpass")), None)
    agent = _agent(verb)
    if subj is None or agent is None:
        return None
    content = _span(phrase_tokens(subj), base)
    if content is None:
        return None
    source = make_source(phrase_tokens(agent), agent, base, index, verb.sent.text)
    first = bool(FIRST_REPORT.search(verb.sent.text))
    return Attribution(content, source, cue, first_report=first)


def _agent(verb: Any) -> Any | None:
    for c in verb.children:
        if c.dep_ == "agent":
            return next((g for g in c.children if g.dep_ == "pobj"), None)
        if c.dep_ in _AGENTS:
            return c
    # the French model often hangs "par X" lower in the tree
    for t in verb.subtree:
        if t.lower_ == "par" and t.dep_ == "case" and t.head.pos_ in ("PROPN", "NOUN"):
            return t.head
    return None
