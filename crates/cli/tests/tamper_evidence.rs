//! Tamper evidence through the real `invoicer` binary on a real file: whoever
//! holds the database file drops the append-only triggers and edits it with
//! plain SQL; `audit verify` must exit 3 and say what is wrong, and a
//! replaced PDF is never handed out.

use invoicer_domain::audit::{chain_hash, GENESIS_HASH};
use predicates::str::contains;
use serde_json::Value;
use std::path::Path;

mod common;
use common::{ca_sales_tax, cli, init, json, zoe_in_california};

/// A company, a California tax of 8.25 % and one issued invoice of 10.83
/// (10.00 + 0.83 tax). Returns the invoice number.
fn issued_invoice(d: &Path) -> String {
    init(d, "Acme Billing", "US", Some("CA"), "USD");
    ca_sales_tax(d);
    zoe_in_california(d);
    json(
        d,
        &[
            "invoice",
            "create",
            "--customer",
            "1",
            "--line",
            "Widget|1|10.00",
        ],
    );
    let issued = json(d, &["invoice", "issue", "1"]);
    assert_eq!(issued["total"], "10.83");
    verify(d).success().stdout(contains("audit chain intact"));
    issued["number"].as_str().unwrap().to_string()
}

fn verify(d: &Path) -> assert_cmd::assert::Assert {
    cli(d).args(["audit", "verify"]).assert()
}

/// The file opened as an attacker would: every protective trigger dropped.
fn attacker(d: &Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(d.join("invoicer.db")).unwrap();
    conn.execute_batch(
        "DROP TRIGGER audit_events_append_only; DROP TRIGGER audit_events_undeletable;
         DROP TRIGGER audit_head_forward_only; DROP TRIGGER audit_head_undeletable;
         DROP TRIGGER invoice_documents_immutable;",
    )
    .unwrap();
    conn
}

fn last_seq(d: &Path) -> i64 {
    json(d, &["audit", "head"])["seq"].as_i64().unwrap()
}

#[test]
fn the_audit_table_refuses_edits_and_deletes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    issued_invoice(d);
    let conn = rusqlite::Connection::open(d.join("invoicer.db")).unwrap();
    for sql in [
        "UPDATE audit_events SET actor = 'mallory@evil.test' WHERE seq = 1",
        "DELETE FROM audit_events WHERE seq = 1",
        "DELETE FROM audit_head",
    ] {
        assert!(conn.execute(sql, []).is_err(), "{sql} was allowed");
    }
    verify(d).success();
}

#[test]
fn a_cut_tail_with_a_lowered_head_fails_naming_the_seq() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    issued_invoice(d);
    let last = last_seq(d);
    let conn = attacker(d);
    conn.execute("DELETE FROM audit_events WHERE seq > ?1", [last - 2])
        .unwrap();
    conn.execute("UPDATE audit_head SET last_seq = ?1", [last - 2])
        .unwrap();
    verify(d)
        .code(3)
        .stdout(contains(format!("seq {}", last - 2)))
        .stdout(contains("cut off"));
}

#[test]
fn a_deleted_head_fails() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    issued_invoice(d);
    attacker(d).execute("DELETE FROM audit_head", []).unwrap();
    verify(d)
        .code(3)
        .stdout(contains("the audit head is missing"));
}

#[test]
fn a_deleted_trail_fails() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    issued_invoice(d);
    attacker(d)
        .execute_batch("DELETE FROM audit_events; DELETE FROM audit_head;")
        .unwrap();
    verify(d).code(3).stdout(contains("audit head is missing"));
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    issued_invoice(d);
    attacker(d).execute("DELETE FROM audit_events", []).unwrap();
    verify(d).code(3).stdout(contains("events are missing"));
}

