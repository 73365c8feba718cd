//! Bulk send through the app's API on a real data folder: a file becomes a
//! job that issues and queues every valid invoice once, routes high-value
//! ones to an approver, lists every invalid one, refuses a file that changed
//! since its check, cancels, throttles its emails and resumes after the
//! process that ran it is gone. Emails go to the outbox folder (no SMTP
//! configured), which is what a fresh install does.

use chrono::Duration;
use invoicer_app::api::*;
use invoicer_app::{ErrorCode, Invoicer};
use invoicer_tests::Fixture;
use std::path::{Path, PathBuf};

const HEADER: &str = "invoice_ref,customer_name,email,address_line1,city,region,postal_code,country,issue_date,description,quantity,unit_price,po_number\n";

/// A customer row of `key` for `who` (a new customer in California).
fn row(key: &str, who: &str, description: &str, qty: &str, price: &str) -> String {
    format!(
        "{key},{who},{}@example.test,1 Main St,San Francisco,CA,94105,US,2026-11-20,{description},{qty},{price},PO-{key}\n",
        who.to_lowercase().replace(' ', ".")
    )
}

/// Four invoices: D-1 (two lines), D-2, D-3 over the approval threshold and
/// D-4 with a zero quantity.
fn sample() -> String {
    let mut s = String::from(HEADER);
    s += &row("D-1", "Ann Lee", "Consulting", "10", "150.00");
    s += &row("D-2", "Bo Chan", "Hosting", "1", "49.99");
    s += &row("D-1", "Ann Lee", "Hosting", "1", "0.0125");
    s += &row("D-3", "Cy Diaz", "Platform licence", "1", "25000.00");
    s += &row("D-4", "Di Eng", "Support", "0", "80.00");
    s
}

/// Writes the CSV file the user would pick.
fn write(f: &Fixture, name: &str, text: &str) -> PathBuf {
    let path = f.dir.path().join(name);
    invoicer_app::write_document(&path, text.as_bytes()).unwrap();
    path
}

fn check(f: &Fixture, path: &Path) -> (BulkCheckInput, BulkCheckReport) {
    let input = BulkCheckInput {
        path: path.display().to_string(),
        ..BulkCheckInput::default()
    };
    let report = f.app.check_bulk_file(&f.admin, &input).expect("check");
    assert!(report.needs_confirmation.is_empty(), "{report:?}");
    (input, report)
}

fn start(f: &Fixture, path: &Path, throttle: Option<u32>) -> BulkJobView {
    let (input, report) = check(f, path);
    f.app
        .start_bulk_job(
            &f.admin,
            &BulkStartInput {
                check: input,
                sha256: report.sha256,
                send: true,
                throttle_per_minute: throttle,
            },
        )
        .expect("start")
}

fn report(app: &Invoicer, f: &Fixture, job_id: i64) -> BulkJobReport {
    app.bulk_job_report(
        &f.admin,
        &BulkReportQuery {
            job_id,
            ..BulkReportQuery::default()
        },
    )
    .expect("report")
}

fn ready() -> Fixture {
    let f = Fixture::new();
    f.set_up_email();
    f
}

#[test]
fn a_run_issues_and_queues_every_valid_invoice_once_and_names_every_invalid_one() {
    let f = ready();
    let path = write(&f, "deals.csv", &sample());
    let job = start(&f, &path, None);
    assert_eq!(job.status, "running");
    assert_eq!((job.counts.invoices, job.counts.invalid), (4, 1));

    let run = f
        .app
        .run_bulk_jobs()
        .unwrap()
        .expect("this process runs it");
    assert_eq!((run.handled, run.failed), (3, 0));
    f.app.run_jobs_once().unwrap();

    let r = report(&f.app, &f, job.id);
    let c = r.job.counts;
    assert_eq!(r.job.status, "finished");
    assert_eq!(
        (c.queued_for_sending, c.awaiting_approval, c.invalid, c.sent),
        (2, 1, 1, 2)
    );
    // The invalid invoice's problem names its line, column and value.
    let p = &r.problems[0];
    assert_eq!(
        (p.line, p.column.as_deref(), p.value.as_str()),
        (6, Some("quantity"), "0")
    );
    // One email per issued invoice, with gapless numbers in file order.
    assert_eq!(f.outbox_files().len(), 2);
    let numbers: Vec<Option<String>> = r
        .invoices
        .iter()
        .map(|i| i.invoice_number.clone())
        .collect();
    assert_eq!(
        numbers,
        [
            Some("INV-2026-00001".to_string()),
            Some("INV-2026-00002".to_string()),
            None,
            None
        ]
    );
    // Two rows of D-1 became one invoice with two lines; the sub-cent price
    // is kept exactly, and the PO number is printed in the notes.
    let d1 = f
        .app
        .invoice(&f.admin, r.invoices[0].invoice_id.unwrap())
        .unwrap();
    assert_eq!(d1.lines.len(), 2);
    assert_eq!(d1.lines[1].unit_price, "0.0125");
    assert_eq!(d1.notes.as_deref(), Some("Purchase order: PO-D-1"));
    assert_eq!(d1.customer.email, "ann.lee@example.test");
    // The new customers were created once each.
    let customers = f.app.customers(&f.admin, None).unwrap();
    assert_eq!(customers.len(), 1 + 3);
    // The job acted for the admin who started it, as system:bulk_send.
    let audit = f.app.invoice_audit(&f.admin, d1.id).unwrap();
    let by_job: Vec<&str> = audit
        .iter()
        .filter(|e| e.actor.as_deref() == Some("system:bulk_send"))
        .map(|e| e.action.as_str())
        .collect();
    assert_eq!(
        by_job,
        ["invoice.created", "invoice.issued", "delivery.queued"]
    );
    assert_eq!(d1.created_by, "admin@acme.test");
    assert!(f.app.verify_audit(&f.admin).unwrap().intact);
}

