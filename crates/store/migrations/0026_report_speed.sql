-- The automation report over years of invoices (issue 14): its widest
-- reads become reads of one index each, with the facts they joined for kept
-- on the row they start from. Both copies are kept by triggers in the
-- transaction of the write they follow, like invoices.settled_on (0024), so
-- they can never disagree with what they copy.

-- Whole seconds from an invoice being made to its invoice email being sent
-- (the delivery's last change, which for a `sent` delivery is the moment it
-- was sent or marked sent), truncated toward zero and never below zero;
-- NULL while the email is not sent. The time to sent of the automation
-- report, read until now by joining every invoice in range to its delivery.
ALTER TABLE invoices ADD COLUMN seconds_to_sent INTEGER;

-- The one place the difference is computed. Canonical instants
-- (`YYYY-MM-DDTHH:MM:SS.ffffffZ`, all the store writes) are read exactly,
-- to the microsecond: SQLite's date functions keep milliseconds only and
-- round, so whole seconds come from the text before the dot and the
-- microseconds from the six digits after it. Any other form falls back to
-- SQLite's millisecond reading. PostgreSQL, on timestamptz columns:
-- `GREATEST(0, TRUNC(EXTRACT(EPOCH FROM d.updated_at - i.created_at)))`.
CREATE VIEW invoice_seconds_to_sent AS
SELECT d.invoice_id AS invoice_id,
       CASE
           WHEN length(i.created_at) = 27 AND substr(i.created_at, 20, 1) = '.'
                AND substr(i.created_at, 27, 1) = 'Z'
                AND length(d.updated_at) = 27 AND substr(d.updated_at, 20, 1) = '.'
                AND substr(d.updated_at, 27, 1) = 'Z'
           THEN MAX(0, ((unixepoch(substr(d.updated_at, 1, 19))
                         - unixepoch(substr(i.created_at, 1, 19))) * 1000000
                        + CAST(substr(d.updated_at, 21, 6) AS INTEGER)
                        - CAST(substr(i.created_at, 21, 6) AS INTEGER)) / 1000000)
           ELSE MAX(0, (CAST(round(unixepoch(d.updated_at, 'subsec') * 1000) AS INTEGER)
                        - CAST(round(unixepoch(i.created_at, 'subsec') * 1000) AS INTEGER))
                       / 1000)
       END AS seconds
  FROM deliveries d JOIN invoices i ON i.id = d.invoice_id
 WHERE d.kind = 'invoice' AND d.step = 0 AND d.status = 'sent';

CREATE TRIGGER deliveries_seconds_to_sent_insert
AFTER INSERT ON deliveries
WHEN NEW.kind = 'invoice' AND NEW.step = 0 AND NEW.status = 'sent'
BEGIN
    UPDATE invoices
       SET seconds_to_sent = (SELECT s.seconds FROM invoice_seconds_to_sent s
                               WHERE s.invoice_id = invoices.id)
     WHERE id = NEW.invoice_id;
END;

-- A resend takes a sent email back to the queue (NULL until it is sent
-- again, then the new moment), so every change of status or time counts.
CREATE TRIGGER deliveries_seconds_to_sent_update
AFTER UPDATE OF status, updated_at ON deliveries
WHEN NEW.kind = 'invoice' AND NEW.step = 0 AND (NEW.status = 'sent' OR OLD.status = 'sent')
BEGIN
    UPDATE invoices
       SET seconds_to_sent = (SELECT s.seconds FROM invoice_seconds_to_sent s
                               WHERE s.invoice_id = invoices.id)
     WHERE id = NEW.invoice_id;
END;

UPDATE invoices
   SET seconds_to_sent = (SELECT s.seconds FROM invoice_seconds_to_sent s
                           WHERE s.invoice_id = invoices.id);

-- The report's origins and times to sent in one read of one index, with
-- the report's filters (currency, customer, template) in it too, so a
-- filtered report never reads the table either. It replaces 0025's
-- invoices_created, which it starts with.
DROP INDEX invoices_created;
CREATE INDEX invoices_created_sent
    ON invoices (created_at, source, seconds_to_sent, currency, customer_id, template_name);

-- What a reminder's invoice came to: the day its balance reached zero
-- (invoices.settled_on), NULL while it is open or when it is void. "Paid
-- within N days after each step" reads it here instead of joining every
-- reminder to its invoice.
ALTER TABLE reminders ADD COLUMN invoice_settled_on TEXT;

CREATE TRIGGER reminders_invoice_settled_on_insert
AFTER INSERT ON reminders
BEGIN
    UPDATE reminders
       SET invoice_settled_on = (SELECT CASE WHEN i.status = 'void' THEN NULL ELSE i.settled_on END
                                   FROM invoices i WHERE i.id = NEW.invoice_id)
     WHERE id = NEW.id;
END;

-- 0024's triggers set settled_on from inside their own UPDATE; this one
-- fires for those updates too (SQLite runs a different trigger from a
-- trigger's statement), so the copy follows every settlement and refund.
CREATE TRIGGER invoices_settled_on_to_reminders
AFTER UPDATE OF settled_on, status ON invoices
WHEN OLD.settled_on IS NOT NEW.settled_on OR OLD.status IS NOT NEW.status
BEGIN
    UPDATE reminders
       SET invoice_settled_on = CASE WHEN NEW.status = 'void' THEN NULL ELSE NEW.settled_on END
     WHERE invoice_id = NEW.id;
END;

UPDATE reminders
   SET invoice_settled_on = (SELECT CASE WHEN i.status = 'void' THEN NULL ELSE i.settled_on END
                               FROM invoices i WHERE i.id = reminders.invoice_id);

-- Reminders per step and how many were answered, from the index alone,
-- with the invoice id the report's filters keep rows by.
DROP INDEX reminders_recorded;
CREATE INDEX reminders_recorded_settled
    ON reminders (recorded_on, outcome, step, invoice_settled_on, invoice_id);

-- The delivery tally from the index alone, with the invoice id the
-- report's filters keep rows by. It replaces 0025's deliveries_created,
-- which it starts with.
DROP INDEX deliveries_created;
CREATE INDEX deliveries_created_invoice
    ON deliveries (created_at, kind, status, attempts, invoice_id);
