#!/usr/bin/env python3
"""Fails when Rust source code breaks a layering rule the dependency graph cannot see.

`check_layers.py` proves which crate depends on which; this script reads the
code itself, so a rule still holds when the dependency arrives through another
crate or the standard library:

- the domain does no I/O: no `std::fs`, `std::net`, `std::process`,
  `std::time::SystemTime` or `rusqlite` in `crates/domain`, nor in
  `crates/import/src` (the importer reads only the bytes it is given);
- only the store knows SQL: no SQL text in a string literal outside
  `crates/store` (and no `.sql` file), except in the few tests listed in
  `SQL_ALLOWED` that play an attacker editing the database file directly;
- only the shell knows Tauri: no `tauri` path outside `src-tauri`;
- only the clock reads the time: no `Utc::now`, `Local::now` or
  `SystemTime::now` outside `crates/app/src/clock.rs`.

Comments are removed before scanning (a doc comment may name `std::fs`), and
string literals are blanked for every rule except the SQL one, which reads only
them. `--self-test` plants each kind of violation in an in-memory file set and
fails unless the scan catches every one and passes the clean set.
"""
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCANNED_DIRS = ("crates", "src-tauri", "tests")
SKIPPED_PARTS = {"target", "node_modules", "dist", "e2e"}

# Tests that tamper with a database file the way an attacker would must write
# SQL themselves: going through the store would defeat the point. Each entry is
# one file, so a new SQL string anywhere else is still caught.
SQL_ALLOWED = {
    "crates/cli/tests/cli_scenario.rs": "edits an audit event behind the app's back",
    "crates/cli/tests/tamper_evidence.rs": "tampers with the audit chain, totals and PDFs",
    "crates/cli/tests/storage_errors.rs": "plants a store fault to see how a storage failure is reported",
    "tests/tests/approvals.rs": "plants a void or approved invoice from before the final approval issued",
    "tests/tests/allowed_actions.rs": "plants an approved invoice from before the final approval issued",
    "tests/tests/audit_tamper.rs": "tampers with the audit chain and archived PDFs",
    "tests/tests/issuing_transaction.rs": "holds the write lock as a second writer would",
    "tests/tests/numbering.rs": "plants a store fault (a trigger) to fail an issue after its number is taken",
    "tests/tests/stored_format.rs": "reads the raw stored settings JSON to prove an old row is rewritten tagged",
    "tests/tests/unprintable_text.rs": "plants text the input checks would refuse",
    "crates/cli/tests/delivery_crash.rs": "asks SQLite itself (PRAGMA integrity_check) whether a killed process left the file sound",
    "crates/cli/tests/bulk_files/mod.rs": "asks SQLite itself (PRAGMA integrity_check) whether a killed bulk send left the file sound",
    "crates/cli/tests/schedules.rs": "asks SQLite itself whether a killed catch-up left the file sound and each invoice linked to its period",
    "tests/tests/schedules.rs": "counts every table's rows to prove a test run writes nothing; reads a schedule's audit events",
    "crates/cli/tests/reminders.rs": "asks SQLite itself (PRAGMA integrity_check) whether a killed scheduler left the file sound",
    "tests/tests/payments_credit.rs": "plants a store fault (a trigger) to fail a credit note after its number is taken; edits a credit behind the app's back for the audit check",
    "tests/benches/reminder_scan.rs": "seeds 1,000,000 invoices with bulk SQL (the app would take hours) and prints the due view's query plan",
    "tests/benches/report_ops.rs": "seeds 1,000,000 invoices with their deliveries, reminders and approvals in bulk SQL and prints the automation report's query plans",
    "tests/benches/reports.rs": "seeds 1,000,000 invoices with payments, refunds, credit notes, deliveries and reminders with bulk SQL (the app would take hours) and prints the aging's query plan",
    "tests/tests/local_api.rs": "counts every table's rows to prove a refused request and a dry run write nothing; searches the database file for the API token",
    "crates/cli/tests/thresholds.rs": "asks SQLite itself whether a killed billing left the file sound and each usage entry on exactly one invoice",
    "tests/tests/database/mod.rs": "counts every table's rows to prove a test run writes nothing, and reads audit events, for the schedule, threshold and event-rule tests",
    "tests/tests/usage_thresholds.rs": "counts every table's rows to prove a test run writes nothing; reads which invoice billed each usage entry and a rule's audit events",
    "tests/tests/usage_api.rs": "counts usage entries and invoices to prove a resent event and a dry run record nothing new",
    "tests/tests/event_rules.rs": "counts every table's rows to prove a refused event and a rule's test run write nothing; reads the rule edits' audit before/after",
}
# The one place allowed to read the system clock (clippy.toml bans it elsewhere too).
CLOCK_FILE = "crates/app/src/clock.rs"

