"""A learned span tagger over the parse: where sources, cues and contents start and end.

Why: the parser rules find most attributions, but their span *boundaries* (does the source
keep its apposition? does the content start at "that"?) and the long tail of cues
("blasted", "is seen as", "a statement said") are conventions of the annotated data
rather than of grammar, and a sequence model learns conventions from examples better
than rules written by hand. One linear-chain CRF per role (BIO tags over the tokens of a
paragraph) reads, for every token, its word, lemma, part of speech, dependency relation,
head, its dependency path to the nearest cue verb, whether it sits inside quote marks
and which span the rules gave it; so the rules' answer is a feature the model can keep
or correct (stacking).

Trained on PolNeAR *train* only (``bench/train_attribution_tagger.py``; English, 840
articles); the three parameter files in ``attribution/models/`` hold feature weights
(word forms seen at least ``MIN_FEATURE_FREQ`` times, tags, relations), no text. The
model exists for English only: French keeps the rules (``available``).
``python-crfsuite`` is pinned exactly (single-maintainer binding).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from recoupe.attribution.lexicon import CueLexicon
from recoupe.attribution.quotes import scan_quotes
from recoupe.types import Attribution, TextSpan

ROLES = ("source", "cue", "content")
MODEL_VERSION = "crf-polnear-en-v1"
MIN_FEATURE_FREQ = 3
_PATH_STEPS = 8


def model_dir() -> Path:
    return Path(str(resources.files("recoupe.attribution") / "models"))


def model_path(role: str, directory: Path | None = None) -> Path:
    return (directory or model_dir()) / f"{MODEL_VERSION}-{role}.crfsuite"


def available(language: str) -> bool:
    """A trained tagger exists for ``language`` (English only)."""
    return language == "en" and all(model_path(r).exists() for r in ROLES)


def rule_labels(
    doc: Any, base: int, attributions: Sequence[Attribution]
) -> dict[str, list[str]]:
    """BIO labels per role that the rules' ``attributions`` give the tokens of ``doc``."""
    spans: dict[str, list[TextSpan]] = {r: [] for r in ROLES}
    for att in attributions:
        spans["content"].extend((att.content, *att.more))
        if att.cue is not None:
            spans["cue"].append(att.cue)
        if att.source is not None:
            spans["source"].append(att.source.span)
    return {r: bio(doc, base, spans[r]) for r in ROLES}


def bio(doc: Any, base: int, spans: Sequence[TextSpan]) -> list[str]:
    """BIO tags of the tokens of ``doc`` for ``spans`` (absolute offsets); a token is in
    a span when its first character is. Token starts are sorted, so each span's tokens
    are found by bisection (a scan of the paragraph per span was 17 ms an article)."""
    tags = ["O"] * len(doc)
    starts = [base + t.idx for t in doc]
    spaces = [t.is_space for t in doc]
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        lo, hi = bisect_left(starts, span.start), bisect_left(starts, span.end)
        inside = [i for i in range(lo, hi) if not spaces[i]]
        for k, i in enumerate(inside):
            if tags[i] == "O":
                tags[i] = "B" if k == 0 or tags[i - 1] == "O" else "I"
    return tags


def _quote_state(doc: Any, base: int, text: str) -> list[bool]:
    marks = [q.span for q in scan_quotes(text, base, base + len(doc.text)) if not q.depth]
    return [any(m.start <= base + t.idx < m.end for m in marks) for t in doc]


def _cue_path(tok: Any, cues: set[int]) -> str:
    """The relation under which ``tok`` hangs below the nearest cue above it ("nsubj",
    "ccomp"...), with the number of steps; "cue" for a cue itself; "-" for none."""
    if tok.i in cues:
        return "cue"
    node, last = tok, tok
    for step in range(1, _PATH_STEPS + 1):
        if node.head == node:
            return "-"
        last, node = node, node.head
        if node.i in cues:
            return f"{last.dep_}|{min(step, 4)}"
    return "-"


