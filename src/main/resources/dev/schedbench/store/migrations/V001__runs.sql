-- Schema version 1: datasets, runs, their requests and time series.
-- Times: *_ms are epoch milliseconds (wall clock), *_ns are System.nanoTime() differences.

CREATE TABLE datasets (
    id              INTEGER PRIMARY KEY,
    content_sha256  TEXT    NOT NULL UNIQUE,
    name            TEXT    NOT NULL,
    source_path     TEXT    NOT NULL,
    stats_json      TEXT    NOT NULL,
    created_at_ms   INTEGER NOT NULL
);

-- AUTOINCREMENT: a deleted run's id is never given to another run, so exported ids stay unambiguous.
CREATE TABLE runs (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    kind               TEXT    NOT NULL,
    status             TEXT    NOT NULL CHECK (status IN ('running', 'finished', 'failed', 'interrupted')),
    engine             TEXT    NOT NULL,
    model              TEXT    NOT NULL,
    policy             TEXT,
    spec_json          TEXT    NOT NULL,
    server_command     TEXT,
    total_requests     INTEGER NOT NULL,
    schedbench_version TEXT    NOT NULL,
    java_version       TEXT    NOT NULL,
    javafx_version     TEXT    NOT NULL,
    host               TEXT    NOT NULL,
    owner_pid          INTEGER,
    owner_started_ms   INTEGER,
    started_at_ms      INTEGER NOT NULL,
    updated_at_ms      INTEGER NOT NULL,
    finished_at_ms     INTEGER,
    message            TEXT    NOT NULL DEFAULT '',
    summary_json       TEXT,
    result_keys_json   TEXT,
    extra_json         TEXT,
    imported           INTEGER NOT NULL DEFAULT 0 CHECK (imported IN (0, 1)),
    source_file        TEXT,
    dataset_id         INTEGER REFERENCES datasets (id) ON DELETE SET NULL
);
CREATE INDEX runs_by_start ON runs (started_at_ms);
CREATE INDEX runs_by_status ON runs (status);
CREATE INDEX runs_by_dataset ON runs (dataset_id);

-- Rows arrive in completion order; a rowid table appends them densely, the unique index finds them by run.
CREATE TABLE requests (
    id                INTEGER PRIMARY KEY,
    run_id            INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    idx               INTEGER NOT NULL,
    prompt_tokens     INTEGER NOT NULL,
    output_tokens     INTEGER NOT NULL,
    max_tokens        INTEGER NOT NULL,
    priority          INTEGER,
    priority_class    INTEGER NOT NULL,
    scheduled_send_ns INTEGER NOT NULL,
    actual_send_ns    INTEGER NOT NULL,
    ttft_ns           INTEGER NOT NULL,
    e2el_ns           INTEGER NOT NULL,
    itl_us            BLOB    NOT NULL,
    error             TEXT    NOT NULL,
    UNIQUE (run_id, idx)
);

-- Generated texts are bulky and rarely read: apart, so that timing queries never page through them.
CREATE TABLE request_texts (
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    idx    INTEGER NOT NULL,
    text   TEXT    NOT NULL,
    PRIMARY KEY (run_id, idx)
) WITHOUT ROWID;

CREATE TABLE samples (
    run_id              INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    seq                 INTEGER NOT NULL,
    elapsed_ns          INTEGER NOT NULL,
    in_flight           INTEGER NOT NULL,
    completed           INTEGER NOT NULL,
    failed              INTEGER NOT NULL,
    output_tokens_per_s REAL    NOT NULL,
    requests_per_s      REAL    NOT NULL,
    PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;

CREATE TABLE server_samples (
    run_id            INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    seq               INTEGER NOT NULL,
    elapsed_ns        INTEGER NOT NULL,
    running           REAL    NOT NULL,
    waiting           REAL    NOT NULL,
    kv_cache_usage    REAL    NOT NULL,
    preemptions_total REAL    NOT NULL,
    PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;
