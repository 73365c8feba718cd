-- Bank statement reconciliation (issue 12).
--
-- Named statement mappings, one per bank export format, as bulk send's
-- mapping_profiles are per source.
CREATE TABLE statement_profiles (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    record     TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Every statement line ever imported. The fingerprint (SHA-256 of day,
-- amount, reference, counterparty, IBAN and the line's occurrence among
-- identical lines of its file) is unique, so importing the same statement
-- again, or one that overlaps it, stores each line once: the insert is
-- ON CONFLICT DO NOTHING, never a check then an insert. A statement carries
-- no currency per line, so the amount is exact decimal text as read.
-- A line is applied at most once: only an applied line has a payment, and a
-- payment belongs to at most one line.
CREATE TABLE statement_lines (
    id           INTEGER PRIMARY KEY,
    fingerprint  TEXT NOT NULL UNIQUE,
    booked_on    TEXT NOT NULL,
    amount       TEXT NOT NULL,
    reference    TEXT NOT NULL,
    counterparty TEXT,
    iban         TEXT,
    file_line    INTEGER NOT NULL,
    outcome      TEXT NOT NULL
        CHECK (outcome IN ('money_out', 'applied', 'proposed', 'ambiguous', 'unmatched', 'dismissed')),
    basis        TEXT,
    invoice_id   INTEGER REFERENCES invoices (id),
    payment_id   INTEGER UNIQUE REFERENCES payments (id),
    imported_by  INTEGER NOT NULL REFERENCES users (id),
    imported_at  TEXT NOT NULL,
    decided_by   INTEGER REFERENCES users (id),
    decided_at   TEXT,
    CHECK ((outcome = 'applied') = (payment_id IS NOT NULL))
);
CREATE INDEX statement_lines_outcome ON statement_lines (outcome, booked_on);

-- The invoices an ambiguous line could pay, for the person who picks one.
CREATE TABLE statement_line_candidates (
    line_id    INTEGER NOT NULL REFERENCES statement_lines (id),
    invoice_id INTEGER NOT NULL REFERENCES invoices (id),
    PRIMARY KEY (line_id, invoice_id)
);
