-- Stacked taxes: a region's rates form a group that all apply, in order, some
-- compound (computed on the net plus the earlier taxes of the line).
ALTER TABLE tax_rates ADD COLUMN compound INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tax_rates ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
-- Whether the rate joins its region's automatic group, or applies only to the
-- lines that name it (a reduced VAT rate next to the standard one).
ALTER TABLE tax_rates ADD COLUMN automatic INTEGER NOT NULL DEFAULT 1;

-- Before this migration one rate per region applied: the first by name among
-- those in force. Keep that for existing data: a rate whose validity overlaps
-- an earlier-named rate of the same country and region becomes one that lines
-- must name, so a reduced rate never starts stacking on the standard one.
UPDATE tax_rates SET automatic = 0
WHERE EXISTS (
    SELECT 1 FROM tax_rates o
    WHERE o.country = tax_rates.country
      AND coalesce(o.region, '') = coalesce(tax_rates.region, '')
      AND o.name < tax_rates.name
      AND (o.valid_to IS NULL OR tax_rates.valid_from IS NULL OR o.valid_to >= tax_rates.valid_from)
      AND (tax_rates.valid_to IS NULL OR o.valid_from IS NULL OR tax_rates.valid_to >= o.valid_from)
);

-- Why a line carries no tax (e.g. reverse charge), printed on the invoice.
ALTER TABLE invoice_lines ADD COLUMN tax_exemption TEXT;

ALTER TABLE invoice_taxes ADD COLUMN compound INTEGER NOT NULL DEFAULT 0;

-- Every tax of a line, one row per rate in the line's order. Lines written
-- before this migration keep their single tax in invoice_lines.tax_name,
-- tax_rate, tax_inclusive and tax_minor and have no rows here.
CREATE TABLE invoice_line_taxes (
    invoice_id    INTEGER NOT NULL,
    line_position INTEGER NOT NULL,
    position      INTEGER NOT NULL,
    tax_rate_id   INTEGER,
    name          TEXT NOT NULL,
    rate          TEXT NOT NULL,
    inclusive     INTEGER NOT NULL,
    compound      INTEGER NOT NULL,
    tax_minor     INTEGER NOT NULL,
    PRIMARY KEY (invoice_id, line_position, position),
    FOREIGN KEY (invoice_id, line_position)
        REFERENCES invoice_lines (invoice_id, position) ON DELETE CASCADE
);
