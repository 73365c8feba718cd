//! What the bulk send tests with a real SMTP server share: a company that
//! mails to the test server, a generated file and what it should make, and
//! the checks that every valid invoice was made and emailed exactly once.

// Each test binary uses only part of this module.
#![allow(dead_code)]

use crate::common::{ca_sales_tax, cli, init, json};
use invoicer_test_smtp::TestSmtp;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The generator of realistic bulk files, with `--bad-every N` faults.
pub fn generator() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/bulk/gen_bulk_csv.py")
}

/// A company that invoices in the generator's currencies and mails through
/// the test server on `port`, from `billing@acme.test`.
pub fn company_mailing_to(d: &Path, port: u16) {
    init(d, "Acme", "US", Some("CA"), "USD");
    ca_sales_tax(d);
    for c in ["EUR", "GBP", "PLN"] {
        json(
            d,
            &["settings", "rate-add", c, "1.10", "--from", "2026-01-01"],
        );
    }
    crate::common::mail_through(d, port);
}

/// A generated file and what the generator put in it.
pub struct Generated {
    /// The file.
    pub path: PathBuf,
    /// Every invoice key of the file.
    pub keys: BTreeSet<String>,
    /// Every valid invoice's key, with its customer's email.
    pub email_of: BTreeMap<String, String>,
    /// The keys of the invoices the generator made faulty (its `note`
    /// column): a missing tax id on one row makes that invoice's rows
    /// disagree, so every one of them is invalid.
    pub faulty: BTreeSet<String>,
    /// The invoice key of each line of the file (the header is line 1).
    pub key_of_line: BTreeMap<u64, String>,
    /// The fault the generator names on a faulty invoice's first row.
    pub fault_of: BTreeMap<String, String>,
}

impl Generated {
    /// The keys of the invoices every row of which is valid.
    pub fn valid(&self) -> BTreeSet<String> {
        self.keys.difference(&self.faulty).cloned().collect()
    }

    /// The customer emails of the valid invoices.
    pub fn valid_emails(&self) -> BTreeSet<String> {
        self.valid()
            .iter()
            .map(|k| self.email_of[k].clone())
            .collect()
    }
}

/// Generates `rows` rows into `d/export.csv` with a fault in every
/// `bad_every`-th invoice, and reads back what it wrote.
pub fn generate(d: &Path, rows: u32, bad_every: u32) -> Generated {
    let path = d.join("export.csv");
    let made = std::process::Command::new("python3")
        .arg(generator())
        .arg(rows.to_string())
        .arg(&path)
        .args(["--bad-every", &bad_every.to_string()])
        .status()
        .unwrap();
    assert!(made.success());
    let mut reader = csv::Reader::from_path(&path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (key, note, email) = (column("invoice_ref"), column("note"), column("email"));
    let mut g = Generated {
        path: path.clone(),
        keys: BTreeSet::new(),
        email_of: BTreeMap::new(),
        faulty: BTreeSet::new(),
        key_of_line: BTreeMap::new(),
        fault_of: BTreeMap::new(),
    };
    for (i, r) in reader.records().enumerate() {
        let r = r.unwrap();
        g.key_of_line.insert(i as u64 + 2, r[key].to_string());
        g.keys.insert(r[key].to_string());
        if r[note].is_empty() {
            g.email_of.insert(r[key].to_string(), r[email].to_string());
        } else {
            g.faulty.insert(r[key].to_string());
            g.fault_of.insert(r[key].to_string(), r[note].to_string());
        }
    }
    for k in &g.faulty {
        g.email_of.remove(k);
    }
    g
}

/// The only bulk job's id.
pub fn the_job(d: &Path) -> i64 {
    let jobs = json(d, &["bulk", "list"]);
    assert_eq!(jobs.as_array().unwrap().len(), 1, "{jobs}");
    jobs[0]["id"].as_i64().unwrap()
}

/// A job's report (`bulk report ID`).
pub fn report(d: &Path, job: i64) -> Value {
    json(d, &["bulk", "report", &job.to_string()])
}

/// Every delivery.
pub fn deliveries(d: &Path) -> Vec<Value> {
    json(d, &["deliveries", "list", "--limit", "10000"])["rows"]
        .as_array()
        .unwrap()
        .clone()
}

/// Every invoice, whatever its status.
pub fn invoices(d: &Path) -> Vec<Value> {
    let page = json(d, &["invoice", "list", "--page-size", "10000"]);
    let items = page["items"].as_array().unwrap().clone();
    assert_eq!(page["total_count"].as_u64().unwrap() as usize, items.len());
    items
}

/// The recipients of every message the server accepted, with how many
/// each received.
pub fn received(server: &TestSmtp) -> BTreeMap<String, usize> {
    let mut by = BTreeMap::new();
    for e in server.envelopes() {
        for to in e.rcpt_to {
            *by.entry(to).or_insert(0) += 1;
        }
    }
    by
}

/// The database passes SQLite's integrity check and the audit chain
/// verifies.
pub fn intact(d: &Path) {
    let db = rusqlite::Connection::open(d.join("invoicer.db")).unwrap();
    let check: String = db
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let verified = cli(d).args(["audit", "verify"]).output().unwrap();
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stdout)
    );
}

