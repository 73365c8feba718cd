//! The outbox against a real SMTP server on loopback (aiosmtpd through
//! `invoicer-test-smtp`), with the app's clock moved instead of waiting:
//! delivery once with the archived PDF, 451 then 250, 550, a server that is
//! down, and a connection dropped after the data — never resent by itself.

use chrono::Duration;
use invoicer_app::api::*;
use invoicer_app::ChannelSink;
use invoicer_test_smtp::{closed_port, Behaviour, TestSmtp};
use invoicer_tests::Fixture;
use mail_parser::{MessageParser, MimeHeaders};
use sha2::{Digest, Sha256};

/// A fixture whose mail goes to `port` on loopback, and one issued invoice
/// queued for sending; returns the invoice id.
fn queued_invoice(f: &Fixture, port: u16) -> i64 {
    f.set_up_email();
    f.use_smtp(port);
    let draft = f.app.create_invoice(&f.admin, &f.draft()).unwrap();
    f.app.issue_and_send_invoice(&f.admin, draft.id).unwrap();
    draft.id
}

fn delivery(f: &Fixture, invoice: i64) -> DeliveryView {
    let screen = f.app.invoice_screen(&f.admin, invoice).unwrap();
    screen.deliveries[0].clone()
}

fn audit_actions(f: &Fixture, invoice: i64) -> Vec<String> {
    f.app
        .invoice_screen(&f.admin, invoice)
        .unwrap()
        .activity
        .iter()
        .map(|a| a.action.clone())
        .collect()
}

#[test]
fn the_invoice_email_arrives_once_with_the_archived_pdf_and_the_payment_link() {
    let server = TestSmtp::start(Behaviour::Accept);
    let f = Fixture::new();
    let mut customer = invoicer_tests::california_customer();
    customer.bcc = Some(vec!["archive@acme.test".into()]);
    f.app
        .update_customer(&f.admin, f.customer.id, &customer)
        .unwrap();
    let id = queued_invoice(&f, server.port());
    f.app.run_jobs_once().unwrap();
    let messages = server.wait_for_messages(1, std::time::Duration::from_secs(30));
    assert_eq!(messages.len(), 1);
    let msg = MessageParser::default().parse(&messages[0]).unwrap();
    let number = f.app.invoice(&f.admin, id).unwrap().number.unwrap();
    assert!(msg.subject().unwrap().contains(&number));
    assert!(msg.body_text(0).unwrap().contains("https://pay.acme.test/"));
    assert!(msg.body_html(0).unwrap().contains("https://pay.acme.test/"));
    let pdf = msg.attachments().next().unwrap();
    assert_eq!(
        pdf.attachment_name(),
        Some(format!("{number}.pdf").as_str())
    );
    let archived = f.app.invoice_pdf(&f.admin, id).unwrap();
    assert_eq!(
        hex::encode(Sha256::digest(pdf.contents())),
        hex::encode(Sha256::digest(&archived.bytes))
    );
    // Bcc travels in the envelope only.
    assert!(msg.bcc().is_none());
    let envelope = &server.envelopes()[0];
    assert!(envelope.rcpt_to.iter().any(|r| r == "archive@acme.test"));
    let d = delivery(&f, id);
    assert_eq!(d.status, DeliveryStatus::Sent);
    assert_eq!(d.last_reply.unwrap().code, 250);
    assert_eq!(msg.message_id().map(|m| format!("<{m}>")), d.message_id);
    // Nothing is sent twice, however often the sender runs.
    f.app.run_jobs_once().unwrap();
    f.clock.advance(Duration::hours(2));
    f.app.run_jobs_once().unwrap();
    assert_eq!(server.messages().len(), 1);
}