def token_features(
    doc: Any, base: int, text: str, lexicon: CueLexicon, rules: dict[str, list[str]]
) -> list[list[str]]:
    """CRF features of every token of the paragraph ``doc`` (absolute offset ``base`` in
    ``text``): the token, its parse, its cue path, quote state and the rules' labels,
    with a window of one or two tokens on each side."""
    cues = {t.i for t in doc if lexicon.is_cue(t) or lexicon.is_cue_word(t)}
    quoted = _quote_state(doc, base, text)
    in_sentence: dict[int, list[int]] = {}  # sentence start -> its cues, in ``cues`` order
    own = []
    for t in doc:
        sent = t.sent
        if sent.start not in in_sentence:
            in_sentence[sent.start] = [i for i in cues if sent.start <= i < sent.end]
        own.append(
            {
                "w": t.lower_,
                "l": t.lemma_.lower(),
                "p": t.pos_,
                "t": t.tag_,
                "d": t.dep_,
                "hl": t.head.lemma_.lower(),
                "hp": t.head.pos_,
                "dh": f"{t.dep_}>{t.head.pos_}",
                "c": _cue_path(t, cues),
                "hc": str(t.head.i in cues),
                "q": str(quoted[t.i]),
                "e": t.ent_type_ or "-",
                "s": str(t.is_sent_start),
                "rs": rules["source"][t.i],
                "rc": rules["cue"][t.i],
                "rn": rules["content"][t.i],
                "side": _side(t, in_sentence[sent.start]),
            }
        )
    out = []
    for i, f in enumerate(own):
        feats = [f"{k}={v}" for k, v in f.items()]
        feats.append(f"rall={f['rs']}{f['rc']}{f['rn']}")
        for off in (-2, -1, 1, 2):
            j = i + off
            if 0 <= j < len(own):
                g = own[j]
                feats += [f"{off}w={g['w']}", f"{off}p={g['p']}", f"{off}d={g['d']}"]
                feats += [f"{off}r={g['rs']}{g['rc']}{g['rn']}", f"{off}c={g['c']}"]
            else:
                feats.append(f"{off}edge")
        out.append(feats)
    return out


def _side(tok: Any, cues: Sequence[int]) -> str:
    """Where the nearest cue of the sentence is: left/right and a distance bucket
    (``cues``: the cues of ``tok``'s sentence; the first of equally near ones wins)."""
    best = None
    for i in cues:
        if best is None or abs(i - tok.i) < abs(best - tok.i):
            best = i
    if best is None:
        return "none"
    d = best - tok.i
    bucket = 0 if d == 0 else 1 if abs(d) <= 2 else 2 if abs(d) <= 6 else 3
    return f"{'R' if d > 0 else 'L'}{bucket}"


@cache
def _taggers(directory: str) -> dict[str, Any]:
    import pycrfsuite

    out = {}
    for role in ROLES:
        tagger = pycrfsuite.Tagger()
        tagger.open(str(model_path(role, Path(directory))))
        out[role] = tagger
    return out


def tag_spans(
    doc: Any, base: int, features: list[list[str]], directory: Path | None = None
) -> dict[str, list[TextSpan]]:
    """Spans per role that the trained CRFs find in the paragraph ``doc``."""
    taggers = _taggers(str(directory or model_dir()))
    return {r: spans_of(doc, base, taggers[r].tag(features)) for r in ROLES}


def spans_of(doc: Any, base: int, tags: Sequence[str]) -> list[TextSpan]:
    """Character spans of the B/I runs of ``tags`` (edge punctuation dropped)."""
    runs: list[list[Any]] = []
    for t, tag in zip(doc, tags, strict=True):
        if tag == "B" or (tag == "I" and not runs) or (tag == "I" and runs[-1][-1].i != t.i - 1):
            runs.append([t])
        elif tag == "I":
            runs[-1].append(t)
    out = []
    for run in runs:
        toks = [t for t in run if not t.is_space]
        while toks and toks[0].is_punct and toks[0].text not in "“«\"'":
            toks.pop(0)
        while toks and toks[-1].is_punct and toks[-1].text not in "”»\"'":
            toks.pop()
        if toks:
            out.append(TextSpan(base + toks[0].idx, base + toks[-1].idx + len(toks[-1].text)))
    return out