#[test]
fn running_the_same_file_again_makes_and_sends_nothing_and_says_so() {
    let f = ready();
    let path = write(&f, "deals.csv", &sample());
    start(&f, &path, None);
    f.app.run_bulk_jobs().unwrap();
    f.app.run_jobs_once().unwrap();
    let again = start(&f, &path, None);
    f.app.run_bulk_jobs().unwrap();
    f.app.run_jobs_once().unwrap();
    let c = report(&f.app, &f, again.id).job.counts;
    assert_eq!(
        (c.already_invoiced, c.queued_for_sending, c.invalid),
        (3, 0, 1)
    );
    assert_eq!(f.outbox_files().len(), 2);
    let page = f
        .app
        .list_invoices(&f.admin, &InvoiceQuery::default())
        .unwrap();
    assert_eq!(page.total_count, 3);
}

#[test]
fn a_file_changed_since_its_check_is_refused_and_nothing_is_made() {
    let f = ready();
    let path = write(&f, "deals.csv", &sample());
    let (input, report) = check(&f, &path);
    invoicer_app::write_document(&path, sample().replace("150.00", "1500.00").as_bytes()).unwrap();
    let err = f
        .app
        .start_bulk_job(
            &f.admin,
            &BulkStartInput {
                check: input,
                sha256: report.sha256,
                send: true,
                throttle_per_minute: None,
            },
        )
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict);
    assert!(f.app.bulk_jobs(&f.admin).unwrap().is_empty());
}

#[test]
fn a_cancelled_job_makes_nothing_more_and_cannot_resume() {
    let f = ready();
    let path = write(&f, "deals.csv", &sample());
    let job = start(&f, &path, None);
    let cancelled = f.app.cancel_bulk_job(&f.admin, job.id).unwrap();
    assert_eq!(
        (cancelled.status.as_str(), cancelled.can_cancel),
        ("cancelled", false)
    );
    f.app.run_bulk_jobs().unwrap();
    let c = report(&f.app, &f, job.id).job.counts;
    assert_eq!((c.pending, c.queued_for_sending), (3, 0));
    let err = f.app.resume_bulk_job(&f.admin, job.id).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidState);
}

#[test]
fn a_bulk_invoice_over_the_threshold_is_sent_when_someone_else_approves_it() {
    let f = ready();
    let path = write(&f, "deals.csv", &sample());
    let job = start(&f, &path, None);
    f.app.run_bulk_jobs().unwrap();
    let waiting = report(&f.app, &f, job.id)
        .invoices
        .into_iter()
        .find(|i| i.status == "awaiting_approval")
        .unwrap();
    let id = waiting.invoice_id.unwrap();
    // The admin started the job, so they are the maker: four eyes.
    let err = f.app.approve_invoice(&f.admin, id).unwrap_err();
    assert_eq!(err.code, ErrorCode::Forbidden);
    let approver = f.user("approver@acme.test", Role::Approver);
    let screen = f.app.approve_invoice(&approver, id).unwrap();
    assert_eq!(screen.invoice.status, InvoiceStatus::Issued);
    assert!(screen.invoice.number.is_some());
    f.app.run_jobs_once().unwrap();
    let r = report(&f.app, &f, job.id);
    assert_eq!(
        (
            r.job.counts.awaiting_approval,
            r.job.counts.queued_for_sending,
            r.job.counts.sent
        ),
        (0, 3, 3)
    );
    assert_eq!(f.outbox_files().len(), 3);
}

