//! The approval workflow through the app's one API on a real data folder:
//! Issue makes a high-value draft wait, four eyes across levels, the final
//! approval issues with a number and an archived PDF, rejections the maker
//! sees, edits voiding decisions, the queue, batch approval, events and the
//! audit's figures.

use invoicer_app::api::*;
use invoicer_app::{ChannelSink, ErrorCode, Session};
use invoicer_tests::{california_customer, line, pdftotext, Fixture};

/// A draft of `hours` consulting hours at 150.00 (plus California tax).
fn hours(f: &Fixture, hours: &str) -> DraftInput {
    DraftInput {
        customer_id: f.customer.id,
        issue_date: None,
        terms_days: None,
        notes: None,
        template: None,
        lines: vec![line("Consulting", hours, "150.00", None)],
    }
}

fn events(f: &Fixture, id: i64, action: &str) -> Vec<serde_json::Value> {
    f.app
        .invoice_audit(&f.admin, id)
        .unwrap()
        .into_iter()
        .filter(|e| e.action == action)
        .map(|e| serde_json::from_str(&e.data).unwrap())
        .collect()
}

/// "12,345.67" from "12345.67": the amount as a notification prints it.
fn grouped(amount: &str) -> String {
    let (int, frac) = amount.split_once('.').unwrap_or((amount, ""));
    let mut out = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    format!("{out}.{frac}")
}

/// A customer billed in `currency`, in a country with no tax rate.
fn foreign_customer(f: &Fixture, country: &str, currency: &str) -> CustomerView {
    let mut c = california_customer();
    c.name = format!("Customer in {country}");
    c.email = format!("billing@{}.test", country.to_lowercase());
    c.region = None;
    c.country = country.into();
    c.currency = Some(currency.into());
    f.app.create_customer(&f.admin, &c).unwrap()
}

fn set_rate(f: &Fixture, currency: &str, rate: &str) {
    let mut company = f.app.company(&f.admin).unwrap();
    company.exchange_rates.push(ExchangeRateView {
        currency: currency.into(),
        rate: rate.into(),
        valid_from: "2026-01-01".parse().unwrap(),
    });
    f.app.update_company(&f.admin, &company).unwrap();
}

struct Team {
    maker: Session,
    approver: Session,
    second: Session,
}

fn team(f: &Fixture) -> Team {
    Team {
        maker: f.user("maker@acme.test", Role::Specialist),
        approver: f.user("approver@acme.test", Role::Approver),
        second: f.user("second@acme.test", Role::Approver),
    }
}