DOMAIN_FORBIDDEN = [
    (re.compile(r"\bstd\s*::\s*fs\b"), "std::fs"),
    (re.compile(r"\bstd\s*::\s*net\b"), "std::net"),
    (re.compile(r"\bstd\s*::\s*process\b"), "std::process"),
    (re.compile(r"\bstd\s*::\s*time\s*::\s*SystemTime\b"), "std::time::SystemTime"),
    (re.compile(r"\bstd\s*::\s*time\s*::\s*\{[^}]*\bSystemTime\b"), "std::time::SystemTime"),
    (re.compile(r"\bstd\s*::\s*\{[^}]*\b(fs|net|process)\b"), "std::{fs, net, process}"),
    (re.compile(r"\brusqlite\b"), "rusqlite"),
]
SQL_PATTERNS = [
    re.compile(r"\bSELECT\b[\s\S]*?\bFROM\b"),
    re.compile(r"\bINSERT\s+(OR\s+\w+\s+)?INTO\b", re.IGNORECASE),
    re.compile(r"\bUPDATE\s+\w+\s+SET\b"),
    re.compile(r"\bDELETE\s+FROM\b", re.IGNORECASE),
    re.compile(r"\bCREATE\s+(TEMP\s+|UNIQUE\s+|VIRTUAL\s+)?(TABLE|INDEX|TRIGGER|VIEW)\b", re.IGNORECASE),
    re.compile(r"\bPRAGMA\s+\w+"),
]
TAURI = re.compile(r"\btauri(_\w+)?\s*::|\buse\s+tauri\b|\bextern\s+crate\s+tauri\b")
CLOCK = re.compile(r"\b(Utc|Local|SystemTime)\s*::\s*now\b")


def split_rust(text):
    """Returns (code, strings): the code with comments and string contents blanked
    (newlines kept, so line numbers hold) and every string literal with its line."""
    code, strings = [], []
    i, n, line = 0, len(text), 1

    def blank(s):
        return "".join("\n" if c == "\n" else " " for c in s)

    while i < n:
        c = text[i]
        if text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end == -1 else end
            code.append(blank(text[i:end]))
            i = end
        elif text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            code.append(blank(text[i:j]))
            line += text.count("\n", i, j)
            i = j
        elif (m := re.compile(r'b?r(#*)"').match(text, i)) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            close = '"' + m.group(1)
            end = text.find(close, m.end())
            end = n if end == -1 else end
            strings.append((line, text[m.end():end]))
            j = min(n, end + len(close))
            code.append(text[i:m.end()] + blank(text[m.end():end]) + text[end:j])
            line += text.count("\n", i, j)
            i = j
        elif c == '"' or (c == "b" and text.startswith('b"', i) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_"))):
            start = i + (2 if c == "b" else 1)
            j = start
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            strings.append((line, text[start:j]))
            code.append(text[i:start] + blank(text[start:j]) + '"')
            line += text.count("\n", i, j)
            i = j + 1
        elif c == "'":
            # A char literal ('a', '\n', '\u{1F600}', '"') or a lifetime ('a).
            m = re.compile(r"'(\\(u\{[0-9a-fA-F]+\}|x[0-9a-fA-F]{2}|.)|[^\\'])'").match(text, i)
            if m:
                code.append("' '")
                i = m.end()
            else:
                code.append(c)
                i += 1
        else:
            if c == "\n":
                line += 1
            code.append(c)
            i += 1
    return "".join(code), strings


def line_of(text, pos):
    return text.count("\n", 0, pos) + 1


def scan(files):
    """Checks a {relative path: text} set and returns its violations, one line each."""
    errors = []
    for path, text in sorted(files.items()):
        if path.endswith(".sql"):
            if not path.startswith("crates/store/"):
                errors.append(f"{path}: SQL file outside crates/store; only the store knows SQL")
            continue
        if not path.endswith(".rs"):
            continue
        code, strings = split_rust(text)
        if path.startswith("crates/domain/"):
            for pattern, what in DOMAIN_FORBIDDEN:
                for m in pattern.finditer(code):
                    errors.append(f"{path}:{line_of(code, m.start())}: {what} in the domain; the domain does no I/O")
        # The importer reads only the bytes it is given (its tests and
        # examples may open fixture files).
        if path.startswith("crates/import/src/"):
            for pattern, what in DOMAIN_FORBIDDEN:
                for m in pattern.finditer(code):
                    errors.append(f"{path}:{line_of(code, m.start())}: {what} in the importer; it reads only the bytes it is given")
        if not path.startswith("crates/store/") and path not in SQL_ALLOWED:
            for line, s in strings:
                for pattern in SQL_PATTERNS:
                    m = pattern.search(s)
                    if m:
                        where = line + s.count("\n", 0, m.start())
                        errors.append(f"{path}:{where}: SQL text ({m.group(0)[:30]!r}) outside crates/store; only the store knows SQL")
                        break
        if not path.startswith("src-tauri/"):
            for m in TAURI.finditer(code):
                errors.append(f"{path}:{line_of(code, m.start())}: tauri outside src-tauri; only the shell knows Tauri")
        if path != CLOCK_FILE:
            for m in CLOCK.finditer(code):
                errors.append(f"{path}:{line_of(code, m.start())}: {m.group(0)} outside {CLOCK_FILE}; take the time from the injected Clock")
    return errors


def tracked_files():
    """The repository's tracked and new (not ignored) source files."""
    out = subprocess.check_output(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "--", *SCANNED_DIRS], cwd=ROOT, text=True
    )
    files = {}
    for rel in out.splitlines():
        if not rel.endswith((".rs", ".sql")) or SKIPPED_PARTS & set(Path(rel).parts):
            continue
        p = ROOT / rel
        if p.is_file():
            files[rel] = p.read_text(encoding="utf-8")
    return files