#[test]
fn a_bulk_invoice_over_the_second_level_waits_for_two_approvers_and_is_emailed_once() {
    let f = ready();
    let mut text = String::from(HEADER);
    text += &row("B-1", "Ann Lee", "Platform licence", "1", "150000.00");
    let path = write(&f, "big.csv", &text);
    let job = start(&f, &path, None);
    f.app.run_bulk_jobs().unwrap();
    let id = report(&f.app, &f, job.id).invoices[0].invoice_id.unwrap();
    let screen = f.app.invoice(&f.admin, id).unwrap();
    assert_eq!(screen.status, InvoiceStatus::PendingApproval);
    let approval = screen.approval.expect("the approval status");
    assert_eq!(approval.approvers_required, 2);
    // A job that sends makes its invoices sent on approval.
    assert!(approval.send_on_approval);
    let queue = f.app.approval_queue(&f.admin).unwrap();
    assert_eq!(queue.rows[0].source, "bulk");

    let first = f.user("first@acme.test", Role::Approver);
    let second = f.user("second@acme.test", Role::Approver);
    let after_one = f.app.approve_invoice(&first, id).unwrap().invoice;
    assert_eq!(after_one.status, InvoiceStatus::PendingApproval);
    f.app.run_jobs_once().unwrap();
    assert!(
        f.outbox_files().is_empty(),
        "nothing is sent after one level"
    );
    assert_eq!(report(&f.app, &f, job.id).job.counts.awaiting_approval, 1);

    let done = f.app.approve_invoice(&second, id).unwrap().invoice;
    assert_eq!(done.status, InvoiceStatus::Issued);
    f.app.run_jobs_once().unwrap();
    f.app.run_jobs_once().unwrap();
    assert_eq!(f.outbox_files().len(), 1);
    let r = report(&f.app, &f, job.id);
    assert_eq!((r.job.counts.awaiting_approval, r.job.counts.sent), (0, 1));
}

#[test]
fn a_throttled_job_holds_each_email_until_its_slot() {
    let f = ready();
    let mut text = String::from(HEADER);
    for i in 1..=3 {
        text += &row(&format!("T-{i}"), "Ann Lee", "Hosting", "1", "10.00");
    }
    let path = write(&f, "small.csv", &text);
    start(&f, &path, Some(2));
    f.app.run_bulk_jobs().unwrap();
    f.app.run_jobs_once().unwrap();
    // Two a minute: the first goes now, the next 30 s later, then 60 s.
    assert_eq!(f.outbox_files().len(), 1);
    f.clock.advance(Duration::seconds(30));
    f.app.run_jobs_once().unwrap();
    assert_eq!(f.outbox_files().len(), 2);
    f.clock.advance(Duration::seconds(30));
    f.app.run_jobs_once().unwrap();
    assert_eq!(f.outbox_files().len(), 3);
}

#[test]
fn a_row_that_cannot_be_read_refuses_its_whole_invoice_not_only_the_row() {
    let f = ready();
    let mut text = sample();
    // D-2 gets a second row with one column too many.
    text += &row("D-2", "Bo Chan", "Extra", "1", "5.00").replace("\n", ",surplus\n");
    let path = write(&f, "broken.csv", &text);
    let job = start(&f, &path, None);
    f.app.run_bulk_jobs().unwrap();
    let r = report(&f.app, &f, job.id);
    let d2 = r.invoices.iter().find(|i| i.invoice_key == "D-2").unwrap();
    assert_eq!(d2.status, "invalid");
    assert!(r
        .problems
        .iter()
        .any(|p| p.line == 7 && p.reason.contains("14 columns, but the header has 13")));
}

#[test]
fn a_job_left_running_by_a_process_that_died_resumes_on_the_next_start() {
    let f = ready();
    let path = write(&f, "deals.csv", &sample());
    let job = start(&f, &path, None);
    // A second process on the same folder: this one never ran the job, so
    // the job is an orphan to it once it takes the runner lock.
    let other = Invoicer::open(f.dir.path(), f.clock.clone()).unwrap();
    other.run_bulk_jobs().unwrap().expect("the lock is free");
    let r = report(&other, &f, job.id);
    assert_eq!(
        (r.job.status.as_str(), r.job.counts.pending),
        ("finished", 0)
    );
    let audit = other.verify_audit(&f.admin).unwrap();
    assert!(audit.intact);
}

