"""The rules' attributions with the learnt tagger's spans (English).

The rules link a source, a cue and a content into one attribution, which a tagger of
independent spans cannot do; the tagger knows better where each span starts and ends and
finds cues the lexicon lacks. So:

1. every span of a rule attribution that overlaps a tagger span of its role takes the
   tagger's boundaries (a source is named again from its new tokens);
2. a tagger cue that no rule attribution has starts a new attribution with the tagger
   content and source next to it in the paragraph (the nearest content in the same or
   next sentence, the nearest unused source in the sentence); a cue without any content
   near it is dropped (a content is what later stages count);
3. a rule attribution neither of whose cue or content the tagger finds is dropped,
   unless it is a direct quote (quote marks are evidence the tagger does not overrule).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from recoupe.attribution import tagger
from recoupe.attribution.lexicon import CueLexicon
from recoupe.attribution.speakers import EntityIndex, make_source, np_head_of
from recoupe.types import Attribution, Source, TextSpan


def _overlap(a: TextSpan, b: TextSpan) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def _best(span: TextSpan, found: Sequence[TextSpan]) -> TextSpan | None:
    best = max(found, key=lambda f: _overlap(span, f), default=None)
    return best if best is not None and _overlap(span, best) else None


def _tokens(doc: Any, base: int, span: TextSpan) -> list[Any]:
    return [t for t in doc if span.start <= base + t.idx < span.end and not t.is_space]


def _source(
    tokens: _TokenFinder, span: TextSpan, index: EntityIndex, old: Source | None
) -> Source | None:
    if old is not None and old.span == span:
        return old
    where = tokens.at(span.start)
    if where is None:
        return old
    doc, base = where
    toks = _tokens(doc, base, span)
    if not toks:
        return old
    return make_source(toks, np_head_of(toks), base, index, toks[0].sent.text)


def refine(
    text: str,
    paras: Sequence[tuple[int, int]],
    docs: Sequence[Any],
    index: EntityIndex,
    attributions: Sequence[Attribution],
    lexicon: CueLexicon,
    directory: Path | None = None,
) -> list[Attribution]:
    """See the module docstring; ``attributions`` are the rules' (merged) ones."""
    found: dict[str, list[TextSpan]] = {r: [] for r in tagger.ROLES}
    sentences: list[tuple[int, int]] = []
    for (a, b), doc in zip(paras, docs, strict=True):
        mine = [x for x in attributions if a <= x.content.start < b]
        rules = tagger.rule_labels(doc, a, mine)
        feats = tagger.token_features(doc, a, text, lexicon, rules)
        for role, spans in tagger.tag_spans(doc, a, feats, directory).items():
            found[role].extend(spans)
        sentences.extend((a + s.start_char, a + s.end_char) for s in doc.sents)
    tokens = _TokenFinder(paras, docs)
    out = _snap(tokens, sentences, attributions, found, index)
    out = [_up_to_source(text, _with_opening(text, _without_cue(text, a), sentences), sentences)
           for a in out]  # fmt: skip
    out = sorted(out, key=lambda x: (x.content.start, x.content.end))
    return join_around_cues(text, out)


def _with_opening(
    text: str, att: Attribution, sentences: Sequence[tuple[int, int]]
) -> Attribution:
    """ "Bob, they said, ordered them to wait": the words before an interrupting source
    and cue belong to the content (which then has two segments)."""
    if att.source is None or att.cue is None or att.direct:
        return att
    src, cue, content = att.source.span, att.cue, att.content
    if not (src.end <= cue.start and cue.end <= content.start):
        return att
    lo, _ = _sentence_of(sentences, src.start)
    head, between = text[lo : src.start], text[cue.end : content.start]
    if not head.rstrip().endswith(",") or between.strip() not in (",", ""):
        return att
    if text[src.end : cue.start].strip() or "," not in between:
        return att
    opening = head.rstrip().rstrip(",").rstrip()
    if not opening or len(opening.split()) > OPENING_WORDS or any(c in opening for c in "“”\"«»"):
        return att
    start = lo + len(head) - len(head.lstrip())
    return dataclasses.replace(
        att, content=TextSpan(start, lo + len(opening)), more=(content, *att.more)
    )


OPENING_WORDS = 12


