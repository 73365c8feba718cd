-- Reports (issue 14): read stored amounts through indexes, never recompute
-- invoices.
--
-- The day an invoice's balance reached zero, for "days to pay" and the cash
-- forecast's lateness. Kept by triggers on paid_minor, the one column every
-- settling write moves (payments, refunds and credit notes all update it in
-- the transaction that records them), so it can never disagree with the
-- balance: set when the balance reaches zero (to the latest payment or
-- credit note day), cleared when a refund reopens it.
ALTER TABLE invoices ADD COLUMN settled_on TEXT;

CREATE TRIGGER invoices_settled_on_set
AFTER UPDATE OF paid_minor ON invoices
WHEN NEW.paid_minor >= NEW.total_minor
BEGIN
    UPDATE invoices SET settled_on = (
        SELECT MAX(d) FROM (
            SELECT MAX(p.date) AS d FROM payments p WHERE p.invoice_id = NEW.id
            UNION ALL
            SELECT MAX(c.issue_date) AS d FROM credit_notes c WHERE c.invoice_id = NEW.id
        )
    ) WHERE id = NEW.id;
END;

CREATE TRIGGER invoices_settled_on_clear
AFTER UPDATE OF paid_minor ON invoices
WHEN NEW.paid_minor < NEW.total_minor AND NEW.settled_on IS NOT NULL
BEGIN
    UPDATE invoices SET settled_on = NULL WHERE id = NEW.id;
END;

UPDATE invoices SET settled_on = (
    SELECT MAX(d) FROM (
        SELECT MAX(p.date) AS d FROM payments p WHERE p.invoice_id = invoices.id
        UNION ALL
        SELECT MAX(c.issue_date) AS d FROM credit_notes c WHERE c.invoice_id = invoices.id
    )
) WHERE paid_minor >= total_minor AND total_minor > 0;

-- Aging: every open invoice that owes something, with what the aging groups
-- by and sums, so the report reads the index alone. Partial on the same
-- terms as invoices_due_open (the planner needs them as written). It leads
-- with status so that the query's `status IN (…)` makes it a search: as a
-- full scan SQLite costs a partial index like the whole table and would
-- pick invoices_status_due_balance, then read every row it finds.
CREATE INDEX invoices_aging_open
    ON invoices (status, currency, customer_id, due_date, issue_date, total_minor, paid_minor)
    WHERE status IN ('issued', 'partially_paid') AND total_minor > paid_minor;

-- Credit sales per day (collection, DSO): issued invoices by issue date,
-- status included so the range is read from the index alone.
CREATE INDEX invoices_sales_by_day
    ON invoices (issue_date, currency, total_minor, credited_minor, status)
    WHERE status IN ('issued', 'partially_paid', 'paid');

-- Days to pay and lateness: settled invoices by the day they were settled,
-- with everything the per-customer sums read (no table lookups).
CREATE INDEX invoices_settled
    ON invoices (settled_on, customer_id, currency, issue_date, due_date, status)
    WHERE settled_on IS NOT NULL AND status <> 'void';

-- Money moved per day (collected in a period; balances as of a past day).
CREATE INDEX payments_by_date ON payments (date, invoice_id, amount_minor);
CREATE INDEX refunds_by_date ON refunds (date, invoice_id, amount_minor);
CREATE INDEX credit_notes_by_date ON credit_notes (issue_date, invoice_id, total_minor);
