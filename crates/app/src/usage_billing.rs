//! Recording hour and usage entries and billing them, each entry exactly
//! once.
//!
//! An entry is recorded (unique by source and reference, so an event sent
//! again is not recorded twice) in the same write transaction that, when
//! the rule's unbilled entries now cross its quantity or amount threshold,
//! makes **one** invoice of all of them through the shared trigger path and
//! marks them billed with `UPDATE … WHERE id IN (…) AND invoice_id IS NULL`,
//! checking that every one was marked. A period end is billed by the
//! `usage_thresholds` job, one write transaction per (rule, period), whose
//! claim is unique. A crash anywhere rolls the invoice and the marks back
//! together, so a restart bills what is left and nothing twice. The test
//! run is `threshold_test_run.rs`'s.

use crate::api::{UsageInput, UsageRecorded};
use crate::drafts::{build_content, chosen_template, load};
use crate::invoice_pdf::not_initialized;
use crate::trigger_invoice::{TriggerAction, TriggeredInvoice, TriggeredStatus};
use crate::usage_thresholds::{entry_view, load_threshold, progress_view, rule_currency};
use crate::{ApiError, AppResult, ErrorCode, Invoicer, Session};
use chrono::{DateTime, Days, Duration, NaiveDate, Utc};
use invoicer_domain::audit::NewAuditEvent;
use invoicer_domain::authorization::{Permission, User};
use invoicer_domain::company::CompanySettings;
use invoicer_domain::line::LineText;
use invoicer_domain::trigger_source::TriggerSource;
use invoicer_domain::usage_threshold::{
    BillingPeriod, Measure, ThresholdAction, ThresholdRule, ThresholdState, UsageEntry,
};
use invoicer_domain::validation::non_blank;
use invoicer_domain::{Decimal, ValidationErrors};
use invoicer_store::{BillingReason, NewUsageEntry, StoreError, StoredUsageEntry, Tx, UsageSource};
use serde_json::json;

/// The threshold job's name: its thread, events and audit actor
/// (`system:usage_thresholds`).
pub(crate) const THRESHOLDS_JOB: &str = "usage_thresholds";

/// How often the job looks again for periods that ended.
const RECHECK: Duration = Duration::minutes(5);

/// One entry to record, with its sender's reference.
pub(crate) struct EntryToRecord {
    pub(crate) entry: UsageEntry,
    pub(crate) source_ref: Option<String>,
}

/// What recording entries did, in the caller's transaction.
pub(crate) struct RecordedEntries {
    /// Each entry as stored (the earlier one for a duplicate) and whether it
    /// was recorded before.
    pub(crate) entries: Vec<(StoredUsageEntry, bool)>,
    /// The invoice made when they crossed the threshold.
    pub(crate) billed: Option<(i64, TriggeredStatus)>,
}

/// The name of a triggered invoice's outcome.
pub(crate) fn outcome_name(s: TriggeredStatus) -> &'static str {
    match s {
        TriggeredStatus::Draft => "draft",
        TriggeredStatus::AwaitingApproval => "awaiting_approval",
        TriggeredStatus::Issued => "issued",
        TriggeredStatus::Queued(_) => "queued_for_sending",
    }
}

/// The user a rule acts for: its maker, who must still be able to sign in.
fn rule_maker(tx: &Tx<'_>, r: &ThresholdRule) -> AppResult<User> {
    match tx.user(r.created_by)? {
        Some(u) if u.active => Ok(u),
        other => Err(ApiError::new(
            ErrorCode::Forbidden,
            format!(
                "threshold rule {} was made by {}, who can no longer sign in; an admin must \
                 save the rule again",
                r.id,
                other.map_or_else(|| format!("user {}", r.created_by), |u| u.email)
            ),
        )),
    }
}

/// The enabled rule that takes an entry of this customer, project and
/// measure: one for its project first, else one for the whole customer
/// (the oldest when several match).
pub(crate) fn matching_rule(
    tx: &Tx<'_>,
    customer_id: i64,
    project: Option<&str>,
    measure: Measure,
) -> AppResult<Option<ThresholdRule>> {
    let rules = tx.active_thresholds_of(customer_id, measure)?;
    let for_project = rules
        .iter()
        .find(|r| r.terms.project.is_some() && r.terms.matches(customer_id, project, measure));
    Ok(for_project
        .or_else(|| {
            rules.iter().find(|r| {
                r.terms.project.is_none() && r.terms.matches(customer_id, project, measure)
            })
        })
        .cloned())
}