#[test]
fn a_specialists_large_invoice_waits_and_an_approver_issues_it_with_an_archived_pdf() {
    let f = Fixture::new();
    let t = team(&f);
    let (sink, rx) = ChannelSink::new();
    f.app.subscribe(sink);
    // 80 hours at 150.00: 12,000.00 before tax.
    let inv = f.app.create_invoice(&t.maker, &hours(&f, "80")).unwrap();
    assert_eq!(inv.subtotal, "12000.00");
    let waiting = f.app.issue_invoice(&t.maker, inv.id).unwrap().invoice;
    assert_eq!(waiting.status, InvoiceStatus::PendingApproval);
    assert_eq!(waiting.number, None);
    let requested: Vec<AppEvent> = rx.try_iter().collect();
    // Notifications name the invoice as a person knows it: customer and
    // amount before it has a number.
    let label = format!("{}, {} USD", f.customer.name, grouped(&inv.total));
    assert!(
        requested.contains(&AppEvent::ApprovalRequested {
            invoice_id: inv.id,
            label: label.clone()
        }),
        "{requested:?}"
    );

    // The maker cannot approve their own invoice, and is told why.
    let err = f.app.approve_invoice(&t.maker, inv.id).unwrap_err();
    assert_eq!(err.code, ErrorCode::Forbidden);
    assert_eq!(
        err.message,
        "your role (specialist) is not allowed to approve invoices: only an approver or admin may, and never the invoice's maker"
    );
    // Nor reject it, nor slip it into a batch.
    let err = f
        .app
        .reject_invoice(&t.maker, inv.id, "fine as it is")
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Forbidden);
    assert!(
        err.message.contains("not allowed to reject invoices"),
        "{}",
        err.message
    );
    let batch = ApproveManyInput {
        invoice_ids: vec![inv.id],
    };
    let err = f.app.approve_invoices(&t.maker, &batch).unwrap_err();
    assert_eq!(err.message, "your role (specialist) is not allowed to approve invoices: only an approver or admin may, and never the invoice's maker");
    assert_eq!(
        f.app.invoice(&t.maker, inv.id).unwrap().status,
        InvoiceStatus::PendingApproval
    );
    let admin_maker = f.app.create_invoice(&f.admin, &hours(&f, "80")).unwrap();
    f.app.issue_invoice(&f.admin, admin_maker.id).unwrap();
    let err = f.app.approve_invoice(&f.admin, admin_maker.id).unwrap_err();
    assert_eq!(err.code, ErrorCode::Forbidden);
    assert_eq!(
        err.message,
        "you made this invoice, so someone else must approve it"
    );

    let issued = f.app.approve_invoice(&t.approver, inv.id).unwrap().invoice;
    assert_eq!(issued.status, InvoiceStatus::Issued);
    let number = issued.number.clone().expect("a number");
    let pdf = f.app.invoice_pdf(&t.maker, inv.id).unwrap();
    assert!(pdftotext(&pdf.bytes).contains(&number));
    assert!(issued.pdf_sha256.is_some());
    let decided: Vec<AppEvent> = rx.try_iter().collect();
    assert!(
        decided.iter().any(|e| matches!(e,
            AppEvent::ApprovalDecided { invoice_id, label: told, decision, by, .. }
                if *invoice_id == inv.id && decision == "approved" && by == "approver@acme.test"
                    && *told == format!("{number} · {label}"))),
        "{decided:?}"
    );
    // The audit keeps the rule, the level and the totals of the decision.
    let approved = &events(&f, inv.id, "invoice.approved")[0];
    assert_eq!(approved["level"], 1);
    assert_eq!(approved["final"], true);
    assert_eq!(approved["rule"], "total ≥ 10,000.00 USD: one approver");
    assert_eq!(approved["approval"]["total"], issued.total);
    let submitted = &events(&f, inv.id, "invoice.submitted")[0];
    assert_eq!(submitted["level"], 1);
    assert_eq!(submitted["via"], "issue");
}

#[test]
fn a_yen_invoice_under_the_threshold_issues_and_a_dinar_one_waits() {
    let f = Fixture::new();
    set_rate(&f, "JPY", "0.0067");
    set_rate(&f, "KWD", "3.25");
    let jp = foreign_customer(&f, "JP", "JPY");
    let mut d = hours(&f, "1");
    d.customer_id = jp.id;
    d.lines[0].unit_price = "20000".into();
    let yen = f.app.create_invoice(&f.admin, &d).unwrap();
    let issued = f.app.issue_invoice(&f.admin, yen.id).unwrap().invoice;
    assert_eq!(issued.status, InvoiceStatus::Issued);

    let kw = foreign_customer(&f, "KW", "KWD");
    d.customer_id = kw.id;
    d.lines[0].unit_price = "9000".into();
    let dinar = f.app.create_invoice(&f.admin, &d).unwrap();
    let waiting = f.app.issue_invoice(&f.admin, dinar.id).unwrap().invoice;
    assert_eq!(waiting.status, InvoiceStatus::PendingApproval);
    let approval = waiting.approval.unwrap();
    assert_eq!(approval.converted_total, "29250");
    assert_eq!(approval.exchange_rate.as_deref(), Some("3.25"));
    // The request's event keeps the rate used.
    let submitted = &events(&f, dinar.id, "invoice.submitted")[0];
    assert_eq!(submitted["approval"]["exchange_rate"], "3.25");
    assert_eq!(submitted["approval"]["total"], "9000.000");
}

