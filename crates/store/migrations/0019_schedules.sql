-- Recurring schedules: a customer billed the same lines every period.
-- Periods are computed from the anchor by the domain; the database only
-- keeps the rule, the lines and which periods were made or skipped.
CREATE TABLE schedules (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    customer_id  INTEGER NOT NULL REFERENCES customers (id),
    currency     TEXT,
    template     TEXT,
    terms_days   INTEGER,
    frequency    TEXT NOT NULL CHECK (frequency IN ('weekly', 'monthly', 'quarterly', 'yearly')),
    interval_n   INTEGER NOT NULL CHECK (interval_n >= 1),
    anchor       TEXT NOT NULL,
    starts_on    TEXT,
    until_day    TEXT,
    period_count INTEGER,
    prorate      INTEGER NOT NULL DEFAULT 1,
    mode         TEXT NOT NULL CHECK (mode IN ('issue_and_send', 'draft')),
    state        TEXT NOT NULL DEFAULT 'disabled' CHECK (state IN ('disabled', 'active', 'paused')),
    paused_on    TEXT,
    tested_at    TEXT,
    created_by   INTEGER NOT NULL REFERENCES users (id),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);

CREATE TABLE schedule_lines (
    schedule_id       INTEGER NOT NULL REFERENCES schedules (id),
    position          INTEGER NOT NULL,
    description       TEXT NOT NULL,
    quantity          TEXT NOT NULL,
    unit_price        TEXT NOT NULL,
    discount_percent  TEXT,
    tax_rate_id       INTEGER REFERENCES tax_rates (id),
    tax_exempt_reason TEXT,
    PRIMARY KEY (schedule_id, position)
);

-- "Exactly once": one row per (schedule, period start), claimed in the
-- transaction that makes the period's invoice (or records it skipped). A
-- crash rolls the claim back with the invoice; a second runner's claim
-- conflicts and does nothing.
CREATE TABLE schedule_occurrences (
    schedule_id  INTEGER NOT NULL REFERENCES schedules (id),
    period_start TEXT NOT NULL,
    period_index INTEGER NOT NULL,
    outcome      TEXT NOT NULL CHECK (outcome IN ('made', 'skipped')),
    invoice_id   INTEGER REFERENCES invoices (id),
    caught_up    INTEGER NOT NULL DEFAULT 0,
    recorded_at  TEXT NOT NULL,
    PRIMARY KEY (schedule_id, period_start)
);
-- Invoices name the trigger that made them: their occurrence, and so their
-- schedule.
CREATE UNIQUE INDEX schedule_occurrences_invoice
    ON schedule_occurrences (invoice_id) WHERE invoice_id IS NOT NULL;
