"""Train the attribution span tagger (recoupe.attribution.tagger) on PolNeAR *train*.

Usage: python bench/train_attribution_tagger.py [DATA_DIR] [--holdout N] [--out DIR]
       [--cache PICKLE] [--roles content,...]

Reads only the train split (840 articles; dev is never read here). With ``--holdout N``
the last N articles of a fixed shuffle of train are kept out of training and the raw
tagger spans are scored on them (exact token-set F1 per role, as bench/attribution.py),
next to the rules' spans on the same articles: that is how the features and the
regularisation were chosen. Without it, the models are trained on all of train and
written to ``--out`` (default: the package's ``attribution/models``). The parsed
features can be cached (``--cache``): parsing 840 articles takes a few CPU minutes.
"""

from __future__ import annotations

import argparse
import pickle
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from attribution import DEFAULT, articles, learnt_lexicon, parse_ann
from recoupe.attribution import parse, rule_attributions
from recoupe.attribution import tagger as T
from recoupe.types import TextSpan

C1, C2, ITERATIONS = 0.3, 0.05, 150

Example = tuple[list[list[str]], dict[str, list[str]], list[str], dict[str, list[str]]]


def gold_spans(ann: Path) -> dict[str, list[TextSpan]]:
    spans, _ = parse_ann(ann)
    out: dict[str, list[TextSpan]] = {r: [] for r in T.ROLES}
    for kind, frags in spans.values():
        role = kind.lower()
        if role in out:
            out[role].extend(TextSpan(a, b) for a, b in frags)
    return out


def examples(data: Path, lexicon: T.CueLexicon) -> list[tuple[str, list[Example]]]:
    """Per article: (name, per paragraph (features, gold BIO, words, rule BIO))."""
    out = []
    for n, (text_path, ann) in enumerate(articles(data / "train"), start=1):
        text = text_path.read_text(encoding="utf-8")
        gold = gold_spans(ann)
        parsed = parse(text, "en")
        _, atts = rule_attributions(text, parsed, lexicon)
        paras = []
        for (a, _), doc in zip(parsed.paras, parsed.docs, strict=True):
            rules = T.rule_labels(doc, a, atts)
            feats = T.token_features(doc, a, text, lexicon, rules)
            labels = {r: T.bio(doc, a, gold[r]) for r in T.ROLES}
            paras.append((feats, labels, [t.text for t in doc], rules))
        out.append((text_path.stem, paras))
        if n % 100 == 0:
            print(f"# parsed {n} articles", file=sys.stderr)
    return out


def _runs(tags: list[str]) -> list[tuple[int, int]]:
    runs, start = [], None
    for i, tag in enumerate([*tags, "O"]):
        if start is not None and tag != "I":
            runs.append((start, i))
            start = None
        if tag == "B" or (tag == "I" and start is None):
            start = i
    return runs


def _words(words: list[str], run: tuple[int, int], offset: int) -> frozenset[int]:
    return frozenset(offset + i for i in range(*run) if any(c.isalnum() for c in words[i]))


def score(pairs: list[tuple[list[str], list[str], list[str], int]]) -> float:
    """Exact token-set F1 of predicted vs gold runs (word tokens only)."""
    n_gold = n_pred = hit = 0
    for words, gold, pred, off in pairs:
        g = Counter(s for s in (_words(words, r, off) for r in _runs(gold)) if s)
        p = Counter(s for s in (_words(words, r, off) for r in _runs(pred)) if s)
        n_gold += sum(g.values())
        n_pred += sum(p.values())
        hit += sum((g & p).values())
    prec, rec = hit / (n_pred or 1), hit / (n_gold or 1)
    return 2 * prec * rec / (prec + rec) if prec + rec else 0.0


def train(role: str, data: list[tuple[str, list[Example]]], path: Path, c1: float = C1) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for _, paras in data:
        for feats, labels, _, _ in paras:
            trainer.append(feats, labels[role])
    trainer.set_params(
        {
            "c1": c1,
            "c2": C2,
            "max_iterations": ITERATIONS,
            "feature.minfreq": T.MIN_FEATURE_FREQ,
            "feature.possible_transitions": True,
        }
    )
    trainer.train(str(path))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("data", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--holdout", type=int, default=0)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--cache", type=Path, default=None)
    ap.add_argument("--c1", type=float, default=C1, help="L1 weight (higher: smaller model)")
    ap.add_argument(
        "--roles", default=",".join(T.ROLES), help="comma-separated roles to train (default all)"
    )
    args = ap.parse_args()
    roles = [r for r in args.roles.split(",") if r in T.ROLES]
    lexicon = learnt_lexicon(args.data / "train")
    t0 = time.process_time()
    if args.cache is not None and args.cache.exists():
        data = pickle.loads(args.cache.read_bytes())
    else:
        data = examples(args.data, lexicon)
        if args.cache is not None:
            args.cache.write_bytes(pickle.dumps(data))
    print(f"# features of {len(data)} train articles in {time.process_time() - t0:.0f} CPU s")
    if args.holdout:
        shuffled = list(data)
        random.Random(0).shuffle(shuffled)
        held, fit = shuffled[-args.holdout :], shuffled[: -args.holdout]
        out = args.out or Path("/tmp") / "recoupe-tagger-holdout"
        out.mkdir(parents=True, exist_ok=True)
        import pycrfsuite

        for role in roles:
            path = T.model_path(role, out)
            train(role, fit, path, args.c1)
            tagger = pycrfsuite.Tagger()
            tagger.open(str(path))
            pred, rules = [], []
            for k, (_, paras) in enumerate(held):
                for j, (feats, labels, words, rule) in enumerate(paras):
                    off = (k * 1000 + j) * 100000
                    pred.append((words, labels[role], tagger.tag(feats), off))
                    rules.append((words, labels[role], rule[role], off))
            print(f"heldout_{role}_f1={score(pred):.3f} rules_{role}_f1={score(rules):.3f}")
        return 0
    out = args.out or T.model_dir()
    out.mkdir(parents=True, exist_ok=True)
    for role in roles:
        train(role, data, T.model_path(role, out), args.c1)
        print(f"# wrote {T.model_path(role, out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
