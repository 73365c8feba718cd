-- Indexes for the invoice list at 100k+ invoices.
-- Counting open invoices past due reads (status, due_date, total, paid) from
-- the index alone; paging by date walks (date, id) in order and stops after
-- one page instead of sorting every match. The planner chooses between them
-- from the statistics that `PRAGMA optimize` keeps (run at every open).
DROP INDEX invoices_status_due;
CREATE INDEX invoices_status_due_balance ON invoices (status, due_date, total_minor, paid_minor);
DROP INDEX invoices_issue_date;
CREATE INDEX invoices_issue_date_id ON invoices (issue_date, id);
CREATE INDEX invoices_due_date_id ON invoices (due_date, id);