def _without_cue(text: str, att: Attribution) -> Attribution:
    """A content never holds its own cue and source ("A rumpled figure ..., Bob said he
    arrived ...": the content is what follows the cue, or what precedes the source)."""
    if att.cue is None or att.direct or att.more:
        return att
    content, cue = att.content, att.cue
    if not (content.start < cue.start and cue.end < content.end):
        return att
    first = min(cue.start, att.source.span.start if att.source is not None else cue.start)
    last = max(cue.end, att.source.span.end if att.source is not None else cue.end)
    before = text[content.start : first].rstrip(_GLUE + ",;:—–-")
    after_start = last
    while after_start < content.end and text[after_start] in _GLUE + ",;:":
        after_start += 1
    after = text[after_start : content.end]
    if len(after.split()) >= len(before.split()):
        if not after.strip():
            return att
        return dataclasses.replace(att, content=TextSpan(after_start, content.end))
    return dataclasses.replace(att, content=TextSpan(content.start, content.start + len(before)))


def _up_to_source(
    text: str, att: Attribution, sentences: Sequence[tuple[int, int]]
) -> Attribution:
    """ "C, X said.": a content that stops short of the comma before its source (the
    tagger cut "..., which keeps the Têt flowing, is only 21% full") runs up to it."""
    if att.source is None or att.cue is None or att.more:
        return att
    stop = min(att.source.span.start, att.cue.start)
    if att.content.end >= stop or _sentence_of(sentences, stop) != _sentence_of(
        sentences, att.content.start
    ):
        return att
    gap = text[att.content.end : stop]
    if any(c in gap for c in "“”\"«»\n") or not gap.rstrip().endswith(","):
        return att
    end = att.content.end + len(gap.rstrip().rstrip(",").rstrip())
    return dataclasses.replace(att, content=TextSpan(att.content.start, end))


def join_around_cues(text: str, atts: Sequence[Attribution]) -> list[Attribution]:
    """Two contents that only a cue and its source separate ("A, he said, B", "“A,” she
    said. “B.”") are one attribution over two segments; two that nothing but spaces and
    punctuation separate are one (``_run_on``)."""
    out: list[Attribution] = []
    for att in atts:
        run_on = bool(out) and _run_on(text, out[-1], att)
        if run_on and not out[-1].more and not att.more:
            prev = out[-1]  # one stretch of text: one span
            out[-1] = dataclasses.replace(
                prev, content=TextSpan(prev.content.start, att.content.end),
                cue=prev.cue or att.cue, source=prev.source or att.source,
                direct=prev.direct or att.direct,
            )  # fmt: skip
            continue
        if out and (run_on or _only_cue_between(text, out[-1], att)):
            prev = out[-1]
            out[-1] = dataclasses.replace(
                prev, more=(*prev.more, att.content, *att.more),
                cue=prev.cue or att.cue, source=prev.source or att.source,
            )  # fmt: skip
            continue
        out.append(att)
    return out


def _run_on(text: str, a: Attribution, b: Attribution) -> bool:
    """ "“You don't want to be the story. You want to cover the story.”": the tagger often
    starts a new content at each sentence of one speaker's quoted words, or at a clause
    of one reported sentence; a content that follows the previous one with nothing but
    spaces and punctuation between (same paragraph) and no cue of its own other than the
    previous one's is the same content. Across a full stop only when both are quoted:
    outside quote marks the next sentence is usually the reporter's own (measured on
    held-out train: joining there lost more exact matches than it won)."""
    end = max([a.content.end, *(m.end for m in a.more)])
    if b.content.start < end:
        return False
    gap = text[end : b.content.start]
    if "\n" in gap or any(c.isalnum() for c in gap):
        return False
    if any(c in gap for c in ".!?") and not (a.direct and b.direct):
        return False  # across a full stop only inside quoted words
    return b.cue is None or b.cue == a.cue


def _only_cue_between(text: str, a: Attribution, b: Attribution) -> bool:
    end = max([a.content.end, *(m.end for m in a.more)])
    if b.content.start <= end:
        return False
    raw = text[end : b.content.start]
    if "\n" in raw:
        return False
    if any(c in raw for c in ".!?") and not (
        raw.lstrip(",")[:1] in _CLOSING and raw.rstrip()[-1:] in _OPENING
    ):
        return False  # across a full stop only from one quote to the next
    gap = list(raw)
    cue = a.cue or b.cue
    if cue is None or not (end <= cue.start and cue.end <= b.content.start):
        return False
    for span in (cue, *(x.source.span for x in (a, b) if x.source is not None)):
        for i in range(max(span.start, end), min(span.end, b.content.start)):
            gap[i - end] = " "
    return not "".join(gap).strip(_GLUE + ".,;:—–-")


_CLOSING = frozenset("\"'”»’")
_OPENING = frozenset("\"'“«‘")
_GLUE = " \t\n\r\u00a0\u202f\"'“”«»‘’"


