-- Each event's HMAC-SHA256 of its hash under the data folder's audit key (kept
-- in the OS keychain, never here), so a chain recomputed with plain SHA-256 by
-- someone holding the file is caught. NULL for events written without a key.
ALTER TABLE audit_events ADD COLUMN mac TEXT;

-- The audit trail is append-only. These triggers are a first line only: anyone
-- holding the file can drop them, which is why verification also compares the
-- head's hash, checks anchors kept outside the database, and cross-checks
-- issued invoices against their events.
CREATE TRIGGER audit_events_append_only BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER audit_events_undeletable BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;

-- The head only moves forward, one append at a time.
CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_head
WHEN new.last_seq <= old.last_seq
BEGIN SELECT RAISE(ABORT, 'the audit head only moves forward'); END;
CREATE TRIGGER audit_head_undeletable BEFORE DELETE ON audit_head
BEGIN SELECT RAISE(ABORT, 'the audit head cannot be deleted'); END;