#[test]
fn a_451_is_retried_later_and_sent_on_the_second_attempt() {
    let server = TestSmtp::start(Behaviour::SoftRejectData(1));
    let f = Fixture::new();
    let id = queued_invoice(&f, server.port());
    f.app.run_jobs_once().unwrap();
    let d = delivery(&f, id);
    assert_eq!(d.status, DeliveryStatus::Retrying);
    assert_eq!(d.attempts, 1);
    assert_eq!(d.last_reply.as_ref().unwrap().code, 451);
    assert!(d.next_attempt_at.is_some());
    // Not due yet: a pass now sends nothing.
    f.app.run_jobs_once().unwrap();
    assert_eq!(delivery(&f, id).attempts, 1);
    // The first wait is at most one minute (half of it plus jitter).
    f.clock.advance(Duration::minutes(1));
    f.app.run_jobs_once().unwrap();
    let d = delivery(&f, id);
    assert_eq!(d.status, DeliveryStatus::Sent);
    assert_eq!(d.attempts, 2);
    assert_eq!(server.messages().len(), 1);
    let actions = audit_actions(&f, id);
    assert!(actions.contains(&"delivery.retry_scheduled".to_string()));
    assert!(actions.contains(&"delivery.sent".to_string()));
}

#[test]
fn a_550_fails_at_once_with_the_reply_and_a_notification() {
    let server = TestSmtp::start(Behaviour::RejectData);
    let f = Fixture::new();
    let (sink, events) = ChannelSink::new();
    f.app.subscribe(sink);
    let id = queued_invoice(&f, server.port());
    f.app.run_jobs_once().unwrap();
    let d = delivery(&f, id);
    assert_eq!(d.status, DeliveryStatus::Failed);
    assert_eq!(d.attempts, 1);
    let reply = d.last_reply.unwrap();
    assert_eq!(reply.code, 550);
    assert!(!reply.text.is_empty());
    assert_eq!(d.actions, [DeliveryAction::Resend]);
    let list = f
        .app
        .deliveries(&f.admin, &DeliveryFilter::default())
        .unwrap();
    assert_eq!((list.failed, list.unknown), (1, 0));
    let seen: Vec<AppEvent> = events.try_iter().collect();
    assert!(seen
        .iter()
        .any(|e| matches!(e, AppEvent::Notification(n) if n.topic == "deliveries")));
    assert!(seen
        .iter()
        .any(|e| matches!(e, AppEvent::DeliveryCounts { failed: 1, .. })));
    // No retry happens by itself.
    f.clock.advance(Duration::hours(3));
    f.app.run_jobs_once().unwrap();
    assert_eq!(delivery(&f, id).attempts, 1);
}

#[test]
fn a_server_that_is_down_is_tried_three_times_then_failed_and_retry_starts_again() {
    let f = Fixture::new();
    let id = queued_invoice(&f, closed_port());
    for (attempt, wait) in [(1, 0), (2, 1), (3, 2)] {
        f.clock.advance(Duration::minutes(wait));
        f.app.run_jobs_once().unwrap();
        let d = delivery(&f, id);
        assert_eq!(d.attempts, attempt);
        assert_eq!(d.last_reply.as_ref().unwrap().code, 0);
        assert!(d.last_reply.unwrap().text.starts_with("no connection"));
        let expected = if attempt < 3 {
            DeliveryStatus::Retrying
        } else {
            DeliveryStatus::Failed
        };
        assert_eq!(d.status, expected, "after attempt {attempt}");
    }
    let retried = f
        .app
        .resend_delivery(&f.admin, delivery(&f, id).id)
        .unwrap();
    assert_eq!(retried.status, DeliveryStatus::Queued);
    assert_eq!(retried.attempts, 0, "a person's retry starts a new round");
    let actions = audit_actions(&f, id);
    assert_eq!(
        actions
            .iter()
            .filter(|a| *a == "delivery.retry_scheduled")
            .count(),
        2
    );
    assert!(actions.contains(&"delivery.failed".to_string()));
    assert!(actions.contains(&"delivery.resend_requested".to_string()));
}

