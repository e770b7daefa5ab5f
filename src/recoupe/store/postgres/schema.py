"""PostgreSQL schema of the store, as an ordered list of migrations.

Same discipline as the SQLite schema (``store.schema``): migration ``i`` takes a store from
version ``i`` to ``i + 1``, the version lives in ``meta(key='schema_version')``, each
migration is one transaction, and a shipped migration is never edited. Version 1 is the
layout SQLite reached at its version 6, with PostgreSQL types:

* ``documents.num`` (identity) is the ingestion order; ``id`` the public key.
* Full-text search uses two ``tsvector`` columns with a GIN index each, computed by the
  server when a document is written: ``exact``, the words of title and text case- and
  accent-folded (``simple`` configuration: phrases and prefixes), and ``stems``, the
  same words stemmed by the text-search configuration of the article's language
  (``french``, ``english``...; ``simple`` for a language PostgreSQL has no configuration
  for), both as written and unaccented. Accents are folded in Python (the function
  SQLite's index uses), so no server extension is needed.
* Signatures, vectors, raw text (zlib) and packed sentences are ``bytea``.
* Identifiers, dates and keys that listings sort by are ``COLLATE "C"``: the order is
  the code-point order SQLite uses, whatever the server's default collation.
* A story's languages, outlets and entities are ``text[]``.
"""

from __future__ import annotations

from typing import Any

import psycopg

from recoupe.errors import StoreError

