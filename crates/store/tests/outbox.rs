//! The outbox on a real SQLite file: one row per idempotency key, claims
//! that only one sender wins, and `sending` rows found at start-up turned
//! `unknown` rather than sent again.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use invoicer_domain::authorization::Role;
use invoicer_domain::customer::Customer;
use invoicer_domain::delivery::{DeliveryKind, DeliveryStatus, NewDelivery, Recipients, SmtpReply};
use invoicer_domain::invoice::InvoiceContent;
use invoicer_domain::line::LineItem;
use invoicer_domain::money::{RoundingMode, RoundingScope};
use invoicer_domain::{Currency, Decimal};
use invoicer_store::{DeliveryChange, InvoiceRecord, Store, StoreError};
use std::path::Path;

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap()
}

/// A store with one invoice; returns the store and the invoice's id.
fn store_with_invoice(path: &Path) -> (Store, i64) {
    let store = Store::open(path).unwrap();
    let id = store
        .write(|tx| {
            let user = tx.insert_user("admin@acme.test", "Admin", Role::Admin, "x", at())?;
            let mut customer = Customer {
                id: 0,
                name: "Ann Lee".into(),
                company: None,
                email: "ann@globex.test".into(),
                address: "1 Market St".into(),
                city: "Austin".into(),
                region: Some("TX".into()),
                postal_code: "73301".into(),
                country: "US".into(),
                tax_id: None,
                currency: None,
                template: None,
                cc: Vec::new(),
                bcc: Vec::new(),
                external_ref: None,
            };
            customer.id = tx.insert_customer(&customer, at())?;
            let content = InvoiceContent {
                customer,
                currency: Currency::from_code("USD").unwrap(),
                issue_date: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
                terms_days: 30,
                notes: None,
                lines: vec![LineItem {
                    description: "Service".into(),
                    quantity: Decimal::ONE,
                    unit_price: Decimal::new(10000, 2),
                    discount_percent: None,
                    taxes: Vec::new(),
                    tax_exemption: None,
                    proration: None,
                }],
            };
            let totals = content.totals(RoundingScope::PerLine, RoundingMode::HalfUp);
            let record = InvoiceRecord {
                content: &content,
                totals: &totals,
                rounding_scope: RoundingScope::PerLine,
                rounding_mode: RoundingMode::HalfUp,
            };
            tx.insert_invoice(record, user.id, at())
        })
        .unwrap();
    (store, id)
}

fn invoice_email(invoice_id: i64, step: u32) -> NewDelivery {
    NewDelivery {
        invoice_id: Some(invoice_id),
        kind: DeliveryKind::Invoice,
        step,
        recipients: Recipients {
            to: vec!["ann@globex.test".into()],
            cc: vec!["books@globex.test".into(), "cfo@globex.test".into()],
            bcc: Vec::new(),
        },
    }
}

fn claim(id: i64, from: DeliveryStatus) -> DeliveryChange<'static> {
    DeliveryChange {
        id,
        from,
        to: DeliveryStatus::Sending,
        starts_attempt: true,
        resets_attempts: false,
        next_attempt_at: None,
        reply: None,
        message_id: None,
    }
}

#[test]
fn the_same_email_queued_twice_is_stored_once() {
    let dir = tempfile::tempdir().unwrap();
    let (store, invoice) = store_with_invoice(&dir.path().join("invoicer.db"));
    let first = store
        .write(|tx| tx.enqueue_delivery(&invoice_email(invoice, 0), at()))
        .unwrap();
    let again = store
        .write(|tx| tx.enqueue_delivery(&invoice_email(invoice, 0), at()))
        .unwrap();
    assert!(first.is_some());
    assert_eq!(again, None, "the idempotency key let a second copy in");
    // A deliberate resend is the next step, a delivery of its own.
    let resend = store
        .write(|tx| tx.enqueue_delivery(&invoice_email(invoice, 1), at()))
        .unwrap();
    assert!(resend.is_some() && resend != first);

    let stored = store.read(|tx| tx.list_deliveries(None, 10)).unwrap();
    assert_eq!(stored.len(), 2);
    let queued = store
        .read(|tx| tx.delivery(first.unwrap()))
        .unwrap()
        .unwrap();
    assert_eq!(queued.status, DeliveryStatus::Queued);
    assert_eq!(queued.recipients, invoice_email(invoice, 0).recipients);
    assert_eq!((queued.attempts, queued.created_at), (0, at()));
}