#[test]
fn a_150k_invoice_needs_two_different_approvers() {
    let f = Fixture::new();
    let t = team(&f);
    let inv = f.app.create_invoice(&t.maker, &hours(&f, "1000")).unwrap();
    f.app.issue_invoice(&t.maker, inv.id).unwrap();
    let first = f.app.approve_invoice(&t.approver, inv.id).unwrap().invoice;
    assert_eq!(first.status, InvoiceStatus::PendingApproval);
    let approval = first.approval.unwrap();
    assert_eq!(approval.approvers_required, 2);
    assert_eq!(approval.next_level, Some(2));
    assert_eq!(approval.approvals.len(), 1);
    assert_eq!(approval.approvals[0].approver, "approver@acme.test");
    // The screen no longer offers the first approver the second approval.
    let offered = f.app.invoice(&t.approver, inv.id).unwrap();
    let approve = offered
        .allowed_actions
        .iter()
        .find(|a| a.action == InvoiceAction::Approve)
        .unwrap();
    assert!(!approve.allowed);

    let err = f.app.approve_invoice(&t.approver, inv.id).unwrap_err();
    assert_eq!(err.code, ErrorCode::Forbidden);
    assert!(err.message.contains("already approved"), "{}", err.message);
    assert_eq!(approve.reason.as_ref().unwrap().message, err.message);

    let done = f.app.approve_invoice(&t.second, inv.id).unwrap().invoice;
    assert_eq!(done.status, InvoiceStatus::Issued);
    let levels: Vec<_> = events(&f, inv.id, "invoice.approved")
        .iter()
        .map(|e| (e["level"].clone(), e["final"].clone()))
        .collect();
    assert_eq!(
        levels,
        vec![
            (serde_json::json!(1), serde_json::json!(false)),
            (serde_json::json!(2), serde_json::json!(true))
        ]
    );
}

#[test]
fn an_edit_while_pending_sends_it_back_to_draft_and_voids_the_approval() {
    let f = Fixture::new();
    let t = team(&f);
    let inv = f.app.create_invoice(&t.maker, &hours(&f, "1000")).unwrap();
    f.app.issue_invoice(&t.maker, inv.id).unwrap();
    f.app.approve_invoice(&t.approver, inv.id).unwrap();
    let mut changed = hours(&f, "1001");
    changed.notes = Some("One more hour".into());
    let edited = f
        .app
        .update_invoice(
            &t.maker,
            &UpdateDraftInput {
                invoice_id: inv.id,
                draft: changed,
            },
        )
        .unwrap()
        .invoice;
    assert_eq!(edited.status, InvoiceStatus::Draft);
    let edit_event = events(&f, inv.id, "invoice.edited").pop().unwrap();
    assert_eq!(edit_event["approvals_voided"], 1);
    // Submitted again, it waits at level 1: the earlier approval is gone,
    // so the same approver may give the first approval again.
    let again = f.app.issue_invoice(&t.maker, inv.id).unwrap().invoice;
    let approval = again.approval.unwrap();
    assert_eq!(approval.next_level, Some(1));
    assert!(approval.approvals.is_empty());
    let first = f.app.approve_invoice(&t.approver, inv.id).unwrap().invoice;
    assert_eq!(first.status, InvoiceStatus::PendingApproval);
}

#[test]
fn a_rejection_needs_a_reason_which_the_maker_sees() {
    let f = Fixture::new();
    let t = team(&f);
    let (sink, rx) = ChannelSink::new();
    f.app.subscribe(sink);
    let inv = f.app.create_invoice(&t.maker, &hours(&f, "80")).unwrap();
    f.app.issue_invoice(&t.maker, inv.id).unwrap();
    let err = f.app.reject_invoice(&t.approver, inv.id, "  ").unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    f.app
        .reject_invoice(&t.approver, inv.id, "Rate should be 140.00")
        .unwrap();
    let seen = f.app.invoice(&t.maker, inv.id).unwrap();
    assert_eq!(seen.status, InvoiceStatus::Rejected);
    let rejection = seen.approval.unwrap().rejection.unwrap();
    assert_eq!(rejection.reason.as_deref(), Some("Rate should be 140.00"));
    assert_eq!(rejection.approver, "approver@acme.test");
    assert_eq!(rejection.decision, "rejected");
    let told: Vec<AppEvent> = rx.try_iter().collect();
    assert!(told.iter().any(|e| matches!(e,
        AppEvent::ApprovalDecided { maker_id, reason: Some(r), .. }
            if *maker_id == t.maker.user().id && r == "Rate should be 140.00")));
    let rejected = &events(&f, inv.id, "invoice.rejected")[0];
    assert_eq!(rejected["level"], 1);
    assert_eq!(rejected["rule"], "total ≥ 10,000.00 USD: one approver");
}

