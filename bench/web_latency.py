"""Response time of the web UI over a store of 100,000 synthetic articles.

Usage: python bench/web_latency.py [--n 100000] [--requests 300] [--cache DIR] [--rebuild]

Store: ``n`` synthetic articles (250-330 words from a Zipf-like 20,000-word vocabulary, six
paragraphs, two removed lines each, 3 languages, 300 outlets, dates over two years, 3%
undated), added with the repository's own ``add_documents`` in batches of 5,000 so the
full-text index and every index are the real ones. One article in 20 belongs to a
three-article origin group whose members share their first paragraphs, with the reuse
links stored as the copies stage stores them. Stories over them as the stories stage
stores them (``web_stories_data.py``): ~22,000 stories of 1-30 articles (articles taken in
date order), entities for every article, topics of three stories, and, for the 300
stories whose pages are measured, findings and attribution analyses as the corroboration
stage stores them. The store is built once (~4 minutes) and cached under ``--cache``
(default ``bench/out/cache``, git-ignored) in a file named after the schema (version and
migrations) and the data version: reruns only measure, a changed schema builds anew.

Measured in-process through the ASGI app (``httpx.ASGITransport``: no network, no test
client threads; the app runs its handlers in its thread pool as under uvicorn), each page
``--requests`` times after 20 warm-up requests, over varied pages/queries/articles:

* ``web_list``: article list pages (first pages, deep pages, language and outlet
  filters, a date range);
* ``web_search``: full-text searches (words of every frequency, from one article in
  20,000 to half of them, and two-word queries), first result page with its total;
* ``web_article``: article pages (clean text with removed lines, reuse highlights and
  the origin group when the article has them);
* ``web_story``: story pages with stored findings (100 stories of 20-30 articles, 100 of
  5-19, 100 of 1-4: timeline, entities, origin groups, cited summary, claims,
  disagreements, what each article adds, quotes);
* ``web_stories``: story lists (pages 1-20, language, outlet, dates, topic, and searches
  for words in 0.3%-97% of the articles).

Prints ``web_*_p50_ms`` / ``web_*_p95_ms`` / ``web_*_max_ms`` (wall clock: the response
time) and ``web_*_cpu_p95_ms`` (CPU time of the process per request, which other jobs on
the machine do not inflate), and the load average; exits 1 when a wall-clock p95 exceeds
50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import itertools
import os
import random
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
from starlette.applications import Starlette

from recoupe.config import Settings
from recoupe.store.schema import MIGRATIONS, SCHEMA_VERSION
from recoupe.store.sqlite import SQLiteStore
from recoupe.types import (
    Document,
    InputKind,
    Metadata,
    OriginGroup,
    RemovedLine,
    ReuseKind,
    ReuseLink,
    Sentence,
    Span,
)
from recoupe.web import create_app
from recoupe.web.params import MAX_PAGE

sys.path.insert(0, str(Path(__file__).resolve().parent))

from web_stories_data import measured_stories, store_findings, store_stories

CEILING_MS = 50.0
SEED = 11
VOCAB = 20_000
BATCH = 5_000
GROUP_EVERY = 20  # one article in 20 is in an origin group of three
LANGUAGES = ("en", "fr", "de")
OUTLETS = 300
DEFAULT_CACHE = Path(__file__).resolve().parent / "out" / "cache"
DATA_VERSION = 2  # bump when the synthetic store changes (2: stories, entities, findings)


def _vocabulary(rng: random.Random) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyzéèàç"
    words = {"".join(rng.choices(letters, k=rng.randint(2, 10))) for _ in range(VOCAB * 2)}
    return sorted(words)[:VOCAB]


def _sentence(rng: random.Random, vocab: list[str], cum_weights: list[float]) -> str:
    words = rng.choices(vocab, cum_weights=cum_weights, k=rng.randint(8, 22))
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def _article(
    n: int, rng: random.Random, vocab: list[str], weights: list[float], lead: str | None
) -> Document:
    """Article ``n``; ``lead`` (paragraphs of its group's first member) is reused."""
    paragraphs = [
        " ".join(_sentence(rng, vocab, weights) for _ in range(rng.randint(2, 4))) for _ in range(6)
    ]
    text = "\n\n".join(paragraphs)
    if lead is not None:
        text = lead + "\n\n" + text
    sentences, pos = [], 0
    for para in text.split("\n\n"):
        for part in para.split(". "):
            end = pos + len(part) + (0 if part.endswith(".") else 1)
            sentences.append(Sentence(pos, end))
            pos = end + 1
        pos += 1  # the second newline of the paragraph break
    digest = hashlib.sha256(f"synthetic-{n}".encode()).hexdigest()
    day = None if n % 33 == 0 else f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}T{n % 24:02d}:00:00Z"
    year = "2025" if n % 2 else "2024"
    removed = (
        RemovedLine(1, "Partager sur Facebook", "share-button", 0),
        RemovedLine(40, f"Publicité {n}", "advertisement", len(paragraphs[0]) + 2),
    )
    meta = Metadata(
        url=f"https://example.org/{n}",
        outlet=f"Outlet {n % OUTLETS}",
        title=_sentence(rng, vocab, weights)[:90],
        author=None,
        published=None if day is None else year + day[4:],
        language=None,
    )
    return Document(
        id=digest[:16], content_hash=digest, origin=f"synthetic/{n}.txt", kind=InputKind.TEXT,
        meta=meta, raw=text, is_html=False, text=text, removed=removed,
        language=LANGUAGES[n % len(LANGUAGES)], sentences=tuple(sentences),
    )  # fmt: skip