CLEAN = {
    "crates/domain/src/money.rs": '''
//! Money never touches std::fs, std::net or rusqlite; `Utc::now()` is the clock's job.
/* A block comment /* nested */ naming std::process::Command and tauri::Builder. */
use std::fmt;
/// Says "SELECT x FROM y" only in a doc comment.
pub fn label<'a>(s: &'a str) -> &'a str { let _q = '"'; let _r = r#"a "quoted" word"#; s }
pub fn hint() -> &'static str { "select a customer from the list, then update it" }
''',
    "crates/store/src/invoices.rs": 'pub const Q: &str = "SELECT id FROM invoices WHERE status = ?1";\n',
    "crates/store/migrations/0001_initial.sql": "CREATE TABLE t (id INTEGER);\n",
    "crates/app/src/clock.rs": "pub fn now() -> chrono::DateTime<chrono::Utc> { chrono::Utc::now() }\n",
    "src-tauri/src/lib.rs": "pub fn run() { tauri::Builder::default(); }\n",
    "tests/tests/audit_tamper.rs": 'fn t(c: &C) { c.execute("DELETE FROM audit_head", []); }\n',
}
PLANTED = [
    ("std::fs in the domain", "crates/domain/src/money.rs", "fn f() { let _ = std::fs::read(\"x\"); }\n"),
    ("std::net in the domain", "crates/domain/src/tax.rs", "use std::net::TcpStream;\n"),
    ("std::process in the domain", "crates/domain/src/tax.rs", "fn f() { std::process::exit(1) }\n"),
    ("grouped std import in the domain", "crates/domain/src/tax.rs", "use std::{fmt, fs};\n"),
    ("SystemTime in the domain", "crates/domain/src/tax.rs", "use std::time::{Duration, SystemTime};\n"),
    ("rusqlite in the domain", "crates/domain/src/tax.rs", "fn f(_c: &rusqlite::Connection) {}\n"),
    ("std::fs in the importer", "crates/import/src/rows.rs", "fn f() { let _ = std::fs::File::open(\"x\"); }\n"),
    ("SELECT in the app", "crates/app/src/drafts.rs", 'const Q: &str = "SELECT total FROM invoices";\n'),
    ("multi-line raw SQL in the CLI", "crates/cli/src/run.rs", 'const Q: &str = r#"\n  UPDATE invoices\n  SET status = "void""#;\n'),
    ("lowercase insert in the shell", "src-tauri/src/commands/invoices.rs", 'const Q: &str = "insert into payments values (1)";\n'),
    ("CREATE TABLE in an unlisted test", "tests/tests/invoicing.rs", 'const Q: &str = "CREATE TABLE x (id INTEGER)";\n'),
    ("SQL file outside the store", "crates/app/src/schema.sql", "CREATE TABLE x (id INTEGER);\n"),
    ("tauri in the app", "crates/app/src/lib.rs", "fn f(_a: tauri::AppHandle) {}\n"),
    ("tauri import in the CLI", "crates/cli/src/main.rs", "use tauri;\n"),
    ("Utc::now in the app", "crates/app/src/issuing.rs", "fn f() { let _ = chrono::Utc::now(); }\n"),
    ("Local::now in the documents", "crates/documents/src/renderer.rs", "fn f() { let _ = Local::now(); }\n"),
    ("SystemTime::now in the store", "crates/store/src/lib.rs", "fn f() { let _ = std::time::SystemTime::now(); }\n"),
]


def self_test():
    failures = []
    clean_errors = scan(CLEAN)
    if clean_errors:
        failures.append("the clean file set was refused:\n    " + "\n    ".join(clean_errors))
    for name, path, text in PLANTED:
        files = dict(CLEAN)
        files[path] = files.get(path, "") + text
        if not scan(files):
            failures.append(f"a planted violation passed: {name} ({path})")
    if failures:
        print("check_sources self-test failed:\n  " + "\n  ".join(failures), file=sys.stderr)
        return 1
    print(f"check_sources self-test ok: clean set passes, {len(PLANTED)} planted violations caught")
    return 0


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    if sys.argv[1:]:
        print("usage: check_sources.py [--self-test]", file=sys.stderr)
        return 2
    files = tracked_files()
    errors = scan(files)
    if errors:
        print("source violations:\n  " + "\n  ".join(errors), file=sys.stderr)
        return 1
    print(f"sources ok: {len(files)} files scanned")
    return 0


if __name__ == "__main__":
    sys.exit(main())
