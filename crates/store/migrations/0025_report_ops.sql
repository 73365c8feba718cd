-- What the automation and exceptions reports need that was not stored:
-- approval rounds (when an invoice was submitted and when the round was
-- decided), trigger failures (a schedule's occurrence that could not be
-- made was only logged), and when a customer's source last spoke of it.
-- Plus the indexes the reports' range queries read.

-- One row per submission for approval. A round ends with the final decision
-- (approved: the last required approval; rejected) or is withdrawn (an
-- edit, or a later submission, replaced it). At most one open round per
-- invoice: a partial unique index, which PostgreSQL accepts too.
CREATE TABLE approval_rounds (
    id            INTEGER PRIMARY KEY,
    invoice_id    INTEGER NOT NULL REFERENCES invoices (id),
    submitted_at  TEXT NOT NULL,
    decided_at    TEXT,
    outcome       TEXT CHECK (outcome IN ('approved', 'rejected', 'withdrawn')),
    CHECK ((outcome IS NULL) = (decided_at IS NULL))
);
CREATE UNIQUE INDEX approval_rounds_open ON approval_rounds (invoice_id) WHERE outcome IS NULL;
CREATE INDEX approval_rounds_decided ON approval_rounds (decided_at)
    WHERE outcome IN ('approved', 'rejected');

-- The rounds of the past, read back from the audit trail: each
-- `invoice.submitted` ends at the next rejection, final approval or
-- submission of the same invoice; the last one without an end is open.
INSERT INTO approval_rounds (invoice_id, submitted_at, decided_at, outcome)
WITH steps AS (
    SELECT entity, seq, at, action
      FROM audit_events
     WHERE action IN ('invoice.submitted', 'invoice.rejected')
        OR (action = 'invoice.approved' AND json_extract(data, '$.final') = 1)
), ordered AS (
    SELECT entity, at, action,
           LEAD(at) OVER (PARTITION BY entity ORDER BY seq) AS next_at,
           LEAD(action) OVER (PARTITION BY entity ORDER BY seq) AS next_action
      FROM steps
)
SELECT CAST(substr(entity, 9) AS INTEGER), at, next_at,
       CASE next_action
           WHEN 'invoice.rejected' THEN 'rejected'
           WHEN 'invoice.approved' THEN 'approved'
           WHEN 'invoice.submitted' THEN 'withdrawn'
       END
  FROM ordered
 WHERE action = 'invoice.submitted'
   AND entity LIKE 'invoice:%'
   AND CAST(substr(entity, 9) AS INTEGER) IN (SELECT id FROM invoices);

-- A trigger (a schedule's occurrence, a threshold, an event) that could not
-- make its invoice, with the error, until a later run of the same trigger
-- succeeds (resolved_at). One open row per trigger: a failure repeated on
-- every pass updates it (failures, last_failed_at, error) instead of adding
-- rows, so `failed_at` says since when it has been failing.
CREATE TABLE trigger_failures (
    id              INTEGER PRIMARY KEY,
    trigger_kind    TEXT NOT NULL CHECK (trigger_kind IN ('schedule', 'threshold', 'event')),
    trigger_id      INTEGER NOT NULL,
    customer_id     INTEGER REFERENCES customers (id),
    what            TEXT NOT NULL,
    error_code      TEXT NOT NULL,
    error_message   TEXT NOT NULL,
    failures        INTEGER NOT NULL DEFAULT 1 CHECK (failures >= 1),
    failed_at       TEXT NOT NULL,
    last_failed_at  TEXT NOT NULL,
    resolved_at     TEXT
);
CREATE UNIQUE INDEX trigger_failures_open ON trigger_failures (trigger_kind, trigger_id)
    WHERE resolved_at IS NULL;

-- When the customer's source (the API, a bulk file) last sent something
-- about a customer fed by it; NULL reads as its creation. Backfilled from the
-- newest invoice such a source made for it, else its creation.
ALTER TABLE customers ADD COLUMN source_seen_at TEXT;
UPDATE customers
   SET source_seen_at = COALESCE(
           (SELECT MAX(i.created_at) FROM invoices i
             WHERE i.customer_id = customers.id AND i.source IN ('api', 'bulk')),
           created_at)
 WHERE external_ref IS NOT NULL;

-- The automation report's ranges: invoices by creation, deliveries by
-- creation (covering what the tally counts, so it never reads the table),
-- reminders by the day they were recorded.
CREATE INDEX invoices_created ON invoices (created_at, source);
CREATE INDEX deliveries_created ON deliveries (created_at, kind, status, attempts);
CREATE INDEX reminders_recorded ON reminders (recorded_on, step);

-- A refused event is resolved by a later accepted one of the same type and
-- reference (the exceptions report's NOT EXISTS looks it up by these).
CREATE INDEX api_events_reference ON api_events (event_type, reference, id);
