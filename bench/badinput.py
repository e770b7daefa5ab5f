"""Hostile-input benchmark: a generated corpus of everything that should not stop a run.

    python bench/badinput.py [WORK_DIR] [--cpu-seconds 2] [--memory-mb 512]

Writes a corpus into a temporary folder (or WORK_DIR): empty and whitespace files,
binary files, bad and mixed encodings, file names that are not UTF-8 or hold control
characters or markup, JSON and JSON Lines holding lone surrogates, gzip bombs (text,
HTML and JSON Lines that decompress to 5x the size limit), a truncated gzip file,
attribute bombs (100,000 attributes on one tag; 30,000 with ``>`` inside their values,
which the pre-check cannot see), a page nested 100,000 levels deep, a 19 MB page of
1.4 million elements, a page of 150,000 paragraphs, a text of 100,000 lines for the
line cleaner, truncated WARC archives (plain and gzip), bad JSON lines among good ones,
a FIFO, and symbolic links that loop, break, or lead out of the folder (to a file, to a
folder, to ``/``, to ``/dev/zero``), then ingests it with ``recoupe.app.ingest``.

Prints, as ``name=value`` lines:

* ``badinput_files``, ``badinput_inputs`` (items the readers produced), the outcome
  counts (``badinput_accepted``, ``badinput_duplicates``, ``badinput_rejected``) and one
  ``reason_<code>=N`` line per rejection reason;
* ``badinput_crashes``: ingests that raised instead of finishing (the corpus is ingested
  as one run and as one run per file: a crash costs the run, or that file);
* ``badinput_lost``: inputs that came out neither accepted, duplicate nor rejected, files
  that produced no item at all, and planted good documents (among the bad ones) that
  were not stored;
* for each slow page: ``slow_<name>_reason``, ``slow_<name>_cpu_seconds`` (CPU time it
  cost until its rejection: this process, and the worker's task as the budget measures it)
  and ``slow_<name>_wall_seconds``, beside ``budget_cpu_seconds``;
* ``peak_rss_mb`` of this process and ``worker_peak_rss_mb`` of the largest worker.

Exits 1 when a crash or a loss is found, or when a slow page was accepted or cost more
than its CPU budget plus 0.5 s (the budget counts CPU time, so a busy machine, which
stretches wall time, does not make a page late; the margin covers the worker's polling
and the checks before parsing).
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import resource
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from recoupe import app
from recoupe.config import IngestSettings, Settings
from recoupe.ingest import iter_inputs
from recoupe.ingest.valid import valid_origin
from recoupe.pipeline.budget import Worker
from recoupe.pipeline.documents import build_documents, document_runner
from recoupe.types import InputKind, RawDocument

GOOD = (
    "The harbour of Dunkerque reopened on Monday after the fire, the port authority said. "
    "Ships that had waited outside the port for three days were let in one by one."
)
CPU_MARGIN_S = 0.5  # over the CPU budget: the worker's polling (20 ms) and the checks before
PAGE = "<html><head><title>Harbour</title></head><body><article><p>{}</p>{}</article></body></html>"


@dataclass
class Corpus:
    root: Path
    files: list[bytes] = field(default_factory=list)  # paths of files that must yield items
    good: list[str] = field(default_factory=list)  # origins of planted good documents
    slow: dict[str, Path] = field(default_factory=dict)  # slow pages, timed one by one

    def write(self, name: str | bytes, data: bytes, good: str | None = None) -> Path:
        path = os.path.join(os.fsencode(self.root), os.fsencode(name))
        with open(path, "wb") as out:
            out.write(data)
        self.files.append(path)
        if good is not None:
            self.good.append(origin(path) + good)
        return Path(os.fsdecode(path))


def origin(path: bytes) -> str:
    """The origin ingest gives a file (odd bytes of its name written ``\\xNN``)."""
    return valid_origin(os.fsdecode(path))


def _warc(records: int) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    for i in range(records):
        body = PAGE.format(f"{GOOD} Record {i} of the crawl.", "").encode()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            f"https://news.example/{i}", "response", payload=io.BytesIO(body),
            http_headers=headers))  # fmt: skip
    return buffer.getvalue()


def _bomb(size: int, head: bytes = b"") -> bytes:
    """gzip of ``head`` then ``size`` zero bytes (~1,000:1)."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb") as gz:
        gz.write(head)
        chunk = b"\0" * (1 << 20)
        for _ in range(size >> 20):
            gz.write(chunk)
    return out.getvalue()


