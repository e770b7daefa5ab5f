"""Where exact-match content errors come from, on held-out PolNeAR *train* articles.

Usage: python bench/content_errors.py MODEL_DIR [DATA_DIR] [--holdout N] [--raw]
       [--show CLASS|unmatched]

``--raw`` scores the content CRF's spans alone (before ``refine``); ``--show`` prints the
gold and predicted words of each error of a class (a substring of its name), or the
predicted contents that match nothing (``unmatched``).

Why: exact content F1 is lost at span boundaries far more than by missing attributions
(overlap F1 is much higher than exact F1), and a fix is only worth writing for a class of
boundary errors that is frequent. The tagger in ``MODEL_DIR`` must have been trained
without the held-out articles (``bench/train_attribution_tagger.py --holdout N --out
MODEL_DIR``: the same fixed shuffle of train, the last N articles held out), so the
errors are those of unseen text. Dev is never read. Every gold content that is not
matched exactly is put into one class (the first that applies, in the order printed),
from the predicted content that shares most word tokens with it; every predicted content
that matches nothing is counted as "spurious" or by what it overlaps.
"""

from __future__ import annotations

import random
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from attribution import DEFAULT, Spans, articles, gold_of, learnt_lexicon, predict, tokens_of
from recoupe.attribution import parse, rule_attributions, tagger
from recoupe.attribution.lexicon import CueLexicon

WORD = re.compile(r"\w+")
EDGE_WORDS = 3


def held_out(data: Path, n: int) -> list[tuple[Path, Path]]:
    """The last ``n`` train articles of the trainer's fixed shuffle."""
    items = articles(data / "train")
    random.Random(0).shuffle(items)
    return items[-n:]


def _words(text: str, toks: frozenset[int] | list[int]) -> list[str]:
    out = []
    for pos in sorted(toks):
        m = WORD.match(text, pos)
        out.append(m.group(0) if m else "?")
    return out


def _crosses(text: str, lo: int, hi: int) -> str:
    """What separates two token positions: "para" (blank line), "sent" (., ?, !), "-"."""
    gap = text[lo:hi]
    if "\n" in gap:
        return "para"
    if re.search(r"[.!?][\"'”’]?\s", gap):
        return "sent"
    return "-"


def classify(text: str, g: frozenset[int], preds: list[frozenset[int]]) -> tuple[str, str]:
    """(class, detail) of a gold content ``g`` not matched exactly by any of ``preds``."""
    over = [p for p in preds if p & g]
    if not over:
        return "missed", ""
    if len(over) > 1 and all(len(p - g) <= 1 for p in over) and len(over[0] | over[1]) > 1:
        return "split: gold covered by several predictions", ""
    p = max(over, key=lambda x: len(x & g))
    gs, ps = sorted(g), sorted(p)
    start_missing = [t for t in gs if t < ps[0]]
    start_extra = [t for t in ps if t < gs[0]]
    end_missing = [t for t in gs if t > ps[-1]]
    end_extra = [t for t in ps if t > gs[-1]]
    inner_gap_g = len(gs) != len([t for t in _positions(text, gs[0], gs[-1])])
    inner_gap_p = len(ps) != len([t for t in _positions(text, ps[0], ps[-1])])
    if inner_gap_g and not inner_gap_p:
        return "gold discontinuous, prediction one piece", ""
    if inner_gap_p and not inner_gap_g:
        return "prediction discontinuous, gold one piece", ""
    parts = []
    if start_missing:
        parts.append(("start short", start_missing[-EDGE_WORDS:], gs[0], ps[0]))
    if start_extra:
        parts.append(("start long", start_extra[-EDGE_WORDS:], ps[0], gs[0]))
    if end_missing:
        parts.append(("end short", end_missing[:EDGE_WORDS], ps[-1], gs[-1]))
    if end_extra:
        parts.append(("end long", end_extra[:EDGE_WORDS], gs[-1], ps[-1]))
    if not parts:
        return "inside differs", ""
    if len(parts) > 1:
        return "both ends: " + "+".join(x[0] for x in parts), ""
    kind, toks, lo, hi = parts[0]
    cross = _crosses(text, lo, hi)
    words = _words(text, toks)
    first = words[-1] if kind.startswith("start") else words[0]
    if cross != "-":
        return f"{kind}, across {cross}", " ".join(words)
    n = len(toks) if len(toks) < EDGE_WORDS else f">={EDGE_WORDS}"
    if kind.startswith("start") and len(toks) == 1:
        return f"{kind} by one word", first.lower()
    if kind.startswith("end") and len(toks) == 1:
        return f"{kind} by one word", first.lower()
    return f"{kind} by {n} words", " ".join(words).lower()


