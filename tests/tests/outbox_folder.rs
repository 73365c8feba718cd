//! With no SMTP server configured, "Issue & send" writes an `.eml` file to
//! the outbox folder that a mail client opens: the template's subject and
//! text, an HTML part, the archived PDF named by the invoice number, and the
//! payment link for the balance at send time. Every step is audited, the
//! sender as the system principal.

use invoicer_app::api::*;
use invoicer_app::ErrorCode;
use invoicer_tests::Fixture;
use mail_parser::{MessageParser, MimeHeaders};
use sha2::{Digest, Sha256};

#[test]
fn issue_and_send_writes_an_eml_with_the_archived_pdf_and_the_payment_link() {
    let f = Fixture::new();
    f.set_up_email();
    let draft = f.app.create_invoice(&f.admin, &f.draft()).unwrap();
    let screen = f.app.issue_and_send_invoice(&f.admin, draft.id).unwrap();
    let number = screen.invoice.number.clone().unwrap();
    assert_eq!(screen.deliveries.len(), 1);
    assert_eq!(screen.deliveries[0].status, DeliveryStatus::Queued);
    assert!(
        f.outbox_files().is_empty(),
        "nothing is sent before the sender runs"
    );
    // A payment arrives before the sender runs: the email asks for the rest.
    let paid = f
        .app
        .record_payment(
            &f.admin,
            &PaymentInput {
                invoice_id: draft.id,
                method: None,
                amount: "100.00".into(),
                date: screen.invoice.issue_date,
                reference: None,
            },
        )
        .unwrap();

    let report = f.app.run_jobs_once().unwrap();
    let sender = report
        .jobs
        .iter()
        .find(|j| j.job == "outbox_sender")
        .unwrap();
    assert_eq!((sender.done, sender.failed), (1, 0));
    let files = f.outbox_files();
    assert_eq!(files.len(), 1, "{files:?}");
    let raw = std::fs::read(&files[0]).unwrap();
    let msg = MessageParser::default().parse(&raw).unwrap();
    assert_eq!(
        msg.subject(),
        Some(format!("Invoice {number} from Acme Billing").as_str())
    );
    assert_eq!(
        msg.from().unwrap().first().unwrap().address(),
        Some("billing@acme.test")
    );
    assert_eq!(
        msg.reply_to().unwrap().first().unwrap().address(),
        Some("accounts@acme.test")
    );
    assert!(msg
        .message_id()
        .is_some_and(|id| id.ends_with("@acme.test")));
    let text = msg.body_text(0).unwrap();
    let html = msg.body_html(0).unwrap();
    let balance = paid.invoice.balance.clone();
    assert_ne!(balance, screen.invoice.total);
    let link = format!("https://pay.acme.test/{number}?amount={balance}&currency=USD");
    assert!(text.contains(&link), "{text}");
    assert!(html.contains(&link.replace('&', "&amp;")), "{html}");
    let pdf = msg.attachments().next().unwrap();
    assert_eq!(
        pdf.attachment_name(),
        Some(format!("{number}.pdf").as_str())
    );
    let archived = f.app.invoice_pdf(&f.admin, draft.id).unwrap();
    assert_eq!(
        hex::encode(Sha256::digest(pdf.contents())),
        hex::encode(Sha256::digest(&archived.bytes))
    );

    let after = f.app.invoice_screen(&f.admin, draft.id).unwrap();
    let d = &after.deliveries[0];
    assert_eq!(d.status, DeliveryStatus::Sent);
    assert_eq!(d.attempts, 1);
    assert!(d.last_reply.as_ref().unwrap().text.contains("delivery-"));
    let actions: Vec<(&str, &str)> = after
        .activity
        .iter()
        .map(|a| (a.action.as_str(), a.actor.as_deref().unwrap_or("")))
        .collect();
    assert!(
        actions.contains(&("delivery.queued", "admin@acme.test")),
        "{actions:?}"
    );
    assert!(
        actions.contains(&("delivery.sent", "system:outbox_sender")),
        "{actions:?}"
    );

    // A second pass finds nothing to do: the email is not written again.
    let again = f.app.run_jobs_once().unwrap();
    let sender = again
        .jobs
        .iter()
        .find(|j| j.job == "outbox_sender")
        .unwrap();
    assert_eq!(sender.done, 0);
    assert_eq!(f.outbox_files().len(), 1);
}

