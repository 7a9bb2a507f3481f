"""The store's schema: the one module that owns it.

Tables are declared here, grouped by the stage that fills them.  Migration is two-part:

* additive changes are automatic: a table that is missing is created and a column that is
  missing is added (``ALTER TABLE … ADD COLUMN``), so adding a table or a nullable column
  needs no migration step;
* anything else (renames, type changes, data rewrites) is a numbered step in
  :data:`MIGRATIONS`, run once when a store older than :data:`SCHEMA_VERSION` is opened.

Every extracted-item table carries the provenance columns ``doc_id, start, "end", stage,
stage_version, confidence`` (see :class:`storyline.records.Span`).
"""

from __future__ import annotations

SCHEMA_VERSION = 3

#: provenance columns shared by every table of extracted spans
SPAN = """
    doc_id TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    stage TEXT NOT NULL,
    stage_version TEXT NOT NULL,
    confidence REAL
"""

TABLES: dict[str, str] = {
    # --- store itself -------------------------------------------------------------------
    "meta": "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)",
    "runs": """CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        command TEXT, started_at TEXT, finished_at TEXT, status TEXT,
        stages TEXT, counts TEXT)""",
    # --- ingest -------------------------------------------------------------------------
    # raw bytes exactly as received (zlib-compressed), keyed by their sha256
    "raw_inputs": """CREATE TABLE raw_inputs (
        sha256 TEXT PRIMARY KEY,
        source TEXT, content_type TEXT, size INTEGER, compressed BLOB, received_at TEXT)""",
    # the current version of each document
    "documents": """CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        version INTEGER NOT NULL DEFAULT 1,
        source_key TEXT NOT NULL UNIQUE,
        source TEXT,
        raw_sha256 TEXT,
        content_sha256 TEXT NOT NULL,
        format TEXT,
        title TEXT, authors TEXT, published TEXT, published_precision TEXT,
        outlet TEXT, outlet_inferred INTEGER DEFAULT 0,
        kind TEXT, language TEXT, section TEXT,
        original_outlet TEXT, carrier TEXT, syndicated_from TEXT,
        clean_text TEXT NOT NULL,
        offsets TEXT,
        removed TEXT,
        meta TEXT,
        ingested_at TEXT, updated_at TEXT,
        stage TEXT, stage_version TEXT)""",
    "document_versions": """CREATE TABLE document_versions (
        doc_id TEXT NOT NULL, version INTEGER NOT NULL,
        raw_sha256 TEXT, content_sha256 TEXT NOT NULL, clean_text TEXT, ingested_at TEXT,
        PRIMARY KEY (doc_id, version))""",
    "skips": """CREATE TABLE skips (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        source TEXT, stage TEXT, error TEXT, reason TEXT, at TEXT)""",
    "comments": f"""CREATE TABLE comments (
        id TEXT PRIMARY KEY,
        idx INTEGER NOT NULL,
        author TEXT, location TEXT, text TEXT,
        quotes_comment_id TEXT, quoted_text TEXT,
        {SPAN})""",
    # --- nlp ----------------------------------------------------------------------------
    "sentences": f"""CREATE TABLE sentences (
        id TEXT PRIMARY KEY, idx INTEGER NOT NULL, text TEXT, {SPAN})""",
    "nlp_cache": """CREATE TABLE nlp_cache (
        doc_id TEXT PRIMARY KEY, content_sha256 TEXT, model TEXT, docbin BLOB)""",
    "timexes": f"""CREATE TABLE timexes (
        id TEXT PRIMARY KEY, text TEXT,
        value_start TEXT, value_end TEXT, precision TEXT, anchor TEXT, {SPAN})""",
    "quotes": f"""CREATE TABLE quotes (
        id TEXT PRIMARY KEY,
        text TEXT, kind TEXT,
        speaker_text TEXT, speaker_start INTEGER, speaker_end INTEGER, speaker_actor_id TEXT,
        anonymous INTEGER DEFAULT 0,
        cue TEXT, cue_start INTEGER, cue_end INTEGER,
        reported_by TEXT, comment_id TEXT,
        {SPAN})""",
    # --- actors -------------------------------------------------------------------------
    "actors": """CREATE TABLE actors (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL, type TEXT, country TEXT, sector TEXT, role TEXT,
        kb_id TEXT, aliases TEXT, meta TEXT,
        n_mentions INTEGER DEFAULT 0, n_docs INTEGER DEFAULT 0)""",
    "mentions": f"""CREATE TABLE mentions (
        id TEXT PRIMARY KEY,
        text TEXT, label TEXT, actor_id TEXT, actor_name TEXT, kind TEXT,
        role TEXT, country TEXT, sector TEXT,
        {SPAN})""",
    # --- geo ----------------------------------------------------------------------------
    "places": f"""CREATE TABLE places (
        id TEXT PRIMARY KEY,
        text TEXT, geonameid INTEGER, name TEXT, country TEXT, admin1 TEXT,
        lat REAL, lon REAL, feature_class TEXT, feature_code TEXT, population INTEGER,
        is_focus INTEGER DEFAULT 0, zones TEXT, kind TEXT, radius_km REAL,
        {SPAN})""",
    "zones": """CREATE TABLE zones (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, geometry TEXT NOT NULL,
        description TEXT, created_at TEXT)""",
    # --- events -------------------------------------------------------------------------
    "events": f"""CREATE TABLE events (
        id TEXT PRIMARY KEY,
        sentence TEXT, trigger TEXT, trigger_start INTEGER, trigger_end INTEGER,
        type TEXT NOT NULL, mode TEXT, context TEXT, cameo TEXT,
        score REAL, goldstein REAL,
        source_ids TEXT, source_text TEXT, source_countries TEXT, source_sectors TEXT,
        target_ids TEXT, target_text TEXT, target_countries TEXT, target_sectors TEXT,
        modality TEXT,
        date_start TEXT, date_end TEXT, date_precision TEXT, date_from TEXT,
        place_id TEXT, place_name TEXT, lat REAL, lon REAL, country TEXT, zones TEXT,
        reported_by TEXT, origin TEXT,
        {SPAN})""",
    # --- fuse ---------------------------------------------------------------------------
    "stories": """CREATE TABLE stories (
        id TEXT PRIMARY KEY, parent_id TEXT, label TEXT, keywords TEXT,
        first_date TEXT, last_date TEXT, size INTEGER, stage TEXT, stage_version TEXT)""",
    "story_docs": """CREATE TABLE story_docs (
        story_id TEXT NOT NULL, doc_id TEXT NOT NULL, score REAL,
        PRIMARY KEY (story_id, doc_id))""",
    "copies": """CREATE TABLE copies (
        doc_id TEXT NOT NULL, other_doc_id TEXT NOT NULL, relation TEXT NOT NULL,
        score REAL, passages TEXT, stage TEXT, stage_version TEXT,
        PRIMARY KEY (doc_id, other_doc_id, relation))""",
    "citations": f"""CREATE TABLE citations (
        id TEXT PRIMARY KEY, text TEXT, outlet TEXT, cited_date TEXT, cue TEXT, {SPAN})""",
    "provenance": """CREATE TABLE provenance (
        id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, relation TEXT NOT NULL,
        source TEXT NOT NULL, via TEXT, evidence TEXT, start INTEGER, "end" INTEGER,
        stage TEXT, stage_version TEXT, confidence REAL,
        agent TEXT, source_doc_id TEXT)""",
    "event_clusters": """CREATE TABLE event_clusters (
        id TEXT PRIMARY KEY, type TEXT, label TEXT, date_start TEXT, date_end TEXT,
        source_ids TEXT, target_ids TEXT, place_name TEXT, modality TEXT,
        n_docs INTEGER, n_independent INTEGER, status TEXT, stage TEXT, stage_version TEXT)""",
    "event_cluster_members": """CREATE TABLE event_cluster_members (
        cluster_id TEXT NOT NULL, event_id TEXT NOT NULL, PRIMARY KEY (cluster_id, event_id))""",
    "claims": """CREATE TABLE claims (
        id TEXT PRIMARY KEY, text TEXT, kind TEXT,
        n_sources INTEGER, n_independent INTEGER, status TEXT,
        stage TEXT, stage_version TEXT, confidence REAL)""",
    "claim_sources": """CREATE TABLE claim_sources (
        claim_id TEXT NOT NULL, doc_id TEXT NOT NULL, start INTEGER, "end" INTEGER,
        text TEXT, outlet TEXT, upstream TEXT, item_table TEXT, item_id TEXT)""",
    "contradictions": """CREATE TABLE contradictions (
        id TEXT PRIMARY KEY, kind TEXT,
        a_doc_id TEXT, a_start INTEGER, a_end INTEGER, a_source TEXT, a_text TEXT,
        b_doc_id TEXT, b_start INTEGER, b_end INTEGER, b_source TEXT, b_text TEXT,
        topic TEXT, stage TEXT, stage_version TEXT, confidence REAL,
        a_claim_id TEXT, b_claim_id TEXT)""",
    # --- opinion ------------------------------------------------------------------------
    "comment_opinions": """CREATE TABLE comment_opinions (
        comment_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL,
        compound REAL, pos REAL, neg REAL, neu REAL, stance TEXT, narrative_id TEXT,
        contradicted_by TEXT, stage TEXT, stage_version TEXT)""",
    "narratives": """CREATE TABLE narratives (
        id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, label TEXT, share REAL, size INTEGER,
        keywords TEXT, examples TEXT, stage TEXT, stage_version TEXT, confidence REAL,
        members TEXT)""",
}