/// What a finished job made of `g`, checked against the database: every
/// valid invoice made exactly once (one customer each, no draft left
/// behind, issued ones numbered without a gap, one email queued per issued
/// one), every faulty one refused, nothing pending or failed. Returns the
/// emails of the issued invoices' customers.
pub fn made_exactly_once(d: &Path, job: i64, g: &Generated) -> BTreeSet<String> {
    let r = report(d, job);
    let c = &r["job"]["counts"];
    assert_eq!(r["job"]["status"], "finished", "{r}");
    let n = |k: &str| c[k].as_u64().unwrap() as usize;
    assert_eq!(n("invoices"), g.keys.len(), "{c}");
    assert_eq!(n("invalid"), g.faulty.len(), "{c}");
    assert_eq!(n("pending"), 0, "{c}");
    assert_eq!(n("failed"), 0, "{c}");
    assert_eq!(n("already_invoiced"), 0, "{c}");
    // No row lost: every invoice of the file has its outcome.
    assert_eq!(
        n("queued_for_sending") + n("awaiting_approval") + n("invalid"),
        n("invoices"),
        "{c}"
    );
    let valid = g.valid();
    assert!(n("awaiting_approval") > 0, "some wait for an approver: {c}");
    assert!(n("queued_for_sending") > 0, "{c}");

    // One customer per valid invoice, none for a faulty one.
    let customers: Vec<String> = json(d, &["customer", "list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["email"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(customers.len(), valid.len(), "no customer twice");
    assert_eq!(
        customers.iter().cloned().collect::<BTreeSet<_>>(),
        g.valid_emails()
    );

    // One invoice per valid invoice key: each customer has exactly one.
    let all = invoices(d);
    assert_eq!(all.len(), valid.len(), "no invoice twice, none lost");
    let per_customer: BTreeSet<i64> = all
        .iter()
        .map(|i| i["customer_id"].as_i64().unwrap())
        .collect();
    assert_eq!(per_customer.len(), all.len());
    let status = |s: &str| all.iter().filter(|i| i["status"] == s).count();
    assert_eq!(status("issued"), n("queued_for_sending"), "{c}");
    assert_eq!(status("pending_approval"), n("awaiting_approval"), "{c}");

    // Issued invoices are numbered 1..=n without a gap: a rolled-back
    // invoice gave its number back.
    let mut numbers: Vec<u64> = all
        .iter()
        .filter_map(|i| i["number"].as_str())
        .map(|s| s.rsplit('-').next().unwrap().parse().unwrap())
        .collect();
    numbers.sort_unstable();
    assert_eq!(
        numbers,
        (1..=status("issued") as u64).collect::<Vec<_>>(),
        "no gap, no number twice"
    );

    // One email per issued invoice, to its customer.
    let issued_customers: BTreeSet<i64> = all
        .iter()
        .filter(|i| i["status"] == "issued")
        .map(|i| i["customer_id"].as_i64().unwrap())
        .collect();
    let email_of_customer: BTreeMap<i64, String> = json(d, &["customer", "list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_i64().unwrap(),
                c["email"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let issued_emails: BTreeSet<String> = issued_customers
        .iter()
        .map(|id| email_of_customer[id].clone())
        .collect();
    let queued = deliveries(d);
    assert_eq!(queued.len(), issued_emails.len(), "one delivery each");
    let to: BTreeSet<String> = queued
        .iter()
        .map(|q| q["to"][0].as_str().unwrap().to_string())
        .collect();
    assert_eq!(to, issued_emails);
    issued_emails
}

/// Sending the same file again makes and sends nothing: the new job finds
/// every valid invoice already invoiced and refuses the same faulty ones.
pub fn a_second_run_makes_and_sends_nothing(d: &Path, g: &Generated, server: &TestSmtp) {
    let messages = server.messages().len();
    let invoices_before = invoices(d).len();
    let deliveries_before = deliveries(d).len();
    let again = json(d, &["bulk", "send", g.path.to_str().unwrap()]);
    let c = &again["job"]["counts"];
    assert_eq!(again["job"]["status"], "finished", "{again}");
    assert_eq!(
        c["already_invoiced"].as_u64().unwrap() as usize,
        g.valid().len(),
        "{c}"
    );
    assert_eq!(c["invalid"].as_u64().unwrap() as usize, g.faulty.len());
    for k in [
        "queued_for_sending",
        "awaiting_approval",
        "issued",
        "failed",
    ] {
        assert_eq!(c[k], 0, "{k}: {c}");
    }
    json(d, &["jobs", "run", "--once"]);
    assert_eq!(invoices(d).len(), invoices_before);
    assert_eq!(deliveries(d).len(), deliveries_before);
    assert_eq!(server.messages().len(), messages, "nothing sent again");
}
