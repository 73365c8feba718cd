-- Invoicer schema, version 1.
-- Amounts that SQL sums (totals, balances, payments) are INTEGER minor units of
-- the row's currency; unit prices, quantities and rates are exact decimal TEXT.
-- Calendar dates are TEXT 'YYYY-MM-DD'; instants are TEXT RFC 3339 UTC.

CREATE TABLE company (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    settings    TEXT NOT NULL            -- JSON of CompanySettings
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('specialist', 'approver', 'admin')),
    password_hash TEXT NOT NULL,         -- argon2id PHC string
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL
);

CREATE TABLE customers (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    company     TEXT,
    email       TEXT NOT NULL,
    address     TEXT NOT NULL,
    city        TEXT NOT NULL,
    region      TEXT,
    postal_code TEXT NOT NULL,
    country     TEXT NOT NULL,
    tax_id      TEXT,
    currency    TEXT,
    created_at  TEXT NOT NULL
);
CREATE INDEX customers_name ON customers (name COLLATE NOCASE);

CREATE TABLE products (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    unit_price  TEXT NOT NULL,
    currency    TEXT NOT NULL,
    tax_rate_id INTEGER REFERENCES tax_rates (id)
);

CREATE TABLE tax_rates (
    id         INTEGER PRIMARY KEY,
    country    TEXT NOT NULL,
    region     TEXT,
    name       TEXT NOT NULL,
    rate       TEXT NOT NULL,
    inclusive  INTEGER NOT NULL DEFAULT 0,
    valid_from TEXT,
    valid_to   TEXT
);
CREATE UNIQUE INDEX tax_rates_identity ON tax_rates (country, ifnull(region, ''), name);

CREATE TABLE number_series (
    key        TEXT PRIMARY KEY,
    next_value INTEGER NOT NULL
);

CREATE TABLE invoices (
    id               INTEGER PRIMARY KEY,
    number           TEXT UNIQUE,
    status           TEXT NOT NULL,
    customer_id      INTEGER NOT NULL REFERENCES customers (id),
    customer_name    TEXT NOT NULL,       -- denormalised for sorting and search
    customer         TEXT NOT NULL,       -- JSON snapshot printed on the invoice
    currency         TEXT NOT NULL,
    issue_date       TEXT NOT NULL,
    terms_days       INTEGER NOT NULL,
    due_date         TEXT NOT NULL,
    notes            TEXT,
    rounding_scope   TEXT NOT NULL,
    rounding_mode    TEXT NOT NULL,
    subtotal_minor   INTEGER NOT NULL,
    discount_minor   INTEGER NOT NULL,
    tax_minor        INTEGER NOT NULL,
    total_minor      INTEGER NOT NULL,
    paid_minor       INTEGER NOT NULL DEFAULT 0,
    created_by       INTEGER NOT NULL REFERENCES users (id),
    created_at       TEXT NOT NULL,
    issued_at        TEXT,
    void_reason      TEXT,
    disputed_on      TEXT,
    template_name    TEXT,
    template_version INTEGER,
    pdf_sha256       TEXT
);
CREATE INDEX invoices_status_due ON invoices (status, due_date);
CREATE INDEX invoices_issue_date ON invoices (issue_date);
CREATE INDEX invoices_customer ON invoices (customer_id);
CREATE INDEX invoices_customer_name ON invoices (customer_name COLLATE NOCASE);

CREATE TABLE invoice_lines (
    invoice_id       INTEGER NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    position         INTEGER NOT NULL,
    description      TEXT NOT NULL,
    quantity         TEXT NOT NULL,
    unit_price       TEXT NOT NULL,
    discount_percent TEXT,
    tax_rate_id      INTEGER,
    tax_name         TEXT,
    tax_rate         TEXT,
    tax_inclusive    INTEGER,
    period_start     TEXT,
    period_end       TEXT,
    billed_from      TEXT,
    billed_to        TEXT,
    gross_minor      INTEGER NOT NULL,
    discount_minor   INTEGER NOT NULL,
    net_minor        INTEGER NOT NULL,
    tax_minor        INTEGER NOT NULL,
    total_minor      INTEGER NOT NULL,
    PRIMARY KEY (invoice_id, position)
);

CREATE TABLE invoice_taxes (
    invoice_id INTEGER NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    name       TEXT NOT NULL,
    rate       TEXT NOT NULL,
    inclusive  INTEGER NOT NULL,
    base_minor INTEGER NOT NULL,
    tax_minor  INTEGER NOT NULL,
    PRIMARY KEY (invoice_id, position)
);

-- The archived PDF of an issued invoice: written once, in the issuing
-- transaction, and never updated.
CREATE TABLE invoice_documents (
    invoice_id INTEGER PRIMARY KEY REFERENCES invoices (id),
    sha256     TEXT NOT NULL,
    pdf        BLOB NOT NULL
);

CREATE TABLE payments (
    id           INTEGER PRIMARY KEY,
    invoice_id   INTEGER NOT NULL REFERENCES invoices (id),
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    date         TEXT NOT NULL,
    reference    TEXT,
    recorded_by  INTEGER NOT NULL REFERENCES users (id),
    recorded_at  TEXT NOT NULL
);
CREATE INDEX payments_invoice ON payments (invoice_id);

CREATE TABLE audit_events (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    data      TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE INDEX audit_events_entity ON audit_events (entity, seq);

-- The chain's head, updated in the same transaction as each append, so that a
-- deleted tail of events is detected by verification.
CREATE TABLE audit_head (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    last_seq  INTEGER NOT NULL,
    last_hash TEXT NOT NULL
);
