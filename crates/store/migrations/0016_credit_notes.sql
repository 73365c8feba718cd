-- Payments, credit notes and refunds (issue 12).
--
-- How a payment was made. Payments recorded before this column existed did
-- not say, so they read as 'other'; new payments always name their method.
ALTER TABLE payments ADD COLUMN method TEXT NOT NULL DEFAULT 'other'
    CHECK (method IN ('bank_transfer', 'card', 'cash', 'cheque', 'other'));
