-- Payments, credit notes and refunds (issue 12).
--
-- How a payment was made. Payments recorded before this column existed did
-- not say, so they read as 'other'; new payments always name their method.
ALTER TABLE payments ADD COLUMN method TEXT NOT NULL DEFAULT 'other'
    CHECK (method IN ('bank_transfer', 'card', 'cash', 'cheque', 'other'));

-- What settled an invoice. paid_minor keeps meaning "what no longer has to be
-- paid" -- payments less refunds plus credit notes -- so every query that
-- reads the balance as total_minor - paid_minor (the list, overdue, the
-- reminder scan) stays right; credited_minor says how much of it is credit
-- notes, so money received is paid_minor - credited_minor.
ALTER TABLE invoices ADD COLUMN credited_minor INTEGER NOT NULL DEFAULT 0
    CHECK (credited_minor >= 0);

-- Credit notes: their own documents with their own gapless number series,
-- each crediting one issued invoice. Kept apart from invoices because they
-- have no draft, approval, payment or reminder life of their own, and no
-- invoice query (list, search, overdue, numbering, bulk) should have to skip
-- them. lines is the JSON of the credited lines (decimal text).
CREATE TABLE credit_notes (
    id                INTEGER PRIMARY KEY,
    invoice_id        INTEGER NOT NULL REFERENCES invoices (id),
    number            TEXT NOT NULL UNIQUE,
    issue_date        TEXT NOT NULL,
    reason            TEXT NOT NULL CHECK (reason <> ''),
    net_minor         INTEGER NOT NULL,
    tax_minor         INTEGER NOT NULL,
    total_minor       INTEGER NOT NULL CHECK (total_minor > 0),
    lines             TEXT NOT NULL,
    template_name     TEXT,
    template_version  INTEGER,
    pdf               BLOB NOT NULL,
    pdf_sha256        TEXT NOT NULL,
    issued_by         INTEGER NOT NULL REFERENCES users (id),
    issued_at         TEXT NOT NULL
);
CREATE INDEX credit_notes_invoice ON credit_notes (invoice_id);

-- Money paid back to a customer for an invoice.
CREATE TABLE refunds (
    id           INTEGER PRIMARY KEY,
    invoice_id   INTEGER NOT NULL REFERENCES invoices (id),
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    date         TEXT NOT NULL,
    method       TEXT NOT NULL
        CHECK (method IN ('bank_transfer', 'card', 'cash', 'cheque', 'other')),
    reference    TEXT,
    recorded_by  INTEGER NOT NULL REFERENCES users (id),
    recorded_at  TEXT NOT NULL
);
CREATE INDEX refunds_invoice ON refunds (invoice_id);

-- The outbox learns the credit-note email. SQLite cannot change a CHECK, so
-- the table is rebuilt with the same columns and rows; nothing references it
-- yet. For kind 'credit_note' the step is the credit note's id, so the
-- idempotency key (invoice, kind, step) queues each credit note's email once.
CREATE TABLE deliveries_new (
    id                INTEGER PRIMARY KEY,
    invoice_id        INTEGER REFERENCES invoices (id),
    kind              TEXT NOT NULL
        CHECK (kind IN ('invoice', 'reminder', 'receipt', 'test', 'credit_note')),
    step              INTEGER NOT NULL CHECK (step >= 0),
    to_addresses      TEXT NOT NULL,
    cc_addresses      TEXT NOT NULL DEFAULT '',
    bcc_addresses     TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL
        CHECK (status IN ('queued', 'sending', 'sent', 'retrying', 'failed', 'unknown')),
    attempts          INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at   TEXT,
    last_reply_code   INTEGER,
    last_reply_text   TEXT,
    message_id        TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    UNIQUE (invoice_id, kind, step)
);
INSERT INTO deliveries_new
    SELECT id, invoice_id, kind, step, to_addresses, cc_addresses, bcc_addresses, status,
           attempts, next_attempt_at, last_reply_code, last_reply_text, message_id,
           created_at, updated_at
    FROM deliveries;
DROP TABLE deliveries;
ALTER TABLE deliveries_new RENAME TO deliveries;
CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
CREATE INDEX deliveries_invoice ON deliveries (invoice_id);
