-- Whether a bulk job emails the invoices it issues (queues them in the
-- outbox) or only issues them. Jobs written before this column existed were
-- never run, so the default is what starting them would have meant.
ALTER TABLE bulk_jobs ADD COLUMN send_emails INTEGER NOT NULL DEFAULT 1
    CHECK (send_emails IN (0, 1));