#: full-text indexes (SQLite FTS5, external content)
FTS: dict[str, str] = {
    "sentences_fts": "CREATE VIRTUAL TABLE sentences_fts USING fts5("
    "text, content='sentences', content_rowid='rowid', tokenize='porter unicode61')",
}

INDEXES: tuple[str, ...] = (
    "CREATE INDEX IF NOT EXISTS ix_documents_published ON documents(published)",
    "CREATE INDEX IF NOT EXISTS ix_documents_content ON documents(content_sha256)",
    "CREATE INDEX IF NOT EXISTS ix_comments_doc ON comments(doc_id)",
    "CREATE INDEX IF NOT EXISTS ix_sentences_doc ON sentences(doc_id)",
    "CREATE INDEX IF NOT EXISTS ix_timexes_doc ON timexes(doc_id)",
    "CREATE INDEX IF NOT EXISTS ix_quotes_doc ON quotes(doc_id)",
    "CREATE INDEX IF NOT EXISTS ix_quotes_speaker ON quotes(speaker_actor_id)",
    "CREATE INDEX IF NOT EXISTS ix_mentions_doc ON mentions(doc_id)",
    "CREATE INDEX IF NOT EXISTS ix_mentions_actor ON mentions(actor_id)",
    "CREATE INDEX IF NOT EXISTS ix_places_doc ON places(doc_id)",
    "CREATE INDEX IF NOT EXISTS ix_events_doc ON events(doc_id)",
    "CREATE INDEX IF NOT EXISTS ix_events_type_date ON events(type, date_start)",
    "CREATE INDEX IF NOT EXISTS ix_citations_doc ON citations(doc_id)",
    "CREATE INDEX IF NOT EXISTS ix_provenance_doc ON provenance(doc_id)",
    "CREATE INDEX IF NOT EXISTS ix_story_docs_doc ON story_docs(doc_id)",
    "CREATE INDEX IF NOT EXISTS ix_claim_sources_claim ON claim_sources(claim_id)",
    "CREATE INDEX IF NOT EXISTS ix_claim_sources_doc ON claim_sources(doc_id)",
    "CREATE INDEX IF NOT EXISTS ix_copies_other ON copies(other_doc_id)",
    "CREATE INDEX IF NOT EXISTS ix_comment_opinions_doc ON comment_opinions(doc_id)",
)

