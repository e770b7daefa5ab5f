"""Dates, titles and outlets you can rely on, and pages that are not articles.

Usage: python bench/metadata.py [--ecbplus DIR] [--cltls DIR] [--semeval CSV] [--demo DIR]
                                [--rpm2 DIR] [--scrapinghub DIR]

* ECB+ topics 1-25 (text only, as recoupe ingests a .txt): ``ecbplus_dated_share`` among
  the articles carrying a date line in their first 5 lines (a line that, once its date,
  time, zone, weekday and labels such as "Posted"/"Updated" are taken out, has at most 3
  words: this bench's own English definition, not recoupe's), with
  ``ecbplus_date_consistent_share`` (the date found has its day and year in those lines);
  ``ecbplus_title_kept_share``: the headline kept as title and no other line taken as
  one, against the hand-checked headlines of bench/annotations/ecbplus_headlines.tsv.
* CL-TLS with ``--meta-from-path {lang}/{topic}/{date}/{name}``: every article dated from
  its folder (``cltls_dated_from_folder_share``). Held out for text dates (never looked at
  while writing the date rules): the date lines recoupe reads in the fr/es/it texts
  against the folder day (``cltls_text_date_within_2_days_share``), and the outlets it
  reads from the text (none may be longer than 60 characters, hold a sentence end, a
  brace or a comma).
* The demo corpus: every date and outlet as examples/README.md lists them.
* SemEval-2022 Task 8 training texts written to a CSV with Media Cloud's column names
  (``id, title, text, url, publish_date, media_name, media_url, language``; the texts are
  real, the dates and outlets are generated per row, since the dataset carries none):
  every row stored with its date and outlet, or rejected as not an article; every text
  of bench/annotations/semeval_not_articles.tsv rejected (listed with the reason), and
  how many other pages are (false rejections), also on RPM2 and the scrapinghub pages.

Exits 1 under a floor.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from recoupe import app
from recoupe.clean.text import clean_text, normalize_line
from recoupe.clean.walls import judge
from recoupe.config import IngestSettings, Settings
from recoupe.pipeline.documents import build_documents
from recoupe.types import Document, DocumentFilter, InputKind, RawDocument
from semeval_pairs import real_pairs

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
ANNOTATIONS = REPO / "bench" / "annotations"
FLOORS = {
    "ecbplus_dated_share": 0.95,
    "ecbplus_title_kept_share": 0.95,
    "cltls_dated_from_folder_share": 1.0,
    "demo_dates_share": 1.0,
    "demo_outlets_share": 1.0,
    "mediacloud_dated_share": 1.0,
    "mediacloud_outlet_share": 1.0,
    "semeval_walls_rejected_share": 1.0,
}
CEILINGS = {"cltls_bad_outlets": 0, "cltls_stored_bad_outlets": 0, "semeval_false_walls": 0}

# ----- the bench's own notion of a date line (English, ECB+) ------------------------------

_MONTHS = (r"jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|"
           r"april|june|july|august|september|october|november|december")  # fmt: skip
_DATE = re.compile(
    rf"\b(?:{_MONTHS})\b\.?\s*\d{{1,2}}(?:st|nd|rd|th)?,?\s*(?:-\s*)?(?:19|20)\d\d"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\b\.?,?\s*(?:19|20)\d\d"
    r"|\b\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*(?:19|20)?\d\d\b"
    r"|\b(?:19|20)\d\d\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}\b",
    re.IGNORECASE,
)
_TIME = re.compile(r"\b\d{1,2}\s*[:.]\s*\d{2}(?:\s*:\s*\d{2})?\s*(?:[ap]\.?\s?m\.?)?", re.I)
_LABELS = set(
    str.split(
        """
        published posted updated last on at by first originally story created article edited
        time am pm a p m edt est pdt pst et pt cst cdt gmt bst ist utc uk aest akdt hrs hkt
        monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun
        the in of
        """
    )
)


def has_date_line(lines: list[str]) -> bool:
    for line in lines[:5]:
        if not _DATE.search(line):
            continue
        rest = _TIME.sub(" ", _DATE.sub(" ", line))
        words = [w for w in re.findall(r"[A-Za-z]+", rest) if w.lower() not in _LABELS]
        if len(words) <= 3:
            return True
    return False


def date_consistent(doc: Document, lines: list[str]) -> bool:
    """The date found has its day-of-month and year written in the first lines."""
    if not doc.meta.published:
        return False
    day = datetime.fromisoformat(doc.meta.published[:10])
    head = " ".join(lines[:5])
    numbers = {int(n) for n in re.findall(r"\d+", head)}
    return day.day in numbers and (day.year in numbers or day.year % 100 in numbers)


def _build(raws: list[RawDocument]) -> list[Document]:
    settings = Settings()
    result = build_documents(raws, settings, lambda _: False, lambda _o, _k: {})
    return result.documents


def bench_ecbplus(folder: Path) -> dict[str, float]:
    rows = list(csv.DictReader((folder / "labels.tsv").open(encoding="utf-8"), delimiter="\t"))
    texts = {r["doc_id"]: (folder / "docs" / f"{r['doc_id']}.txt").read_text(encoding="utf-8")
             for r in rows}  # fmt: skip
    raws = [RawDocument(doc_id, InputKind.TEXT, text, False) for doc_id, text in texts.items()]
    docs = {d.origin: d for d in _build(raws)}
    gold = _headlines(ANNOTATIONS / "ecbplus_headlines.tsv")
    with_line = dated = consistent = 0
    titles_ok = 0
    misses: list[str] = []
    rejected = [doc_id for doc_id in texts if doc_id not in docs]
    print(f"# rejected (no article text left): {rejected}")
    for doc_id, text in texts.items():
        lines = [line.strip() for line in text.split("\n") if line.strip()]
        doc = docs.get(doc_id)
        if doc is None:
            continue
        if has_date_line(lines):
            with_line += 1
            if doc.meta.published:
                dated += 1
                consistent += date_consistent(doc, lines)
            else:
                misses.append(f"# undated: {doc_id}")
        ok = _title_ok(doc, text.split("\n"), gold[doc_id])
        titles_ok += ok
        if not ok:
            misses.append(f"# title: {doc_id} gold line {gold[doc_id] or '-'} "
                          f"got {(doc.meta.title or '-')[:50]!r}")  # fmt: skip
    for line in misses[:40]:
        print(line)
    n = len(docs)
    print(f"ecbplus_articles={len(texts)} ecbplus_stored={n} "
          f"ecbplus_date_line_articles={with_line}")  # fmt: skip
    print(f"ecbplus_dated_share={dated / max(with_line, 1):.4f} ({dated}/{with_line})")
    print(f"ecbplus_date_consistent_share={consistent / max(dated, 1):.4f}")
    print(f"ecbplus_title_kept_share={titles_ok / n:.4f} ({titles_ok}/{n})")
    return {"ecbplus_dated_share": dated / max(with_line, 1),
            "ecbplus_title_kept_share": titles_ok / n}  # fmt: skip


def _headlines(path: Path) -> dict[str, set[int]]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or line.startswith("doc_id"):
            continue
        doc_id, lines = line.split("\t")
        out[doc_id] = {int(n) for n in lines.split(",") if n != "0"}
    return out


def _title_ok(doc: Document, lines: list[str], headline: set[int]) -> bool:
    """The headline is the title and stays out of the body; no other line was taken as
    the title (removed as ``title`` or ``duplicate-title``)."""
    taken = {r.line_no for r in doc.removed if r.reason in ("title", "duplicate-title")}
    if not headline:
        return doc.meta.title is None and not taken
    keys = {normalize_line(lines[n - 1]) for n in headline}
    return normalize_line(doc.meta.title or "") in keys and taken <= headline | {
        n for n, line in enumerate(lines, 1) if normalize_line(line) in keys
    }


# ----- CL-TLS ----------------------------------------------------------------------------

_BAD_OUTLET = re.compile(r"[.!?…;](?:\s|$)|[{}]|,")


def bench_cltls(folder: Path, db: Path) -> dict[str, float]:
    targets = sorted(str(p) for p in folder.glob("*/*") if p.is_dir() and p.name != "reference")
    ingest = IngestSettings(meta_from_path="{lang}/{topic}/{date}/{name}")
    settings = Settings(db=db, ingest=ingest)
    started = time.process_time()
    with app.open_store(settings) as store:
        report = app.ingest(store, targets, settings)
        rows = store.documents.list_documents(DocumentFilter())
        docs = [store.documents.get_document(r.id) for r in rows]
    cpu = time.process_time() - started
    from_folder = sum(
        d.meta.published == Path(d.origin).parent.name and d.meta.published_source == "path"
        for d in docs
    )
    print(f"cltls_inputs={report.total} cltls_accepted={report.accepted} "
          f"cltls_duplicates={report.duplicates} cltls_rejected={report.rejected}")  # fmt: skip
    print(f"# rejections: {dict(Counter(r.reason for r in report.rejections))}")
    dated_share = from_folder / max(len(docs), 1)
    print(f"cltls_dated_from_folder_share={dated_share:.4f} ({from_folder}/{len(docs)})")
    stored = [d.meta.outlet for d in docs if d.meta.outlet]
    stored_bad = sum(len(o) > 60 or bool(_BAD_OUTLET.search(o)) for o in stored)
    print(f"cltls_stored_outlets={len(stored)} cltls_stored_bad_outlets={stored_bad}")
    print(f"# ingest CPU (this process) {cpu:.1f} s for {report.total} inputs")
    near = seen = 0
    outlets: Counter[str] = Counter()
    bad = 0
    for d in docs:
        cleaned = clean_text(d.raw, language=d.language)
        if cleaned.meta.outlet:
            outlets[cleaned.meta.outlet] += 1
            bad += bool(len(cleaned.meta.outlet) > 60 or _BAD_OUTLET.search(cleaned.meta.outlet))
        if cleaned.meta.published:
            seen += 1
            folder_day = datetime.fromisoformat(Path(d.origin).parent.name)
            text_day = datetime.fromisoformat(cleaned.meta.published[:10])
            near += abs((text_day - folder_day).days) <= 2
    share = near / max(seen, 1)
    print(f"cltls_text_dated={seen} cltls_text_date_within_2_days_share={share:.4f} "
          "(held out: dates read from the text vs the folder day)")  # fmt: skip
    print(f"cltls_text_outlets={sum(outlets.values())} cltls_bad_outlets={bad} "
          f"# {dict(outlets.most_common(8))}")  # fmt: skip
    return {"cltls_dated_from_folder_share": dated_share, "cltls_bad_outlets": bad,
            "cltls_stored_bad_outlets": stored_bad}  # fmt: skip


# ----- demo corpus -----------------------------------------------------------------------


def _expected_demo(readme: Path) -> dict[str, tuple[str, str]]:
    """File name (or ``name#line``) -> (outlet, date) from the Files table."""
    out = {}
    for line in readme.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 8 or not re.fullmatch(r"A\d\d", cells[0]):
            continue
        name = re.sub(r"`|\s*\(line \d+\)", "", cells[1]).strip()
        out[name] = (cells[3], cells[5].split(" ")[0])
    return out


def _same_time(found: str | None, expected: str) -> bool:
    if not found:
        return False
    if "T" not in expected:
        return found[:10] == expected
    return datetime.fromisoformat(found) == datetime.fromisoformat(expected)


def bench_demo(folder: Path, db: Path) -> dict[str, float]:
    expected = _expected_demo(folder.parent / "README.md")
    settings = Settings(db=db)
    with app.open_store(settings) as store:
        app.ingest(store, [str(folder)], settings)
        rows = store.documents.list_documents(DocumentFilter())
        docs = [store.documents.get_document(r.id) for r in rows]
    dates = outlets = 0
    for d in docs:
        name = Path(d.origin).name
        outlet, day = expected[name]
        outlets += d.meta.outlet == outlet
        dates += _same_time(d.meta.published, day)
        if d.meta.outlet != outlet or not _same_time(d.meta.published, day):
            print(f"# demo: {name}: {d.meta.outlet!r} {d.meta.published} vs {outlet!r} {day}")
    n = len(expected)
    print(f"demo_articles={len(docs)} demo_dates_share={dates / n:.4f} ({dates}/{n}) "
          f"demo_outlets_share={outlets / n:.4f} ({outlets}/{n})")  # fmt: skip
    return {"demo_dates_share": dates / n, "demo_outlets_share": outlets / n}


# ----- SemEval as a Media Cloud CSV ----------------------------------------------------------

MEDIACLOUD_COLUMNS = ("id", "title", "text", "url", "publish_date", "media_name", "media_url",
                      "language")  # fmt: skip


def semeval_texts(path: Path) -> dict[str, tuple[str, str]]:
    texts: dict[str, tuple[str, str]] = {}
    for row in real_pairs(path):
        a, b = row["pair_id"].split("_")
        texts.setdefault(a, (row["lang1"], row["text1"]))
        texts.setdefault(b, (row["lang2"], row["text2"]))
    return texts


def _generated(k: int) -> tuple[str, str]:
    """A date (Media Cloud's format) and an outlet for row ``k``."""
    day = datetime(2020, 1 + k % 12, 1 + k % 28, k % 24, (7 * k) % 60)
    return day.strftime("%Y-%m-%d %H:%M:%S"), f"Generated Outlet {k % 40:02d}"


def write_mediacloud_csv(
    texts: dict[str, tuple[str, str]], path: Path
) -> dict[str, tuple[str, str]]:
    expected = {}
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(MEDIACLOUD_COLUMNS)
        for k, (doc_id, (lang, text)) in enumerate(texts.items()):
            date, outlet = _generated(k)
            title = text.split("\n", 1)[0].strip() if "\n" in text else ""
            slug = outlet.lower().replace(" ", "-")
            writer.writerow([doc_id, title, text, f"https://{slug}.example/{doc_id}", date,
                             outlet, f"https://{slug}.example/", lang])  # fmt: skip
            expected[doc_id] = (date.replace(" ", "T"), outlet)
    return expected


def bench_semeval(csv_path: Path, db: Path, work: Path) -> dict[str, float]:
    texts = semeval_texts(csv_path)
    table = work / "semeval-mediacloud.csv"
    expected = write_mediacloud_csv(texts, table)
    row_of = {f"{table}#{k}": doc_id for k, doc_id in enumerate(texts, start=1)}
    settings = Settings(db=db)
    with app.open_store(settings) as store:
        report = app.ingest(store, [str(table)], settings)
        rows = store.documents.list_documents(DocumentFilter())
        docs = [store.documents.get_document(r.id) for r in rows]
    dated = sum(expected[row_of[d.origin]][0] == d.meta.published for d in docs)
    named = sum(expected[row_of[d.origin]][1] == d.meta.outlet for d in docs)
    print(f"mediacloud_rows={len(texts)} mediacloud_accepted={report.accepted} "
          f"mediacloud_duplicates={report.duplicates} "
          f"mediacloud_rejected={report.rejected}")  # fmt: skip
    print(f"mediacloud_dated_share={dated / max(len(docs), 1):.4f} "
          f"mediacloud_outlet_share={named / max(len(docs), 1):.4f}")  # fmt: skip
    gold = {line.split("\t")[0]: line.split("\t")[1] for line in
            (ANNOTATIONS / "semeval_not_articles.tsv").read_text().splitlines()
            if line[:1].isdigit()}  # fmt: skip
    walls = {row_of[r.origin]: r for r in report.rejections if r.reason == "not-an-article"}
    other = Counter(r.reason for r in report.rejections if r.reason != "not-an-article")
    for doc_id in sorted(set(walls) | set(gold)):
        rej = walls.get(doc_id)
        mark = "ok" if (rej is not None) == (doc_id in gold) else "XX"
        why = rej.detail[:100] if rej else "not rejected"
        print(f"# {mark} {doc_id} gold={gold.get(doc_id, '-')}: {why}")
    caught = sum(doc_id in walls for doc_id in gold)
    false = sum(doc_id not in gold for doc_id in walls)
    print(f"# other rejections: {dict(other)}")
    share = caught / len(gold)
    print(f"semeval_walls_gold={len(gold)} semeval_walls_rejected={caught} "
          f"semeval_walls_rejected_share={share:.4f} semeval_false_walls={false}")  # fmt: skip
    return {"mediacloud_dated_share": dated / max(len(docs), 1),
            "mediacloud_outlet_share": named / max(len(docs), 1),
            "semeval_walls_rejected_share": share, "semeval_false_walls": false}  # fmt: skip


def bench_false_walls(rpm2: Path, scrapinghub: Path) -> None:
    """Pages of real articles rejected as not articles (held out: all are articles)."""
    texts = [p.read_text(encoding="utf-8-sig") for p in
             sorted((rpm2 / "Corpus_RPM2_documents").glob("*.txt"))]  # fmt: skip
    hits = sum(judge(clean_text(t).text) is not None for t in texts)
    import gzip

    from recoupe.clean.html import clean_html
    from recoupe.types import Metadata

    pages = sorted((scrapinghub / "html").glob("*.html.gz"))
    page_hits = []
    for p in pages:
        html = gzip.decompress(p.read_bytes()).decode("utf-8", "replace")
        if (v := judge(clean_html(html, Metadata()).text)) is not None:
            page_hits.append(f"{p.name}: {v.detail[:80]}")
    for hit in page_hits:
        print(f"# scrapinghub wall: {hit}")
    print(f"rpm2_false_walls={hits} (of {len(texts)}) "
          f"scrapinghub_false_walls={len(page_hits)} (of {len(pages)})")  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--ecbplus", type=Path, default=DATA / "clustering/ecbplus")
    ap.add_argument("--cltls", type=Path, default=DATA / "clustering/cl-tls")
    ap.add_argument("--semeval", type=Path,
                    default=DATA / "similarity/semeval2022_task8/training_set.csv")  # fmt: skip
    ap.add_argument("--demo", type=Path, default=REPO / "examples/corpus")
    ap.add_argument("--rpm2", type=Path, default=DATA / "summarization/rpm2")
    ap.add_argument("--scrapinghub", type=Path, default=DATA / "extraction/scrapinghub")
    args = ap.parse_args()
    got: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        got |= bench_ecbplus(args.ecbplus)
        got |= bench_demo(args.demo, work / "demo.db")
        got |= bench_cltls(args.cltls, work / "cltls.db")
        got |= bench_semeval(args.semeval, work / "semeval.db", work)
    bench_false_walls(args.rpm2, args.scrapinghub)
    failed = [f"{k}={got[k]:.4f} < {floor}" for k, floor in FLOORS.items() if got[k] < floor]
    failed += [f"{k}={got[k]} > {c}" for k, c in CEILINGS.items() if got[k] > c]
    for line in failed:
        print(f"FAIL {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
