"""Attribution bench on PolNeAR dev: span F1 for source, cue and content.

Usage: python bench/attribution.py [DATA_DIR] [--demo-only]
       (default DATA_DIR ../shared/data/attribution/polnear)

Three runs on PolNeAR dev (recoupe.attribution.analyse, English pipeline):
* ``polnear_*``: what English articles get: the parser rules with the English lexicon
  and the cue word forms learnt from the *train* split, refined by the span tagger
  trained on *train* (``attribution/tagger.py``, ``bench/train_attribution_tagger.py``);
* ``rules_*``: the rule-based anchor, the same rules and learnt cue forms without the
  tagger (what the project had before the tagger);
* ``lexicon_*`` ("French-capable"): only the hand-written lexicon and the parser rules,
  i.e. what exists for French, where no annotated data is available.
CPU seconds per article are printed for each run (``process_time``), and the speakers of
the demo corpus are scored against ``examples/gold/speakers.tsv``
(``demo_speaker_accuracy``: share of gold quotes and attributions found with the right
speaker; ``demo_extra_quotes``: quotes found that the gold does not list).

Definitions (ANCHORS.md): tokens are ``\\w+|[^\\w\\s]`` with punctuation ignored, a span is
its set of word tokens. Exact F1: a predicted span matches a gold span of the same role
with the same token set, one-to-one. Overlap F1: a predicted span counts as correct when it
shares a token with some gold span of the role (precision), a gold span as found when some
predicted span shares a token with it (recall). Source linking: among gold attributions
with a source whose content is overlapped by a predicted content, the share where the
prediction's source overlaps the gold source. Articles annotated by several annotators
are scored once, against the first annotator's file (sorted by name).
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from recoupe import app
from recoupe.attribution import CueLexicon, analyse, default_lexicon, gold, learn_cue_forms
from recoupe.attribution.lexicon import REPORTING_LEMMAS
from recoupe.config import Settings
from recoupe.pipeline.attribution import analysis_language
from recoupe.types import Attribution, DocumentFilter

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "data" / "attribution" / "polnear"
ROLES = ("source", "cue", "content")
# Pinned floors: a little under the measured figures (see docs/attribution.md).
FLOORS = {
    "polnear_content_f1": 0.51,  # the issue asks 0.55: not reached (docs/attribution.md)
    "polnear_content_overlap_f1": 0.84,
    "polnear_source_f1": 0.70,
    "polnear_cue_f1": 0.68,
    "lexicon_content_f1": 0.40,
    "lexicon_cue_f1": 0.53,
    "demo_speaker_accuracy": 1.0,
}
DEMO = ROOT / "examples" / "corpus"
DEMO_GOLD = ROOT / "examples" / "gold" / "speakers.tsv"
WORD = re.compile(r"\w+")

Spans = dict[str, list[frozenset[int]]]


def articles(split_dir: Path) -> list[tuple[Path, Path]]:
    """(text, ann) pairs, one annotator per article."""
    chosen: dict[str, Path] = {}
    for ann in sorted((split_dir / "attributions").glob("*.ann")):
        key = ann.stem.rsplit("_", 1)[0]
        chosen.setdefault(key, ann)
    return [(split_dir / "text" / f"{k}.txt", a) for k, a in sorted(chosen.items())]


def parse_ann(
    path: Path,
) -> tuple[dict[str, tuple[str, list[tuple[int, int]]]], list[dict[str, str]]]:
    spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            kind, _, frags = parts[1].partition(" ")
            pieces = [tuple(int(x) for x in f.split()) for f in frags.split(";")]
            spans[parts[0]] = (kind, [(p[0], p[1]) for p in pieces if len(p) == 2])
        elif line.startswith("E") and len(parts) >= 2:
            events.append(dict(arg.split(":", 1) for arg in parts[1].split() if ":" in arg))
    return spans, events


def tokens_of(text: str, frags: list[tuple[int, int]]) -> frozenset[int]:
    return frozenset(m.start() for a, b in frags for m in WORD.finditer(text, a, b))


def gold_of(text: str, ann: Path) -> tuple[Spans, list[tuple[frozenset[int], frozenset[int]]]]:
    spans, events = parse_ann(ann)
    gold: Spans = {r: [] for r in ROLES}
    for kind, frags in spans.values():
        role = kind.lower()
        if role in gold:
            toks = tokens_of(text, frags)
            if toks:
                gold[role].append(toks)
    links = []
    for ev in events:
        if "Source" in ev and "Content" in ev and ev["Source"] in spans and ev["Content"] in spans:
            links.append(
                (tokens_of(text, spans[ev["Content"]][1]), tokens_of(text, spans[ev["Source"]][1]))
            )
    return gold, links


def predict(
    text: str, lexicon: CueLexicon, learnt: bool = True
) -> tuple[Spans, list[tuple[frozenset[int], frozenset[int]]]]:
    analysis = analyse(text, "en", lexicon, learnt=learnt)
    pred: Spans = {r: [] for r in ROLES}
    links = []
    for att in analysis.attributions:
        nodes = [att]
        while nodes[-1].via is not None:
            nodes.append(nodes[-1].via)
        for node in nodes[:1]:  # PolNeAR: one source per content (the nearest)
            segments = [(node.content.start, node.content.end)]
            segments += [(m.start, m.end) for m in node.more]
            content = tokens_of(text, segments)
            pred["content"].append(content)
            if node.cue is not None:
                pred["cue"].append(tokens_of(text, [(node.cue.start, node.cue.end)]))
            if node.source is not None:
                source = tokens_of(text, [(node.source.span.start, node.source.span.end)])
                pred["source"].append(source)
                links.append((content, source))
    for role in ROLES:
        pred[role] = [s for s in dict.fromkeys(pred[role]) if s]
    return pred, links


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


class Scores:
    def __init__(self) -> None:
        self.n: Counter[str] = Counter()

    def add(self, gold: Spans, pred: Spans, gl: list, pl: list) -> None:  # type: ignore[type-arg]
        for role in ROLES:
            g, p = gold[role], pred[role]
            self.n[f"{role}_gold"] += len(g)
            self.n[f"{role}_pred"] += len(p)
            self.n[f"{role}_exact"] += sum((Counter(g) & Counter(p)).values())
            self.n[f"{role}_p_ov"] += sum(any(x & y for y in g) for x in p)
            self.n[f"{role}_r_ov"] += sum(any(x & y for x in p) for y in g)
        for content, source in gl:
            best = max(pl, key=lambda cs: len(cs[0] & content), default=None)
            if best is not None and best[0] & content:
                self.n["link_total"] += 1
                self.n["link_ok"] += bool(best[1] & source)

    def metrics(self, prefix: str) -> dict[str, float]:
        out = {}
        for role in ROLES:
            gold, pred = self.n[f"{role}_gold"] or 1, self.n[f"{role}_pred"] or 1
            out[f"{prefix}_{role}_f1"] = f1(
                self.n[f"{role}_exact"] / pred, self.n[f"{role}_exact"] / gold
            )
            out[f"{prefix}_{role}_overlap_f1"] = f1(
                self.n[f"{role}_p_ov"] / pred, self.n[f"{role}_r_ov"] / gold
            )
        out[f"{prefix}_source_linking_acc"] = self.n["link_ok"] / (self.n["link_total"] or 1)
        return out


def learnt_lexicon(train_dir: Path) -> CueLexicon:
    examples = []
    for text_path, ann in articles(train_dir):
        text = text_path.read_text(encoding="utf-8")
        spans, _ = parse_ann(ann)
        cues = [
            " ".join(text[a:b] for a, b in frags) for kind, frags in spans.values() if kind == "Cue"
        ]
        examples.append((text, cues))
    forms = learn_cue_forms(examples)
    return CueLexicon("en", REPORTING_LEMMAS["en"], forms)


def demo_analyses() -> dict[str, tuple[str, tuple[Attribution, ...], tuple[Attribution, ...]]]:
    """The demo corpus ingested as a user would (temporary store), each article analysed
    by the product path: input file name -> (clean text, quotes, attributions)."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(db=Path(tmp) / "demo.db")
        with app.open_store(settings) as repo:
            app.ingest(repo, [str(DEMO)], settings)
            docs = [
                repo.documents.get_document(r.id)
                for r in repo.documents.list_documents(DocumentFilter())
            ]
    out = {}
    for doc in docs:
        lang = analysis_language(doc)
        if lang is None:
            continue
        analysis = analyse(doc.text, lang)
        out[Path(doc.origin).name] = (doc.text, analysis.quotes, analysis.attributions)
    return out