#[test]
fn a_connection_dropped_after_the_data_is_unknown_and_never_resent_by_itself() {
    let server = TestSmtp::start(Behaviour::DropAfterData);
    let f = Fixture::new();
    let id = queued_invoice(&f, server.port());
    f.app.run_jobs_once().unwrap();
    let d = delivery(&f, id);
    assert_eq!(d.status, DeliveryStatus::Unknown);
    assert_eq!(
        d.actions,
        [DeliveryAction::Resend, DeliveryAction::MarkSent]
    );
    for _ in 0..3 {
        f.clock.advance(Duration::hours(1));
        f.app.run_jobs_once().unwrap();
    }
    assert_eq!(
        server
            .wait_for_messages(1, std::time::Duration::from_secs(30))
            .len(),
        1
    );
    assert_eq!(delivery(&f, id).attempts, 1);
    // A person who checked the customer's inbox marks it sent.
    let marked = f.app.mark_delivery_sent(&f.admin, d.id).unwrap();
    assert_eq!(marked.status, DeliveryStatus::Sent);
    assert!(audit_actions(&f, id).contains(&"delivery.marked_sent".to_string()));
}

#[test]
fn a_server_that_wants_a_password_gets_the_one_in_the_keychain() {
    let server = TestSmtp::start(Behaviour::RequireAuth {
        username: "billing".into(),
        password: "s3cret-for-smtp".into(),
    });
    let f = Fixture::new();
    let id = queued_invoice(&f, server.port());
    f.app
        .save_smtp_settings(
            &f.admin,
            &SmtpSettingsInput {
                host: "127.0.0.1".into(),
                port: server.port(),
                security: SmtpSecurity::None,
                username: Some("billing".into()),
                password: Some("s3cret-for-smtp".into()),
            },
        )
        .expect("a keychain is needed (make test runs under scripts/with-keychain.sh)");
    f.app.run_jobs_once().unwrap();
    assert_eq!(delivery(&f, id).status, DeliveryStatus::Sent);
    assert_eq!(server.messages().len(), 1);
    let test = f.app.send_test_email(&f.admin, "me@acme.test").unwrap();
    assert_eq!(test.delivery.status, DeliveryStatus::Sent);
    assert_eq!(test.outbox_file, None);
}

#[test]
fn a_credit_note_email_arrives_once_with_its_archived_pdf() {
    let server = TestSmtp::start(Behaviour::Accept);
    let f = Fixture::new();
    f.set_up_email();
    f.use_smtp(server.port());
    let draft = f.app.create_invoice(&f.admin, &f.draft()).unwrap();
    f.app.issue_invoice(&f.admin, draft.id).unwrap();
    let issued = f
        .app
        .create_credit_note(
            &f.admin,
            &CreditNoteInput {
                invoice_id: draft.id,
                lines: vec![],
                amount: Some("100".into()),
                reason: "Late delivery".into(),
                send: true,
            },
        )
        .unwrap();
    let cn = issued.credit_note;
    assert_eq!(issued.screen.deliveries[0].kind, DeliveryKind::CreditNote);
    f.app.run_jobs_once().unwrap();
    let messages = server.wait_for_messages(1, std::time::Duration::from_secs(30));
    assert_eq!(messages.len(), 1);
    let msg = MessageParser::default().parse(&messages[0]).unwrap();
    let subject = msg.subject().unwrap();
    assert!(subject.contains(&cn.number), "{subject}");
    assert!(subject.contains("INV-2026-00001"), "{subject}");
    assert!(msg.body_text(0).unwrap().contains("Late delivery"));
    let pdf = msg.attachments().next().unwrap();
    assert_eq!(pdf.attachment_name(), Some("CN-2026-00001.pdf"));
    let archived = f.app.credit_note_pdf(&f.admin, cn.id).unwrap();
    assert_eq!(hex::encode(Sha256::digest(pdf.contents())), archived.sha256);
    let screen = f.app.invoice_screen(&f.admin, draft.id).unwrap();
    assert_eq!(screen.deliveries[0].status, DeliveryStatus::Sent);
    // Once: the sender running again sends nothing, and asking to send the
    // credit note again is refused as already in the outbox.
    f.app.run_jobs_once().unwrap();
    f.clock.advance(Duration::hours(2));
    f.app.run_jobs_once().unwrap();
    let again = f.app.send_credit_note(&f.admin, cn.id).unwrap_err();
    assert_eq!(again.code, invoicer_app::ErrorCode::Conflict);
    assert_eq!(server.messages().len(), 1);
}
