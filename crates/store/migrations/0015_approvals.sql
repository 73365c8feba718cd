-- Approvals as a workflow: every approval or rejection of an invoice is a
-- row, with the level it was given at and the figures it was given on. An
-- edit voids the decisions in force (voided_at set) instead of deleting them,
-- so the history stays.
CREATE TABLE approval_decisions (
    id           INTEGER PRIMARY KEY,
    invoice_id   INTEGER NOT NULL REFERENCES invoices (id),
    level        INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3),
    approver_id  INTEGER NOT NULL REFERENCES users (id),
    decision     TEXT NOT NULL CHECK (decision IN ('approved', 'rejected')),
    reason       TEXT,
    decided_at   TEXT NOT NULL,
    -- The decision's figures (rule, converted total, rate, totals) as JSON.
    figures      TEXT NOT NULL,
    voided_at    TEXT
);
CREATE INDEX approval_decisions_invoice ON approval_decisions (invoice_id, id);

-- "Exactly once": one approval in force per level, and one per approver, of
-- an invoice. Partial unique indexes, which PostgreSQL accepts too.
CREATE UNIQUE INDEX approval_decisions_one_per_level
    ON approval_decisions (invoice_id, level)
    WHERE voided_at IS NULL AND decision = 'approved';
CREATE UNIQUE INDEX approval_decisions_one_per_approver
    ON approval_decisions (invoice_id, approver_id)
    WHERE voided_at IS NULL AND decision = 'approved';

-- Whether the final approval also queues the invoice's email, and how the
-- invoice was made (for rules per trigger source and the queue).
ALTER TABLE invoices ADD COLUMN send_on_approval INTEGER NOT NULL DEFAULT 0
    CHECK (send_on_approval IN (0, 1));
ALTER TABLE invoices ADD COLUMN source TEXT NOT NULL DEFAULT 'manual'
    CHECK (source IN ('manual', 'bulk', 'recurring', 'api'));
CREATE INDEX invoices_pending_approval ON invoices (status, created_at)
    WHERE status = 'pending_approval';
