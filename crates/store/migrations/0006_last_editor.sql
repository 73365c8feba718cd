-- Four eyes: an approver may be neither the maker nor the last person who
-- changed an invoice's content. Invoices written before this column existed
-- were last edited, as far as anyone can tell, by their maker.
ALTER TABLE invoices ADD COLUMN last_edited_by INTEGER REFERENCES users (id);
UPDATE invoices SET last_edited_by = created_by;
