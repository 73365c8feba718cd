-- Failed sign-ins per normalised email, so throttling survives a restart of
-- the CLI or the app. A successful sign-in deletes the row. Emails that name
-- no user are kept too, so throttling reveals nothing about which exist.
CREATE TABLE sign_in_attempts (
    email            TEXT PRIMARY KEY,
    failures         INTEGER NOT NULL CHECK (failures > 0),
    last_failure_at  TEXT NOT NULL
);

-- Emails are now stored in one form (NFKC, lowercase) and looked up in it.
-- Existing ones are ASCII in practice; lowercasing them cannot collide,
-- because the column is already unique regardless of ASCII case. (No WHERE
-- email <> lower(email): the column compares with NOCASE, so that is never true.)
UPDATE users SET email = lower(email);