/// Rewrites every event's actor and recomputes the whole chain and the head
/// with plain SHA-256, as anyone who has read the source can.
fn recompute_chain(conn: &rusqlite::Connection) {
    let rows: Vec<(i64, String, Option<String>, String, String, String)> = conn
        .prepare("SELECT seq, at, actor, action, entity, data FROM audit_events ORDER BY seq")
        .unwrap()
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut prev = GENESIS_HASH.to_string();
    for (seq, at, actor, action, entity, data) in rows {
        let actor = actor.map(|_| "mallory@evil.test".to_string());
        let instant = chrono::DateTime::parse_from_rfc3339(&at).unwrap().to_utc();
        let hash = chain_hash(
            &prev,
            seq,
            instant,
            actor.as_deref(),
            &action,
            &entity,
            &data,
        );
        conn.execute(
            "UPDATE audit_events SET actor = ?2, prev_hash = ?3, hash = ?4 WHERE seq = ?1",
            rusqlite::params![seq, actor, prev, hash],
        )
        .unwrap();
        conn.execute("UPDATE audit_head SET last_hash = ?1", [&hash])
            .unwrap();
        prev = hash;
    }
}

#[test]
fn a_recomputed_chain_fails_against_the_head_kept_outside() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    issued_invoice(d);
    let anchor = cli(d).args(["audit", "head"]).output().unwrap();
    let anchor = String::from_utf8(anchor.stdout).unwrap().trim().to_string();
    let head = json(d, &["audit", "head"]);
    assert_eq!(
        anchor,
        format!("{}:{}", head["seq"], head["hash"].as_str().unwrap())
    );
    cli(d)
        .args(["audit", "verify", "--expect-head", &anchor])
        .assert()
        .success()
        .stdout(contains("extends the expected head"));
    // More work is recorded after the anchor was taken; the chain extends it.
    json(
        d,
        &[
            "payment",
            "record",
            "1",
            "--amount",
            "5",
            "--date",
            "2026-11-21",
        ],
    );
    cli(d)
        .args(["audit", "verify", "--expect-head", &anchor])
        .assert()
        .success();

    recompute_chain(&attacker(d));
    cli(d)
        .args(["audit", "verify", "--expect-head", &anchor])
        .assert()
        .code(3)
        .stdout(contains("rewritten"));
    cli(d)
        .args(["audit", "verify", "--expect-head", "12:xyz"])
        .assert()
        .code(1)
        .stderr(contains("expect_head"));
}

#[test]
fn an_edited_total_fails_naming_the_invoice() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let number = issued_invoice(d);
    attacker(d)
        .execute("UPDATE invoices SET total_minor = 100 WHERE id = 1", [])
        .unwrap();
    // The edit lets a 1.00 payment "pay" a 10.83 invoice…
    let paid = json(
        d,
        &[
            "payment",
            "record",
            "1",
            "--amount",
            "1.00",
            "--date",
            "2026-11-21",
        ],
    );
    assert_eq!(paid["status"], "paid");
    // …but verification recomputes the total from the lines.
    verify(d)
        .code(3)
        .stdout(contains(format!("invoice {number}")))
        .stdout(contains("total 1.00 differs from 10.83"));
}

#[test]
fn an_edited_total_and_lines_fail_against_the_issued_event() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let number = issued_invoice(d);
    attacker(d)
        .execute_batch(
            "UPDATE invoice_lines SET unit_price = '0.92' WHERE invoice_id = 1;
             UPDATE invoice_taxes SET base_minor = 92, tax_minor = 8 WHERE invoice_id = 1;
             UPDATE invoices SET subtotal_minor = 92, tax_minor = 8, total_minor = 100 WHERE id = 1;",
        )
        .unwrap();
    verify(d)
        .code(3)
        .stdout(contains(format!("invoice {number}")))
        .stdout(contains("invoice.issued event"));
}

