-- The outbox: every email Invoicer owes someone. The idempotency key
-- (invoice, kind, step) is unique, so queueing the same email twice -- from a
-- retry, a restart or a second click -- stores it once. Test emails belong to
-- no invoice; NULLs never collide, so each test email is its own row.
-- Addresses are stored one per line.
CREATE TABLE deliveries (
    id                INTEGER PRIMARY KEY,
    invoice_id        INTEGER REFERENCES invoices (id),
    kind              TEXT NOT NULL CHECK (kind IN ('invoice', 'reminder', 'receipt', 'test')),
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
-- The sender's question: what is due now?
CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
CREATE INDEX deliveries_invoice ON deliveries (invoice_id);