#[test]
fn a_batch_approval_approves_two_and_refuses_the_approvers_own_invoice() {
    let f = Fixture::new();
    let t = team(&f);
    let mut ids = Vec::new();
    for who in [&t.maker, &t.approver, &t.maker] {
        let inv = f.app.create_invoice(who, &hours(&f, "80")).unwrap();
        f.app.issue_invoice(who, inv.id).unwrap();
        ids.push(inv.id);
    }
    let queue = f.app.approval_queue(&t.approver).unwrap();
    assert_eq!(queue.rows.len(), 3);
    assert_eq!(queue.waiting_for_you, 2);
    assert_eq!(f.app.approvals_waiting(&t.approver).unwrap(), 2);
    let own = queue.rows.iter().find(|r| r.invoice_id == ids[1]).unwrap();
    assert!(!own.can_decide);
    assert_eq!(own.maker, "approver@acme.test");
    assert_eq!(own.level, 1);
    assert_eq!(own.source, "manual");
    assert_eq!(own.currency, "USD");

    let outcomes = f
        .app
        .approve_invoices(
            &t.approver,
            &ApproveManyInput {
                invoice_ids: ids.clone(),
            },
        )
        .unwrap();
    let oks: Vec<bool> = outcomes.iter().map(|o| o.ok).collect();
    assert_eq!(oks, vec![true, false, true]);
    assert_eq!(outcomes[0].status, Some(InvoiceStatus::Issued));
    assert_eq!(outcomes[1].status, Some(InvoiceStatus::PendingApproval));
    let refused = outcomes[1].error.as_ref().unwrap();
    assert_eq!(refused.code, ErrorCode::Forbidden);
    assert!(refused.message.contains("you made this invoice"));
    assert_eq!(f.app.approvals_waiting(&t.approver).unwrap(), 0);
    // Each approval is its own audit event.
    for id in [ids[0], ids[2]] {
        assert_eq!(events(&f, id, "invoice.approved").len(), 1);
    }
}

#[test]
fn approving_with_send_queues_the_email_in_the_same_step() {
    let f = Fixture::new();
    f.set_up_email();
    let t = team(&f);
    let inv = f.app.create_invoice(&t.maker, &hours(&f, "80")).unwrap();
    f.app.issue_invoice(&t.maker, inv.id).unwrap();
    let screen = f
        .app
        .approve_invoice_with(
            &t.approver,
            &ApproveInput {
                invoice_id: inv.id,
                send: Some(true),
            },
        )
        .unwrap();
    assert_eq!(screen.invoice.status, InvoiceStatus::Issued);
    assert_eq!(screen.deliveries.len(), 1);
    f.app.run_jobs_once().unwrap();
    assert_eq!(f.outbox_files().len(), 1);
}

#[test]
fn an_invoice_whose_rate_was_removed_stays_in_the_queue_saying_why() {
    let f = Fixture::new();
    let t = team(&f);
    set_rate(&f, "KWD", "3.25");
    let kw = foreign_customer(&f, "KW", "KWD");
    let mut d = hours(&f, "1");
    d.customer_id = kw.id;
    d.lines[0].unit_price = "9000".into();
    let inv = f.app.create_invoice(&t.maker, &d).unwrap();
    f.app.issue_invoice(&t.maker, inv.id).unwrap();
    let mut company = f.app.company(&f.admin).unwrap();
    company.exchange_rates.clear();
    f.app.update_company(&f.admin, &company).unwrap();

    let queue = f.app.approval_queue(&t.approver).unwrap();
    assert_eq!(queue.rows.len(), 1);
    assert!(!queue.rows[0].can_decide);
    let why = queue.rows[0].refusal.clone().unwrap();
    assert!(why.starts_with("no exchange rate for KWD"), "{why}");
    // The invoice still opens, and approving it is refused with the same sentence.
    let screen = f.app.invoice(&t.approver, inv.id).unwrap();
    assert_eq!(screen.status, InvoiceStatus::PendingApproval);
    let err = f.app.approve_invoice(&t.approver, inv.id).unwrap_err();
    assert_eq!(err.message, why);
}
