"""The three store backends on ~2,200 real articles: write and read costs, and whether
they give the same answers.

Usage: python bench/stores.py [DATA] [--postgres URL]
       (DATA: ../shared/data by default; URL: $RECOUPE_TEST_POSTGRES, e.g. from
       ``eval "$(.ci/postgres.sh start)"``)

Articles: every file of ``clustering/cl-tls`` (French, Spanish, Italian) and
``clustering/ecbplus`` (English), read and cleaned once by ``app.ingest`` into an
in-memory store; the same ``Document`` records are then written to each backend - in-
memory, SQLite (a temporary file) and PostgreSQL (a fresh schema of the server, dropped
afterwards) - with ``add_documents`` in batches of 100, then written again (nothing may
be added: upserts), then read back:

* ``*_write_s`` / ``*_write_cpu_s``: wall and CPU time of the writes. CPU is this
  process's; for PostgreSQL the server's CPU is added when its processes are on this
  machine (read from /proc, ``postmaster.pid`` in ``$RECOUPE_PG_DIR``), else only the
  client's is counted (``postgres_server_cpu=unknown``).
* ``*_search_ms``: mean wall time of a search page (first 20 results and the total) over
  the queries below, words in the four languages, a phrase, a prefix, OR and NOT;
* ``*_list_ms``: mean wall time of listing pages (first, deep, by language).

``stores_identical=1`` when every backend returns the same ids in the same order, and
the same totals, for every search and listing; ``stores_search_agreement``: of the
articles some backend matches for some query, the share every backend matches (the
stemmers differ a little: PostgreSQL's Snowball dictionaries are not PyStemmer's
build, and SQLite folds accents after stemming); ``stores_writes_and_reads_identical``:
every backend added each article once, none on the second write, and read back equal
documents. Exits 1 when writes or reads differ, when the agreement is under
``FLOOR_AGREEMENT``, or when a backend is missing.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from recoupe import app
from recoupe.config import Settings
from recoupe.store.base import Store
from recoupe.store.memory import MemoryStore
from recoupe.store.sqlite import SQLiteStore
from recoupe.types import Document, DocumentFilter, text_query

REPO = Path(__file__).resolve().parents[1]
FLOOR_AGREEMENT = 0.995
QUERIES = (
    "syrie", "siria", "egypt", "earthquake", "manifestations", "gobierno", "president*",
    '"bachar al-assad"', "libye OR libia OR libya", "yemen -syrie", "rehab", "police",
    "élections", "governo", "fire OR incendie",
)  # fmt: skip
LISTINGS = (
    DocumentFilter(limit=20), DocumentFilter(limit=20, offset=1000),
    DocumentFilter(language="fr", limit=20), DocumentFilter(language="en", limit=20),
    DocumentFilter(since="2011-03", until="2011-06", limit=20),
)  # fmt: skip


def cpu_s() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def server_cpu_s() -> float | None:
    """CPU seconds of the local PostgreSQL server's processes, or None."""
    folder = os.environ.get("RECOUPE_PG_DIR")
    pid_file = Path(folder or "/nonexistent") / "data" / "postmaster.pid"
    if not pid_file.is_file():
        return None
    master = pid_file.read_text().split("\n", 1)[0].strip()
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat.parent.name == master or fields[1] == master:  # fields[1]: the parent
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


@contextmanager
def postgres_store(url: str) -> Iterator[Store]:
    import psycopg

    from recoupe.store.postgres import PostgresStore

    schema = f"recoupe_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    try:
        sep = "&" if "?" in url else "?"
        with PostgresStore(f"{url}{sep}options={quote(f'-csearch_path={schema}')}") as store:
            yield store
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