#[test]
fn without_a_company_email_issue_and_send_refuses_and_uses_no_number() {
    let f = Fixture::new();
    let draft = f.app.create_invoice(&f.admin, &f.draft()).unwrap();
    let err = f
        .app
        .issue_and_send_invoice(&f.admin, draft.id)
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    let detail = &err.details.as_ref().unwrap()[0];
    assert_eq!(detail.field, "company.email");
    let screen = f.app.invoice_screen(&f.admin, draft.id).unwrap();
    assert_eq!(screen.invoice.number, None);
    assert!(screen.deliveries.is_empty());
    // Issuing alone still works, and takes the first number.
    f.set_up_email();
    let issued = f.app.issue_and_send_invoice(&f.admin, draft.id).unwrap();
    assert!(issued.invoice.number.unwrap().ends_with("00001"));
}

#[test]
fn an_invoice_is_sent_again_only_after_its_last_email_left() {
    let f = Fixture::new();
    f.set_up_email();
    let draft = f.app.create_invoice(&f.admin, &f.draft()).unwrap();
    let refused = f.app.send_invoice(&f.admin, draft.id).unwrap_err();
    assert_eq!(refused.code, ErrorCode::InvalidState);
    f.app.issue_and_send_invoice(&f.admin, draft.id).unwrap();
    let busy = f.app.send_invoice(&f.admin, draft.id).unwrap_err();
    assert_eq!(busy.code, ErrorCode::InvalidState);
    assert!(
        busy.message.contains("already on its way"),
        "{}",
        busy.message
    );
    f.app.run_jobs_once().unwrap();
    let again = f.app.send_invoice(&f.admin, draft.id).unwrap();
    assert_eq!(again.deliveries.len(), 2);
    assert_eq!(
        again.deliveries[0].step, 1,
        "newest first, one step further"
    );
    f.app.run_jobs_once().unwrap();
    assert_eq!(f.outbox_files().len(), 2);
    let list = f
        .app
        .deliveries(&f.admin, &DeliveryFilter::default())
        .unwrap();
    assert_eq!(list.rows.len(), 2);
    assert_eq!((list.failed, list.unknown), (0, 0));
    assert!(list.rows.iter().all(|r| r.invoice_number
        == f.app
            .invoice_screen(&f.admin, draft.id)
            .unwrap()
            .invoice
            .number));
}

#[test]
fn a_test_email_is_written_at_once_and_listed() {
    let f = Fixture::new();
    f.set_up_email();
    let bad = f
        .app
        .send_test_email(&f.admin, "not an address")
        .unwrap_err();
    assert_eq!(bad.details.unwrap()[0].field, "to");
    let result = f.app.send_test_email(&f.admin, "me@acme.test").unwrap();
    assert_eq!(result.delivery.status, DeliveryStatus::Sent);
    assert_eq!(result.delivery.kind, DeliveryKind::Test);
    let file = result.outbox_file.unwrap();
    let raw = std::fs::read(&file).unwrap();
    let msg = MessageParser::default().parse(&raw).unwrap();
    assert_eq!(
        msg.to().unwrap().first().unwrap().address(),
        Some("me@acme.test")
    );
    let settings = f.app.email_settings(&f.admin).unwrap();
    assert!(!settings.smtp_configured);
    assert!(file.starts_with(&settings.outbox_dir));
}