def raw_contents(text: str, lexicon: CueLexicon) -> Spans:
    """The content CRF's spans alone, one prediction each (what refine starts from)."""
    parsed = parse(text, "en")
    _, atts = rule_attributions(text, parsed, lexicon)
    out: list[frozenset[int]] = []
    for (a, b), doc in zip(parsed.paras, parsed.docs, strict=True):
        mine = [x for x in atts if a <= x.content.start < b]
        feats = tagger.token_features(doc, a, text, lexicon, tagger.rule_labels(doc, a, mine))
        for span in tagger.tag_spans(doc, a, feats)["content"]:
            out.append(tokens_of(text, [(span.start, span.end)]))
    return {"content": [s for s in dict.fromkeys(out) if s]}


def _positions(text: str, lo: int, hi: int) -> list[int]:
    return [m.start() for m in WORD.finditer(text, lo, hi + 1)]


def main(argv: list[str]) -> int:
    valued = {i + 1 for i, a in enumerate(argv) if a in ("--holdout", "--show")}
    args = [a for i, a in enumerate(argv) if i and i not in valued and not a.startswith("--")]
    model = Path(args[0])
    data = Path(args[1]) if len(args) > 1 else DEFAULT
    n = int(argv[argv.index("--holdout") + 1]) if "--holdout" in argv else 40
    show = argv[argv.index("--show") + 1] if "--show" in argv else None
    tagger.model_dir = lambda: model  # type: ignore[assignment]
    lexicon = learnt_lexicon(data / "train")
    classes: Counter[str] = Counter()
    details: dict[str, Counter[str]] = {}
    n_gold = n_pred = hit = 0
    spurious: Counter[str] = Counter()
    for text_path, ann in held_out(data, n):
        text = text_path.read_text(encoding="utf-8")
        gold, _ = gold_of(text, ann)
        pred = raw_contents(text, lexicon) if "--raw" in argv else predict(text, lexicon)[0]
        g, p = gold["content"], pred["content"]
        n_gold, n_pred = n_gold + len(g), n_pred + len(p)
        hit += sum((Counter(g) & Counter(p)).values())
        for x in g:
            if x in p:
                continue
            cls, detail = classify(text, x, p)
            classes[cls] += 1
            details.setdefault(cls, Counter())[detail] += 1
            if show and show in cls:
                best = max(p, key=lambda y: len(y & x), default=frozenset())
                print(f"## {cls} [{detail}]\n  GOLD {' '.join(_words(text, x))}\n"
                      f"  PRED {' '.join(_words(text, best))}")  # fmt: skip
        for y in p:
            if y not in g:
                cls = "overlaps a gold" if any(y & x for x in g) else "spurious"
                spurious[cls] += 1
                if show == "unmatched":
                    print(f"## PRED-{cls} {' '.join(_words(text, y))}")
    prec, rec = hit / (n_pred or 1), hit / (n_gold or 1)
    print(f"heldout_content_f1={2 * prec * rec / (prec + rec or 1):.3f} "
          f"gold={n_gold} pred={n_pred} exact={hit}")  # fmt: skip
    for cls, k in classes.most_common():
        top = ", ".join(f"{d or '-'}:{c}" for d, c in details[cls].most_common(8))
        print(f"{k:5d}  {cls}  [{top}]")
    for cls, k in spurious.most_common():
        print(f"{k:5d}  prediction unmatched, {cls}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