_V1 = """
CREATE TABLE meta (
    key   text PRIMARY KEY,
    value text NOT NULL
);

CREATE TABLE documents (
    num               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id                text COLLATE "C" NOT NULL UNIQUE,
    content_hash      text COLLATE "C" NOT NULL UNIQUE,
    origin            text NOT NULL,
    kind              text NOT NULL,
    is_html           boolean NOT NULL,
    url               text,
    outlet            text,
    outlet_key        text COLLATE "C",
    title             text,
    author            text,
    published         text COLLATE "C",
    fetched           text,
    language_declared text,
    language          text COLLATE "C",
    n_chars           integer NOT NULL,
    n_removed         integer NOT NULL,
    ingested          text NOT NULL,
    raw               bytea NOT NULL,
    text              text NOT NULL,
    sentences         bytea NOT NULL,
    exact             tsvector NOT NULL,
    stems             tsvector NOT NULL,
    CHECK (id = substr(content_hash, 1, 16))
);
CREATE INDEX documents_published_id ON documents (published DESC NULLS LAST, id);
CREATE INDEX documents_language_id ON documents (language, published DESC NULLS LAST, id);
CREATE INDEX documents_outlet_id ON documents (outlet_key, published DESC NULLS LAST, id);
CREATE INDEX documents_exact ON documents USING gin (exact);
CREATE INDEX documents_stems ON documents USING gin (stems);

-- The languages of the stored articles ('' for unknown): which stemmers a query word
-- goes through, read at every search (DISTINCT over documents would scan an index).
CREATE TABLE languages (
    language text COLLATE "C" PRIMARY KEY
);

CREATE TABLE removed_lines (
    doc_id     text COLLATE "C" NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    idx        integer NOT NULL,
    line_no    integer NOT NULL,
    text       text NOT NULL,
    reason     text NOT NULL,
    anchor     integer NOT NULL,
    is_caption boolean NOT NULL,
    PRIMARY KEY (doc_id, idx)
);

CREATE TABLE rejections (
    num      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    origin   text NOT NULL,
    reason   text NOT NULL,
    detail   text NOT NULL,
    recorded text NOT NULL,
    UNIQUE (origin, reason)
);

CREATE TABLE outlet_lines (
    outlet    text COLLATE "C" NOT NULL,
    line_hash text COLLATE "C" NOT NULL,
    doc_id    text COLLATE "C" NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    PRIMARY KEY (outlet, line_hash, doc_id)
);
CREATE INDEX outlet_lines_doc ON outlet_lines (doc_id);

CREATE TABLE signatures (
    doc_id text COLLATE "C" PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    sig    bytea NOT NULL
);

CREATE TABLE near_duplicates (
    a       text COLLATE "C" NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    b       text COLLATE "C" NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    jaccard double precision NOT NULL,
    exact   boolean NOT NULL,
    PRIMARY KEY (a, b),
    CHECK (a < b)
);
CREATE INDEX near_duplicates_b ON near_duplicates (b);

CREATE TABLE aligned_pairs (
    a       text COLLATE "C" NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    b       text COLLATE "C" NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    model   text NOT NULL,
    n_links integer NOT NULL,
    PRIMARY KEY (a, b),
    CHECK (a < b)
);
CREATE INDEX aligned_pairs_b ON aligned_pairs (b);

CREATE TABLE reuse_links (
    a       text COLLATE "C" NOT NULL,
    a_start integer NOT NULL,
    a_end   integer NOT NULL,
    b       text COLLATE "C" NOT NULL,
    b_start integer NOT NULL,
    b_end   integer NOT NULL,
    kind    text NOT NULL,
    score   double precision NOT NULL,
    PRIMARY KEY (a, b, a_start, b_start),
    FOREIGN KEY (a, b) REFERENCES aligned_pairs (a, b) ON DELETE CASCADE
);
CREATE INDEX reuse_links_b ON reuse_links (b, a);

CREATE TABLE origin_groups (
    doc_id    text COLLATE "C" PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    group_id  text COLLATE "C" NOT NULL,
    root      text,
    direction text NOT NULL
);
CREATE INDEX origin_groups_group ON origin_groups (group_id);

CREATE TABLE text_vectors (
    key  text PRIMARY KEY,  -- encoder name ':' sha1 of the encoded text
    data bytea NOT NULL
);

CREATE TABLE article_entities (
    doc_id  text COLLATE "C" NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    key     text COLLATE "C" NOT NULL,
    label   text NOT NULL,
    surface text NOT NULL,
    n       integer NOT NULL,
    PRIMARY KEY (doc_id, key)
);
CREATE INDEX article_entities_key ON article_entities (key);

CREATE TABLE entity_runs (
    doc_id text COLLATE "C" PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    model  text NOT NULL
);

CREATE TABLE article_text_entities (
    doc_id  text COLLATE "C" NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    key     text COLLATE "C" NOT NULL,
    label   text NOT NULL,
    surface text NOT NULL,
    n       integer NOT NULL,
    PRIMARY KEY (doc_id, key)
);

CREATE TABLE text_entity_runs (
    doc_id text COLLATE "C" PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    model  text NOT NULL
);

CREATE TABLE story_members (
    doc_id   text COLLATE "C" PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    story_id bigint NOT NULL,
    seq      bigint NOT NULL UNIQUE  -- position in the clustering stream
);
CREATE INDEX story_members_story ON story_members (story_id, seq);

CREATE TABLE stories (
    id         bigint PRIMARY KEY,
    title      text NOT NULL,
    first_day  text COLLATE "C",
    last_day   text COLLATE "C",
    languages  text[] NOT NULL,
    outlets    text[] NOT NULL,
    entities   text[] NOT NULL,
    n_articles integer NOT NULL,
    topic_id   bigint NOT NULL
);
CREATE INDEX stories_topic ON stories (topic_id);
CREATE INDEX stories_listing ON stories (last_day DESC NULLS LAST, n_articles DESC, id);

CREATE TABLE analyses (
    doc_id   text COLLATE "C" PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    analyser text NOT NULL,
    data     text NOT NULL  -- JSON: attributions and claims (store/analyses.py)
);

CREATE TABLE findings (
    story_id         bigint PRIMARY KEY,
    digest           text NOT NULL,
    words            integer NOT NULL,
    language         text,
    summary_words    integer NOT NULL,
    summary_language text,
    summary_update   integer NOT NULL
);

CREATE TABLE claim_groups (
    story_id        bigint NOT NULL REFERENCES findings (story_id) ON DELETE CASCADE,
    group_id        text COLLATE "C" NOT NULL,
    rank            integer NOT NULL,
    articles        text NOT NULL,
    origins         text NOT NULL,
    n_articles      integer NOT NULL,
    n_origins       integer NOT NULL,
    n_outlets       integer NOT NULL,
    n_languages     integer NOT NULL,
    n_sources       integer NOT NULL,
    sources         text NOT NULL,
    first_doc       text,
    first_published text,
    first_outlet    text,
    first_tied      text,
    PRIMARY KEY (story_id, group_id)
);

CREATE TABLE claim_mentions (
    story_id   bigint NOT NULL REFERENCES findings (story_id) ON DELETE CASCADE,
    group_id   text COLLATE "C" NOT NULL,
    k          integer NOT NULL,
    doc_id     text COLLATE "C" NOT NULL,
    span_start integer NOT NULL,
    span_end   integer NOT NULL,
    text       text NOT NULL,
    language   text,
    sources    text NOT NULL,
    published  text,
    outlet     text,
    attributed integer NOT NULL,
    direct     integer NOT NULL,
    PRIMARY KEY (story_id, group_id, k)
);
CREATE INDEX claim_mentions_doc ON claim_mentions (doc_id);

CREATE TABLE disagreements (
    story_id      bigint NOT NULL REFERENCES findings (story_id) ON DELETE CASCADE,
    k             integer NOT NULL,
    kind          text NOT NULL,
    status        text NOT NULL,
    left_value    text NOT NULL,
    right_value   text NOT NULL,
    group_a       text NOT NULL,
    group_b       text NOT NULL,
    a_doc         text NOT NULL,
    a_start       integer NOT NULL,
    a_end         integer NOT NULL,
    b_doc         text NOT NULL,
    b_start       integer NOT NULL,
    b_end         integer NOT NULL,
    a_value_start integer,
    a_value_end   integer,
    b_value_start integer,
    b_value_end   integer,
    a_day         text,
    b_day         text,
    PRIMARY KEY (story_id, k)
);

CREATE TABLE unique_mentions (
    story_id   bigint NOT NULL REFERENCES findings (story_id) ON DELETE CASCADE,
    doc_id     text COLLATE "C" NOT NULL,
    k          integer NOT NULL,
    span_start integer NOT NULL,
    span_end   integer NOT NULL,
    PRIMARY KEY (story_id, doc_id, k)
);

CREATE TABLE summary_sentences (
    story_id   bigint NOT NULL REFERENCES findings (story_id) ON DELETE CASCADE,
    k          integer NOT NULL,
    doc_id     text NOT NULL,
    span_start integer NOT NULL,
    span_end   integer NOT NULL,
    text       text NOT NULL,
    language   text,
    origins    integer NOT NULL,
    score      double precision NOT NULL,
    PRIMARY KEY (story_id, k)
);

CREATE TABLE summary_citations (
    story_id   bigint NOT NULL REFERENCES findings (story_id) ON DELETE CASCADE,
    sentence   integer NOT NULL,
    k          integer NOT NULL,
    doc_id     text NOT NULL,
    span_start integer NOT NULL,
    span_end   integer NOT NULL,
    kind       text NOT NULL,
    PRIMARY KEY (story_id, sentence, k)
);

CREATE TABLE summary_disputes (
    story_id    bigint NOT NULL REFERENCES findings (story_id) ON DELETE CASCADE,
    sentence    integer NOT NULL,
    k           integer NOT NULL,
    kind        text NOT NULL,
    left_value  text NOT NULL,
    right_value text NOT NULL,
    a_doc       text NOT NULL,
    b_doc       text NOT NULL,
    PRIMARY KEY (story_id, sentence, k)
);
"""

