//! The actions an invoice offers are the actions the use cases accept: for a
//! representative set of states and roles, every action `allowed_actions`
//! marks available succeeds, and every one it refuses is refused by the use
//! case too. Each use case that changes an invoice answers with the whole
//! invoice screen.

use invoicer_app::api::*;
use invoicer_app::{ApiError, ErrorCode, Session};
use invoicer_tests::Fixture;

/// A fixture with a maker (specialist), an approver and an invoice of
/// `quantity` hours made by the maker, brought to `status`.
struct Case {
    f: Fixture,
    maker: Session,
    approver: Session,
    id: i64,
}

fn case(status: InvoiceStatus, quantity: &str) -> Case {
    let f = Fixture::new();
    // Sending needs the company's address; with it, Send and Issue & send
    // are refused only for the reasons the screen states.
    f.set_up_email();
    let maker = f.user("maker@acme.test", Role::Specialist);
    let approver = f.user("approver@acme.test", Role::Approver);
    let mut d = f.draft();
    d.lines[0].quantity = quantity.into();
    let id = f.app.create_invoice(&maker, &d).unwrap().id;
    let app = &f.app;
    match status {
        InvoiceStatus::Draft => {}
        InvoiceStatus::PendingApproval => {
            app.submit_for_approval(&maker, id).unwrap();
        }
        InvoiceStatus::Approved => {
            // The final approval now issues, so `approved` is only what
            // approvals left before it did; such invoices still exist.
            app.submit_for_approval(&maker, id).unwrap();
            left_approved(&f, id);
        }
        InvoiceStatus::Rejected => {
            app.submit_for_approval(&maker, id).unwrap();
            app.reject_invoice(&approver, id, "wrong rate").unwrap();
        }
        InvoiceStatus::Issued => {
            app.issue_invoice(&maker, id).unwrap();
        }
        InvoiceStatus::PartiallyPaid => {
            app.issue_invoice(&maker, id).unwrap();
            pay(&f, &maker, id, "1.00").unwrap();
        }
        other => panic!("no setup for {other}"),
    }
    Case {
        f,
        maker,
        approver,
        id,
    }
}

/// Puts an invoice in `approved` as approvals did before the final
/// approval issued.
fn left_approved(f: &Fixture, id: i64) {
    let raw = rusqlite::Connection::open(f.dir.path().join("invoicer.db")).unwrap();
    raw.execute(
        "UPDATE invoices SET status = 'approved' WHERE id = ?1",
        [id],
    )
    .unwrap();
}

fn pay(f: &Fixture, who: &Session, id: i64, amount: &str) -> Result<InvoiceScreen, ApiError> {
    f.app.record_payment(
        who,
        &PaymentInput {
            invoice_id: id,
            method: None,
            amount: amount.into(),
            date: "2026-11-21".parse().unwrap(),
            reference: None,
        },
    )
}

/// Runs `action` as `who` and says whether the use case accepted it.
fn attempt(c: &Case, who: &Session, action: InvoiceAction) -> Result<InvoiceScreen, ApiError> {
    let (app, id) = (&c.f.app, c.id);
    match action {
        InvoiceAction::Edit => app.update_invoice(
            who,
            &UpdateDraftInput {
                invoice_id: id,
                draft: c.f.draft(),
            },
        ),
        InvoiceAction::Issue => app.issue_invoice(who, id),
        InvoiceAction::IssueAndSend => app.issue_and_send_invoice(who, id),
        InvoiceAction::Send => app.send_invoice(who, id),
        InvoiceAction::Submit => app.submit_for_approval(who, id),
        InvoiceAction::Approve => app.approve_invoice(who, id),
        InvoiceAction::Reject => app.reject_invoice(who, id, "not agreed"),
        InvoiceAction::SendBack => app.send_back_to_draft(who, id, "customer cancelled"),
        InvoiceAction::Void => app.void_invoice(
            who,
            &VoidInput {
                invoice_id: id,
                reason: "billed twice".into(),
            },
        ),
        InvoiceAction::RecordPayment => pay(&c.f, who, id, "1.00"),
        InvoiceAction::CreditNote => {
            unreachable!("not built yet, so there is no use case")
        }
    }
}

const TRIED: [InvoiceAction; 10] = [
    InvoiceAction::Edit,
    InvoiceAction::Issue,
    InvoiceAction::IssueAndSend,
    InvoiceAction::Send,
    InvoiceAction::Submit,
    InvoiceAction::Approve,
    InvoiceAction::Reject,
    InvoiceAction::SendBack,
    InvoiceAction::Void,
    InvoiceAction::RecordPayment,
];

