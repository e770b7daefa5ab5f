"""Direct quotes: find quoted stretches, then who said them and with which verb.

The scanner pairs quote marks over one paragraph with a stack, so nested quotes
(« ... “...” ... ») and every style (“ ” « » „ " ' ‘ ’) are handled, and an unclosed quote
runs to the paragraph end: news style for quotes continued in the next paragraph, and
frequent in scraped French text. Straight and single marks are symmetric, so they open
only at a word start and close only at a word end (apostrophes in "l'armée" never count).

Attaching a speaker uses the clause around the quote, in this order of evidence:
1. a cue verb right after the quote ("“...”, a déclaré Ryder", "“...,” said Smith");
2. a cue verb before it in the same sentence ("Ryder a déclaré que “...”", "X said: “...”");
3. a quote opening a sentence right after another quote of the same paragraph continues
   that speaker;
4. otherwise (scare quotes, « globale ») the subject of the verb governing the quote.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Any

from recoupe.attribution.lexicon import SPEECH_GOVERNORS, CueLexicon, words
from recoupe.attribution.speakers import EntityIndex, make_source, phrase_tokens
from recoupe.types import Attribution, QuoteMarks, Source, TextSpan

PAIRS = {"“": "”", "«": "»", "„": "“”", "‹": "›", "‘": "’", '"': '"', "'": "'", "”": "”"}
SYMMETRIC = frozenset({'"', "'", "’", "”"})
AFTER_WINDOW = 6  # tokens after a quote where its cue verb may stand
_SUBJECTS = ("nsubj", "nsubj:pass", "nsubjpass", "expl:subj")


def _opens(text: str, i: int, start: int, end: int) -> bool:
    ch = text[i]
    if ch not in SYMMETRIC:
        return ch in PAIRS
    if ch == "’":
        return False
    before = text[i - 1] if i > start else " "
    after = text[i + 1] if i + 1 < end else " "
    return (before.isspace() or before in "([{—–-:") and not after.isspace()


def _closes(text: str, i: int, opener: str, end: int) -> bool:
    ch = text[i]
    if ch not in PAIRS[opener]:
        return False
    if opener in ("'", "‘") or (ch in ("’", "'") and opener == "'"):
        after = text[i + 1] if i + 1 < end else " "
        return not after.isalnum()
    return True


def scan_quotes(text: str, start: int = 0, end: int | None = None) -> tuple[QuoteMarks, ...]:
    """Quoted stretches of the paragraph ``text[start:end]``, outer first by position.
    Never raises; every span lies inside ``[start, end)``."""
    end = len(text) if end is None else min(end, len(text))
    start = max(0, min(start, end))
    stack: list[tuple[str, int]] = []
    found: list[QuoteMarks] = []
    for i in range(start, end):
        ch = text[i]
        if stack and _closes(text, i, stack[-1][0], end):
            opener, at = stack.pop()
            found.append(_mark(text, at, i + 1, opener, True, len(stack)))
        elif _opens(text, i, start, end) and not (stack and stack[-1][0] == ch):
            if ch == "”" and not _follows_space(text, i, start):
                continue
            stack.append((ch, i))
    while stack:
        opener, at = stack.pop()
        found.append(_mark(text, at, end, opener, False, len(stack)))
    return tuple(sorted(found, key=lambda q: (q.span.start, -q.span.end)))


def _follows_space(text: str, i: int, start: int) -> bool:
    return i == start or text[i - 1].isspace()


def _mark(text: str, at: int, stop: int, opener: str, closed: bool, depth: int) -> QuoteMarks:
    a, b = at + 1, stop - 1 if closed else stop
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return QuoteMarks(TextSpan(at, stop), TextSpan(a, b), opener, closed, depth)


def token_starts(doc: Any) -> list[int]:
    """Character offsets of the doc's tokens, computed once per doc (``user_data``):
    the rules ask "which tokens are in this span" many times per paragraph."""
    starts: list[int] | None = doc.user_data.get("recoupe.starts")
    if starts is None:
        starts = doc.user_data["recoupe.starts"] = [t.idx for t in doc]
    return starts


def tokens_from(doc: Any, lo: int, hi: int | None = None) -> list[Any]:
    """Tokens whose start offset (in the doc) is in ``[lo, hi)`` (``hi`` None: to the end)."""
    starts = token_starts(doc)
    first = bisect.bisect_left(starts, lo)
    last = len(starts) if hi is None else bisect.bisect_left(starts, hi)
    return list(doc[first:last]) if last > first else []


def _tokens_in(doc: Any, base: int, span: TextSpan) -> list[Any]:
    return tokens_from(doc, span.start - base, span.end - base)


def _cue_span(verb: Any, base: int, last: Any = None) -> TextSpan:
    """The cue verb with its auxiliaries and adverbs before it ("a déclaré", "has also
    said"), up to ``last`` when the adjuncts after it belong to the cue ("announced
    Wednesday", "wrote in a blog post": PolNeAR cue spans include them)."""
    parts = [
        verb,
        *(
            c
            for c in verb.children
            if c.dep_ in ("aux", "aux:tense", "advmod") and c.i < verb.i and c.i >= verb.i - 3
        ),
    ]
    first = min(parts, key=lambda t: t.i)
    end = last if last is not None and last.i > verb.i else verb
    return TextSpan(base + first.idx, base + end.idx + len(end.text))


def adjuncts_until(verb: Any, stop: int) -> Any:
    """The last token of the adjuncts between a cue verb and token ``stop`` (its content
    or the sentence end), or None when something else stands there (subject, object)."""
    toks = list(verb.doc[verb.i + 1 : stop])
    while toks and (toks[-1].is_punct or toks[-1].lower_ in ("that", "que", "qu’", "qu'")):
        toks.pop()
    if not toks or len(toks) > 6:
        return None
    if any(t.is_punct or t.dep_.startswith("nsubj") or t.pos_ in ("VERB", "PRON") for t in toks):
        return None
    if not all(t.head.i == verb.i or t.head.i in {x.i for x in toks} for t in toks):
        return None
    return toks[-1]


_TIME_WORDS = words(
    "lundi mardi mercredi jeudi vendredi samedi dimanche hier aujourd'hui aujourd’hui "
    "mardi-soir monday tuesday wednesday thursday friday saturday sunday yesterday today "
    "tonight also aussi encore ensuite alors déjà"
)
_NP_STOPS = words(
    "à au aux dans en sur pour après avant lors selon to in on at for during after before "
    "que qu' qu’ that , . ; : ! ? ( ) — – “ ” « »"
) | {'"'}
_DATIVE = words("à au aux to")
_NP_STARTS = words("le la les l' l’ un une des son sa ses the a an his her its")
_CLITICS = words("-il -elle -ils -elles -on")


def _np_after(verb: Any) -> list[Any]:
    """The noun phrase right after an inverted cue ("a déclaré Ryder, dans ...", "said
    John Smith, a spokesman"): linear, because small parsers mislabel inverted subjects."""
    toks: list[Any] = []
    rest = list(verb.doc[verb.i + 1 : verb.sent.end])
    while rest and (rest[0].lower_ in _TIME_WORDS or rest[0].pos_ == "ADV"):
        rest.pop(0)
    if rest and rest[0].lower_ in _DATIVE:  # "a déclaré aux journalistes le colonel X"
        k = 1
        while k < len(rest) and not (rest[k].is_punct or rest[k].lower_ in _NP_STARTS):
            k += 1
        if k < len(rest) and rest[k].lower_ in _NP_STARTS:
            rest = rest[k:]
    for t in rest:
        if not toks and (t.lower_ in _TIME_WORDS or t.pos_ == "ADV"):
            continue
        verbal = t.pos_ in ("VERB", "AUX") and t.dep_ not in ("acl", "amod")
        if t.lower_ in _NP_STOPS or t.is_punct or (toks and verbal):
            break
        toks.append(t)
    return toks


def np_head(toks: Sequence[Any]) -> Any:
    named = [t for t in toks if t.ent_type_ in ("PER", "PERSON", "ORG")]
    if named:
        return named[0]
    return next((t for t in toks if t.pos_ in ("NOUN", "PROPN", "PRON")), toks[0])


def subject_tokens(verb: Any, inverted: bool, strict: bool = False) -> list[Any] | None:
    """The subject phrase of a cue verb: its nsubj (not one inside a quote before it);
    a clitic ("a-t-il dit"); the subject of the verb it is coordinated with; the noun
    phrase after it when the content came first (inversion); else (unless ``strict``) the
    nearest subject before it in the sentence (parsers often hang it on an apposition)."""
    if verb.doc.lang_ == "fr" and inverted_after_comma(verb):
        return _np_after(verb) or None
    for c in verb.children:
        if c.dep_ in _SUBJECTS and not c.is_punct and c.lower_ not in ("-t", "qui", "who"):
            between = verb.doc[c.i : verb.i]
            if c.i < verb.i and any(t.text in '”»"' for t in between):
                continue
            if c.lower_ in _CLITICS or c.pos_ != "PRON" or c.i < verb.i or inverted:
                return _phrase(c)
    for t in verb.doc[max(verb.sent.start, verb.i - 3) : verb.i]:
        if t.lower_ in _CLITICS:
            return [t]
    own = any(c.dep_ in _SUBJECTS for c in verb.children)
    if not own and verb.dep_ in ("conj", "ccomp", "parataxis", "advcl"):
        before = _np_before(verb)  # "..., a fire service spokeswoman, Captain X, told BPA."
        if before:
            return before
    if _participle(verb):  # ", accusant ... et décriant « ... »": the main clause's subject
        root = _main_root(verb)
        if root.i < verb.i and root != verb:
            return subject_tokens(root, False, True)
    if verb.dep_ == "conj" and verb.head.i < verb.i:
        return subject_tokens(verb.head, False, strict)
    same = [t for t in verb.sent if t.i < verb.i and t.lemma_ == verb.lemma_ and t.pos_ == "VERB"]
    if same and not inverted:  # "Il a déclaré que ..., mais a déclaré que ..."
        return subject_tokens(same[-1], False, strict)
    if inverted or (verb.doc.lang_ == "fr" and inverted_after_comma(verb)):
        return _np_after(verb) or None
    if strict:
        return None
    before = [t for t in verb.sent if t.i < verb.i and t.dep_ in _SUBJECTS]
    if before and before[-1].lower_ not in ("qui", "who", "que", "that", "qu’", "qu'"):
        return _phrase(before[-1])
    return None


def _np_before(verb: Any) -> list[Any]:
    """The noun phrase (with its appositions) between a comma and the cue: comma-separated
    segments read backwards while each opens with a determiner or a proper noun and holds
    no verb; the segment opening the sentence is the content, never the source."""
    doc, first = verb.doc, verb.sent.start
    i = verb.i - 1
    while i > first and (doc[i].dep_.startswith("aux") or doc[i].pos_ == "ADV"):
        i -= 1
    if i <= first or doc[i].text != ",":
        return []
    segments: list[list[Any]] = []
    end = i
    while True:
        start = end
        while start > first and doc[start - 1].text != ",":
            start -= 1
        segment = list(doc[start:end])
        if start == first or not segment:
            break
        opens = segment[0].pos_ in ("DET", "PROPN") or segment[0].ent_type_ in ("PERSON", "PER")
        if not opens or any(t.pos_ in ("VERB", "AUX") for t in segment):
            break
        segments.insert(0, segment)
        end = start - 1
    if not segments:
        return []
    return list(doc[segments[0][0].i : segments[-1][-1].i + 1])


def inverted_after_comma(verb: Any) -> bool:
    """A French cue right after a comma or a closing quote with a noun phrase after it
    ("..., a expliqué une porte-parole des secours", "», raconte Sandrine"): inverted,
    whatever the parser made of it."""
    group = [t for t in verb.doc[max(verb.sent.start, verb.i - 3) : verb.i]
             if t.pos_ == "AUX" or t.dep_.startswith("aux") or t.pos_ == "ADV"]  # fmt: skip
    first = group[0].i if group and group[-1].i == verb.i - 1 else verb.i
    if first == 0 or verb.doc[first - 1].text not in (",", "»", "”", '"'):
        return False
    after = _np_after(verb)
    if not after or after[0].pos_ not in ("DET", "PROPN", "NOUN", "NUM", "ADJ"):
        return False  # "affirme de son côté que ...": no subject after the cue
    follow = verb.doc[after[-1].i + 1 : min(verb.sent.end, after[-1].i + 3)]
    return not any(t.lower_ in ("que", "qu'", "qu’") for t in follow)


def _main_root(tok: Any) -> Any:
    """The root of the written sentence holding ``tok``: small parsers split a sentence
    at a conjunction ("alors qu'"), so parser sentences not closed by a full stop are
    joined back to the one before."""
    sent = tok.sent
    while sent.start > 0 and tok.doc[sent.start - 1].text not in (".", "!", "?", "”", "»"):
        sent = tok.doc[sent.start - 1].sent
    return sent.root


def _participle(verb: Any) -> bool:
    """A present participle or gerund without a subject of its own ("décriant",
    "saying"), which shares the subject of its sentence's main verb."""
    if verb.lower_.endswith("ant") and verb.doc.lang_ == "fr":
        return True
    return bool(verb.tag_ == "VBG" and verb.dep_ in ("advcl", "xcomp", "conj"))


def _phrase(head: Any) -> list[Any]:
    """The subject's phrase, cut before a channel ("un responsable à l'AP")."""
    toks = phrase_tokens(head)
    while toks[0].i > 0:  # a mis-parsed name ("New" as root of "New York Times")
        prev = head.doc[toks[0].i - 1]
        if not (prev.text[:1].isupper() and prev.pos_ != "DET" and prev.is_alpha):
            break
        toks = [prev, *toks]
    for k, t in enumerate(toks):
        if k and t.lower_ in ("à", "au", "to") and t.i > head.i:
            return toks[:k]
    return toks


def syntactic_head(toks: Sequence[Any]) -> Any:
    ids = {t.i for t in toks}
    return next((t for t in toks if t.head.i not in ids or t.head == t), toks[0])


def speaker_of(
    verb: Any, base: int, index: EntityIndex, inverted: bool = False, strict: bool = False
) -> Source | None:
    """The source of cue ``verb`` (see ``subject_tokens``); None when nothing names one."""
    toks = subject_tokens(verb, inverted, strict)
    if not toks:
        return None
    source = make_source(toks, syntactic_head(toks), base, index, verb.sent.text)
    pronoun = len(toks) == 1 and toks[0].pos_ == "PRON"
    return source if source.name or pronoun else None


def channel_of(verb: Any, base: int, index: EntityIndex) -> Source | None:
    """Whom the source spoke to: "à Reuters", "told Reuters", "to the AP" (the first
    organisation after the cue, introduced by à/to or as object of "tell")."""
    window = verb.doc[verb.i + 1 : min(verb.sent.end, verb.i + 10)]
    for k, t in enumerate(window):
        if t.lower_ in ("que", "qu’", "qu'", "that", ":") or t.text in "“«":
            return None
        direct_object = k == 0 and verb.lemma_ == "tell"
        if t.lower_ in ("à", "au", "to") or direct_object:
            rest = window[k:] if direct_object else window[k + 1 :]
            toks: list[Any] = []
            for r in rest:
                if r.is_punct or r.lower_ in _NP_STOPS or r.pos_ in ("VERB", "AUX"):
                    break
                toks.append(r)
            if toks and any(r.ent_type_ in ("ORG", "PER", "PERSON") for r in toks):
                return make_source(toks, np_head(toks), base, index, verb.sent.text)
    return None


def paragraph_intro(doc: Any, base: int, lexicon: CueLexicon, index: EntityIndex) -> Intro:
    """(source, cue) when the paragraph ends with "X said:" / "X a ajouté :", which
    introduces a quote in the next paragraph; else None."""
    sents = list(doc.sents)
    if not sents or not sents[-1].text.rstrip().endswith(":"):
        return None
    verbs = [t for t in sents[-1] if _is_cue_token(t, lexicon)]
    if not verbs:
        return None
    return speaker_of(verbs[-1], base, index), _cue_span(verbs[-1], base)


Intro = tuple[Source | None, TextSpan] | None


def attach_quotes(
    doc: Any,
    base: int,
    quotes: Sequence[QuoteMarks],
    lexicon: CueLexicon,
    index: EntityIndex,
    previous: Attribution | None = None,
    intro: Intro = None,
    reported: Sequence[Attribution] = (),
) -> list[Attribution]:
    """One direct ``Attribution`` per outer quote of the paragraph parsed as ``doc`` (at
    absolute offset ``base``); speaker and cue may be None when nothing says who.
    ``previous`` is the last quote of the previous paragraph when it ran on unclosed (a
    quote continued over paragraphs), ``intro`` what a previous paragraph ending in
    "X said:" introduces, ``reported`` the paragraph's indirect attributions (a quote
    inside reported speech is the reported source's; a quote opening the sentence after
    one continues its source). A short quote that no cue or speech verb governs is a
    label ("une enquête pour « blessures involontaires »") and is not returned."""
    out: list[Attribution] = []
    for k, q in enumerate(quotes):
        if q.depth:
            continue
        inside = _tokens_in(doc, base, q.span)
        if not inside:
            continue
        verb = _cue_after(doc, base, q, lexicon) or _cue_before(inside[0], lexicon)
        source: Source | None = None
        cue: TextSpan | None = None
        channel: Source | None = None
        via: Attribution | None = None
        outer = _reporting(q, reported)
        before = _sentence_before(inside[0], base, previous, reported)
        if verb is None and k == 0 and intro is not None and inside[0].i == 0:
            source, cue = intro
        elif verb is not None:
            cue = _cue_span(verb, base)
            inverted = verb.i > inside[-1].i
            source = speaker_of(verb, base, index, inverted)
            channel = channel_of(verb, base, index)
        elif before is not None and _starts_sentence(inside[0]):
            source = before.source
        elif outer is not None:
            source, cue, channel, via = outer.source, outer.cue, outer.channel, outer.via
        else:
            gov = _governor(inside[0], inside)
            speech = gov is not None and gov.lemma_.lower() in SPEECH_GOVERNORS | lexicon.lemmas
            if gov is not None and (speech or lexicon.language == "en"):
                cue = _cue_span(gov, base)
                source = speaker_of(gov, base, index, strict=True)
            elif len([t for t in inside if t.is_alpha]) <= LABEL_WORDS:
                continue
        att = Attribution(q.inner, source, cue, direct=True, channel=channel, via=via)
        out.append(att)
        previous = att
    return out


LABEL_WORDS = 4  # an uncued quote this short, governed by no speech verb, is a label


def _reporting(q: QuoteMarks, reported: Sequence[Attribution]) -> Attribution | None:
    """The indirect attribution whose content holds the quote ("X avait rapporté qu'une
    inspection avait relevé « ... »": the quote is reported by X)."""
    for att in reported:
        if att.source is None or att.cue is None or att.cue.start > q.span.start:
            continue
        if att.content.start <= q.span.start < q.span.end <= att.content.end + 1:
            return att
    return None


def _sentence_before(
    first: Any, base: int, previous: Attribution | None, reported: Sequence[Attribution]
) -> Attribution | None:
    """The attribution that ends in the sentence right before the one ``first`` opens
    ("He added that ... . “People here ...”"), if it has a source."""
    sent = first.sent
    if sent.start == 0:
        return previous if previous is not None and previous.source is not None else None
    prev_sent = first.doc[sent.start - 1].sent
    lo, hi = base + prev_sent.start_char, base + sent.start_char
    if previous is not None and previous.source is not None and lo <= previous.content.end <= hi:
        return previous
    cands = [a for a in reported if a.source is not None and a.cue is not None]
    cands = [a for a in cands if a.cue and lo <= a.cue.start < hi and a.content.end <= hi + 1]
    return max(cands, key=lambda a: a.content.end, default=None)


def _cue_after(doc: Any, base: int, q: QuoteMarks, lexicon: CueLexicon) -> Any | None:
    if not q.closed:
        return None
    after = tokens_from(doc, q.span.end - base)[:AFTER_WINDOW]
    if not after or not (after[0].is_punct or lexicon.is_cue_form(after[0])):
        return None
    for t in after:
        if t.text in (".", "!", "?", ";") or t.text in PAIRS:
            return None
        if lexicon.is_citing(t) and _participle(t):
            return None  # "“...”, citant Y": Y is cited for what follows, not the quote
        if _is_cue_token(t, lexicon) or (lexicon.language == "fr" and lexicon.is_cue_form(t)):
            return t
    return None


def _is_cue_token(t: Any, lexicon: CueLexicon) -> bool:
    return lexicon.is_cue(t) and t.pos_ != "AUX"


def _cue_before(first: Any, lexicon: CueLexicon) -> Any | None:
    """The nearest cue verb before the quote in its sentence, if the quote depends on it
    or follows it closely ("a déclaré mardi que “...", "said: “...")."""
    sent = first.sent
    for t in reversed([t for t in sent if t.i < first.i]):
        if _is_cue_token(t, lexicon):
            close = first.i - t.i <= 6
            return t if close or first in t.subtree else None
    return None


def _starts_sentence(first: Any) -> bool:
    return bool(first.i == first.sent.start or first.i - 1 == first.sent.start)


def _governor(first: Any, inside: Sequence[Any]) -> Any | None:
    """The nearest verb above the quote that has a subject (scare quotes)."""
    ids = {t.i for t in inside}
    node = next((t.head for t in inside if t.head.i not in ids), None)
    if node is None:
        return None
    for _ in range(8):
        if node.pos_ in ("VERB", "AUX") and subject_tokens(node, False, strict=True):
            return node
        if node.head == node:
            return None
        node = node.head
    return None