# Version 2 (issue 18, as SQLite's version 8): how precise the publication date is and
# where it and the outlet were read. For articles stored before, the precision is read
# from the stored date's form (``store.schema.stored_precision``); the sources stay NULL.
_V2 = r"""
ALTER TABLE documents ADD COLUMN published_precision text;
ALTER TABLE documents ADD COLUMN published_source text;
ALTER TABLE documents ADD COLUMN outlet_source text;
UPDATE documents SET published_precision = CASE
    WHEN published ~ '^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}' THEN 'second'
    WHEN published ~ '^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}' THEN 'minute'
    WHEN published ~ '^\d{4}-\d{2}-\d{2}' THEN 'day'
END WHERE published IS NOT NULL;
"""

# Version 3: the one-line overview of each story's findings beside them (as SQLite's
# version 7), so a story list reads it without every story's findings. Findings stored
# before keep zeros until their story is corroborated again.
_V3 = """
ALTER TABLE findings ADD COLUMN claimed_articles integer NOT NULL DEFAULT 0;
ALTER TABLE findings ADD COLUMN origins integer NOT NULL DEFAULT 0;
ALTER TABLE findings ADD COLUMN claims integer NOT NULL DEFAULT 0;
ALTER TABLE findings ADD COLUMN disputed integer NOT NULL DEFAULT 0;
ALTER TABLE findings ADD COLUMN lead text;
"""

#: Ordered migrations; ``MIGRATIONS[i]`` upgrades version ``i`` to ``i + 1``.
MIGRATIONS: tuple[str, ...] = (_V1, _V2, _V3)

#: The schema version this code writes and understands.
SCHEMA_VERSION = len(MIGRATIONS)

Connection = psycopg.Connection[tuple[Any, ...]]


def schema_version(conn: Connection, label: str) -> int:
    """The store's version (0: no recoupe tables in the current schema yet). StoreError
    for a schema holding other tables, or written by a newer recoupe."""
    row = conn.execute(
        "SELECT to_regclass('meta') IS NOT NULL, (SELECT count(*) FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind = 'r')"
    ).fetchone()
    assert row is not None
    has_meta, n_tables = row
    if not has_meta:
        if n_tables:
            raise StoreError(f"{label} holds tables of another application, not a recoupe store")
        return 0
    found = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if found is None or not str(found[0]).isdigit():
        raise StoreError(f"{label}: schema version is missing or corrupt")
    version = int(str(found[0]))
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{label} has schema version {version}, newer than this recoupe understands "
            f"({SCHEMA_VERSION}); upgrade recoupe to open it"
        )
    return version


def migrate(conn: Connection, label: str, create: bool = True) -> None:
    """Apply pending migrations, one transaction each, under a transaction-scoped
    advisory lock keyed by the schema (``conn`` in autocommit mode). ``create=False``
    refuses a schema with no store yet (a reader pointed at the wrong place)."""
    if conn.execute("SELECT current_schema()").fetchone() == (None,):
        raise StoreError(f"{label}: no schema to create the store in (check search_path)")
    if not create and schema_version(conn, label) == 0:
        raise StoreError(f"no store at {label}: create one with `recoupe ingest`")
    while schema_version(conn, label) < SCHEMA_VERSION:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(hashtext('recoupe:' || current_schema()))")
            version = schema_version(conn, label)
            if version == SCHEMA_VERSION:
                return
            conn.execute(MIGRATIONS[version].encode())
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('schema_version', %s) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (str(version + 1),),
            )


def text_configs(conn: Connection) -> frozenset[str]:
    """The text-search configurations the server has (``french``, ``english``...)."""
    return frozenset(str(r[0]) for r in conn.execute("SELECT cfgname FROM pg_ts_config"))
