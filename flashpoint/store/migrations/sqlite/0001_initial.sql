-- flashpoint store, schema version 1, SQLite dialect.
-- Keep in step with ../postgres/0001_initial.sql: the same tables and columns (tests compare them).
-- Dates are ISO strings (YYYY-MM-DD), times ISO 8601 UTC strings, `record` columns JSON text.

-- One row per article: provenance, the cleaned text, and the article's fields as JSON (`record`).
CREATE TABLE articles (
    id              TEXT PRIMARY KEY,
    title           TEXT,
    url             TEXT,
    canonical_url   TEXT,                    -- set by deduplication
    signature       BLOB,                    -- set by deduplication (MinHash signature)
    published       TEXT,
    published_basis TEXT,
    source          TEXT,
    origin          TEXT,
    language        TEXT,
    text            TEXT NOT NULL DEFAULT '',
    input_hash      TEXT,                    -- sha256 of the input as read, whitespace collapsed
    content_hash    TEXT,                    -- set by deduplication (hash of the normalised text)
    duplicate_of    TEXT REFERENCES articles (id) ON DELETE SET NULL,  -- set by deduplication
    fetched_at      TEXT,
    ingested_at     TEXT NOT NULL,
    coder_version   TEXT,
    n_events        INTEGER NOT NULL DEFAULT 0,
    error_codes     TEXT,                    -- "E105,E203" when the article has errors
    record          TEXT NOT NULL
);
CREATE UNIQUE INDEX articles_input_hash ON articles (input_hash) WHERE input_hash IS NOT NULL;
CREATE INDEX articles_content_hash ON articles (content_hash) WHERE content_hash IS NOT NULL;
CREATE INDEX articles_ingested_at ON articles (ingested_at, id);
CREATE INDEX articles_published ON articles (published);
CREATE INDEX articles_canonical_url ON articles (canonical_url) WHERE canonical_url IS NOT NULL;
CREATE INDEX articles_duplicate_of ON articles (duplicate_of) WHERE duplicate_of IS NOT NULL;

-- Embedded posts quoted in an article, in order of appearance.
CREATE TABLE statements (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    ordinal    INTEGER NOT NULL,
    text       TEXT NOT NULL,
    author     TEXT,
    handle     TEXT,
    date       TEXT,
    url        TEXT,
    record     TEXT NOT NULL,
    PRIMARY KEY (article_id, ordinal)
) WITHOUT ROWID;

-- Places named in articles or located events, one row per distinct place.
CREATE TABLE places (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE,       -- the place's fields as JSON
    name        TEXT NOT NULL,
    country     TEXT,
    admin1      TEXT,
    lat         REAL,
    lon         REAL,
    geonames_id INTEGER
);
CREATE INDEX places_country ON places (country);

-- Actor and place mentions in an article's cleaned text.
CREATE TABLE mentions (
    article_id   TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    ordinal      INTEGER NOT NULL,
    start_offset INTEGER NOT NULL,
    end_offset   INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    text         TEXT NOT NULL,
    actor_name   TEXT,
    country      TEXT,
    sector       TEXT,
    place_id     INTEGER REFERENCES places (id),
    record       TEXT NOT NULL,
    PRIMARY KEY (article_id, ordinal)
) WITHOUT ROWID;
CREATE INDEX mentions_country ON mentions (country);

-- Groups of events that report the same happening (computed by deduplication).
CREATE TABLE event_clusters (
    id         TEXT PRIMARY KEY,
    dyad       TEXT,
    type       TEXT,
    date       TEXT,
    date_end   TEXT,
    location   TEXT,
    n_mentions INTEGER NOT NULL DEFAULT 0,
    n_sources  INTEGER NOT NULL DEFAULT 0,
    n_articles INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX event_clusters_date ON event_clusters (date);

-- One row per coded event, with the columns queries filter on and the whole Event as JSON.
CREATE TABLE events (
    id               INTEGER PRIMARY KEY,
    article_id       TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    ordinal          INTEGER NOT NULL,
    type             TEXT NOT NULL,
    mode             TEXT,
    context          TEXT,
    cameo            TEXT NOT NULL,
    quad_class       INTEGER NOT NULL,
    intensity        REAL,
    goldstein        REAL,
    date             TEXT,
    date_precision   TEXT,
    date_basis       TEXT,
    date_end         TEXT,
    place_id         INTEGER REFERENCES places (id),
    location_country TEXT,
    negated          INTEGER NOT NULL,
    hypothetical     INTEGER NOT NULL,
    future           INTEGER NOT NULL,
    historical       INTEGER NOT NULL,
    reported         INTEGER NOT NULL,
    confidence       REAL NOT NULL,
    statement        INTEGER,
    evidence         TEXT NOT NULL,
    outlet           TEXT,                   -- the article's source (or its URL's host)
    cluster_id       TEXT REFERENCES event_clusters (id) ON DELETE SET NULL,
    coder_version    TEXT,
    record           TEXT NOT NULL,
    UNIQUE (article_id, ordinal)
);
CREATE INDEX events_date ON events (date);
CREATE INDEX events_type_date ON events (type, date);
CREATE INDEX events_quad_class_date ON events (quad_class, date);
CREATE INDEX events_cameo ON events (cameo);
CREATE INDEX events_location_country ON events (location_country);
CREATE INDEX events_cluster_id ON events (cluster_id) WHERE cluster_id IS NOT NULL;

-- The actors of each event, by role: source, target or third (party).
CREATE TABLE event_actors (
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    role     TEXT NOT NULL,
    ordinal  INTEGER NOT NULL,
    name     TEXT NOT NULL,
    text     TEXT NOT NULL,
    country  TEXT,
    sector   TEXT,
    office   TEXT,                           -- Actor.role: the office or body
    person   TEXT,
    location TEXT,
    PRIMARY KEY (event_id, role, ordinal)
) WITHOUT ROWID;
CREATE INDEX event_actors_country ON event_actors (country, role, event_id);

-- The dyads a series counts, one row per dated event and pair of different countries (a source's, a
-- target's): what `flashpoint.dyads.dyad_events` reads, kept beside the events so that a dyad's series is
-- one range scan. `cluster` is the event's cluster id, or "ARTICLE_ID:INDEX" while it has none.
CREATE TABLE event_dyads (
    source         TEXT NOT NULL,
    target         TEXT NOT NULL,
    date           TEXT NOT NULL,
    week           TEXT NOT NULL,                 -- the Monday of the date's ISO week
    event_id       INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    article_id     TEXT NOT NULL,
    date_precision TEXT,
    asserted       INTEGER NOT NULL,            -- neither negated nor hypothetical
    historical     INTEGER NOT NULL,
    quad_class     INTEGER NOT NULL,
    intensity      REAL,
    goldstein      REAL,
    outlet         TEXT,
    cluster        TEXT NOT NULL,
    PRIMARY KEY (source, target, date, event_id)
) WITHOUT ROWID;
CREATE INDEX event_dyads_event_id ON event_dyads (event_id);
CREATE INDEX event_dyads_date ON event_dyads (date);