#[test]
fn a_swapped_pdf_fails_verification_and_is_not_handed_out() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let number = issued_invoice(d);
    let good = d.join("good.pdf");
    cli(d)
        .args(["invoice", "pdf", "1", "--out"])
        .arg(&good)
        .assert()
        .success();
    let conn = attacker(d);
    conn.execute(
        "UPDATE invoice_documents SET pdf = ?1 WHERE invoice_id = 1",
        [b"%PDF-1.7 forged".to_vec()],
    )
    .unwrap();
    verify(d)
        .code(3)
        .stdout(contains(format!("invoice {number}")))
        .stdout(contains("archived PDF was replaced"));
    let out = d.join("swapped.pdf");
    let run = cli(d)
        .args(["--json", "invoice", "pdf", "1", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(!run.status.success());
    // The refusal is logged (a line on stderr) and then reported as JSON.
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert!(
        stderr.contains("does not match its recorded SHA-256"),
        "{stderr}"
    );
    let err: Value = serde_json::from_str(stderr.lines().last().unwrap()).unwrap();
    assert_eq!(err["code"], "integrity", "{err}");
    assert!(!out.exists());

    // Rewriting the recorded hashes too is caught by the issued event.
    let forged = invoicer_hash(b"%PDF-1.7 forged");
    conn.execute(
        "UPDATE invoice_documents SET sha256 = ?1 WHERE invoice_id = 1",
        [&forged],
    )
    .unwrap();
    conn.execute(
        "UPDATE invoices SET pdf_sha256 = ?1 WHERE id = 1",
        [&forged],
    )
    .unwrap();
    verify(d)
        .code(3)
        .stdout(contains(format!("invoice {number}")))
        .stdout(contains("invoice.issued event"));
}

fn invoicer_hash(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

#[test]
fn edited_payments_fail() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let number = issued_invoice(d);
    json(
        d,
        &[
            "payment",
            "record",
            "1",
            "--amount",
            "5",
            "--date",
            "2026-11-21",
        ],
    );
    verify(d).success();
    attacker(d)
        .execute_batch(
            "UPDATE payments SET amount_minor = 1083; UPDATE invoices SET paid_minor = 1083, status = 'paid';",
        )
        .unwrap();
    verify(d)
        .code(3)
        .stdout(contains(format!("invoice {number}")))
        .stdout(contains("payment.recorded"));
}

/// Runs the named test of this binary again inside a throwaway D-Bus session
/// with a real Secret Service (scripts/with-keychain.sh), unless it already
/// runs in one. Returns true when the caller is that inner run.
fn in_real_keychain(test: &str) -> bool {
    if std::env::var_os("INVOICER_IN_KEYCHAIN_SESSION").is_some() {
        return true;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/with-keychain.sh");
    let out = std::process::Command::new(script)
        .arg(std::env::current_exe().unwrap())
        .args(["--exact", test, "--nocapture", "--test-threads=1"])
        .output()
        .unwrap();
    assert!(
        out.status.success() && String::from_utf8_lossy(&out.stdout).contains("1 passed"),
        "{test} under a real keychain:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    false
}

#[test]
fn a_recomputed_chain_fails_by_its_macs_under_the_real_keychain() {
    if !in_real_keychain("a_recomputed_chain_fails_by_its_macs_under_the_real_keychain") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    issued_invoice(d);
    verify(d)
        .success()
        .stdout(contains("every event's MAC matches"));
    // Recomputed with plain SHA-256, no anchor needed: the MACs give it away.
    recompute_chain(&attacker(d));
    verify(d)
        .code(3)
        .stdout(contains("audit chain broken at seq"))
        .stdout(contains("MAC does not match"));
    // Stripping the MACs is no way out either.
    let conn = rusqlite::Connection::open(d.join("invoicer.db")).unwrap();
    conn.execute("UPDATE audit_events SET mac = NULL", [])
        .unwrap();
    verify(d).code(3).stdout(contains("has no MAC"));
}

#[test]
fn without_a_keychain_the_cli_works_and_says_the_chain_is_not_keyed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // No session bus at all: the keychain cannot be reached.
    let run = |args: &[&str]| {
        let mut c = cli(d);
        c.env_remove("DBUS_SESSION_BUS_ADDRESS")
            .env("XDG_RUNTIME_DIR", d)
            .args(args);
        c
    };
    run(&[
        "init",
        "--company-name",
        "Acme Billing",
        "--country",
        "US",
        "--currency",
        "USD",
        "--admin-email",
        "admin@acme.test",
        "--admin-name",
        "Ada Admin",
    ])
    .assert()
    .success()
    .stderr("");
    run(&["audit", "verify"])
        .assert()
        .success()
        .stdout(contains("the chain is not keyed"));
}