#[test]
fn what_the_screen_offers_is_exactly_what_the_use_cases_accept() {
    let statuses = [
        (InvoiceStatus::Draft, "1"),
        // 15,000.00 before tax: over the 10,000.00 threshold.
        (InvoiceStatus::Draft, "100"),
        (InvoiceStatus::PendingApproval, "100"),
        (InvoiceStatus::Approved, "100"),
        (InvoiceStatus::Rejected, "100"),
        (InvoiceStatus::Issued, "1"),
        (InvoiceStatus::PartiallyPaid, "1"),
    ];
    let mut checked = 0;
    for (status, quantity) in statuses {
        for who in ["maker", "approver", "admin"] {
            for action in TRIED {
                // A fresh invoice per attempt: a successful attempt changes it.
                let c = case(status, quantity);
                let session = match who {
                    "maker" => &c.maker,
                    "approver" => &c.approver,
                    _ => &c.f.admin,
                };
                let offered = c.f.app.invoice(session, c.id).unwrap();
                assert_eq!(offered.status, status);
                let entry = offered
                    .allowed_actions
                    .iter()
                    .find(|a| a.action == action)
                    .unwrap_or_else(|| panic!("{action:?} is listed"));
                let outcome = attempt(&c, session, action);
                assert_eq!(
                    entry.allowed,
                    outcome.is_ok(),
                    "{status} ×{quantity} as {who}, {action:?}: offered {:?}, use case said {:?}",
                    entry.reason,
                    outcome.err()
                );
                if let (Some(reason), Err(e)) = (&entry.reason, &outcome) {
                    // The screen's reason is the sentence the use case refuses with.
                    assert_eq!(reason.message, e.message, "{status} as {who}, {action:?}");
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 7 * 3 * 10);
}

#[test]
fn the_maker_is_told_why_they_cannot_approve_their_own_invoice() {
    let c = case(InvoiceStatus::PendingApproval, "100");
    let admin_made = c.f.app.create_invoice(&c.f.admin, &c.f.draft()).unwrap();
    let _ = admin_made;
    let checker = c.f.user("checker@acme.test", Role::Approver);
    c.f.app
        .update_invoice(
            &checker,
            &UpdateDraftInput {
                invoice_id: c.id,
                draft: {
                    let mut d = c.f.draft();
                    d.lines[0].quantity = "100".into();
                    d
                },
            },
        )
        .unwrap();
    c.f.app.submit_for_approval(&checker, c.id).unwrap();
    let seen = c.f.app.invoice(&checker, c.id).unwrap();
    let approve = seen
        .allowed_actions
        .iter()
        .find(|a| a.action == InvoiceAction::Approve)
        .unwrap();
    assert!(!approve.allowed);
    let reason = approve.reason.as_ref().unwrap();
    assert_eq!(reason.code, RefusalCode::FourEyes);
    assert_eq!(
        reason.message,
        "you last edited this invoice, so someone else must approve it"
    );
    let err = c.f.app.approve_invoice(&checker, c.id).unwrap_err();
    assert_eq!(err.code, ErrorCode::Forbidden);
    assert_eq!(err.message, reason.message);
}

#[test]
fn credit_notes_are_listed_as_not_available_yet() {
    let c = case(InvoiceStatus::Issued, "1");
    let seen = c.f.app.invoice(&c.f.admin, c.id).unwrap();
    let a = seen
        .allowed_actions
        .iter()
        .find(|a| a.action == InvoiceAction::CreditNote)
        .unwrap();
    assert!(!a.allowed);
    assert_eq!(a.reason.as_ref().unwrap().code, RefusalCode::NotAvailable);
    assert_eq!(
        a.reason.as_ref().unwrap().message,
        "credit notes are not available yet"
    );
}

#[test]
fn issuing_answers_with_the_whole_screen_the_invoice_shows_next() {
    let f = Fixture::new();
    let id = f.app.create_invoice(&f.admin, &f.draft()).unwrap().id;
    let screen = f.app.issue_invoice(&f.admin, id).unwrap();
    assert!(screen.invoice.number.is_some());
    assert!(screen.invoice.pdf_sha256.is_some());
    assert!(screen.invoice.template.is_some());
    let actions: Vec<InvoiceAction> = screen
        .invoice
        .allowed_actions
        .iter()
        .filter(|a| a.allowed)
        .map(|a| a.action)
        .collect();
    assert_eq!(
        actions,
        [
            InvoiceAction::Void,
            InvoiceAction::RecordPayment,
            InvoiceAction::Send
        ]
    );
    let events: Vec<&str> = screen.activity.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(events, ["invoice.created", "invoice.issued"]);
    assert!(screen.payments.is_empty());

    let paid = pay(&f, &f.admin, id, "10.00").unwrap();
    assert_eq!(paid.payments.len(), 1);
    assert_eq!(paid.payments[0].amount, "10.00");
    assert_eq!(paid.activity.last().unwrap().action, "payment.recorded");
    // The screen read after the change is the one `get_invoice` gives.
    let again = f.app.invoice_screen(&f.admin, id).unwrap();
    assert_eq!(
        serde_json::to_value(&again).unwrap(),
        serde_json::to_value(&paid).unwrap()
    );
}