def build(root: Path, max_bytes: int) -> Corpus:
    """Write the hostile corpus under ``root``."""
    c = Corpus(root)
    root.mkdir(parents=True, exist_ok=True)
    c.write("good.txt", GOOD.encode(), good="")
    # empty, binary, encodings
    c.write("empty.txt", b"")
    c.write("spaces.txt", b" \n\t\r\n   ")
    c.write("empty-list.json", b"[]")  # not "empty.json": that is empty.txt's sidecar
    c.write("empty.jsonl", b"")
    c.write("empty.warc", b"")
    c.write("random.txt", os.urandom(20_000))
    c.write("image.html", b"\x89PNG\r\n\x1a\n" + os.urandom(5_000))
    c.write("nul.jsonl", b'{"text": "a"}\x00\x00\x00' * 100)
    c.write(
        "latin1.txt",
        (
            "Le maire a déclaré mercredi que la réforme serait présentée à "
            "l'été, après la crise du port. " * 3
        ).encode("cp1252"),
        good="",
    )
    c.write("mixed.txt", ("Ça commence bien: déjà l'été à Dunkerque. " * 8).encode() +
            b"\xff\xfe stray bytes " + GOOD.encode(), good="")  # fmt: skip
    c.write("utf16.txt", (GOOD + " In UTF-16.").encode("utf-16"), good="")
    c.write("high-bytes.txt", bytes(range(128, 256)) * 40)
    # names
    c.write(b"caf\xe9-\xff\xfe.txt", (GOOD + " Name one.").encode(), good="")
    c.write("new\nline\ttab\x1b[31m.txt", (GOOD + " Name two.").encode(), good="")
    c.write("<img src=x onerror=alert(1)>.txt", (GOOD + " Name three.").encode(), good="")
    c.write("n" * 240 + ".txt", (GOOD + " Name four.").encode(), good="")
    c.write("no-extension", GOOD.encode())
    c.write("report.pdf", b"%PDF-1.4 not read")
    # surrogates
    lines = [json.dumps({"text": f"{GOOD} Line {i}.", "title": f"T{i}"}) for i in range(3)]
    lines[1] = json.dumps({"text": "Bad \udc00 " + GOOD, "title": "\ud800", "author": "\udfff"})
    c.write("surrogates.jsonl", ("\n".join(lines) + "\n").encode("ascii"))
    c.good += [f"{origin(c.files[-1])}#{n}" for n in (1, 2, 3)]
    raw_surrogate = json.dumps({"text": "raw \udc00 " + GOOD}, ensure_ascii=False)
    c.write("raw-surrogate.jsonl", raw_surrogate.encode("utf-8", "surrogatepass") + b"\n")
    c.write("surrogate-list.json", json.dumps([{"text": f"{GOOD} \udc80 {i}"} for i in range(2)],
                                              ensure_ascii=True).encode())  # fmt: skip
    c.good += [f"{origin(c.files[-1])}#{n}" for n in (1, 2)]
    # gzip bombs and broken gzip
    c.write("bomb.txt.gz", _bomb(5 * max_bytes))
    c.write("bomb.html.gz", _bomb(5 * max_bytes, b"<html><body>"))
    c.write("bomb.jsonl.gz", _bomb(5 * max_bytes, b'{"text": "'))
    c.write("cut.txt.gz", gzip.compress((GOOD * 50).encode())[:300])
    # bad JSON lines among good ones
    mixed = [json.dumps({"text": f"{GOOD} Good {i}.", "source": "Wire"}) for i in range(5)]
    mixed[1:1] = ["{oops", "[1, 2, 3]", '"just a string"', json.dumps({"title": "no text"})]
    mixed.insert(6, json.dumps({"text": "x" * (max_bytes + 10)}))
    c.write("mixed.jsonl", ("\n".join(mixed) + "\n").encode())
    goods = [n for n, line in enumerate(mixed, 1) if "Good" in line]
    c.good += [f"{origin(c.files[-1])}#{n}" for n in goods]
    # truncated archives: the records before the cut are kept
    warc = _warc(3)
    c.write("cut.warc", warc[: int(len(warc) * 0.8)])
    c.good += [f"{origin(c.files[-1])}#1", f"{origin(c.files[-1])}#2"]
    c.write("cut.warc.gz", gzip.compress(warc)[:-200])
    # slow or huge pages
    c.slow["attribute-bomb"] = c.write(
        "attribute-bomb.html",
        PAGE.format(GOOD, "<div " + " ".join(f'a{i}="x"' for i in range(100_000)) + ">x</div>")
        .encode())  # fmt: skip
    c.slow["hidden-attribute-bomb"] = c.write(
        "hidden-attribute-bomb.html",
        PAGE.format(GOOD, "<div " + " ".join(f'a{i}=">"' for i in range(30_000)) + ">x</div>")
        .encode())  # fmt: skip
    c.slow["deep-nesting"] = c.write(
        "deep.html", PAGE.format(GOOD, "<div>" * 100_000 + "x" + "</div>" * 100_000).encode()
    )
    c.slow["elements-19mb"] = c.write(
        "elements.html", PAGE.format(GOOD, "<i>x</i>" * 1_400_000).encode()
    )
    c.slow["paragraphs"] = c.write(
        "paragraphs.html",
        PAGE.format(GOOD, "".join(f"<p>Paragraph {i} of a very long page.</p>"
                                  for i in range(150_000))).encode())  # fmt: skip
    c.slow["text-lines"] = c.write(
        "lines.txt", ("\n".join(["Facebook", "A real line of the article."] * 50_000)).encode()
    )
    # links and special files: each is one rejection, except the loop, whose folder is
    # walked once already
    outside = root.parent / f"{root.name}-outside"
    outside.mkdir(exist_ok=True)
    (outside / "secret.txt").write_text("A file of the machine, not of the corpus.")
    (root / "loop").symlink_to(root)
    for name, target in (("to-outside", outside), ("to-root", Path("/")),
                         ("passwd.txt", outside / "secret.txt"), ("zero.txt", Path("/dev/zero")),
                         ("broken.txt", root / "nowhere")):  # fmt: skip
        (root / name).symlink_to(target)
        c.files.append(os.fsencode(root / name))
    os.mkfifo(root / "pipe.txt")
    c.files.append(os.fsencode(root / "pipe.txt"))
    return c