#[test]
fn the_customers_copy_addresses_are_validated_and_copied() {
    let f = Fixture::new();
    f.set_up_email();
    let mut input = invoicer_tests::california_customer();
    input.cc = Some(vec!["boss@globex.test".into(), "not an address".into()]);
    let err = f
        .app
        .update_customer(&f.admin, f.customer.id, &input)
        .unwrap_err();
    assert_eq!(err.details.unwrap()[0].field, "cc[1]");
    input.cc = Some(vec!["boss@globex.test".into(), " ".into()]);
    input.bcc = Some(vec!["archive@acme.test".into()]);
    let saved = f
        .app
        .update_customer(&f.admin, f.customer.id, &input)
        .unwrap();
    assert_eq!(saved.cc, ["boss@globex.test"]);
    // A form that leaves the copies out keeps them.
    input.cc = None;
    input.bcc = None;
    let kept = f
        .app
        .update_customer(&f.admin, f.customer.id, &input)
        .unwrap();
    assert_eq!(kept.bcc, ["archive@acme.test"]);

    let draft = f.app.create_invoice(&f.admin, &f.draft()).unwrap();
    let screen = f.app.issue_and_send_invoice(&f.admin, draft.id).unwrap();
    assert_eq!(screen.deliveries[0].cc, ["boss@globex.test"]);
    f.app.run_jobs_once().unwrap();
    let raw = std::fs::read(&f.outbox_files()[0]).unwrap();
    let msg = MessageParser::default().parse(&raw).unwrap();
    assert_eq!(
        msg.cc().unwrap().first().unwrap().address(),
        Some("boss@globex.test")
    );
    // The .eml keeps Bcc so a mail client sending it reaches everyone.
    assert_eq!(
        msg.bcc().unwrap().first().unwrap().address(),
        Some("archive@acme.test")
    );
}

#[test]
fn a_signing_key_in_the_keychain_signs_the_link_in_the_email_and_on_the_screen() {
    let f = Fixture::new();
    f.set_up_email();
    let settings = f
        .app
        .rotate_payment_link_secret(&f.admin)
        .expect("a keychain is needed (make test runs under scripts/with-keychain.sh)");
    assert!(settings.payment_link_signed);
    let draft = f.app.create_invoice(&f.admin, &f.draft()).unwrap();
    let screen = f.app.issue_and_send_invoice(&f.admin, draft.id).unwrap();
    let link = screen.invoice.payment_link.clone().unwrap();
    assert!(link.contains("&sig="), "{link}");
    f.app.run_jobs_once().unwrap();
    let raw = std::fs::read(&f.outbox_files()[0]).unwrap();
    let msg = MessageParser::default().parse(&raw).unwrap();
    assert!(
        msg.body_text(0).unwrap().contains(&link),
        "the email carries the screen's link"
    );
    // A new key signs differently: the old link is no longer the current one.
    f.app.rotate_payment_link_secret(&f.admin).unwrap();
    let after = f.app.invoice_screen(&f.admin, draft.id).unwrap();
    assert_ne!(after.invoice.payment_link.unwrap(), link);
}

#[test]
fn the_number_of_attempts_is_a_company_setting() {
    let f = Fixture::new();
    f.set_up_email();
    let err = f
        .app
        .set_setting(&f.admin, "delivery_attempts", "0")
        .unwrap_err();
    assert_eq!(err.details.unwrap()[0].field, "delivery_attempts");
    f.app
        .set_setting(&f.admin, "delivery_attempts", "1")
        .unwrap();
    // A server that is down: with one attempt allowed, it fails at once.
    f.use_smtp(invoicer_test_smtp::closed_port());
    let draft = f.app.create_invoice(&f.admin, &f.draft()).unwrap();
    f.app.issue_and_send_invoice(&f.admin, draft.id).unwrap();
    f.app.run_jobs_once().unwrap();
    let d = &f.app.invoice_screen(&f.admin, draft.id).unwrap().deliveries[0];
    assert_eq!(d.status, DeliveryStatus::Failed);
    assert_eq!((d.attempts, d.max_attempts), (1, 1));
}
