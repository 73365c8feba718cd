-- The "Due & overdue" view: every open invoice that still owes something, in
-- due-date order, one page at a time. Partial on exactly the view's WHERE, so
-- paid, void and draft invoices (most of an old database) are not in it, and
-- ordered (due_date, id) like the view, so a page is read in index order and
-- the walk stops after it instead of sorting every open invoice. The id is
-- named, not left to SQLite's implicit rowid, so PostgreSQL gets the same
-- index from this statement.
CREATE INDEX invoices_due_open ON invoices (due_date, id)
    WHERE status IN ('issued', 'partially_paid') AND total_minor > paid_minor;