@dataclass(frozen=True, slots=True)
class SlowPage:
    wall: float  # seconds until its rejection
    cpu: float  # CPU seconds it cost: this process, and the worker's task (budget's measure)
    reason: str
    detail: str


def time_slow_pages(c: Corpus, settings: Settings) -> dict[str, SlowPage]:
    """Each slow page alone through the document stage."""
    out = {}
    with document_runner(settings) as runner:
        assert isinstance(runner, Worker)
        runner.run(len, "")  # the worker is started before the clock
        for name, path in c.slow.items():
            data = path.read_bytes().decode("utf-8")
            is_html = path.suffix == ".html"
            raw = RawDocument(str(path), InputKind.HTML if is_html else InputKind.TEXT, data,
                              is_html)  # fmt: skip
            runner.last_cpu = 0.0
            started, cpu = time.perf_counter(), time.process_time()
            result = build_documents([raw], settings, lambda _: False, lambda _o, _k: {}, runner)
            cpu = time.process_time() - cpu + runner.last_cpu
            wall = time.perf_counter() - started
            rejection = result.rejections[0] if result.rejections else None
            reason, detail = (rejection.reason, rejection.detail) if rejection else ("accepted", "")
            out[name] = SlowPage(wall, cpu, reason, detail)
    return out


def run(work: Path, cpu_seconds: float, memory_mb: int) -> int:
    ingest = IngestSettings(doc_cpu_seconds=cpu_seconds, doc_memory_mb=memory_mb)
    settings = Settings(db=work / "bad.db", ingest=ingest)
    corpus = build(work / "corpus", ingest.max_bytes)
    items = list(iter_inputs([str(corpus.root)], settings))
    origins = {i.origin for i in items}
    silent = [f for f in corpus.files if origin(f) not in origins
              and not any(o.startswith(origin(f) + "#") for o in origins)]  # fmt: skip

    crashes = 0
    started = time.perf_counter()
    try:
        with app.open_store(settings) as repo:
            report = app.ingest(repo, [str(corpus.root)], settings)
            stored = {r.origin for r in repo.documents.list_documents()}
    except Exception as exc:
        print(f"CRASH: the whole-corpus ingest raised {type(exc).__name__}: {exc}", file=sys.stderr)
        crashes += 1
        report, stored = app.IngestReport(), set()
    seconds = time.perf_counter() - started
    for path in sorted(corpus.files):  # one run per file: a crash would cost only that file
        if os.path.islink(path):
            continue  # named on its own, a link is followed: "to-root" would walk "/"
        single = Settings(db=work / "single.db", ingest=ingest)
        try:
            with app.open_store(single) as repo:
                app.ingest(repo, [os.fsdecode(path)], single)
        except Exception as exc:
            print(f"CRASH: {os.fsdecode(path)!r}: {type(exc).__name__}: {exc}", file=sys.stderr)
            crashes += 1
    lost_good = [g for g in corpus.good if g not in stored]
    lost = (len(items) - report.total) + len(silent) + len(lost_good)
    for what in (*silent, *lost_good):
        print(f"LOST: {what!r}", file=sys.stderr)
    if len(items) != report.total:
        print(f"LOST: {len(items)} inputs read, {report.total} counted", file=sys.stderr)

    slow = time_slow_pages(corpus, settings)
    print(f"badinput_files={len(corpus.files)}")
    print(f"badinput_inputs={len(items)}")
    print(f"badinput_accepted={report.accepted}")
    print(f"badinput_duplicates={report.duplicates}")
    print(f"badinput_rejected={report.rejected}")
    print(f"badinput_repaired={len(report.repaired)}")
    print(f"badinput_ingest_seconds={seconds:.1f}")
    print(f"badinput_crashes={crashes}")
    print(f"badinput_lost={lost}")
    for reason, n in sorted(Counter(r.reason for r in report.rejections).items()):
        print(f"reason_{reason}={n}")
    print(f"budget_cpu_seconds={cpu_seconds:g}")
    print(f"budget_memory_mb={memory_mb}")
    late = []
    for name, page in slow.items():
        key = name.replace("-", "_")
        print(f"slow_{key}_reason={page.reason}")
        print(f"slow_{key}_cpu_seconds={page.cpu:.2f}")
        print(f"slow_{key}_wall_seconds={page.wall:.2f}")
        print(f"# {name}: {page.detail}")
        # what matters is that no page costs more than its budget: a page once slow that
        # cleaning now handles within it ("text-lines", since line labels are memoised)
        # is accepted, not late
        if page.cpu > cpu_seconds + CPU_MARGIN_S:
            late.append(name)
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak_rss_mb={me:.0f}")
    print(f"worker_peak_rss_mb={workers:.0f}")
    failed = []
    if crashes:
        failed.append(f"badinput_crashes={crashes}")
    if lost:
        failed.append(f"badinput_lost={lost}")
    if late:
        failed.append(f"pages over their CPU budget: {', '.join(late)}")
    for message in failed:
        print(f"FAIL: {message}", file=sys.stderr)
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("work", nargs="?", type=Path, help="folder for the corpus and store")
    parser.add_argument("--cpu-seconds", type=float, default=2.0, help="per-document budget")
    parser.add_argument("--memory-mb", type=int, default=512, help="per-document budget")
    args = parser.parse_args(argv)
    if args.work is not None:
        args.work.mkdir(parents=True, exist_ok=True)
        return run(args.work, args.cpu_seconds, args.memory_mb)
    with tempfile.TemporaryDirectory() as tmp:
        return run(Path(tmp), args.cpu_seconds, args.memory_mb)


if __name__ == "__main__":
    sys.exit(main())
