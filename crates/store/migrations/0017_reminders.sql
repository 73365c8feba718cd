-- Payment reminders and disputes.
--
-- reminders: one row per (invoice, step) once the scheduler has decided the
-- step, sent or skipped. The unique key is what makes "a step is never sent
-- twice" hold whatever crashes happen: the row, the outbox delivery (keyed
-- (invoice, 'reminder', step)) and the audit event are written in one
-- transaction. A late fee is recorded on the row of the step that charged it,
-- so the same key also means a fee is never charged twice.
CREATE TABLE reminders (
    id              INTEGER PRIMARY KEY,
    invoice_id      INTEGER NOT NULL REFERENCES invoices (id),
    step            INTEGER NOT NULL CHECK (step >= 1),
    outcome         TEXT NOT NULL CHECK (outcome IN ('sent', 'skipped')),
    tone            TEXT NOT NULL CHECK (tone IN ('friendly', 'firm', 'final')),
    due_on          TEXT NOT NULL,
    recorded_on     TEXT NOT NULL,
    balance_minor   INTEGER NOT NULL,
    late_fee_minor  INTEGER CHECK (late_fee_minor IS NULL OR late_fee_minor > 0),
    delivery_id     INTEGER REFERENCES deliveries (id),
    created_at      TEXT NOT NULL,
    UNIQUE (invoice_id, step)
);

-- Disputes: at most one open per invoice (a partial unique index, which
-- PostgreSQL also has). outcome and resolved_on are both set or both unset.
CREATE TABLE disputes (
    id           INTEGER PRIMARY KEY,
    invoice_id   INTEGER NOT NULL REFERENCES invoices (id),
    reason       TEXT NOT NULL,
    opened_on    TEXT NOT NULL,
    window_days  INTEGER NOT NULL CHECK (window_days BETWEEN 30 AND 90),
    opened_by    TEXT NOT NULL,
    opened_at    TEXT NOT NULL,
    outcome      TEXT CHECK (outcome IN ('upheld', 'rejected')),
    resolved_on  TEXT,
    resolved_by  TEXT,
    CHECK ((outcome IS NULL) = (resolved_on IS NULL))
);
CREATE UNIQUE INDEX disputes_one_open ON disputes (invoice_id) WHERE outcome IS NULL;
CREATE INDEX disputes_invoice ON disputes (invoice_id);

-- A customer who asked not to be reminded (1), or not (0).
ALTER TABLE customers ADD COLUMN reminders_opt_out INTEGER NOT NULL DEFAULT 0;

-- The scheduler's scan: open invoices with a balance, by due date. Partial,
-- so the million paid and void invoices of an old database cost nothing, and
-- covering (status, customer and balance columns; the id is the rowid), so
-- the scan never reads the table: with it the planner leaves
-- invoices_status_due_balance for this query (1,000,000 invoices: see
-- tests/benches/reminder_scan.rs).
CREATE INDEX invoices_reminder_scan
    ON invoices (due_date, status, customer_id, total_minor, paid_minor)
    WHERE status IN ('issued', 'partially_paid');
