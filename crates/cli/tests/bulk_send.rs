//! `invoicer bulk send FILE` for real, with a real SMTP server on loopback:
//! a generated export with a fault in every third invoice becomes issued
//! invoices in their customers' inboxes, each once with its PDF; the faulty
//! rows are in the report's CSV, neutralised for spreadsheets; invoices over
//! the approval threshold wait for an approver; sending the file again
//! sends nothing; a throttle holds emails back.

mod bulk_files;
mod common;

use bulk_files::{
    a_second_run_makes_and_sends_nothing, company_mailing_to, deliveries, generate, intact,
    invoices, made_exactly_once, received, report, the_job,
};
use common::{cli, json};
use invoicer_test_smtp::{Behaviour, TestSmtp};
use mail_parser::{MessageParser, MimeHeaders};
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

#[test]
fn every_valid_invoice_is_issued_and_emailed_once_with_its_pdf_and_a_rerun_sends_nothing() {
    let server = TestSmtp::start(Behaviour::Accept);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    company_mailing_to(d, server.port());
    let g = generate(d, 150, 3);
    assert_eq!(g.keys.len(), 50);
    assert_eq!(g.faulty.len(), 16);

    let sent = json(d, &["bulk", "send", g.path.to_str().unwrap()]);
    let job = the_job(d);
    assert_eq!(sent["job"]["id"], job);
    let issued_emails = made_exactly_once(d, job, &g);
    let c = &report(d, job)["job"]["counts"];
    assert_eq!(
        c["sent"], c["queued_for_sending"],
        "bulk send's outbox pass sent them all: {c}"
    );

    // At the server: one message per issued invoice, to its customer, with
    // its own PDF attached.
    let messages = server.wait_for_messages(issued_emails.len(), Duration::from_secs(60));
    assert_eq!(messages.len(), issued_emails.len());
    let got = received(&server);
    assert_eq!(got.keys().cloned().collect::<BTreeSet<_>>(), issued_emails);
    assert!(got.values().all(|&n| n == 1), "{got:?}");
    let number_for: BTreeMap<String, String> = deliveries(d)
        .iter()
        .map(|q| {
            (
                q["to"][0].as_str().unwrap().to_string(),
                q["invoice_number"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for raw in &messages {
        let msg = MessageParser::default().parse(raw).unwrap();
        let to = msg.to().unwrap().first().unwrap().address().unwrap();
        let number = &number_for[to];
        assert!(msg.subject().unwrap().contains(number.as_str()));
        let pdf = msg.attachments().next().expect("the PDF is attached");
        assert_eq!(
            pdf.attachment_name(),
            Some(format!("{number}.pdf").as_str())
        );
        assert!(pdf.contents().starts_with(b"%PDF-"), "{number}");
    }

    // The faulty invoices are in the report's CSV, by line, and a value a
    // spreadsheet would run (a negative quantity, `-3`) is neutralised.
    let errors = d.join("errors.csv");
    json(
        d,
        &[
            "bulk",
            "report",
            &job.to_string(),
            "--out",
            errors.to_str().unwrap(),
        ],
    );
    let mut reader = csv::Reader::from_path(&errors).unwrap();
    assert_eq!(
        reader.headers().unwrap(),
        vec!["line", "column", "value", "reason"]
    );
    let mut reported = BTreeSet::new();
    let mut neutralised = 0;
    for r in reader.records() {
        let r = r.unwrap();
        let line: u64 = r[0].parse().unwrap();
        let key = g.key_of_line[&line].clone();
        for cell in r.iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "line {line}: {cell:?} would run in a spreadsheet"
            );
        }
        if g.fault_of.get(&key).map(String::as_str) == Some("negative_quantity")
            && &r[1] == "quantity"
        {
            assert_eq!(&r[2], "'-3");
            neutralised += 1;
        }
        reported.insert(key);
    }
    assert_eq!(reported, g.faulty, "exactly the faulty invoices");
    assert!(neutralised > 0, "the file has negative quantities");

    // Sending it again: the text says how many were already invoiced, and
    // nothing is made or sent.
    let again = cli(d)
        .arg("bulk")
        .arg("send")
        .arg(&g.path)
        .output()
        .unwrap();
    assert!(again.status.success());
    let text = String::from_utf8_lossy(&again.stdout);
    assert!(
        text.contains(&format!(
            "{} invoices of this file were already invoiced",
            g.valid().len()
        )),
        "{text}"
    );
    assert_eq!(server.messages().len(), issued_emails.len());
    a_second_run_makes_and_sends_nothing(d, &g, &server);
    intact(d);
}

#[test]
fn an_invoice_over_the_threshold_is_emailed_only_once_an_approver_approves_it() {
    let server = TestSmtp::start(Behaviour::Accept);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    company_mailing_to(d, server.port());
    let added = cli(d)
        .env("ANN_PASSWORD", "approver-pass-1")
        .args([
            "--json",
            "user",
            "add",
            "--email",
            "ann@acme.test",
            "--name",
            "Ann Approver",
            "--role",
            "approver",
            "--password-env",
            "ANN_PASSWORD",
        ])
        .output()
        .unwrap();
    assert!(added.status.success());
    let g = generate(d, 30, 0);
    json(d, &["bulk", "send", g.path.to_str().unwrap()]);
    let waiting: Vec<_> = invoices(d)
        .into_iter()
        .filter(|i| i["status"] == "pending_approval")
        .collect();
    assert!(!waiting.is_empty(), "the generator makes some over 10,000");
    let before = server.messages().len();
    assert_eq!(before, deliveries(d).len(), "only the others were emailed");

    let id = waiting[0]["id"].as_i64().unwrap().to_string();
    let approved = cli(d)
        .env("INVOICER_USER", "ann@acme.test")
        .env("INVOICER_PASSWORD", "approver-pass-1")
        .args(["--json", "invoice", "approve", &id])
        .output()
        .unwrap();
    assert!(
        approved.status.success(),
        "{}",
        String::from_utf8_lossy(&approved.stderr)
    );
    for _ in 0..2 {
        json(d, &["jobs", "run", "--once"]);
    }
    let after = server.wait_for_messages(before + 1, Duration::from_secs(60));
    assert_eq!(after.len(), before + 1, "the approved one, once");
    let msg = MessageParser::default().parse(&after[before]).unwrap();
    let number = json(d, &["invoice", "show", &id])["number"]
        .as_str()
        .expect("issued by the approval")
        .to_string();
    assert!(msg.subject().unwrap().contains(&number));
    assert!(msg.attachments().next().is_some(), "with its PDF");
    intact(d);
}

#[test]
fn a_throttle_of_one_a_minute_sends_the_first_email_and_holds_the_rest_a_minute_apart() {
    let server = TestSmtp::start(Behaviour::Accept);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    company_mailing_to(d, server.port());
    // Every invoice under the threshold, so every one is emailed.
    json(d, &["settings", "set", "approval_threshold", "1000000"]);
    let g = generate(d, 30, 0);
    let sent = json(
        d,
        &["bulk", "send", g.path.to_str().unwrap(), "--throttle", "1"],
    );
    assert_eq!(sent["job"]["throttle_per_minute"], 1);
    assert_eq!(sent["job"]["counts"]["queued_for_sending"], 10, "{sent}");
    // Another pass now sends nothing more: the rest are not due.
    json(d, &["jobs", "run", "--once"]);
    assert_eq!(
        server.wait_for_messages(1, Duration::from_secs(60)).len(),
        1
    );
    let all = deliveries(d);
    assert_eq!(all.len(), 10);
    assert_eq!(all.iter().filter(|q| q["status"] == "sent").count(), 1);
    let sent_at = all
        .iter()
        .find(|q| q["status"] == "sent")
        .map(|q| parse(q["updated_at"].as_str().unwrap()))
        .unwrap();
    let mut held: Vec<_> = all
        .iter()
        .filter(|q| q["status"] != "sent")
        .map(|q| {
            assert_eq!(q["status"], "queued", "{q}");
            parse(q["next_attempt_at"].as_str().unwrap())
        })
        .collect();
    held.sort();
    assert!(held[0] > sent_at, "held until later");
    for pair in held.windows(2) {
        assert_eq!(
            pair[1] - pair[0],
            chrono::Duration::minutes(1),
            "a minute apart"
        );
    }
    assert_eq!(server.messages().len(), 1);
}

fn parse(t: &str) -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339(t).unwrap()
}

#[test]
fn a_file_of_more_invoices_than_one_batch_of_the_sender_is_sent_whole() {
    // The sender takes 1,000 due emails a pass; `bulk send` of 1,002
    // invoices used to leave the last two queued.
    let server = TestSmtp::start(Behaviour::Sink);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    company_mailing_to(d, server.port());
    json(d, &["settings", "set", "approval_threshold", "1000000000"]);
    let g = generate(d, 3_006, 0);
    assert_eq!(g.keys.len(), 1_002);
    let sent = json(d, &["bulk", "send", g.path.to_str().unwrap()]);
    let c = &sent["job"]["counts"];
    assert_eq!(c["queued_for_sending"], 1_002, "{c}");
    assert_eq!(c["sent"], 1_002, "every email went: {c}");
    let all = deliveries(d);
    assert_eq!(all.len(), 1_002);
    assert!(all.iter().all(|q| q["status"] == "sent"));
}
