-- Time and usage thresholds: logged hours or usage units accumulate per
-- customer (optionally per project) and become one invoice when a quantity
-- or amount threshold is crossed, or when a billing period ends.
CREATE TABLE usage_thresholds (
    id                   INTEGER PRIMARY KEY,
    name                 TEXT NOT NULL,
    customer_id          INTEGER NOT NULL REFERENCES customers (id),
    project              TEXT,
    measure              TEXT NOT NULL CHECK (measure IN ('hours', 'units')),
    unit_price           TEXT,
    description_template TEXT NOT NULL,
    quantity_threshold   TEXT,
    amount_threshold     TEXT,
    period               TEXT CHECK (period IN ('monthly', 'quarterly')),
    period_anchor        TEXT,
    template             TEXT,
    terms_days           INTEGER,
    action               TEXT NOT NULL
        CHECK (action IN ('draft', 'issue', 'issue_and_send', 'approval')),
    state                TEXT NOT NULL DEFAULT 'disabled' CHECK (state IN ('disabled', 'active')),
    tested_at            TEXT,
    created_by           INTEGER NOT NULL REFERENCES users (id),
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
CREATE INDEX usage_thresholds_customer ON usage_thresholds (customer_id, measure);

-- One row per invoice a rule made (or per period end that found nothing to
-- bill). "Exactly once" for period ends: (rule, period start) is unique and
-- claimed with INSERT … ON CONFLICT DO NOTHING in the transaction that makes
-- the invoice; threshold crossings have no period (NULLs are distinct).
CREATE TABLE usage_billings (
    id           INTEGER PRIMARY KEY,
    rule_id      INTEGER NOT NULL REFERENCES usage_thresholds (id),
    invoice_id   INTEGER REFERENCES invoices (id),
    reason       TEXT NOT NULL CHECK (reason IN ('quantity', 'amount', 'period_end')),
    period_start TEXT,
    entries      INTEGER NOT NULL,
    caught_up    INTEGER NOT NULL DEFAULT 0,
    billed_at    TEXT NOT NULL,
    UNIQUE (rule_id, period_start)
);
CREATE UNIQUE INDEX usage_billings_invoice
    ON usage_billings (invoice_id) WHERE invoice_id IS NOT NULL;

-- Each logged hour or usage entry. (source, source_ref) is unique, so an
-- event sent again is recorded once. invoice_id stays NULL until billed and
-- is set only by `UPDATE … WHERE invoice_id IS NULL` in the transaction
-- that makes the invoice, so no entry is ever billed twice.
CREATE TABLE usage_entries (
    id          INTEGER PRIMARY KEY,
    rule_id     INTEGER NOT NULL REFERENCES usage_thresholds (id),
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    project     TEXT,
    measure     TEXT NOT NULL CHECK (measure IN ('hours', 'units')),
    quantity    TEXT NOT NULL,
    unit_price  TEXT NOT NULL,
    description TEXT NOT NULL,
    occurred_on TEXT NOT NULL,
    source      TEXT NOT NULL CHECK (source IN ('api', 'cli', 'app')),
    source_ref  TEXT,
    invoice_id  INTEGER REFERENCES invoices (id),
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (source, source_ref)
);
CREATE INDEX usage_entries_unbilled
    ON usage_entries (rule_id, occurred_on, id) WHERE invoice_id IS NULL;
CREATE INDEX usage_entries_invoice
    ON usage_entries (invoice_id) WHERE invoice_id IS NOT NULL;

-- Invoices made by a threshold say so (source 'threshold'). SQLite cannot
-- ALTER a CHECK constraint; loosening one by editing the stored schema text
-- is the procedure SQLite documents for it (lang_altertable.html, "making
-- other kinds of table schema changes"): no row can violate the wider
-- check, and RESET makes every connection read the schema again. A
-- PostgreSQL store drops and adds the constraint instead.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, '''recurring'', ''api''))', '''recurring'', ''api'', ''threshold''))')
 WHERE type = 'table' AND name = 'invoices';
PRAGMA writable_schema = RESET;
PRAGMA writable_schema = OFF;