def _documents(n_docs: int) -> Iterator[list[Document]]:
    rng = random.Random(SEED)
    vocab = _vocabulary(rng)
    weights = list(itertools.accumulate(1.0 / (rank + 10) for rank in range(len(vocab))))
    batch: list[Document] = []
    lead: str | None = None
    for n in range(n_docs):
        position = n % GROUP_EVERY
        doc = _article(n, rng, vocab, weights, lead if position in (1, 2) else None)
        if position == 0:
            lead = doc.text.split("\n\n")[0]
        batch.append(doc)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _store_groups(repo: SQLiteStore, ids: list[str]) -> None:
    """Origin groups of three (first paragraph shared) with their reuse links."""
    groups = []
    copies = repo.copies
    for lo in range(0, len(ids) - 2, GROUP_EVERY):
        members = ids[lo : lo + 3]
        docs = [repo.documents.get_document(m) for m in members]
        lead = docs[0].text.split("\n\n")[0]
        spans = [s for s in docs[0].sentences if s.end <= len(lead)]
        for other in docs[1:]:
            links = [
                ReuseLink(
                    Span(docs[0].id, s.start, s.end),
                    Span(other.id, s.start, s.end),
                    ReuseKind.VERBATIM,
                    1.0,
                )
                for s in spans
            ]
            copies.put_alignments("synthetic", {(docs[0].id, other.id): links})
        gid = "og-" + hashlib.sha256("".join(sorted(members)).encode()).hexdigest()[:16]
        groups.append(OriginGroup(gid, tuple(sorted(members)), None, "unknown: synthetic"))
    copies.put_origin_groups(groups, [m for g in groups for m in g.members])