def demo_scores() -> dict[str, float]:
    checks, extra = gold.check(gold.read_gold(DEMO_GOLD), demo_analyses())
    for c in checks:
        if not c.right:
            print(f"# demo wrong: {c.row.file} {c.row.kind} {c.row.text!r}: expected "
                  f"{c.row.speaker!r}{' via ' + c.row.via if c.row.via else ''}, got "
                  f"{c.speaker!r}{' via ' + c.via if c.via else ''}"
                  f"{'' if c.found else ' (not found)'}")  # fmt: skip
    for file, quote in extra:
        print(f"# demo extra quote: {file} {quote[:60]!r}")
    return {
        "demo_speaker_accuracy": sum(c.right for c in checks) / (len(checks) or 1),
        "demo_extra_quotes": float(len(extra)),
    }


def main(argv: list[str]) -> int:
    args = [a for a in argv[1:] if not a.startswith("--")]
    data = Path(args[0]) if args else DEFAULT
    results = demo_scores()
    if "--demo-only" in argv:
        for name, value in results.items():
            print(f"{name}={value:.3f}")
        return 0 if results["demo_speaker_accuracy"] >= 1.0 else 1
    t0 = time.perf_counter()
    learnt = learnt_lexicon(data / "train")
    print(f"# learnt {len(learnt.forms)} cue forms from train in {time.perf_counter() - t0:.1f}s")
    dev = articles(data / "dev")
    runs = {
        "polnear": (learnt, True),
        "rules": (learnt, False),
        "lexicon": (default_lexicon("en"), False),
    }
    for prefix, (lexicon, tagged) in runs.items():
        scores = Scores()
        cpu = time.process_time()
        for text_path, ann in dev:
            text = text_path.read_text(encoding="utf-8")
            gold_spans, gl = gold_of(text, ann)
            pred, pl = predict(text, lexicon, tagged)
            scores.add(gold_spans, pred, gl, pl)
        results.update(scores.metrics(prefix))
        results[f"{prefix}_cpu_s_per_article"] = (time.process_time() - cpu) / len(dev)
        print(f"# {prefix}: {len(dev)} dev articles")
    print("# polnear_*: rules + learnt cue forms + span tagger trained on PolNeAR train")
    print("# rules_*: rule-based anchor (same rules and learnt cue forms, no tagger)")
    print("# lexicon_*: French-capable path (hand-written lexicon + the same parser rules)")
    print(
        "# *_f1 exact token-set match one-to-one; *_overlap_f1 shares a word token; "
        "tokens \\w+|[^\\w\\s], punctuation ignored; *_cpu_s_per_article: process CPU s"
    )
    print(
        "# anchors (rules + learnt cues): content 0.35/0.81, source 0.64, cue 0.53; "
        "human 0.70/0.88, 0.78, 0.72"
    )
    for name, value in results.items():
        print(f"{name}={value:.3f}")
    failed = [n for n, floor in FLOORS.items() if results[n] < floor]
    for name in failed:
        print(f"# FAIL {name}={results[name]:.3f} < floor {FLOORS[name]}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