#[test]
fn a_problem_found_on_a_field_names_the_column_that_fills_it() {
    let f = ready();
    // A CRM's header for the email column.
    let text = sample()
        .replace(",email,", ",Contact Email,")
        .replace("ann.lee@example.test", "not-an-email");
    let path = write(&f, "emails.csv", &text);
    let (_, checked) = check(&f, &path);
    let p = checked
        .problems
        .iter()
        .find(|p| p.field == "email")
        .unwrap();
    assert_eq!((p.line, p.column.as_deref()), (2, Some("Contact Email")));
    let job = start(&f, &path, None);
    let stored = report(&f.app, &f, job.id).problems;
    assert!(
        stored
            .iter()
            .any(|p| p.line == 2 && p.column.as_deref() == Some("Contact Email")),
        "{stored:?}"
    );
}

#[test]
fn the_problems_download_neutralises_cells_a_spreadsheet_would_run() {
    let f = ready();
    let mut text = sample();
    text += &row("D-5", "Ed Fox", "=HYPERLINK(\"http://x\")", "-1", "5.00");
    let path = write(&f, "evil.csv", &text);
    let job = start(&f, &path, None);
    let csv = String::from_utf8(f.app.bulk_job_problems_csv(&f.admin, job.id).unwrap()).unwrap();
    assert!(csv.starts_with("line,column,value,reason\n"), "{csv}");
    assert!(csv.contains("\n7,quantity,'-1,"), "{csv}");
    assert!(!csv.contains(",=HYPERLINK"), "{csv}");
}

#[test]
fn the_preview_is_the_nth_invoice_the_file_would_make_as_a_draft_pdf() {
    let f = ready();
    let path = write(&f, "deals.csv", &sample());
    let (input, _) = check(&f, &path);
    let pdf = f.app.bulk_preview_pdf(&f.admin, &input, 1).unwrap();
    assert!(pdf.bytes.starts_with(b"%PDF-"));
    assert_eq!(pdf.file_name, "preview D-2.pdf");
    // Three invoices would be made (D-4 is invalid): index 3 is past them.
    let err = f.app.bulk_preview_pdf(&f.admin, &input, 3).unwrap_err();
    assert_eq!(err.details.unwrap()[0].field, "index");
    // A preview writes nothing.
    assert!(f.app.bulk_jobs(&f.admin).unwrap().is_empty());
    assert_eq!(f.app.customers(&f.admin, None).unwrap().len(), 1);
}

#[test]
fn a_job_whose_file_copy_is_gone_stops_interrupted_and_resumes_when_asked() {
    let f = ready();
    let path = write(&f, "deals.csv", &sample());
    let job = start(&f, &path, None);
    let kept = f
        .dir
        .path()
        .join("bulk-files")
        .join(format!("{}.csv", job.file_sha256));
    // The kept copy disappears (a person cleaning the data folder).
    let bytes = std::fs::read(&kept).unwrap();
    std::fs::remove_file(&kept).unwrap();
    f.app.run_bulk_jobs().unwrap();
    let stopped = report(&f.app, &f, job.id).job;
    assert_eq!(
        (stopped.status.as_str(), stopped.can_resume),
        ("interrupted", true)
    );
    assert_eq!(stopped.counts.pending, 3);
    invoicer_app::write_document(&kept, &bytes).unwrap();
    let resumed = f.app.resume_bulk_job(&f.admin, job.id).unwrap();
    assert_eq!(resumed.status, "running");
    f.app.run_bulk_jobs().unwrap();
    let done = report(&f.app, &f, job.id).job;
    assert_eq!(
        (done.status.as_str(), done.counts.queued_for_sending),
        ("finished", 2)
    );
}

#[test]
fn a_rule_for_every_bulk_invoice_is_counted_by_the_dry_run_and_applied_by_the_run() {
    let f = ready();
    let mut patch = serde_json::Map::new();
    patch.insert(
        "approval_rules".into(),
        serde_json::json!({
            "every_invoice": false,
            "levels": [{"from": "10000.00", "approvers": 1}],
            "scoped": [{"scope": {"source": "bulk"}, "from": null, "approvers": 1}]
        }),
    );
    f.app.update_settings(&f.admin, &patch).unwrap();
    let path = write(&f, "deals.csv", &sample());
    let (_, checked) = check(&f, &path);
    // All three valid invoices, small ones too, wait for an approver.
    assert_eq!((checked.invoices, checked.needs_approval), (3, 3));
    let job = start(&f, &path, None);
    f.app.run_bulk_jobs().unwrap();
    let c = report(&f.app, &f, job.id).job.counts;
    assert_eq!((c.awaiting_approval, c.queued_for_sending), (3, 0));
}
