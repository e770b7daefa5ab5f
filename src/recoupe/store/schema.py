"""SQLite schema of the store, as an ordered list of migrations.

Migration ``i`` (0-based) takes a store from schema version ``i`` to ``i + 1``; the version
lives in ``meta(key='schema_version')``. Each migration is applied in its own transaction,
so a crash mid-way leaves the store at the previous version, never half-migrated. Never edit
a migration that has shipped: append a new one (stores in the wild already ran the old one).

Layout choices:

* ``documents.num`` is an explicit ``INTEGER PRIMARY KEY``: the external-content FTS index
  refers to documents by rowid, and only an explicit integer key survives ``VACUUM``.
  ``id`` (first 16 hex digits of ``content_hash``) is the public key, ``UNIQUE``.
* Small columns come first and the big ones (``raw``, ``text``, ``sentences``) last, so a
  listing reads no overflow pages.
* Sentences are one BLOB of little-endian uint32 ``start, end`` pairs. Measured on 3,000
  documents x 40 sentences: 29 ms vs 316 ms to write, 1.2 MB vs 4.1 MB, reads 1.6x faster
  than one row per sentence; and a document's sentences are always read all together.
* ``outlet_key`` is ``casefold(outlet)`` computed in Python, so filtering by outlet is
  case-insensitive for every script (SQLite's NOCASE only folds ASCII).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from recoupe.errors import StoreError
from recoupe.store.stemming import stems_of

#: Marks the file as a recoupe store (``PRAGMA application_id``), so another application's
#: SQLite database is refused instead of being migrated.
APPLICATION_ID = 0x72637065  # "rcpe"

_V1 = """
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE documents (
    num               INTEGER PRIMARY KEY,
    id                TEXT NOT NULL UNIQUE,
    content_hash      TEXT NOT NULL UNIQUE,
    origin            TEXT NOT NULL,
    kind              TEXT NOT NULL,
    is_html           INTEGER NOT NULL CHECK (is_html IN (0, 1)),
    url               TEXT,
    outlet            TEXT,
    outlet_key        TEXT,
    title             TEXT,
    author            TEXT,
    published         TEXT,
    fetched           TEXT,
    language_declared TEXT,
    language          TEXT,
    n_chars           INTEGER NOT NULL,
    n_removed         INTEGER NOT NULL,
    ingested          TEXT NOT NULL,
    raw               BLOB NOT NULL,
    text              TEXT NOT NULL,
    sentences         BLOB NOT NULL,
    CHECK (id = substr(content_hash, 1, 16))
);
CREATE INDEX documents_language ON documents (language, published);
CREATE INDEX documents_outlet ON documents (outlet_key, published);
CREATE INDEX documents_published ON documents (published);

CREATE TABLE removed_lines (
    doc_id     TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    line_no    INTEGER NOT NULL,
    text       TEXT NOT NULL,
    reason     TEXT NOT NULL,
    anchor     INTEGER NOT NULL,
    is_caption INTEGER NOT NULL CHECK (is_caption IN (0, 1)),
    PRIMARY KEY (doc_id, idx)
) WITHOUT ROWID;

CREATE TABLE rejections (
    num      INTEGER PRIMARY KEY,
    origin   TEXT NOT NULL,
    reason   TEXT NOT NULL,
    detail   TEXT NOT NULL,
    recorded TEXT NOT NULL,
    UNIQUE (origin, reason)
);

CREATE TABLE outlet_lines (
    outlet    TEXT NOT NULL,
    line_hash TEXT NOT NULL,
    doc_id    TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE
                  DEFERRABLE INITIALLY DEFERRED,
    PRIMARY KEY (outlet, line_hash, doc_id)
) WITHOUT ROWID;
CREATE INDEX outlet_lines_doc ON outlet_lines (doc_id);

CREATE VIRTUAL TABLE documents_fts USING fts5 (
    title, text,
    content = 'documents', content_rowid = 'num',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts (rowid, title, text) VALUES (new.num, new.title, new.text);
END;
CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, title, text)
        VALUES ('delete', old.num, old.title, old.text);
END;
CREATE TRIGGER documents_fts_update AFTER UPDATE OF title, text ON documents BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, title, text)
        VALUES ('delete', old.num, old.title, old.text);
    INSERT INTO documents_fts (rowid, title, text) VALUES (new.num, new.title, new.text);
