-- Failed sign-ins per normalised email, so throttling survives a restart of
-- the CLI or the app. A successful sign-in deletes the row. Emails that name
-- no user are kept too, so throttling reveals nothing about which exist.
CREATE TABLE sign_in_attempts (
    email            TEXT PRIMARY KEY,
    failures         INTEGER NOT NULL CHECK (failures > 0),
    last_failure_at  TEXT NOT NULL
);
