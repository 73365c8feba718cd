//! Reconciliation in process, on a real SQLite file with a moved clock:
//! what a window is told (the "N payments reconciled" notification, the
//! invoices that changed), what a dry run leaves alone, and the audit trail
//! of an applied line on its invoice.

use invoicer_app::api::*;
use invoicer_app::{ChannelSink, ErrorCode};
use invoicer_tests::Fixture;

/// Issues the Foundation draft (total 1672.45 USD): its id and number.
fn issued(f: &Fixture) -> (i64, String) {
    let draft = f.app.create_invoice(&f.admin, &f.draft()).unwrap();
    let inv = f.app.issue_invoice(&f.admin, draft.id).unwrap();
    (draft.id, inv.invoice.number.unwrap())
}

#[allow(clippy::disallowed_methods)]
fn statement(f: &Fixture, text: &str) -> String {
    // The test's own input file in its temp folder: nothing to tear.
    let path = f.dir.path().join("statement.csv");
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

fn input(path: &str, dry_run: bool) -> StatementImportInput {
    StatementImportInput {
        path: path.into(),
        dry_run,
        ..StatementImportInput::default()
    }
}

#[test]
fn an_import_that_applies_payments_notifies_and_its_invoices_change() {
    let f = Fixture::new();
    let (first, n1) = issued(&f);
    let (second, n2) = issued(&f);
    let path = statement(
        &f,
        &format!("date,amount,reference\n2026-11-25,1672.45,{n1}\n2026-11-25,100.00,{n2}\n2026-11-25,5.00,Interest\n"),
    );
    let (sink, events) = ChannelSink::new();
    f.app.subscribe(sink);

    // A dry run tells nobody and changes nothing.
    let dry = f
        .app
        .import_statement(&f.admin, &input(&path, true))
        .unwrap();
    assert_eq!(dry.counts.applied, 2);
    assert!(events.try_recv().is_err());
    assert!(f.app.payments(&f.admin, first).unwrap().is_empty());

    let report = f
        .app
        .import_statement(&f.admin, &input(&path, false))
        .unwrap();
    assert_eq!(report.counts.applied, 2);
    assert_eq!(report.counts.unmatched, 1);
    let got: Vec<AppEvent> = events.try_iter().collect();
    assert!(got.contains(&AppEvent::InvoiceChanged { invoice_id: first }));
    assert!(got.contains(&AppEvent::InvoiceChanged { invoice_id: second }));
    let note = got
        .iter()
        .find_map(|e| match e {
            AppEvent::Notification(n) => Some(n.clone()),
            _ => None,
        })
        .expect("a notification");
    assert_eq!(note.title, "2 payments reconciled");
    assert_eq!(note.topic, "reconciliation");

    // The invoice's activity says where its payment came from.
    let actions: Vec<String> = f
        .app
        .invoice_audit(&f.admin, first)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(
        actions.contains(&"payment.recorded".to_string()),
        "{actions:?}"
    );
    assert!(
        actions.contains(&"reconciliation.applied".to_string()),
        "{actions:?}"
    );
    let paid = f.app.payments(&f.admin, first).unwrap();
    assert_eq!(paid.len(), 1);
    assert_eq!(paid[0].reference.as_deref(), Some(n1.as_str()));
    assert_eq!(paid[0].method, "bank_transfer");

    // Importing it again applies nothing and tells nobody.
    let again = f
        .app
        .import_statement(&f.admin, &input(&path, false))
        .unwrap();
    assert_eq!(again.counts.already_imported, 3);
    assert!(events
        .try_iter()
        .all(|e| !matches!(e, AppEvent::Notification(_))));
    assert!(f.app.verify_audit(&f.admin).unwrap().intact);
}

#[test]
fn a_proposal_for_more_than_the_balance_is_refused_on_confirm_and_stays_waiting() {
    let f = Fixture::new();
    let (id, number) = issued(&f);
    let path = statement(
        &f,
        &format!("date,amount,reference\n2026-11-25,2000.00,{number}\n"),
    );
    let report = f
        .app
        .import_statement(&f.admin, &input(&path, false))
        .unwrap();
    let line = &report.lines[0];
    assert_eq!(line.status, "proposed");
    assert_eq!(line.basis.as_deref(), Some("reference_above_balance"));
    let line_id = line.line_id.unwrap();
    // Overpayments are refused (the payment rules), and the refusal writes nothing.
    let err = f
        .app
        .confirm_statement_line(&f.admin, line_id, None)
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    assert!(f.app.payments(&f.admin, id).unwrap().is_empty());
    let waiting = f.app.statement_matches(&f.admin).unwrap();
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].status, "proposed");
}