/// Checks an entry as the invoice line it will become, so billing it later
/// cannot fail on its text or numbers.
pub(crate) fn check_entry(r: &ThresholdRule, e: &UsageEntry, prefix: &str) -> AppResult<()> {
    let mut errs = ValidationErrors::new();
    if e.quantity <= Decimal::ZERO {
        errs.push(
            format!("{prefix}quantity"),
            e.quantity.to_string(),
            "must be greater than zero",
        );
    }
    let text = LineText {
        description: r.terms.line_description(e),
        quantity: e.quantity.to_string(),
        unit_price: e.unit_price.to_string(),
        discount_percent: String::new(),
    };
    if e.description.trim().is_empty() {
        errs.push(format!("{prefix}description"), "", "is required");
    } else if let Err(line) = text.parse() {
        errs.extend_prefixed(prefix.trim_end_matches('.'), line);
    }
    Ok(errs.into_result()?)
}

impl Invoicer {
    /// Makes the invoice of `entries` for rule `r` in `tx` as the rule's
    /// action asks, dated `issue_date`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn make_usage_invoice_in(
        &self,
        tx: &Tx<'_>,
        settings: &CompanySettings,
        r: &ThresholdRule,
        entries: &[UsageEntry],
        issue_date: NaiveDate,
        actor: &str,
        about: serde_json::Value,
        now: DateTime<Utc>,
    ) -> AppResult<(i64, TriggeredStatus)> {
        let maker = rule_maker(tx, r)?;
        let t = &r.terms;
        let first = entries.iter().map(|e| e.occurred_on).min();
        let last = entries.iter().map(|e| e.occurred_on).max();
        let total: Decimal = entries.iter().map(|e| e.quantity).sum();
        let draft = crate::api::DraftInput {
            customer_id: t.customer_id,
            issue_date: Some(issue_date),
            terms_days: t.terms_days,
            notes: Some(format!(
                "{} {} from {} to {}{}",
                crate::views::plain(total),
                match t.measure {
                    Measure::Hours => "hours",
                    Measure::Units => "units",
                },
                first.map(|d| d.to_string()).unwrap_or_default(),
                last.map(|d| d.to_string()).unwrap_or_default(),
                t.project
                    .as_deref()
                    .map(|p| format!(", project {p}"))
                    .unwrap_or_default()
            )),
            lines: entries
                .iter()
                .map(|e| crate::api::LineInput {
                    description: t.line_description(e),
                    quantity: e.quantity.to_string(),
                    unit_price: e.unit_price.to_string(),
                    discount_percent: None,
                    tax_rate_id: None,
                    proration: None,
                    tax_exempt_reason: None,
                })
                .collect(),
            template: t.template.clone(),
        };
        let content = build_content(tx, settings, &draft, issue_date)?;
        let template = chosen_template(tx, &draft)?;
        let action = match t.action {
            ThresholdAction::Draft => TriggerAction::Draft,
            ThresholdAction::Issue => TriggerAction::Issue,
            ThresholdAction::IssueAndSend => TriggerAction::IssueAndSend,
            ThresholdAction::Approval => TriggerAction::AwaitApproval { send: true },
        };
        let mut about = about;
        about["on_behalf_of"] = json!(maker.email);
        self.make_triggered_in(
            tx,
            settings,
            TriggeredInvoice {
                content,
                template,
                source: TriggerSource::Threshold,
                action,
                maker: &maker,
                actor,
                about: ("threshold", about),
                needs_approval: false,
                fault_point: "threshold_after_create",
            },
            now,
        )
    }

    /// Bills `entries` of rule `r` in `tx`: claims the billing (once per
    /// period for a period end; `None` when claimed before), makes one
    /// invoice of them, marks each billed (every one, or the whole
    /// transaction fails) and audits which entries it billed. A period with
    /// nothing to bill is recorded empty.
    #[allow(clippy::too_many_arguments)]
    fn bill_in(
        &self,
        tx: &Tx<'_>,
        settings: &CompanySettings,
        r: &ThresholdRule,
        entries: &[StoredUsageEntry],
        reason: BillingReason,
        period: Option<&BillingPeriod>,
        caught_up: bool,
        actor: &str,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> AppResult<Option<(i64, TriggeredStatus)>> {
        let Some(billing) =
            tx.claim_usage_billing(r.id, reason, period.map(|p| p.start), caught_up, now)?
        else {
            return Ok(None);
        };
        let ids: Vec<i64> = entries.iter().map(|e| e.entry.id).collect();
        let period_json =
            period.map(|p| json!({"start": p.start.to_string(), "end": p.end.to_string()}));
        if entries.is_empty() {
            tx.set_usage_billing(billing, None, 0)?;
            tx.append_audit(
                NewAuditEvent::new(
                    Some(actor),
                    "threshold.period_empty",
                    format!("threshold:{}", r.id),
                    json!({"period": period_json, "caught_up": caught_up}),
                ),
                now,
            )?;
            return Ok(None);
        }
        let plain: Vec<UsageEntry> = entries.iter().map(|e| e.entry.clone()).collect();
        let progress = r.terms.progress(&plain);
        let issue_date = period.map_or(today, |p| p.end);
        let about = json!({"id": r.id, "name": r.terms.name, "reason": reason.as_str(),
                           "period": period_json, "entries": ids.len()});
        let (invoice_id, status) =
            self.make_usage_invoice_in(tx, settings, r, &plain, issue_date, actor, about, now)?;
        let marked = tx.bill_usage_entries(&ids, invoice_id)?;
        if marked != ids.len() {
            // Another transaction billed some of them first: this invoice
            // would bill them twice, so nothing of it is kept.
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!(
                    "{} of the {} entries of threshold rule {} were billed meanwhile; nothing \
                     was billed twice",
                    ids.len() - marked,
                    ids.len(),
                    r.id
                ),
            ));
        }
        tx.set_usage_billing(billing, Some(invoice_id), ids.len())?;
        tx.append_audit(
            NewAuditEvent::new(
                Some(actor),
                "threshold.billed",
                format!("threshold:{}", r.id),
                json!({"invoice_id": invoice_id, "reason": reason.as_str(), "period": period_json,
                       "caught_up": caught_up, "entries": ids,
                       "quantity": progress.quantity.to_string(),
                       "amount": progress.amount.to_string(), "outcome": outcome_name(status)}),
            ),
            now,
        )?;
        crate::fault_points::reached("threshold_in_billing");
        Ok(Some((invoice_id, status)))
    }

    /// Records `entries` for rule `r` in `tx`, each audited, then bills the
    /// rule's unbilled entries when they now cross a threshold.
    pub(crate) fn record_entries_in(
        &self,
        tx: &Tx<'_>,
        r: &ThresholdRule,
        entries: Vec<EntryToRecord>,
        source: UsageSource,
        actor: &str,
        now: DateTime<Utc>,
    ) -> AppResult<RecordedEntries> {
        if r.state != ThresholdState::Active {
            return Err(ApiError::new(
                ErrorCode::InvalidState,
                format!("threshold rule {} is disabled; enable it first", r.id),
            ));
        }
        let settings = tx.company()?.ok_or_else(not_initialized)?;
        let today = self.clock.today(settings.timezone);
        let mut out = Vec::with_capacity(entries.len());
        for e in entries {
            let new = NewUsageEntry {
                rule_id: r.id,
                customer_id: r.terms.customer_id,
                measure: r.terms.measure,
                entry: &e.entry,
                source,
                source_ref: e.source_ref.as_deref(),
                recorded_by: actor,
            };
            match tx.insert_usage_entry(&new, now)? {
                Some(id) => {
                    tx.append_audit(
                        NewAuditEvent::new(
                            Some(actor),
                            "usage.recorded",
                            format!("threshold:{}", r.id),
                            json!({"entry_id": id, "measure": r.terms.measure.as_str(),
                                   "quantity": e.entry.quantity.to_string(),
                                   "unit_price": e.entry.unit_price.to_string(),
                                   "description": e.entry.description,
                                   "project": e.entry.project,
                                   "occurred_on": e.entry.occurred_on.to_string(),
                                   "source": source.as_str(), "reference": e.source_ref}),
                        ),
                        now,
                    )?;
                    let stored = tx
                        .usage_entry_by_id(id)?
                        .ok_or_else(|| StoreError::Corrupt(format!("usage entry {id} vanished")))?;
                    out.push((stored, false));
                }
                None => {
                    let reference = e.source_ref.as_deref().unwrap_or_default();
                    let earlier = tx.usage_entry_by_ref(source, reference)?.ok_or_else(|| {
                        StoreError::Corrupt(format!("usage entry {reference:?} vanished"))
                    })?;
                    out.push((earlier, true));
                }
            }
        }
        let billed = if out.iter().all(|(_, duplicate)| *duplicate) {
            None
        } else {
            self.bill_if_crossed_in(tx, &settings, r, actor, today, now)?
        };
        Ok(RecordedEntries {
            entries: out,
            billed,
        })
    }

    /// Bills rule `r`'s unbilled entries in `tx` when they cross a threshold.
    fn bill_if_crossed_in(
        &self,
        tx: &Tx<'_>,
        settings: &CompanySettings,
        r: &ThresholdRule,
        actor: &str,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> AppResult<Option<(i64, TriggeredStatus)>> {
        let unbilled = tx.unbilled_usage(r.id, None)?;
        let plain: Vec<UsageEntry> = unbilled.iter().map(|e| e.entry.clone()).collect();
        match r.terms.progress(&plain).crossed {
            None => Ok(None),
            Some(c) => self.bill_in(
                tx,
                settings,
                r,
                &unbilled,
                BillingReason::Crossed(c),
                None,
                false,
                actor,
                today,
                now,
            ),
        }
    }

    /// Records an hour or usage entry typed by a person (`invoicer usage
    /// record`, the desktop app): it goes to the enabled rule of its
    /// customer (and project) and measure, and bills the rule's entries when
    /// it crosses the threshold.
    pub fn record_usage(&self, session: &Session, input: &UsageInput) -> AppResult<UsageRecorded> {
        session.require(Permission::ManageInvoices)?;
        let measure = Measure::parse(&input.measure)
            .map_err(|m| ApiError::field("measure", &input.measure, &m))?;
        let quantity =
            input.quantity.trim().parse::<Decimal>().map_err(|_| {
                ApiError::field("quantity", &input.quantity, "is not a decimal number")
            })?;
        let project = non_blank(input.project.as_deref());
        let now = self.clock.now();
        let recorded = self.store.write(|tx| {
            let r = matching_rule(tx, input.customer_id, project.as_deref(), measure)?.ok_or_else(
                || {
                    ApiError::new(
                        ErrorCode::NotFound,
                        format!(
                            "no enabled threshold rule takes {} of customer {}{}; add one with \
                             `invoicer threshold add`, test it and enable it",
                            measure.as_str(),
                            input.customer_id,
                            project
                                .as_deref()
                                .map(|p| format!(" (project {p})"))
                                .unwrap_or_default()
                        ),
                    )
                },
            )?;
            let unit_price = match (r.terms.unit_price, non_blank(input.unit_price.as_deref())) {
                (Some(p), _) => p,
                (None, Some(text)) => text
                    .parse::<Decimal>()
                    .map_err(|_| ApiError::field("unit_price", &text, "is not a decimal number"))?,
                (None, None) => {
                    return Err(ApiError::field(
                        "unit_price",
                        "",
                        "is required: the rule has no unit price of its own",
                    ))
                }
            };
            let entry = UsageEntry {
                id: 0,
                quantity,
                unit_price,
                description: input.description.trim().to_string(),
                project: project.clone(),
                occurred_on: input.occurred_on,
            };
            check_entry(&r, &entry, "")?;
            let mut rec = self.record_entries_in(
                tx,
                &r,
                vec![EntryToRecord {
                    entry,
                    source_ref: non_blank(input.reference.as_deref()),
                }],
                UsageSource::Cli,
                session.actor(),
                now,
            )?;
            let c = rule_currency(tx, r.terms.customer_id)?;
            let unbilled: Vec<UsageEntry> = tx
                .unbilled_usage(r.id, None)?
                .into_iter()
                .map(|e| e.entry)
                .collect();
            let (stored, duplicate) = rec.entries.remove(0);
            let stored = match rec.billed {
                Some(_) => tx.usage_entry_by_id(stored.entry.id)?.unwrap_or(stored),
                None => stored,
            };
            let (invoice_id, invoice_number, outcome) = match rec.billed {
                Some((id, status)) => (
                    Some(id),
                    load(tx, id)?.number,
                    Some(outcome_name(status).to_string()),
                ),
                None => (None, None, None),
            };
            Ok::<_, ApiError>(UsageRecorded {
                rule_id: r.id,
                rule_name: r.terms.name.clone(),
                entry: entry_view(r.id, &stored.entry, Some(&stored), c),
                duplicate,
                progress: progress_view(&r.terms, &r.terms.progress(&unbilled), c),
                invoice_id,
                invoice_number,
                outcome,
            })
        })?;
        if recorded.invoice_id.is_some() {
            self.nudge_jobs();
        }
        Ok(recorded)
    }

    /// One pass of the threshold job: for every enabled rule, its unbilled
    /// entries when they cross a threshold (e.g. the rule was just enabled),
    /// then each period that ended, oldest first, each in its own write
    /// transaction. Periods that ended before the rule was made are not
    /// billed.
    pub(crate) fn threshold_pass(
        &self,
        cancelled: &dyn Fn() -> bool,
        progress: &dyn Fn(u32, u32, Option<String>, u32),
    ) -> AppResult<(u32, u32, Option<DateTime<Utc>>)> {
        let now = self.clock.now();
        let next_due = Some(now + RECHECK);
        let Some(settings) = self.store.read(|tx| tx.company())? else {
            return Ok((0, 0, next_due));
        };
        let today = self.clock.today(settings.timezone);
        let actor = crate::jobs::system_actor(THRESHOLDS_JOB);
        let work: Vec<(i64, Option<BillingPeriod>)> = self.store.read(|tx| {
            let mut work = Vec::new();
            for r in tx.thresholds(true)? {
                work.push((r.id, None));
                if let Some(p) = r.terms.period {
                    let made_on = r.created_at.date_naive();
                    let last = tx.last_usage_period(r.id)?;
                    for ended in p
                        .ended(last, today)
                        .into_iter()
                        .filter(|p| p.end >= made_on)
                    {
                        work.push((r.id, Some(ended)));
                    }
                }
            }
            Ok::<_, ApiError>(work)
        })?;
        let total = u32::try_from(work.len()).unwrap_or(u32::MAX);
        let (mut done, mut failed) = (0u32, 0u32);
        let mut stopped = std::collections::HashSet::new();
        let mut queued = false;
        for (id, period) in &work {
            if cancelled() {
                break;
            }
            if stopped.contains(id) {
                continue;
            }
            let made = self.store.write(|tx| {
                let now = self.clock.now();
                let r = load_threshold(tx, *id)?;
                if r.state != ThresholdState::Active {
                    return Ok(None);
                }
                // A run without error resolves the rule's recorded failure
                // (exceptions); a failing one rolls this back with the rest.
                tx.resolve_trigger_failure("threshold", r.id, now)?;
                match period {
                    None => self.bill_if_crossed_in(tx, &settings, &r, &actor, today, now),
                    Some(p) => {
                        let entries = tx.unbilled_usage(r.id, Some(p.end))?;
                        let due = p.end.checked_add_days(Days::new(1)).unwrap_or(p.end);
                        self.bill_in(
                            tx,
                            &settings,
                            &r,
                            &entries,
                            BillingReason::PeriodEnd,
                            Some(p),
                            today > due,
                            &actor,
                            today,
                            now,
                        )
                    }
                }
            });
            match made {
                Ok(Some((_, status))) => {
                    done += 1;
                    queued |= matches!(status, TriggeredStatus::Queued(_));
                }
                Ok(None) => {}
                Err(e) => {
                    tracing::warn!(threshold = id, error = %e.message,
                                   "a threshold rule's billing could not be made");
                    self.record_trigger_failure("threshold", *id, &e, |tx| {
                        let r = load_threshold(tx, *id).ok()?;
                        Some((format!("threshold {}", r.terms.name), r.terms.customer_id))
                    });
                    failed += 1;
                    stopped.insert(*id);
                }
            }
            progress(done, total, Some(format!("threshold rule {id}")), failed);
            crate::fault_points::reached("threshold_between_billings");
        }
        if queued {
            self.nudge_jobs();
        }
        Ok((done, failed, next_due))
    }
}
