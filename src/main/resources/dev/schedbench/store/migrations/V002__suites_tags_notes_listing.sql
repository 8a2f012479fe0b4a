-- Schema version 2: grouping runs into suites, tagging and annotating them; a covering index for run lists.

CREATE TABLE suites (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT    NOT NULL,
    spec_json     TEXT    NOT NULL,
    created_at_ms INTEGER NOT NULL
);

CREATE TABLE suite_runs (
    suite_id INTEGER NOT NULL REFERENCES suites (id) ON DELETE CASCADE,
    run_id   INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    PRIMARY KEY (suite_id, run_id)
) WITHOUT ROWID;
CREATE INDEX suite_runs_by_run ON suite_runs (run_id);

CREATE TABLE run_tags (
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    tag    TEXT    NOT NULL,
    PRIMARY KEY (run_id, tag)
) WITHOUT ROWID;
CREATE INDEX run_tags_by_tag ON run_tags (tag);

CREATE TABLE run_notes (
    id            INTEGER PRIMARY KEY,
    run_id        INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    created_at_ms INTEGER NOT NULL,
    text          TEXT    NOT NULL
);
CREATE INDEX run_notes_by_run ON run_notes (run_id);

-- Lists read only these columns: scanning this index never touches the documents in the rows.
CREATE INDEX runs_listing ON runs (id, kind, status, engine, model, policy, started_at_ms, finished_at_ms,
    total_requests, imported);