#[test]
fn test_emails_belong_to_no_invoice_and_are_each_sent() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = store_with_invoice(&dir.path().join("invoicer.db"));
    let test = NewDelivery {
        invoice_id: None,
        kind: DeliveryKind::Test,
        step: 0,
        recipients: Recipients {
            to: vec!["me@acme.test".into()],
            ..Recipients::default()
        },
    };
    for _ in 0..2 {
        let id = store.write(|tx| tx.enqueue_delivery(&test, at())).unwrap();
        assert!(id.is_some());
    }
    let due = store.read(|tx| tx.due_deliveries(at(), 10)).unwrap();
    assert_eq!(due.len(), 2);
    assert!(due
        .iter()
        .all(|d| d.kind == DeliveryKind::Test && d.invoice_id.is_none()));
}

#[test]
fn only_one_sender_claims_a_delivery() {
    let dir = tempfile::tempdir().unwrap();
    let (store, invoice) = store_with_invoice(&dir.path().join("invoicer.db"));
    let id = store
        .write(|tx| tx.enqueue_delivery(&invoice_email(invoice, 0), at()))
        .unwrap()
        .unwrap();
    let won = store
        .write(|tx| tx.change_delivery(&claim(id, DeliveryStatus::Queued), at()))
        .unwrap();
    let lost = store
        .write(|tx| tx.change_delivery(&claim(id, DeliveryStatus::Queued), at()))
        .unwrap();
    assert!(won && !lost);
    let d = store.read(|tx| tx.delivery(id)).unwrap().unwrap();
    assert_eq!((d.status, d.attempts), (DeliveryStatus::Sending, 1));
    assert!(store
        .read(|tx| tx.due_deliveries(at(), 10))
        .unwrap()
        .is_empty());
}

#[test]
fn a_retry_waits_for_its_time_and_keeps_the_servers_reply() {
    let dir = tempfile::tempdir().unwrap();
    let (store, invoice) = store_with_invoice(&dir.path().join("invoicer.db"));
    let id = store
        .write(|tx| tx.enqueue_delivery(&invoice_email(invoice, 0), at()))
        .unwrap()
        .unwrap();
    let reply = SmtpReply {
        code: 451,
        text: "4.7.1 try again later".into(),
    };
    let later = at() + Duration::minutes(1);
    store
        .write(|tx| {
            tx.change_delivery(&claim(id, DeliveryStatus::Queued), at())?;
            tx.change_delivery(
                &DeliveryChange {
                    id,
                    from: DeliveryStatus::Sending,
                    to: DeliveryStatus::Retrying,
                    starts_attempt: false,
                    resets_attempts: false,
                    next_attempt_at: Some(later),
                    reply: Some(&reply),
                    message_id: Some("<1@acme.test>"),
                },
                at(),
            )
        })
        .unwrap();
    let due_at = |t| store.read(|tx| tx.due_deliveries(t, 10)).unwrap();
    assert!(due_at(at()).is_empty(), "due before its retry time");
    let due = due_at(later);
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].last_reply.as_ref(), Some(&reply));
    assert_eq!(due[0].message_id.as_deref(), Some("<1@acme.test>"));
    assert_eq!(due[0].next_attempt_at, Some(later));
}

