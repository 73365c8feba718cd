-- The local integration API's idempotency keys (Stripe's way): the first
-- successful response to a POST is kept under its key and given again when
-- the same key comes with the same request. The key is the primary key, so
-- two invoices can never be made for one key: the row is written in the
-- same transaction as the invoice.
CREATE TABLE api_idempotency_keys (
    idem_key     TEXT PRIMARY KEY,
    request_hash TEXT NOT NULL,
    status       INTEGER NOT NULL,
    response     TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX api_idempotency_keys_created ON api_idempotency_keys (created_at);