class _TokenFinder:
    """The paragraph doc and offset that hold a character position."""

    def __init__(self, paras: Sequence[tuple[int, int]], docs: Sequence[Any]) -> None:
        self.items = list(zip(paras, docs, strict=True))

    def at(self, pos: int) -> tuple[Any, int] | None:
        for (a, b), doc in self.items:
            if a <= pos < b:
                return doc, a
        return None


def _snap(
    tokens: _TokenFinder,
    sentences: Sequence[tuple[int, int]],
    rules: Sequence[Attribution],
    found: dict[str, list[TextSpan]],
    index: EntityIndex,
) -> list[Attribution]:
    """One attribution per tagger content (and per tagger cue left without one): the
    rule attribution over the same content lends its cue and source when the tagger has
    them too (with the tagger's boundaries), else the nearest tagger cue and source of the
    sentence are linked to it."""
    out: list[Attribution] = []
    used_cues: set[TextSpan] = set()
    used_sources: set[TextSpan] = set()
    for content in found["content"]:
        rule = max(rules, key=lambda r: _overlap(r.content, content), default=None)
        if rule is not None and not _overlap(rule.content, content):
            rule = None
        cue = _best(rule.cue, found["cue"]) if rule is not None and rule.cue else None
        cue = cue or _nearest(content, found["cue"], sentences)
        src_span = None
        if rule is not None and rule.source is not None:
            src_span = _best(rule.source.span, found["source"])
        chained = rule is not None and rule.via is not None  # keep a chain's own source
        if src_span is None and cue is not None and not chained:
            src_span = _nearest(cue, found["source"], sentences, same_sentence=True)
        old = rule.source if rule is not None else None
        source = _source(tokens, src_span, index, old) if src_span is not None else old
        if cue is not None:
            used_cues.add(cue)
        if src_span is not None:
            used_sources.add(src_span)
        kept = rule if rule is not None else Attribution(content, None, None)
        out.append(
            dataclasses.replace(
                kept, content=content, cue=cue, source=source,
                direct=rule.direct if rule is not None else False,
                more=rule.more if rule is not None and rule.direct else (),
            )
        )  # fmt: skip
    for rule in rules:  # what the rules found and the tagger has no content for
        if any(_overlap(rule.content, x.content) for x in out):
            continue
        tagged = (rule.cue is not None and _best(rule.cue, found["cue"]) is not None) or (
            rule.source is not None and _best(rule.source.span, found["source"]) is not None
        )
        if tagged or rule.direct:
            out.append(rule)
            if rule.cue is not None:
                used_cues.update(c for c in found["cue"] if _overlap(c, rule.cue))
    for cue in found["cue"]:
        if cue in used_cues:
            continue
        near = _nearest(cue, found["content"], sentences, same_sentence=True)
        near = near or _adjacent(cue, found["content"], sentences)
        if near is None:
            continue
        free = [s for s in found["source"] if s not in used_sources]
        src_span = _nearest(cue, free, sentences, same_sentence=True)
        source = _source(tokens, src_span, index, None) if src_span is not None else None
        out.append(Attribution(near, source, cue))
    return out


def _sentence_of(sentences: Sequence[tuple[int, int]], pos: int) -> tuple[int, int]:
    for lo, hi in sentences:
        if lo <= pos < hi:
            return lo, hi
    return pos, pos + 1


def _adjacent(
    cue: TextSpan, contents: Sequence[TextSpan], sentences: Sequence[tuple[int, int]]
) -> TextSpan | None:
    """A content in the sentence right before or after the cue's ("...: “...”")."""
    lo, hi = _sentence_of(sentences, cue.start)
    k = next((i for i, s in enumerate(sentences) if s == (lo, hi)), None)
    if k is None:
        return None
    near = [sentences[j] for j in (k - 1, k + 1) if 0 <= j < len(sentences)]
    found = [c for c in contents if any(a <= c.start < b for a, b in near)]
    return min(found, key=lambda c: _distance(cue, c), default=None)


def _distance(a: TextSpan, b: TextSpan) -> int:
    return max(0, b.start - a.end, a.start - b.end)


def _nearest(
    anchor: TextSpan,
    spans: Sequence[TextSpan],
    sentences: Sequence[tuple[int, int]],
    same_sentence: bool = False,
    reach: int = 300,
) -> TextSpan | None:
    """The span of ``spans`` closest to ``anchor``: in its sentence when
    ``same_sentence``, else within ``reach`` characters."""
    if same_sentence:
        lo, hi = _sentence_of(sentences, anchor.start)
        spans = [s for s in spans if lo <= s.start < hi]
    else:
        spans = [s for s in spans if _distance(anchor, s) <= reach]
    return min(spans, key=lambda s: (_distance(anchor, s), s.start), default=None)
