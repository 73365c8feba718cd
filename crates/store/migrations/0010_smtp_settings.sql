-- The SMTP server the outbox sends through. One row or none: with none,
-- mail is written to the outbox folder. The password is never stored here;
-- it lives in the OS keychain.
CREATE TABLE smtp_settings (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    host        TEXT NOT NULL,
    port        INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
    security    TEXT NOT NULL CHECK (security IN ('starttls', 'tls', 'none')),
    username    TEXT,
    updated_at  TEXT NOT NULL
);