#: tables holding per-document results of document stages: cleared for a document
#: before its stages run again (a new version, or ``storyline rerun``)
DOCUMENT_TABLES: tuple[str, ...] = (
    "comments", "sentences", "timexes", "quotes", "mentions", "places", "events",
    "citations",
)

#: numbered, non-additive migrations: {version: [sql, ...]}, run in order
MIGRATIONS: dict[int, list[str]] = {
    # 2: indexes for SQL-side filtering, ordering and keyset paging of the web/API lists
    # (the sort keys are the expressions the queries in storyline/report use verbatim)
    2: [
        "CREATE INDEX IF NOT EXISTS ix_events_order ON events("
        "ifnull(date_start, '~'), doc_id, start, id, date_end, date_start)",
        "CREATE INDEX IF NOT EXISTS ix_events_type_order ON events("
        "type COLLATE NOCASE, ifnull(date_start, '~'), doc_id, start, id)",
        # covering indexes of the aggregations (trend and dyads, network, map points):
        # GROUP BY reads the index in its order instead of every row of the table
        "CREATE INDEX IF NOT EXISTS ix_events_agg ON events(date_start, source_countries, "
        "target_countries, type, modality, goldstein, doc_id, date_end)",
        "CREATE INDEX IF NOT EXISTS ix_events_parties ON events(source_ids, target_ids, "
        "source_text, target_text, modality, type, goldstein, doc_id, date_start, date_end)",
        "CREATE INDEX IF NOT EXISTS ix_events_point ON events(round(lat, 3), round(lon, 3), "
        "type, goldstein, lat, lon, modality, doc_id, date_start, date_end, place_name) "
        "WHERE lat IS NOT NULL AND lon IS NOT NULL",
        "CREATE INDEX IF NOT EXISTS ix_event_cluster_members_event "
        "ON event_cluster_members(event_id)",
        "CREATE INDEX IF NOT EXISTS ix_documents_order ON documents("
        "ifnull(published, '') DESC, id)",
        "CREATE INDEX IF NOT EXISTS ix_quotes_order ON quotes(doc_id, start, id)",
    ],
    # 3: persisted embeddings of the semantic search (storyline/web/search.py): one row per
    # sentence, quote or claim and model; ``vector`` is little-endian float16 of ``dim``
    # values (normalised), ``text_hash`` tells a changed text; ``id`` is the stable key of
    # the approximate (usearch) index saved beside the store
    3: [
        """CREATE TABLE IF NOT EXISTS embeddings (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL, item_id TEXT NOT NULL, doc_id TEXT,
        text_hash TEXT NOT NULL, model TEXT NOT NULL, dim INTEGER NOT NULL,
        vector BLOB NOT NULL,
        UNIQUE (kind, item_id, model))""",
        "CREATE INDEX IF NOT EXISTS ix_embeddings_model ON embeddings(model, id)",
    ],
}

#: triggers keeping the FTS index in step with its content table
TRIGGERS: tuple[str, ...] = (
    "CREATE TRIGGER IF NOT EXISTS sentences_ai AFTER INSERT ON sentences BEGIN "
    "INSERT INTO sentences_fts(rowid, text) VALUES (new.rowid, new.text); END",
    "CREATE TRIGGER IF NOT EXISTS sentences_ad AFTER DELETE ON sentences BEGIN "
    "INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', old.rowid, old.text); END",
    "CREATE TRIGGER IF NOT EXISTS sentences_au AFTER UPDATE ON sentences BEGIN "
    "INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', old.rowid, old.text); "
    "INSERT INTO sentences_fts(rowid, text) VALUES (new.rowid, new.text); END",
)
