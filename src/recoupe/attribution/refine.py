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
    doc: Any, base: int, span: TextSpan, index: EntityIndex, old: Source | None
) -> Source | None:
    toks = _tokens(doc, base, span)
    if not toks:
        return old
    if old is not None and old.span == span:
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
    out: list[Attribution] = []
    for (a, b), doc in zip(paras, docs, strict=True):
        mine = [x for x in attributions if a <= x.content.start < b]
        rules = tagger.rule_labels(doc, a, mine)
        feats = tagger.token_features(doc, a, text, lexicon, rules)
        found = tagger.tag_spans(doc, a, feats, directory)
        out.extend(_snap(doc, a, mine, found, index))
    return sorted(out, key=lambda x: (x.content.start, x.content.end))


def _snap(
    doc: Any,
    base: int,
    rules: Sequence[Attribution],
    found: dict[str, list[TextSpan]],
    index: EntityIndex,
) -> list[Attribution]:
    out: list[Attribution] = []
    used: dict[str, set[TextSpan]] = {r: set() for r in tagger.ROLES}
    for att in rules:
        content = _best(att.content, found["content"])
        cue = _best(att.cue, found["cue"]) if att.cue is not None else None
        if content is None and cue is None and not att.direct:
            continue
        src_span = _best(att.source.span, found["source"]) if att.source is not None else None
        source = att.source
        if src_span is not None:
            source = _source(doc, base, src_span, index, att.source)
            used["source"].add(src_span)
        if content is not None and not att.direct:
            used["content"].add(content)
            att = dataclasses.replace(att, content=content)
        elif content is not None:
            used["content"].add(content)
        if cue is not None:
            used["cue"].add(cue)
            att = dataclasses.replace(att, cue=cue)
        out.append(dataclasses.replace(att, source=source))
    for cue in found["cue"]:
        if cue in used["cue"] or any(x.cue and _overlap(x.cue, cue) for x in out):
            continue
        new = _new(doc, base, cue, found, used, index)
        if new is not None:
            out.append(new)
    return out


def _sentence_of(doc: Any, base: int, pos: int) -> tuple[int, int]:
    for sent in doc.sents:
        if base + sent.start_char <= pos < base + sent.end_char:
            return base + sent.start_char, base + sent.end_char
    return pos, pos + 1


def _new(
    doc: Any,
    base: int,
    cue: TextSpan,
    found: dict[str, list[TextSpan]],
    used: dict[str, set[TextSpan]],
    index: EntityIndex,
) -> Attribution | None:
    lo, hi = _sentence_of(doc, base, cue.start)
    contents = [c for c in found["content"] if c not in used["content"] and c.end > lo - 1]
    near = [c for c in contents if c.start < hi + 400 and c.end > lo - 400]
    if not near:
        return None
    content = min(near, key=lambda c: min(abs(c.start - cue.end), abs(cue.start - c.end)))
    used["content"].add(content)
    used["cue"].add(cue)
    sources = [
        s for s in found["source"] if s not in used["source"] and lo <= s.start < hi
    ]
    source = None
    if sources:
        span = min(sources, key=lambda s: min(abs(s.start - cue.end), abs(cue.start - s.end)))
        used["source"].add(span)
        source = _source(doc, base, span, index, None)
    return Attribution(content, source, cue)