END;
"""

# Version 2: copies and text reuse. Everything here is derived from documents and can be
# recomputed; it is keyed by document id and cascades when a document goes. Vectors and
# signatures are BLOBs (numpy arrays serialised by the pipeline): the store needs no numpy.
_V2 = """
CREATE TABLE signatures (
    doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    sig    BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE vectors (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    kind   TEXT NOT NULL,  -- 'doc' (title + lead) or 'sentences'
    model  TEXT NOT NULL,
    data   BLOB NOT NULL,
    PRIMARY KEY (doc_id, kind, model)
) WITHOUT ROWID;

CREATE TABLE near_duplicates (
    a       TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    b       TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    jaccard REAL NOT NULL,
    exact   INTEGER NOT NULL,
    PRIMARY KEY (a, b),
    CHECK (a < b)
) WITHOUT ROWID;

CREATE TABLE aligned_pairs (
    a       TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    b       TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    model   TEXT NOT NULL,
    n_links INTEGER NOT NULL,
    PRIMARY KEY (a, b),
    CHECK (a < b)
) WITHOUT ROWID;

CREATE TABLE reuse_links (
    a       TEXT NOT NULL,
    a_start INTEGER NOT NULL,
    a_end   INTEGER NOT NULL,
    b       TEXT NOT NULL,
    b_start INTEGER NOT NULL,
    b_end   INTEGER NOT NULL,
    kind    TEXT NOT NULL,
    score   REAL NOT NULL,
    PRIMARY KEY (a, b, a_start, b_start),
    FOREIGN KEY (a, b) REFERENCES aligned_pairs(a, b) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX reuse_links_b ON reuse_links (b, a);

CREATE TABLE origin_groups (
    doc_id    TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    group_id  TEXT NOT NULL,
    root      TEXT,
    direction TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX origin_groups_group ON origin_groups (group_id);
"""

# Version 3: article-listing indexes that also order by id (newest first, paged without a
# sort), then stories, entities and attribution. Derived data again: entity rows and
# analyses are per document (cascade), story membership keeps the clustering stream's
# order (``seq``) so an incremental run can replay it, and stories/topics are rewritten
# from the members after each run. ``text_vectors`` caches encoder vectors by model and
# text digest, so a rebuild or an identical lead never re-encodes.
_V3 = """
CREATE INDEX documents_published_id ON documents (published DESC, id);
CREATE INDEX documents_language_id ON documents (language, published DESC, id);
CREATE INDEX documents_outlet_id ON documents (outlet_key, published DESC, id);
DROP INDEX IF EXISTS documents_published;
DROP INDEX documents_language;
DROP INDEX documents_outlet;

CREATE TABLE text_vectors (
    key  TEXT PRIMARY KEY,  -- encoder name ':' sha1 of the encoded text
    data BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE article_entities (
    doc_id  TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    key     TEXT NOT NULL,  -- canonical key: country:FR, place:<geonameid>, name:<folded>
    label   TEXT NOT NULL,  -- NER label of the most frequent surface
    surface TEXT NOT NULL,  -- the most frequent (then longest) surface form
    n       INTEGER NOT NULL,
    PRIMARY KEY (doc_id, key)
) WITHOUT ROWID;
CREATE INDEX article_entities_key ON article_entities (key);

CREATE TABLE entity_runs (
    doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    model  TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE story_members (
    doc_id   TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    story_id INTEGER NOT NULL,
    seq      INTEGER NOT NULL  -- position in the clustering stream
) WITHOUT ROWID;
CREATE INDEX story_members_story ON story_members (story_id, seq);
CREATE UNIQUE INDEX story_members_seq ON story_members (seq);

CREATE TABLE stories (
    id         INTEGER PRIMARY KEY,
    title      TEXT NOT NULL,
    first_day  TEXT,
    last_day   TEXT,
    languages  TEXT NOT NULL,  -- JSON array
    outlets    TEXT NOT NULL,  -- JSON array
    entities   TEXT NOT NULL,  -- JSON array of canonical keys, most frequent first
    n_articles INTEGER NOT NULL,
    topic_id   INTEGER NOT NULL
);
CREATE INDEX stories_topic ON stories (topic_id);
CREATE INDEX stories_last ON stories (last_day);

CREATE TABLE story_findings (
    story_id INTEGER PRIMARY KEY,
    digest   TEXT NOT NULL,  -- members + analyser + options: stale when it changes
    data     TEXT NOT NULL   -- JSON: claim groups, disagreements, unique content, summary
);

CREATE TABLE analyses (
    doc_id   TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    analyser TEXT NOT NULL,  -- version tag of the attribution analysis
    data     TEXT NOT NULL   -- JSON: attributions and claims (see store/analyses.py)
) WITHOUT ROWID;
"""

# Version 4: entities of each article's *whole* text, for what a story shows (its main
# actors are often named only after the lead). Kept apart from ``article_entities`` (the
# lead entities clustering reads) so the clustering features do not change with it.
_V4 = """
CREATE TABLE article_text_entities (
    doc_id  TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    key     TEXT NOT NULL,  -- canonical key, as in article_entities
    label   TEXT NOT NULL,  -- the label most mentions carry
    surface TEXT NOT NULL,  -- the most frequent (then longest) surface form
    n       INTEGER NOT NULL,
    PRIMARY KEY (doc_id, key)
) WITHOUT ROWID;

CREATE TABLE text_entity_runs (
    doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    model  TEXT NOT NULL
) WITHOUT ROWID;
"""

# Version 5: a story's findings in tables of their own (``store.findings_codec``), read
# by the CLI, the web UI and the exports through one codec, instead of one JSON document
# per story. Findings are derived data: the old JSON is dropped, and a story's findings
# are computed again when it is next corroborated.
_V5 = """
DROP TABLE story_findings;
DROP TABLE vectors;  -- sentence and lead vectors now live in text_vectors only

CREATE TABLE findings (
    story_id         INTEGER PRIMARY KEY,
    digest           TEXT NOT NULL,  -- members + analyser + options: stale when it changes
    words            INTEGER NOT NULL,
    language         TEXT,
    summary_words    INTEGER NOT NULL,
    summary_language TEXT,
    summary_update   INTEGER NOT NULL
);

CREATE TABLE claim_groups (
    story_id        INTEGER NOT NULL REFERENCES findings(story_id) ON DELETE CASCADE,
    group_id        TEXT NOT NULL,
    rank            INTEGER NOT NULL,  -- position in the story (most supported first)
    articles        TEXT NOT NULL,     -- JSON list of article ids
    origins         TEXT NOT NULL,     -- JSON list of lists: the independent origins
    n_articles      INTEGER NOT NULL,
    n_origins       INTEGER NOT NULL,
    n_outlets       INTEGER NOT NULL,
    n_languages     INTEGER NOT NULL,
    n_sources       INTEGER NOT NULL,
    sources         TEXT NOT NULL,     -- JSON list of [key, name, anonymous, kind]
    first_doc       TEXT,
    first_published TEXT,
    first_outlet    TEXT,
    first_tied      TEXT,              -- JSON list of article ids
    PRIMARY KEY (story_id, group_id)
);

CREATE TABLE claim_mentions (
    story_id   INTEGER NOT NULL REFERENCES findings(story_id) ON DELETE CASCADE,
    group_id   TEXT NOT NULL,
    k          INTEGER NOT NULL,
    doc_id     TEXT NOT NULL,
    span_start INTEGER NOT NULL,
    span_end   INTEGER NOT NULL,
    text       TEXT NOT NULL,
    language   TEXT,
    sources    TEXT NOT NULL,
    published  TEXT,
    outlet     TEXT,
    attributed INTEGER NOT NULL,
    direct     INTEGER NOT NULL,
    PRIMARY KEY (story_id, group_id, k)
);
CREATE INDEX claim_mentions_doc ON claim_mentions (doc_id);

CREATE TABLE disagreements (
    story_id      INTEGER NOT NULL REFERENCES findings(story_id) ON DELETE CASCADE,
    k             INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    status        TEXT NOT NULL,
    left_value    TEXT NOT NULL,
    right_value   TEXT NOT NULL,
    group_a       TEXT NOT NULL,
    group_b       TEXT NOT NULL,
    a_doc         TEXT NOT NULL,
    a_start       INTEGER NOT NULL,
    a_end         INTEGER NOT NULL,
    b_doc         TEXT NOT NULL,
    b_start       INTEGER NOT NULL,
    b_end         INTEGER NOT NULL,
    a_value_start INTEGER,
    a_value_end   INTEGER,
    b_value_start INTEGER,
    b_value_end   INTEGER,
    a_day         TEXT,
    b_day         TEXT,
    PRIMARY KEY (story_id, k)
);

CREATE TABLE unique_mentions (
    story_id   INTEGER NOT NULL REFERENCES findings(story_id) ON DELETE CASCADE,
    doc_id     TEXT NOT NULL,
    k          INTEGER NOT NULL,
    span_start INTEGER NOT NULL,
    span_end   INTEGER NOT NULL,
    PRIMARY KEY (story_id, doc_id, k)
);

CREATE TABLE summary_sentences (
    story_id   INTEGER NOT NULL REFERENCES findings(story_id) ON DELETE CASCADE,
    k          INTEGER NOT NULL,
    doc_id     TEXT NOT NULL,
    span_start INTEGER NOT NULL,
    span_end   INTEGER NOT NULL,
    text       TEXT NOT NULL,
    language   TEXT,
    origins    INTEGER NOT NULL,
    score      REAL NOT NULL,
    PRIMARY KEY (story_id, k)
);

CREATE TABLE summary_citations (
    story_id   INTEGER NOT NULL REFERENCES findings(story_id) ON DELETE CASCADE,
    sentence   INTEGER NOT NULL,
    k          INTEGER NOT NULL,
    doc_id     TEXT NOT NULL,
    span_start INTEGER NOT NULL,
    span_end   INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    PRIMARY KEY (story_id, sentence, k)
);

CREATE TABLE summary_disputes (
    story_id    INTEGER NOT NULL REFERENCES findings(story_id) ON DELETE CASCADE,
    sentence    INTEGER NOT NULL,
    k           INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    left_value  TEXT NOT NULL,
    right_value TEXT NOT NULL,
    a_doc       TEXT NOT NULL,
    b_doc       TEXT NOT NULL,
    PRIMARY KEY (story_id, sentence, k)
);
"""

# Version 6: stemmed full-text search. ``documents.stems`` holds each article's title and
# text words stemmed for its language (``store.stemming``, computed in Python when a
# document is written), and the index covers it beside the exact title and text. The
# column of the articles already stored is filled in Python between the two scripts,
# before the new index exists, and the index is then built once.
_V6_BEFORE = """
DROP TRIGGER documents_fts_insert;
DROP TRIGGER documents_fts_delete;
DROP TRIGGER documents_fts_update;
DROP TABLE documents_fts;
ALTER TABLE documents ADD COLUMN stems TEXT NOT NULL DEFAULT '';
"""

_V6_AFTER = """
CREATE VIRTUAL TABLE documents_fts USING fts5 (
    title, text, stems,
    content = 'documents', content_rowid = 'num',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts (rowid, title, text, stems)
        VALUES (new.num, new.title, new.text, new.stems);
END;
CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, title, text, stems)
        VALUES ('delete', old.num, old.title, old.text, old.stems);
END;
CREATE TRIGGER documents_fts_update AFTER UPDATE OF title, text, stems ON documents BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, title, text, stems)
        VALUES ('delete', old.num, old.title, old.text, old.stems);
    INSERT INTO documents_fts (rowid, title, text, stems)
        VALUES (new.num, new.title, new.text, new.stems);
END;
INSERT INTO documents_fts (documents_fts) VALUES ('rebuild');
"""


# Version 7: a one-line overview of each story's findings beside them (independent
# origins of the articles carrying claims, claims, disputed claims, the summary's first
# sentence), so a story list shows them without reading every story's findings. Filled
# from the stored findings through the codec.
_V7_BEFORE = """
ALTER TABLE findings ADD COLUMN claimed_articles INTEGER NOT NULL DEFAULT 0;
ALTER TABLE findings ADD COLUMN origins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE findings ADD COLUMN claims INTEGER NOT NULL DEFAULT 0;
ALTER TABLE findings ADD COLUMN disputed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE findings ADD COLUMN lead TEXT;
"""


def _fill_overviews(conn: sqlite3.Connection) -> None:
    """The overview columns of every stored story's findings (inside the migration's
    transaction), computed from the findings as the codec reads them."""
    from recoupe.store.findings_codec import COLUMNS, ORDER, TABLES, decode
    from recoupe.types import findings_overview

    ids = [r[0] for r in conn.execute("SELECT story_id FROM findings ORDER BY story_id")]
    for story_id in ids:
        rows = {}
        for table in TABLES:
            cols = COLUMNS[table] if table != "findings" else COLUMNS[table][:7]
            order = f" ORDER BY {ORDER[table]}" if table in ORDER else ""
            rows[table] = conn.execute(
                f"SELECT {', '.join(cols)} FROM {table} WHERE story_id = ?{order}", (story_id,)
            ).fetchall()
        o = findings_overview(decode(rows))
        conn.execute(
            "UPDATE findings SET claimed_articles = ?, origins = ?, claims = ?, disputed = ?,"
            " lead = ? WHERE story_id = ?",
            (o.articles, o.origins, o.claims, o.disputed, o.lead, story_id),
        )


def _fill_stems(conn: sqlite3.Connection) -> None:
    """``documents.stems`` of every stored article, in batches (inside the migration's
    transaction)."""
    last = 0
    while rows := conn.execute(
        "SELECT num, title, text, language FROM documents WHERE num > ? ORDER BY num LIMIT 1000",
        (last,),
    ).fetchall():
        conn.executemany(
            "UPDATE documents SET stems = ? WHERE num = ?",
            [(stems_of(f"{title or ''}\n{text}", lang), num) for num, title, text, lang in rows],
        )
        last = rows[-1][0]


@dataclass(frozen=True, slots=True)
class Migration:
    """A migration that needs Python between two scripts (one transaction for all)."""

    before: str
    fill: Callable[[sqlite3.Connection], None]
    after: str


# Version 8: metadata you can rely on (issue 18): how precise the publication date is
# ("day", "minute", "second") and where it was read ("metadata", "sidecar", "path", "page",
# "url", "dateline"), and where the outlet was read. Added columns; for articles stored
# before, the precision is read from the stored date's own form (a date alone is "day")
# and both sources stay NULL (where they came from is unknown).
_V8_BEFORE = """
ALTER TABLE documents ADD COLUMN published_precision TEXT;
ALTER TABLE documents ADD COLUMN published_source TEXT;
ALTER TABLE documents ADD COLUMN outlet_source TEXT;
"""

_STORED_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ](\d{2}):(\d{2})(:\d{2})?)?")


def stored_precision(published: str) -> str | None:
    """The precision a stored ISO 8601 date shows by its form (None: not a full date)."""
    match = _STORED_DATE.match(published)
    if match is None:
        return None
    if match.group(1) is None:
        return "day"
    return "second" if match.group(3) else "minute"


def _fill_precision(conn: sqlite3.Connection) -> None:
    """``documents.published_precision`` of the articles already stored, from their dates."""
    rows = conn.execute(
        "SELECT num, published FROM documents WHERE published IS NOT NULL"
    ).fetchall()
    conn.executemany(
        "UPDATE documents SET published_precision = ? WHERE num = ?",
        [(stored_precision(published), num) for num, published in rows],
    )


#: Ordered migrations; ``MIGRATIONS[i]`` upgrades version ``i`` to ``i + 1``.
MIGRATIONS: tuple[str | Migration, ...] = (
    _V1, _V2, _V3, _V4, _V5, Migration(_V6_BEFORE, _fill_stems, _V6_AFTER),
    Migration(_V7_BEFORE, _fill_overviews, ""),
    Migration(_V8_BEFORE, _fill_precision, ""),
)  # fmt: skip

#: The schema version this code writes and understands.
SCHEMA_VERSION = len(MIGRATIONS)


def statements(script: str) -> Iterator[str]:
    """Split a script into complete SQL statements (trigger bodies stay whole).

    ``Connection.executescript`` would do this, but it commits any open transaction first,
    which would break "one migration = one transaction" under concurrent openers.
    """
    buf = ""
    for piece in script.split(";"):
        buf += piece + ";"
        if sqlite3.complete_statement(buf):
            if buf.strip(" \t\r\n;"):
                yield buf.strip()
            buf = ""
    if buf.strip(" \t\r\n;"):
        raise ValueError(f"incomplete SQL statement in migration: {buf.strip()[:60]!r}")


def schema_version(conn: sqlite3.Connection, label: str) -> int:
    """The store's schema version (0 for a new, empty file). StoreError if the file is
    another application's database or was written by a newer recoupe."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    has_meta = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
    ).fetchone()
    n_objects = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if app_id not in (0, APPLICATION_ID) or (has_meta is None and n_objects):
        raise StoreError(
            f"{label} is a SQLite database of another application, not a recoupe store"
        )
    if has_meta is None:
        return 0
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if row is None or not str(row[0]).isdigit():
        raise StoreError(f"{label}: schema version is missing or corrupt")
    version = int(row[0])
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{label} has schema version {version}, newer than this recoupe understands "
            f"({SCHEMA_VERSION}); upgrade recoupe to open it"
        )
    return version


def _apply(conn: sqlite3.Connection, migration: str | Migration) -> None:
    if isinstance(migration, str):
        migration = Migration(migration, lambda _: None, "")
    for stmt in statements(migration.before):
        conn.execute(stmt)
    migration.fill(conn)
    for stmt in statements(migration.after):
        conn.execute(stmt)


def migrate(conn: sqlite3.Connection, label: str) -> None:
    """Apply pending migrations, one transaction each (``conn`` must be in autocommit
    mode). The version is re-read under the write lock, so two processes opening a new
    store at once migrate it once."""
    if schema_version(conn, label) == SCHEMA_VERSION:
        return
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = schema_version(conn, label)
            if version == SCHEMA_VERSION:
                conn.execute("COMMIT")
                return
            _apply(conn, MIGRATIONS[version])
            if version == 0:
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)",
                (str(version + 1),),
            )
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
