//! `usage.recorded` and `time.logged` events through the local API, when an
//! enabled threshold rule of their customer (and project) takes them: each
//! line becomes an entry of the rule — recorded once per reference, so an
//! event sent again (even under a new `Idempotency-Key`) is not recorded
//! twice — and the answer is 202 with the entries and the running totals,
//! or 201 with the invoice when the event crossed the threshold. The
//! response is kept under the `Idempotency-Key` in the same transaction.
//! When no enabled rule matches, the event goes on like any other. Each
//! event is written to the events log as `event_log.rs` does for event
//! rules: accepted or its invoice in the transaction that recorded it, a
//! refusal or a dry run after the rollback, a replay not again.

use crate::api::{EventInput, UsageEventResult};
use crate::drafts::load;
use crate::event_log::log_usage_event_in;
use crate::integration_events::{
    dry_run_reply, encode, ApiCall, ApiReply, Idempotency, Rollback, API_ACTOR,
};
use crate::integration_reads::api_invoice;
use crate::invoice_pdf::not_initialized;
use crate::usage_billing::{check_entry, matching_rule, EntryToRecord};
use crate::usage_thresholds::{entry_view, progress_view, rule_currency};
use crate::{ApiError, AppResult, ErrorCode, Invoicer};
use chrono::{DateTime, Utc};
use invoicer_domain::customer::Customer;
use invoicer_domain::event_actions::EventType;
use invoicer_domain::usage_threshold::{Measure, ThresholdRule, UsageEntry};
use invoicer_domain::validation::non_blank;
use invoicer_domain::Decimal;
use invoicer_store::{Tx, UsageSource};
use serde_json::json;

/// The measure of an event type that thresholds take.
fn measure_of(t: EventType) -> Option<Measure> {
    match t {
        EventType::TimeLogged => Some(Measure::Hours),
        EventType::UsageRecorded => Some(Measure::Units),
        _ => None,
    }
}

/// The event's customer, when it exists already (a threshold rule needs one).
fn existing_customer(tx: &Tx<'_>, event: &EventInput) -> AppResult<Option<Customer>> {
    let c = &event.customer;
    if let Some(r) = non_blank(c.external_ref.as_deref()) {
        if let Some(found) = tx.customer_by_external_ref(&r)? {
            return Ok(Some(found));
        }
    }
    if let Some(e) = non_blank(c.email.as_deref()) {
        return Ok(tx.customers_by_email(&e)?.into_iter().next());
    }
    Ok(None)
}

/// The rule that takes `event`, if one does.
fn rule_for(tx: &Tx<'_>, event: &EventInput) -> AppResult<Option<ThresholdRule>> {
    let Some(measure) = measure_of(event.event_type) else {
        return Ok(None);
    };
    let Some(customer) = existing_customer(tx, event)? else {
        return Ok(None);
    };
    matching_rule(tx, customer.id, event.project.as_deref(), measure)
}

impl Invoicer {
    /// Takes an hours or usage event when an enabled threshold rule
    /// matches it; `None` sends it on to the event path.
    pub(crate) fn usage_event(
        &self,
        event: &EventInput,
        idem: &Idempotency<'_>,
        call: &ApiCall<'_>,
        dry_run: bool,
    ) -> AppResult<Option<ApiReply>> {
        if measure_of(event.event_type).is_none() {
            return Ok(None);
        }
        match self.store.read(|tx| rule_for(tx, event)) {
            Ok(Some(_)) => {}
            Ok(None) => return Ok(None),
            Err(e) => {
                let refused = Err(e);
                self.log_event_reply(event, idem.key, &refused);
                return refused.map(|_: ApiReply| None);
            }
        }
        let reply = if dry_run {
            self.usage_event_dry_run(event, idem.key)
        } else {
            // A replayed answer is not logged again; a refusal is logged
            // below, after its transaction rolled back.
            self.idempotent(idem, call, |tx, now| {
                let result = self.usage_event_in(tx, event, idem.key, false, now)?;
                let status = if result.invoice.is_some() { 201 } else { 202 };
                let about = json!({"event": result.event_type, "threshold": result.rule_id,
                                   "entries": result.entries.iter().map(|e| e.id).collect::<Vec<_>>(),
                                   "duplicate": result.duplicate,
                                   "invoice_id": result.invoice.as_ref().map(|i| i.id)});
                Ok((status, encode(&result)?, about))
            })
        };
        if dry_run || reply.is_err() {
            self.log_event_reply(event, idem.key, &reply);
        }
        reply.map(Some)
    }

