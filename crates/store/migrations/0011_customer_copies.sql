-- Addresses copied (Cc) and blind-copied (Bcc) on every email to a
-- customer, one per line; empty for none.
ALTER TABLE customers ADD COLUMN email_cc TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN email_bcc TEXT NOT NULL DEFAULT '';
