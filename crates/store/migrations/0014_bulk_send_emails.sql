-- Whether a bulk job emails the invoices it issues (queues them in the
-- outbox) or only issues them. Jobs written before this column existed were
-- never run, so the default is what starting them would have meant.
ALTER TABLE bulk_jobs ADD COLUMN send_emails INTEGER NOT NULL DEFAULT 1
    CHECK (send_emails IN (0, 1));

-- An approval asks whether its invoice came from a bulk job (whose approval
-- then issues and sends it).
CREATE INDEX bulk_invoices_invoice ON bulk_invoices (invoice_id);
