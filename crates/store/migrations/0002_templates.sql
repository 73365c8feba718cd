-- Template library: named templates with immutable, numbered versions.
-- A version is one JSON bundle (text blocks + layout) with its SHA-256.

CREATE TABLE templates (
    name       TEXT PRIMARY KEY,
    is_default INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX templates_one_default ON templates (is_default) WHERE is_default = 1;

CREATE TABLE template_versions (
    name       TEXT NOT NULL REFERENCES templates (name),
    version    INTEGER NOT NULL,
    bundle     TEXT NOT NULL,
    checksum   TEXT NOT NULL,
    author     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (name, version)
);

-- A customer may be invoiced with a template of its own (language, region).
ALTER TABLE customers ADD COLUMN template TEXT REFERENCES templates (name);

-- Written once, never changed: the database itself refuses edits of template
-- versions and archived PDFs, as a second line behind the application.
CREATE TRIGGER template_versions_immutable BEFORE UPDATE ON template_versions
BEGIN SELECT RAISE(ABORT, 'template versions are immutable'); END;
CREATE TRIGGER template_versions_undeletable BEFORE DELETE ON template_versions
BEGIN SELECT RAISE(ABORT, 'template versions are immutable'); END;
CREATE TRIGGER invoice_documents_immutable BEFORE UPDATE ON invoice_documents
BEGIN SELECT RAISE(ABORT, 'archived invoice documents are immutable'); END;
CREATE TRIGGER invoice_documents_undeletable BEFORE DELETE ON invoice_documents
BEGIN SELECT RAISE(ABORT, 'archived invoice documents are immutable'); END;
