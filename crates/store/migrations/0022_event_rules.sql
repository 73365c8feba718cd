-- Event rules (one per event type the local API accepts) and the log of
-- the events the API received.
--
-- A rule says what an event of its type makes: the action, the template,
-- the terms and a field mapping from the event's `data` (JSON, the bulk
-- import's field names). It starts disabled and may be enabled only once a
-- test run with its settings has passed (tested_at); editing its action,
-- template or mapping clears tested_at and disables it again. The seeded
-- rules reproduce what each type did before rules existed.
CREATE TABLE event_rules (
    event_type  TEXT PRIMARY KEY CHECK (event_type IN ('order.created', 'deal.closed_won',
                    'project.completed', 'usage.recorded', 'time.logged')),
    action      TEXT NOT NULL CHECK (action IN ('create_draft', 'issue', 'issue_and_send',
                    'await_approval')),
    template    TEXT,
    terms_days  INTEGER CHECK (terms_days BETWEEN 0 AND 365),
    mapping     TEXT NOT NULL DEFAULT '{"record_version":1,"fields":[]}',
    enabled     INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0, 1)),
    tested_at   TEXT,
    tested_by   INTEGER REFERENCES users (id),
    updated_at  TEXT,
    updated_by  INTEGER REFERENCES users (id),
    CHECK (enabled = 0 OR tested_at IS NOT NULL)
);
INSERT INTO event_rules (event_type, action) VALUES
    ('order.created', 'issue_and_send'),
    ('deal.closed_won', 'issue_and_send'),
    ('project.completed', 'issue_and_send'),
    ('usage.recorded', 'create_draft'),
    ('time.logged', 'create_draft');

-- One row per event the API received (never its token or body): what came,
-- and what became of it. A refused event's row is written in its own
-- transaction after the failed one rolled back. Rows older than 90 days
-- are pruned.
CREATE TABLE api_events (
    id             INTEGER PRIMARY KEY,
    received_at    TEXT NOT NULL,
    event_type     TEXT NOT NULL,
    reference      TEXT,
    idem_key       TEXT,
    outcome        TEXT NOT NULL CHECK (outcome IN ('created', 'draft', 'awaiting_approval',
                       'refused', 'dry_run')),
    invoice_id     INTEGER,
    invoice_number TEXT,
    error_code     TEXT,
    error_message  TEXT
);
CREATE INDEX api_events_type_received ON api_events (event_type, received_at);
CREATE INDEX api_events_received ON api_events (received_at);
CREATE INDEX api_events_refused ON api_events (received_at) WHERE outcome = 'refused';