#[test]
fn a_delivery_left_sending_by_a_dead_process_is_unknown_after_restart_and_not_due() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("invoicer.db");
    let (store, invoice) = store_with_invoice(&path);
    let id = store
        .write(|tx| {
            let id = tx
                .enqueue_delivery(&invoice_email(invoice, 0), at())?
                .ok_or(StoreError::Corrupt("not queued".into()))?;
            tx.change_delivery(&claim(id, DeliveryStatus::Queued), at())?;
            Ok::<_, StoreError>(id)
        })
        .unwrap();
    // The process dies here: the server may or may not have the message.
    drop(store);

    let store = Store::open(&path).unwrap();
    let restart = at() + Duration::minutes(5);
    let interrupted = store
        .write(|tx| tx.interrupt_sending_deliveries(restart))
        .unwrap();
    assert_eq!(interrupted, vec![id]);
    let d = store.read(|tx| tx.delivery(id)).unwrap().unwrap();
    assert_eq!((d.status, d.updated_at), (DeliveryStatus::Unknown, restart));
    assert!(
        store
            .read(|tx| tx.due_deliveries(restart + Duration::days(1), 10))
            .unwrap()
            .is_empty(),
        "an unknown delivery was offered to the sender again"
    );
    let unknown = store
        .read(|tx| tx.list_deliveries(Some(DeliveryStatus::Unknown), 10))
        .unwrap();
    assert_eq!(unknown.len(), 1);
}

#[test]
fn the_deliveries_list_filters_counts_and_names_the_invoice() {
    let dir = tempfile::tempdir().unwrap();
    let (store, invoice) = store_with_invoice(&dir.path().join("t.db"));
    store
        .write(|tx| {
            let first = tx
                .enqueue_delivery(&invoice_email(invoice, 0), at())?
                .unwrap();
            assert_eq!(tx.next_delivery_step(invoice, DeliveryKind::Invoice)?, 1);
            assert_eq!(tx.next_delivery_step(invoice, DeliveryKind::Reminder)?, 0);
            tx.enqueue_delivery(&invoice_email(invoice, 1), at())?
                .unwrap();
            assert!(tx.change_delivery(&claim(first, DeliveryStatus::Queued), at())?);
            let gave_up = DeliveryChange {
                id: first,
                from: DeliveryStatus::Sending,
                to: DeliveryStatus::Failed,
                starts_attempt: false,
                resets_attempts: false,
                next_attempt_at: None,
                reply: None,
                message_id: None,
            };
            assert!(tx.change_delivery(&gave_up, at())?);
            Ok::<_, StoreError>(())
        })
        .unwrap();
    store
        .read(|tx| {
            assert_eq!(tx.delivery_counts()?, (1, 0));
            let all = tx.find_deliveries(&invoicer_store::DeliveryQuery {
                limit: 10,
                ..Default::default()
            })?;
            assert_eq!(all.len(), 2);
            assert_eq!(all[0].delivery.step, 1, "newest first");
            assert_eq!(all[0].customer_name.as_deref(), Some("Ann Lee"));
            let failing = tx.find_deliveries(&invoicer_store::DeliveryQuery {
                needs_a_person: true,
                invoice_id: Some(invoice),
                limit: 10,
                ..Default::default()
            })?;
            assert_eq!(failing.len(), 1);
            assert_eq!(failing[0].delivery.status, DeliveryStatus::Failed);
            let none = tx.find_deliveries(&invoicer_store::DeliveryQuery {
                invoice_id: Some(invoice + 1),
                limit: 10,
                ..Default::default()
            })?;
            assert!(none.is_empty());
            Ok::<_, StoreError>(())
        })
        .unwrap();
}

#[test]
fn smtp_settings_are_one_row_or_none_and_hold_no_password() {
    use invoicer_domain::smtp_settings::{SmtpSecurity, SmtpSettings};
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("t.db")).unwrap();
    let s = SmtpSettings {
        host: "smtp.example.com".into(),
        port: 587,
        security: SmtpSecurity::Starttls,
        username: Some("billing@example.com".into()),
    };
    store
        .write(|tx| {
            assert_eq!(tx.smtp_settings()?, None);
            tx.save_smtp_settings(Some(&s), at())?;
            tx.save_smtp_settings(
                Some(&SmtpSettings {
                    port: 2525,
                    ..s.clone()
                }),
                at(),
            )?;
            Ok::<_, StoreError>(())
        })
        .unwrap();
    let stored = store.read(|tx| tx.smtp_settings()).unwrap().unwrap();
    assert_eq!(stored.port, 2525);
    store.write(|tx| tx.save_smtp_settings(None, at())).unwrap();
    assert_eq!(store.read(|tx| tx.smtp_settings()).unwrap(), None);
}