def build_store(path: Path, n_docs: int) -> None:
    """Write the synthetic store to ``path`` (via a temporary file: an interrupted build
    never leaves a half-built cache behind)."""
    tmp = path.with_suffix(".building")
    for suffix in ("", "-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    started = time.perf_counter()
    ids: list[str] = []
    with SQLiteStore(tmp) as repo:
        for batch in _documents(n_docs):
            repo.documents.add_documents(batch)
            ids.extend(d.id for d in batch)
            print(
                f"  built {len(ids)} articles ({time.perf_counter() - started:.0f} s)", flush=True
            )
        _store_groups(repo, ids)
        rows = repo.documents.list_documents()
        stories = store_stories(repo, [(r.id, r.published, r.language, r.outlet,
                                        r.title or r.origin) for r in rows])  # fmt: skip
        print(f"  built {len(stories)} stories ({time.perf_counter() - started:.0f} s)")
        store_findings(repo, measured_stories(stories, random.Random(SEED)))
    tmp.rename(path)
    print(f"store_build_s={time.perf_counter() - started:.1f}")


def store_name(n_docs: int) -> str:
    """File name of the cached store: keyed by the schema (its version and its migrations'
    text: a store migrated by other migrations lacks their tables or indexes, and its
    figures would mislead) and by the version of the synthetic data."""
    schema = hashlib.sha1("".join(MIGRATIONS).encode()).hexdigest()[:8]
    return f"web_latency_{n_docs}_s{SCHEMA_VERSION}-{schema}_d{DATA_VERSION}.db"


def _story_paths(store: Path, rng: random.Random) -> dict[str, list[str]]:
    """Story pages (the stories given findings by the build) and story lists."""
    with SQLiteStore(store) as repo:
        stories = sorted(repo.stories.list_stories(), key=lambda s: s.id)
    measured = measured_stories(stories, random.Random(SEED))
    rng.shuffle(measured)
    vocab = _vocabulary(random.Random(SEED))
    lists = [f"/stories?page={p}" for p in (1, 2, 5, 10, MAX_PAGE)]
    lists += [f"/stories?lang={lang}&page={p}" for lang in LANGUAGES for p in (1, 5)]
    lists += [f"/stories?outlet=Outlet+{o}" for o in (0, 7, 150)]
    lists += ["/stories?since=2024-03&until=2024-05", "/stories?since=2025-06&lang=de"]
    lists += [f"/stories?topic={measured[0].topic}"]
    lists += [f"/stories?q={vocab[r]}" for r in (0, 30, 3000, 15000)]
    lists += [f"/stories?q={vocab[3]}&lang=fr", f"/stories?q={vocab[300]}&page=2"]
    return {"story": [f"/stories/{s.id}" for s in measured], "stories": lists}


def _paths(n_docs: int, rng: random.Random) -> dict[str, list[str]]:
    """The requests of each measured page, varied (see the module docstring)."""
    vocab = _vocabulary(random.Random(SEED))  # rank 0 is the most frequent word
    words = [vocab[r] for r in (0, 3, 30, 300, 3000, 15000)]
    pages = [1, 2, 5, 10, 15, MAX_PAGE]  # the deepest page the UI serves
    lists = [f"/articles?page={p}" for p in pages]
    lists += [f"/articles?lang={lang}&page={p}" for lang in LANGUAGES for p in (1, 10, MAX_PAGE)]
    lists += [f"/articles?outlet=Outlet+{o}&page=2" for o in (0, 7, 150)]
    lists += ["/articles?since=2024-03&until=2024-05", "/articles?since=2025-06&lang=de"]
    searches = [f"/articles?q={w}" for w in words]
    searches += [f"/articles?q={words[0]}+{words[2]}", f"/articles?q={words[1]}+OR+{words[4]}"]
    searches += [f"/articles?q={words[0]}&lang=fr&page=3", f"/articles?q={words[3]}&page=2"]
    picks = rng.sample(range(n_docs), 400)
    ids = [hashlib.sha256(f"synthetic-{n}".encode()).hexdigest()[:16] for n in picks]
    return {"list": lists, "search": searches, "article": [f"/articles/{i}" for i in ids]}


async def _measure(
    client: httpx.AsyncClient, paths: list[str], requests: int
) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of ``requests`` requests cycling through ``paths``
    (20 warm-up requests first, not counted). CPU time is this process's (every thread):
    unlike wall time, it does not grow when other jobs share the cores."""
    for path in paths[:20]:
        await client.get(path)
    wall, cpu = [], []
    for i in range(requests):
        path = paths[i % len(paths)]
        started, started_cpu = time.perf_counter(), time.process_time()
        response = await client.get(path)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path}: HTTP {response.status_code}")
    return wall, cpu


def _p(times: list[float], q: int) -> float:
    return statistics.quantiles(times, n=100, method="inclusive")[q - 1]


async def _run(
    web: Starlette, paths: dict[str, list[str]], requests: int
) -> dict[str, tuple[list[float], list[float]]]:
    """Each page measured in turn through the ASGI app in this process: what the server
    does per request, without a network or a test client's threads in the figures."""
    transport = httpx.ASGITransport(app=web)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        return {page: await _measure(client, p, requests) for page, p in paths.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    ap.add_argument("--n", type=int, default=100_000, help="articles in the store")
    ap.add_argument("--requests", type=int, default=300, help="measured requests per page")
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="where the store is kept")
    ap.add_argument("--rebuild", action="store_true", help="build the store again")
    args = ap.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)
    store = args.cache / store_name(args.n)
    if args.rebuild or not store.is_file():
        print(f"building {store} ({args.n} synthetic articles, once)")
        build_store(store, args.n)
    print(f"web_articles={args.n}")
    print(f"load_average_1m={os.getloadavg()[0]:.2f}")  # other jobs on the machine slow it
    paths = _paths(args.n, random.Random(SEED)) | _story_paths(store, random.Random(SEED))
    results = asyncio.run(_run(create_app(store, Settings(db=store)), paths, args.requests))
    failed = False
    for page, (times, cpu) in results.items():
        p95 = _p(times, 95)
        print(f"web_{page}_p50_ms={_p(times, 50):.1f}")
        print(f"web_{page}_p95_ms={p95:.1f}")
        print(f"web_{page}_max_ms={max(times):.1f}")
        print(f"web_{page}_cpu_p95_ms={_p(cpu, 95):.1f}")
        failed |= p95 > CEILING_MS
    if failed:
        print(f"FAIL: a p95 is over {CEILING_MS:.0f} ms", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
