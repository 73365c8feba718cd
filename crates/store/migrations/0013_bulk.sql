-- Bulk send: named mapping profiles, bulk jobs, the plan of each job (one
-- row per invoice of its file, in the file's order), the problems of its
-- rows, and the keys of every invoice a bulk job has made.
--
-- Column names avoid words PostgreSQL reserves (column, cursor, rows).

-- A mapping profile's record is the store's versioned JSON
-- (records/mapping_profile_v1.rs).
CREATE TABLE mapping_profiles (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    record      TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE bulk_jobs (
    id                   INTEGER PRIMARY KEY,
    file_name            TEXT NOT NULL,
    file_sha256          TEXT NOT NULL CHECK (length(file_sha256) = 64),
    -- The mapping the job reads its file with, as a mapping profile record.
    profile              TEXT NOT NULL,
    status               TEXT NOT NULL CHECK (status IN
        ('validating', 'ready', 'running', 'interrupted', 'cancelled', 'finished')),
    dry_run              INTEGER NOT NULL CHECK (dry_run IN (0, 1)),
    throttle_per_minute  INTEGER CHECK (throttle_per_minute > 0),
    started_by           INTEGER NOT NULL REFERENCES users (id),
    started_at           TEXT NOT NULL,
    finished_at          TEXT,
    -- Data rows in the file, set when validation completes.
    row_count            INTEGER NOT NULL DEFAULT 0 CHECK (row_count >= 0),
    -- 1 once validation completed and the plan below is whole.
    validated            INTEGER NOT NULL DEFAULT 0 CHECK (validated IN (0, 1)),
    -- The position of the next invoice to handle; every one before it has
    -- its outcome. Moved in the transaction that records an outcome.
    next_position        INTEGER NOT NULL DEFAULT 0 CHECK (next_position >= 0)
);
CREATE INDEX bulk_jobs_status ON bulk_jobs (status);

-- One row per invoice of a job's file. Counts are derived from it with
-- COUNT(*) ... GROUP BY status, so they cannot drift from it.
CREATE TABLE bulk_invoices (
    job_id       INTEGER NOT NULL REFERENCES bulk_jobs (id),
    position     INTEGER NOT NULL CHECK (position >= 0),
    key_source   TEXT NOT NULL,
    invoice_key  TEXT NOT NULL,
    first_line   INTEGER NOT NULL CHECK (first_line >= 2),
    status       TEXT NOT NULL CHECK (status IN
        ('pending', 'invalid', 'created', 'issued', 'awaiting_approval',
         'queued_for_sending', 'skipped_already_invoiced', 'failed')),
    -- The invoice this job made, or (when skipped) the one made before.
    invoice_id   INTEGER REFERENCES invoices (id),
    -- Why it failed: a bulk failure record (JSON), for `failed` only.
    error        TEXT,
    PRIMARY KEY (job_id, position),
    UNIQUE (job_id, key_source, invoice_key)
);
CREATE INDEX bulk_invoices_status ON bulk_invoices (job_id, status, position);

-- "A file's invoice is made at most once": one row per key, across all
-- jobs, claimed (INSERT ... ON CONFLICT DO NOTHING) in the transaction that
-- makes the invoice. key_source is 'sha256:<file hash>' or 'ref:<external
-- reference>'.
CREATE TABLE bulk_invoice_keys (
    key_source   TEXT NOT NULL,
    invoice_key  TEXT NOT NULL,
    job_id       INTEGER NOT NULL REFERENCES bulk_jobs (id),
    invoice_id   INTEGER REFERENCES invoices (id),
    PRIMARY KEY (key_source, invoice_key)
);

-- Every problem of a job's rows, in the order found; paged by id.
CREATE TABLE bulk_row_errors (
    id           INTEGER PRIMARY KEY,
    job_id       INTEGER NOT NULL REFERENCES bulk_jobs (id),
    line         INTEGER NOT NULL CHECK (line >= 1),
    column_name  TEXT,
    value        TEXT NOT NULL,
    reason       TEXT NOT NULL
);
CREATE INDEX bulk_row_errors_job ON bulk_row_errors (job_id, id);
