//! Resource limits and private, safely written files, through the real
//! `invoicer` binary: a template that loops for one customer cannot hold up
//! anyone else's issue, the data folder is private under the usual umask, and
//! saving a PDF never follows a planted symlink.

use assert_cmd::cargo::CommandCargoExt;
use serde_json::Value;
use std::path::Path;

mod common;
use common::{init, json};

fn setup(dir: &Path) {
    init(dir, "Acme Billing", "US", None, "USD");
}

/// Adds a customer and a draft for them; returns the draft's id.
fn customer_with_draft(dir: &Path, name: &str) -> String {
    let customer = json(
        dir,
        &[
            "customer",
            "add",
            "--name",
            name,
            "--email",
            "billing@example.test",
            "--address",
            "1 Main St",
            "--city",
            "Springfield",
            "--region",
            "IL",
            "--postal-code",
            "12345",
            "--country",
            "US",
        ],
    );
    let id = customer["id"].to_string();
    let draft = json(
        dir,
        &[
            "invoice",
            "create",
            "--customer",
            &id,
            "--line",
            "Consulting|1|100.00",
        ],
    );
    draft["id"].to_string()
}

/// Nested loops of 10^12 empty iterations (each `range` within its cap of
/// 1,000), taken only for one customer: the validation samples never meet the
/// condition, so the template is accepted.
const LOOPS_FOR_VICTIM: &str = r#"{% if customer.name == "Victim" %}{% for a in range(end=1000) %}{% for b in range(end=1000) %}{% for c in range(end=1000) %}{% for d in range(end=1000) %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endif %}Thank you for your business."#;

/// Stops the child if the test fails before waiting for it, so a looping
/// issue never outlives its test.
struct KillOnDrop(Option<std::process::Child>);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if let Some(child) = self.0.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

#[test]
fn a_template_that_loops_for_one_customer_fails_within_its_budget_while_others_issue() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    setup(d);
    let victim = customer_with_draft(d, "Victim");
    let other = customer_with_draft(d, "Other Customer");
    let block = d.join("intro.tera");
    // Allowed: a test's input file, not a data file: a torn write only fails this test.
    #[allow(clippy::disallowed_methods)]
    std::fs::write(&block, LOOPS_FOR_VICTIM).unwrap();
    json(
        d,
        &[
            "template",
            "set-block",
            "standard-en",
            "intro",
            "--file",
            block.to_str().unwrap(),
        ],
    );

    let mut hanging = std::process::Command::cargo_bin("invoicer").unwrap();
    hanging
        .env("INVOICER_DATA_DIR", d)
        .env("INVOICER_USER", "admin@acme.test")
        .env("INVOICER_PASSWORD", "correct-horse-1")
        .env("INVOICER_RENDER_BUDGET_MS", "4000")
        .args(["--json", "invoice", "issue", &victim])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut hanging = KillOnDrop(Some(hanging.spawn().unwrap()));

    // Issued while the other process is stuck in its rendering: before the
    // fix that rendering held the write lock, so this waited and then failed
    // with "database is locked".
    let issued = json(d, &["invoice", "issue", &other]);
    let number = issued["number"].as_str().unwrap().to_string();
    assert!(number.ends_with("-00001"), "{number}");

    let out = hanging.0.take().unwrap().wait_with_output().unwrap();
    assert!(!out.status.success(), "the looping issue succeeded");
    // The error is the last line; a logged warning may come before it.
    let stderr = String::from_utf8_lossy(&out.stderr);
    let err: Value = serde_json::from_str(stderr.lines().last().unwrap_or_default())
        .unwrap_or_else(|e| panic!("{e}: {stderr}"));
    assert_eq!(err["code"], "document", "{err}");
    let message = err["message"].as_str().unwrap();
    assert!(message.contains("standard-en"), "{message}");
    assert!(message.contains("exceeded its budget"), "{message}");

    // The failed issue took no number and left the draft a draft.
    let shown = json(d, &["invoice", "show", &victim]);
    assert_eq!(shown["status"], "draft");
    assert_eq!(shown["number"], Value::Null);
    let third = customer_with_draft(d, "Third Customer");
    let next = json(d, &["invoice", "issue", &third]);
    assert_eq!(
        next["number"].as_str().unwrap(),
        number.replace("-00001", "-00002")
    );
}

#[cfg(unix)]
#[test]
fn the_data_folder_and_database_are_private_under_umask_022() {
    use std::os::unix::fs::PermissionsExt;
    let root = tempfile::tempdir().unwrap();
    let d = root.path().join("data");
    let bin = std::process::Command::cargo_bin("invoicer").unwrap();
    let bin = bin.get_program().to_str().unwrap().to_string();
    // A shell sets the umask most desktops run with, then becomes the CLI.
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg("umask 022 && exec \"$0\" --json init --company-name Acme --country US --currency USD --admin-email admin@acme.test --admin-name Ada")
        .arg(&bin)
        .env("INVOICER_DATA_DIR", &d)
        .env("INVOICER_PASSWORD", "correct-horse-1")
        .env_remove("INVOICER_LOG")
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&d), 0o700, "data folder");
    let db = d.join("invoicer.db");
    assert_eq!(mode(&db), 0o600, "database");
    for companion in ["invoicer.db-wal", "invoicer.db-shm"] {
        let p = d.join(companion);
        if p.exists() {
            assert_eq!(mode(&p), 0o600, "{companion}");
        }
    }
}

#[cfg(unix)]
#[test]
fn saving_a_pdf_never_follows_a_planted_symlink() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    setup(d);
    let id = customer_with_draft(d, "Someone");
    let out_dir = tempfile::tempdir().unwrap();
    let chosen = out_dir.path().join("invoice.pdf");
    // Another user's file, and symlinks to it where the old code wrote
    // (`invoice.partial`) and at other likely temporary names.
    let victim_dir = tempfile::tempdir().unwrap();
    let victim = victim_dir.path().join("precious.txt");
    // Allowed: a bystander file the test checks survives, not a data file.
    #[allow(clippy::disallowed_methods)]
    std::fs::write(&victim, "keep me").unwrap();
    for planted in ["invoice.partial", "invoice.pdf.partial", "invoice.pdf.tmp"] {
        std::os::unix::fs::symlink(&victim, out_dir.path().join(planted)).unwrap();
    }
    json(
        d,
        &["invoice", "pdf", &id, "--out", chosen.to_str().unwrap()],
    );
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    let pdf = std::fs::read(&chosen).unwrap();
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    assert!(!std::fs::symlink_metadata(&chosen).unwrap().is_symlink());
    // Nothing else was left behind in the folder.
    let mut names: Vec<String> = std::fs::read_dir(out_dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "invoice.partial",
            "invoice.pdf",
            "invoice.pdf.partial",
            "invoice.pdf.tmp"
        ]
    );

    // A symlink at the chosen name itself is replaced by the PDF, not followed.
    let linked = out_dir.path().join("linked.pdf");
    std::os::unix::fs::symlink(&victim, &linked).unwrap();
    json(
        d,
        &["invoice", "pdf", &id, "--out", linked.to_str().unwrap()],
    );
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    assert!(!std::fs::symlink_metadata(&linked).unwrap().is_symlink());
    assert!(std::fs::read(&linked).unwrap().starts_with(b"%PDF-"));
}
