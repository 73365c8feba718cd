//! Event rules and the API's events log on a real SQLite file: the seeded
//! rules reproduce the earlier defaults, an untested rule cannot be stored
//! enabled, a change that needs a new test disables the rule, and the log
//! answers a rule's recent events and the refused ones since a day.

use chrono::{DateTime, Duration, TimeZone, Utc};
use invoicer_domain::authorization::Role;
use invoicer_domain::bulk_mapping::TargetField;
use invoicer_domain::event_actions::{EventAction, EventType};
use invoicer_domain::event_rules::FieldMapping;
use invoicer_store::{ApiEventFilter, ApiEventOutcome, NewApiEvent, Store};

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap()
}

#[test]
fn seeded_rules_are_the_old_defaults_disabled_until_tested() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("invoicer.db")).unwrap();
    let rules = store.read(|tx| tx.event_rules()).unwrap();
    let seen: Vec<(EventType, EventAction, bool)> = rules
        .iter()
        .map(|r| (r.event_type, r.settings.action, r.enabled))
        .collect();
    assert_eq!(
        seen,
        [
            (EventType::OrderCreated, EventAction::IssueAndSend, false),
            (EventType::DealClosedWon, EventAction::IssueAndSend, false),
            (
                EventType::ProjectCompleted,
                EventAction::IssueAndSend,
                false
            ),
            (EventType::UsageRecorded, EventAction::CreateDraft, false),
            (EventType::TimeLogged, EventAction::CreateDraft, false),
        ]
    );
    assert!(rules
        .iter()
        .all(|r| r.tested_at.is_none() && r.settings.mapping.is_empty()));
    // The table itself refuses an enabled rule that never passed a test.
    let refused = store.write(|tx| tx.set_event_rule_enabled(EventType::DealClosedWon, true));
    assert!(refused.is_err());

    let admin = store
        .write(|tx| tx.insert_user("admin@acme.test", "Admin", Role::Admin, "x", at()))
        .map(|u| u.id)
        .unwrap();
    store
        .write(|tx| {
            tx.mark_event_rule_tested(EventType::DealClosedWon, admin, at())?;
            tx.set_event_rule_enabled(EventType::DealClosedWon, true)
        })
        .unwrap();
    let mut settings = store
        .read(|tx| tx.event_rule(EventType::DealClosedWon))
        .unwrap()
        .settings;
    settings.terms_days = Some(14);
    store
        .write(|tx| tx.save_event_rule(EventType::DealClosedWon, &settings, false, admin, at()))
        .unwrap();
    let kept = store
        .read(|tx| tx.event_rule(EventType::DealClosedWon))
        .unwrap();
    assert!(kept.enabled && kept.tested_at.is_some());
    assert_eq!(kept.settings.terms_days, Some(14));
    settings.mapping = vec![FieldMapping {
        field: TargetField::Email,
        path: "contact.email".into(),
    }];
    store
        .write(|tx| tx.save_event_rule(EventType::DealClosedWon, &settings, true, admin, at()))
        .unwrap();
    let changed = store
        .read(|tx| tx.event_rule(EventType::DealClosedWon))
        .unwrap();
    assert!(!changed.enabled && changed.tested_at.is_none());
    assert_eq!(changed.settings.mapping, settings.mapping);
}

#[test]
fn the_log_answers_recent_and_refused_events_and_forgets_old_ones() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("invoicer.db")).unwrap();
    let log = |minutes: i64, t: &str, outcome: ApiEventOutcome| {
        store
            .write(|tx| {
                tx.log_api_event(&NewApiEvent {
                    received_at: at() + Duration::minutes(minutes),
                    event_type: t,
                    reference: Some("DEAL-1"),
                    idem_key: Some("k"),
                    outcome,
                })
            })
            .unwrap()
    };
    log(-200 * 24 * 60, "deal.closed_won", ApiEventOutcome::DryRun);
    log(
        1,
        "deal.closed_won",
        ApiEventOutcome::Created {
            invoice_id: 7,
            number: Some("INV-2026-00001".into()),
        },
    );
    log(
        2,
        "deal.closed_won",
        ApiEventOutcome::Refused {
            code: "validation".into(),
            message: "customer.email is not an email address".into(),
        },
    );
    log(
        3,
        "usage.recorded",
        ApiEventOutcome::Draft { invoice_id: 8 },
    );
    let deals = store
        .read(|tx| {
            tx.recent_api_events(&ApiEventFilter {
                event_type: Some("deal.closed_won".into()),
                limit: 10,
                ..ApiEventFilter::default()
            })
        })
        .unwrap();
    assert_eq!(deals.len(), 3);
    assert!(matches!(deals[0].outcome, ApiEventOutcome::Refused { .. }));
    assert_eq!(
        deals[1].outcome,
        ApiEventOutcome::Created {
            invoice_id: 7,
            number: Some("INV-2026-00001".into())
        }
    );
    let refused = store.read(|tx| tx.refused_events_since(at(), 10)).unwrap();
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].reference.as_deref(), Some("DEAL-1"));
    let pruned = store
        .write(|tx| tx.prune_api_events(at() - Duration::days(90)))
        .unwrap();
    assert_eq!(pruned, 1);
}