    /// The answer `event` would get, from a transaction that is always
    /// rolled back.
    fn usage_event_dry_run(&self, event: &EventInput, idem_key: &str) -> AppResult<ApiReply> {
        let outcome = self
            .store
            .write(|tx| -> Result<(), Rollback<UsageEventResult>> {
                let now = self.clock.now();
                let result = self.usage_event_in(tx, event, idem_key, true, now)?;
                // Always rolled back: a dry run writes and sends nothing.
                Err(Rollback::Preview(Box::new(result)))
            });
        dry_run_reply(outcome)
    }

    /// Records the event's lines as entries of its rule in `tx` and bills
    /// them when they cross the threshold.
    fn usage_event_in(
        &self,
        tx: &Tx<'_>,
        event: &EventInput,
        idem_key: &str,
        dry_run: bool,
        now: DateTime<Utc>,
    ) -> AppResult<UsageEventResult> {
        let r = rule_for(tx, event)?.ok_or_else(|| {
            ApiError::new(
                ErrorCode::Conflict,
                "the threshold rule for this event was disabled meanwhile; send it again",
            )
        })?;
        if event.lines.is_empty() {
            return Err(ApiError::field("lines", "[]", "needs at least one line"));
        }
        let settings = tx.company()?.ok_or_else(not_initialized)?;
        let today = self.clock.today(settings.timezone);
        let reference = non_blank(event.reference.as_deref())
            .unwrap_or_else(|| format!("idempotency-key:{idem_key}"));
        let many = event.lines.len() > 1;
        let mut entries = Vec::with_capacity(event.lines.len());
        for (i, l) in event.lines.iter().enumerate() {
            let field = |name: &str| format!("lines[{i}].{name}");
            let quantity = l.quantity.trim().parse::<Decimal>().map_err(|_| {
                ApiError::field(&field("quantity"), &l.quantity, "is not a decimal number")
            })?;
            let unit_price = match r.terms.unit_price {
                Some(p) => p,
                None => l.unit_price.trim().parse::<Decimal>().map_err(|_| {
                    ApiError::field(
                        &field("unit_price"),
                        &l.unit_price,
                        "is not a decimal number",
                    )
                })?,
            };
            let entry = UsageEntry {
                id: 0,
                quantity,
                unit_price,
                description: l.description.trim().to_string(),
                project: non_blank(event.project.as_deref()),
                occurred_on: event.occurred_on.unwrap_or(today),
            };
            check_entry(&r, &entry, &format!("lines[{i}]."))?;
            entries.push(EntryToRecord {
                entry,
                source_ref: Some(if many {
                    format!("{reference}#{}", i + 1)
                } else {
                    reference.clone()
                }),
            });
        }
        let recorded = self.record_entries_in(tx, &r, entries, UsageSource::Api, API_ACTOR, now)?;
        let c = rule_currency(tx, r.terms.customer_id)?;
        let unbilled: Vec<UsageEntry> = tx
            .unbilled_usage(r.id, None)?
            .into_iter()
            .map(|e| e.entry)
            .collect();
        let mut views = Vec::with_capacity(recorded.entries.len());
        for (stored, _) in &recorded.entries {
            let fresh = tx.usage_entry_by_id(stored.entry.id)?;
            let s = fresh.as_ref().unwrap_or(stored);
            views.push(entry_view(r.id, &s.entry, Some(s), c));
        }
        let invoice = match recorded.billed {
            Some((id, _)) => Some(api_invoice(&load(tx, id)?, today)),
            None => None,
        };
        let duplicate = recorded.entries.iter().all(|(_, d)| *d);
        // Logged in the transaction that recorded the entries (and made the
        // invoice), so the log never names what rolled back. An event whose
        // every entry was recorded before is a replay: not logged again.
        if !dry_run && !duplicate {
            let billed = recorded.billed.map(|(id, status)| {
                let number = invoice.as_ref().and_then(|i| i.number.clone());
                (id, status, number)
            });
            log_usage_event_in(tx, event, idem_key, billed, now)?;
        }
        Ok(UsageEventResult {
            event_type: event.event_type.as_str().to_string(),
            dry_run,
            rule_id: r.id,
            rule_name: r.terms.name.clone(),
            duplicate,
            entries: views,
            progress: progress_view(&r.terms, &r.terms.progress(&unbilled), c),
            invoice,
        })
    }
}
