-- A customer's id in the system its data comes from (a CRM contact, a
-- billing account). Imports and events find a customer by it first, then by
-- email, so it is unique where given. Email lookups ignore case.
ALTER TABLE customers ADD COLUMN external_ref TEXT;
CREATE UNIQUE INDEX customers_external_ref ON customers (external_ref) WHERE external_ref IS NOT NULL;
CREATE INDEX customers_email_lower ON customers (lower(email));