def load(data: Path) -> list[Document]:
    targets = [str(data / "clustering" / "cl-tls"), str(data / "clustering" / "ecbplus" / "docs")]
    with MemoryStore() as memory:
        report = app.ingest(memory, targets, Settings(db=Path("unused.db")))
        print(f"articles={report.accepted} rejected={report.rejected}", flush=True)
        ids = [i for batch in memory.documents.document_ids() for i in batch]
        found = memory.documents.get_documents(ids)
        return [found[i] for i in ids]


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def measure(name: str, store: Store, docs: list[Document], server: bool) -> dict[str, object]:
    before = cpu_s(), (server_cpu_s() if server else None)
    start = time.perf_counter()
    added = sum(store.documents.add_documents(docs[i : i + 100]) for i in range(0, len(docs), 100))
    wall = time.perf_counter() - start
    cpu = cpu_s() - before[0]
    after_server = server_cpu_s() if server else None
    if server:
        if before[1] is not None and after_server is not None:
            cpu += after_server - before[1]
        else:
            print("postgres_server_cpu=unknown")
    again = sum(store.documents.add_documents(docs[i : i + 100]) for i in range(0, len(docs), 100))
    print(f"{name}_write_s={wall:.2f}")
    print(f"{name}_write_cpu_s={cpu:.2f}")
    print(f"{name}_added={added} {name}_added_again={again}")
    answers: dict[str, object] = {"added": (added, again)}
    search_s = 0.0
    for q in QUERIES:
        flt = DocumentFilter(query=text_query(q), limit=20)
        s, page = timed(lambda flt=flt: store.documents.page_documents(flt))  # type: ignore[misc]
        search_s += s
        answers[q] = ([d.id for d in page.documents], page.total)  # type: ignore[attr-defined]
        every = store.documents.list_documents(DocumentFilter(query=text_query(q)))
        answers[f"all {q}"] = {d.id for d in every}
    list_s = 0.0
    for k, flt in enumerate(LISTINGS):
        s, page = timed(lambda flt=flt: store.documents.page_documents(flt))  # type: ignore[misc]
        list_s += s
        answers[f"list{k}"] = ([d.id for d in page.documents], page.total)  # type: ignore[attr-defined]
    sample = [d.id for d in docs[::50]]
    s, got = timed(lambda: store.documents.get_documents(sample))
    answers["bulk"] = got == {d.id: d for d in docs[::50]}
    print(f"{name}_search_ms={1000 * search_s / len(QUERIES):.1f}")
    print(f"{name}_list_ms={1000 * list_s / len(LISTINGS):.1f}")
    print(f"{name}_bulk_get_ms={1000 * s:.1f} ({len(sample)} documents)")
    return answers


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("data", nargs="?", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--postgres", default=os.environ.get("RECOUPE_TEST_POSTGRES", ""))
    args = parser.parse_args()
    docs = load(args.data)
    results: dict[str, dict[str, object]] = {}
    with MemoryStore() as memory:
        results["memory"] = measure("memory", memory, docs, False)
    with tempfile.TemporaryDirectory() as tmp, SQLiteStore(Path(tmp) / "bench.db") as sqlite:
        results["sqlite"] = measure("sqlite", sqlite, docs, False)
    if not args.postgres:
        print("postgres=missing (give --postgres URL or set RECOUPE_TEST_POSTGRES)")
        return 1
    with postgres_store(args.postgres) as pg:
        results["postgres"] = measure("postgres", pg, docs, True)
    base = results["sqlite"]
    differ = [
        (name, key) for name, res in results.items() for key in base if res[key] != base[key]
    ]
    for name, key in differ:
        if key.startswith("all "):
            mine, theirs = results[name][key], base[key]
            assert isinstance(mine, set) and isinstance(theirs, set)
            print(f"differs: {name} {key[4:]!r}: {len(mine - theirs)} more, "
                  f"{len(theirs - mine)} fewer than sqlite ({len(theirs)})")  # fmt: skip
    agreement = min(_agreement(res, base) for res in results.values())
    print(f"stores_identical={int(not differ)}")
    print(f"stores_search_agreement={agreement:.4f}")
    sound = all(r["bulk"] is True and r["added"] == (len(docs), 0) for r in results.values())
    print(f"stores_writes_and_reads_identical={int(sound)}")
    return 0 if sound and agreement >= FLOOR_AGREEMENT else 1


def _agreement(res: dict[str, object], base: dict[str, object]) -> float:
    """Matches both backends agree on, over the matches either finds (every query)."""
    both = either = 0
    for q in QUERIES:
        a, b = res[f"all {q}"], base[f"all {q}"]
        assert isinstance(a, set) and isinstance(b, set)
        both, either = both + len(a & b), either + len(a | b)
    return both / either if either else 1.0


if __name__ == "__main__":
    sys.exit(main())
