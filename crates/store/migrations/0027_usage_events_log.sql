-- The events log also lists hours and usage events a threshold rule took
-- without making an invoice yet: outcome 'accepted' (recorded as usage
-- entries). SQLite cannot ALTER a CHECK constraint; as in 0023, the stored
-- schema text is widened, the procedure SQLite documents for it
-- (lang_altertable.html, "making other kinds of table schema changes"): no
-- row can violate the wider check, and RESET makes every connection read
-- the schema again. A PostgreSQL store drops and adds the constraint
-- instead.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, '''refused'', ''dry_run''))', '''refused'', ''dry_run'', ''accepted''))')
 WHERE type = 'table' AND name = 'api_events';
PRAGMA writable_schema = RESET;
PRAGMA writable_schema = OFF;
