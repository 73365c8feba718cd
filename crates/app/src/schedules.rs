//! Recurring schedules as use cases: create and change them, list them,
//! enable, pause, resume and skip, and preview their next occurrences.
//! Making the occurrences is `schedule_run.rs`'s.
//!
//! Pause and resume: periods billed while a schedule is paused are
//! **skipped**, not caught up on resume — a billing specialist pauses a
//! retainer so the customer is not billed for the pause. On resume each
//! such period is recorded as skipped (so it is never made later) and the
//! schedule goes on with the next period. Periods that fell due before the
//! pause (the app was closed) are still caught up.

use crate::api::{
    InvoiceTriggerView, LineInput, OccurrencePreview, ScheduleInput, ScheduleLineView,
    ScheduleView, UpdateScheduleInput,
};
use crate::views::amount;
use crate::{ApiError, AppResult, ErrorCode, Invoicer, Session};
use invoicer_domain::audit::NewAuditEvent;
use invoicer_domain::authorization::Permission;
use invoicer_domain::line::LineText;
use invoicer_domain::money::Currency;
use invoicer_domain::schedule::{
    paused_periods, Cadence, Frequency, Schedule, ScheduleEnd, ScheduleLine, ScheduleMode,
    ScheduleRule, ScheduleState, ScheduleTerms,
};
use invoicer_domain::validation::non_blank;
use invoicer_domain::ValidationErrors;
use invoicer_store::{OccurrenceOutcome, Tx};
use serde_json::json;

/// How many occurrences the preview shows.
pub const PREVIEW_OCCURRENCES: usize = 12;

/// Checks the form and turns it into schedule terms, every problem under
/// its field (`lines[1].unit_price`, `frequency`, `until`).
fn terms_from(input: &ScheduleInput) -> AppResult<ScheduleTerms> {
    let mut errs = ValidationErrors::new();
    let frequency = Frequency::parse(&input.frequency)
        .map_err(|m| errs.push("frequency", &input.frequency, m))
        .ok();
    let mode = ScheduleMode::parse(input.mode.trim());
    if mode.is_none() {
        errs.push("mode", &input.mode, "must be issue_and_send or draft");
    }
    let currency = match non_blank(input.currency.as_deref()) {
        None => None,
        Some(code) => {
            let c = Currency::from_code(&code.to_uppercase());
            if c.is_none() {
                errs.push("currency", &code, "is not an ISO 4217 currency code");
            }
            c
        }
    };
    if input.lines.is_empty() {
        errs.push("lines", "", "a schedule needs at least one line");
    }
    let mut lines = Vec::with_capacity(input.lines.len());
    for (i, l) in input.lines.iter().enumerate() {
        match schedule_line(l) {
            Ok(line) => lines.push(line),
            Err(e) => errs.extend_prefixed(&format!("lines[{i}]"), e),
        }
    }
    let end = match (input.until, input.count) {
        (Some(_), Some(n)) => {
            errs.push(
                "count",
                n.to_string(),
                "give an end date or a count, not both",
            );
            ScheduleEnd::Never
        }
        (Some(d), None) => ScheduleEnd::Until(d),
        (None, Some(n)) => ScheduleEnd::Count(n),
        (None, None) => ScheduleEnd::Never,
    };
    let (Some(frequency), Some(mode)) = (frequency, mode) else {
        return Err(errs.into());
    };
    let rule = ScheduleRule {
        cadence: Cadence {
            frequency,
            interval: input.interval.unwrap_or(1),
        },
        anchor: input.anchor,
        starts_on: input.starts_on,
        end,
        prorate: input.prorate.unwrap_or(true),
    };
    if let Err(e) = rule.validate() {
        errs.errors.extend(e.errors);
    }
    if let Some(t) = input.terms_days.filter(|t| *t > 365) {
        errs.push("terms_days", t.to_string(), "must be between 0 and 365");
    }
    errs.into_result()?;
    Ok(ScheduleTerms {
        name: input.name.trim().to_string(),
        customer_id: input.customer_id,
        lines,
        currency,
        template: non_blank(input.template.as_deref()),
        terms_days: input.terms_days,
        rule,
        mode,
    })
}

fn schedule_line(l: &LineInput) -> Result<ScheduleLine, ValidationErrors> {
    let item = LineText {
        description: l.description.clone(),
        quantity: l.quantity.clone(),
        unit_price: l.unit_price.clone(),
        discount_percent: l.discount_percent.clone().unwrap_or_default(),
    }
    .parse()?;
    Ok(ScheduleLine {
        description: item.description,
        quantity: item.quantity,
        unit_price: item.unit_price,
        discount_percent: item.discount_percent,
        tax_rate_id: l.tax_rate_id,
        tax_exempt_reason: non_blank(l.tax_exempt_reason.as_deref()),
    })
}

/// The schedule's lines as the draft form takes them.
pub(crate) fn line_inputs(s: &Schedule) -> Vec<LineInput> {
    s.terms
        .lines
        .iter()
        .map(|l| LineInput {
            description: l.description.clone(),
            quantity: l.quantity.to_string(),
            unit_price: l.unit_price.to_string(),
            discount_percent: l.discount_percent.map(|d| d.to_string()),
            tax_rate_id: l.tax_rate_id,
            proration: None,
            tax_exempt_reason: l.tax_exempt_reason.clone(),
        })
        .collect()
}

/// The schedule with this id, or `not_found`.
pub(crate) fn load_schedule(tx: &Tx<'_>, id: i64) -> AppResult<Schedule> {
    tx.schedule(id)?
        .ok_or_else(|| ApiError::not_found("schedule", id))
}

fn state_name(s: ScheduleState) -> &'static str {
    match s {
        ScheduleState::Disabled => "disabled",
        ScheduleState::Active => "active",
        ScheduleState::Paused(_) => "paused",
    }
}

fn view(tx: &Tx<'_>, s: Schedule) -> AppResult<ScheduleView> {
    let customer_name = tx
        .customer(s.terms.customer_id)?
        .map(|c| c.name)
        .unwrap_or_default();
    let recorded = tx.schedule_occurrences(s.id)?;
    let last = recorded.last().map(|o| o.period_start);
    let made = recorded
        .iter()
        .filter(|o| o.outcome == OccurrenceOutcome::Made)
        .count();
    let t = &s.terms;
    let r = &t.rule;
    Ok(ScheduleView {
        id: s.id,
        name: t.name.clone(),
        customer_id: t.customer_id,
        customer_name,
        currency: t.currency.map(|c| c.code().to_string()),
        template: t.template.clone(),
        terms_days: t.terms_days,
        frequency: r.cadence.frequency.as_str().to_string(),
        interval: r.cadence.interval,
        anchor: r.anchor,
        starts_on: r.starts_on,
        until: match r.end {
            ScheduleEnd::Until(d) => Some(d),
            _ => None,
        },
        count: match r.end {
            ScheduleEnd::Count(n) => Some(n),
            _ => None,
        },
        prorate: r.prorate,
        mode: t.mode.as_str().to_string(),
        lines: t
            .lines
            .iter()
            .map(|l| ScheduleLineView {
                description: l.description.clone(),
                quantity: l.quantity.to_string(),
                unit_price: l.unit_price.to_string(),
                discount_percent: l.discount_percent.map(|d| d.to_string()),
                tax_rate_id: l.tax_rate_id,
                tax_exempt_reason: l.tax_exempt_reason.clone(),
            })
            .collect(),
        state: state_name(s.state).to_string(),
        paused_on: match s.state {
            ScheduleState::Paused(d) => Some(d),
            _ => None,
        },
        tested_at: s.tested_at.map(|t| t.to_rfc3339()),
        next_period: r.upcoming(last, 1).first().map(|p| p.start),
        made: u32::try_from(made).unwrap_or(u32::MAX),
        skipped: u32::try_from(recorded.len() - made).unwrap_or(u32::MAX),
    })
}

impl Invoicer {
    /// Creates a schedule. It starts disabled: a test run must pass before
    /// it can be enabled (`resume_schedule`).
    pub fn create_schedule(
        &self,
        session: &Session,
        input: &ScheduleInput,
    ) -> AppResult<ScheduleView> {
        session.require(Permission::ManageInvoices)?;
        let mut terms = terms_from(input)?;
        let now = self.clock.now();
        self.store.write(|tx| {
            let customer = tx.customer(terms.customer_id)?.ok_or_else(|| {
                ApiError::field(
                    "customer_id",
                    &terms.customer_id.to_string(),
                    "no customer has this id",
                )
            })?;
            if terms.name.is_empty() {
                terms.name = format!(
                    "{} {}",
                    customer.name,
                    terms.rule.cadence.frequency.as_str()
                );
            }
            self.check_schedule_refs(tx, &terms)?;
            let id = tx.insert_schedule(&terms, session.user().id, now)?;
            tx.append_audit(
                NewAuditEvent::new(
                    Some(session.actor()),
                    "schedule.created",
                    format!("schedule:{id}"),
                    json!({"name": terms.name, "customer_id": terms.customer_id,
                           "frequency": terms.rule.cadence.frequency.as_str(),
                           "interval": terms.rule.cadence.interval,
                           "anchor": terms.rule.anchor.to_string(),
                           "mode": terms.mode.as_str(), "lines": terms.lines.len()}),
                ),
                now,
            )?;
            view(tx, load_schedule(tx, id)?)
        })
    }

    /// Changes what a schedule bills and when. Periods already made or
    /// skipped stay as they are; the changed rule goes on after them.
    pub fn update_schedule(
        &self,
        session: &Session,
        input: &UpdateScheduleInput,
    ) -> AppResult<ScheduleView> {
        session.require(Permission::ManageInvoices)?;
        let mut terms = terms_from(&input.schedule)?;
        let now = self.clock.now();
        self.store.write(|tx| {
            let old = load_schedule(tx, input.id)?;
            if terms.name.is_empty() {
                terms.name = old.terms.name.clone();
            }
            if tx.customer(terms.customer_id)?.is_none() {
                return Err(ApiError::field(
                    "customer_id",
                    &terms.customer_id.to_string(),
                    "no customer has this id",
                ));
            }
            self.check_schedule_refs(tx, &terms)?;
            tx.update_schedule(input.id, &terms, now)?;
            tx.append_audit(
                NewAuditEvent::new(
                    Some(session.actor()),
                    "schedule.updated",
                    format!("schedule:{}", input.id),
                    json!({"name": terms.name, "frequency": terms.rule.cadence.frequency.as_str(),
                           "interval": terms.rule.cadence.interval,
                           "anchor": terms.rule.anchor.to_string(), "mode": terms.mode.as_str()}),
                ),
                now,
            )?;
            view(tx, load_schedule(tx, input.id)?)
        })
    }

    /// Refuses a template or tax rate the library does not have.
    fn check_schedule_refs(&self, tx: &Tx<'_>, terms: &ScheduleTerms) -> AppResult<()> {
        if let Some(name) = &terms.template {
            if tx.template_version(name, None)?.is_none() {
                return Err(ApiError::field(
                    "template",
                    name,
                    "is not a template in the library",
                ));
            }
        }
        let rates = tx.tax_rates()?;
        for (i, l) in terms.lines.iter().enumerate() {
            if let Some(id) = l.tax_rate_id {
                if !rates.iter().any(|r| r.id == Some(id)) {
                    return Err(ApiError::field(
                        &format!("lines[{i}].tax_rate_id"),
                        &id.to_string(),
                        "no tax rate has this id",
                    ));
                }
            }
        }
        Ok(())
    }

    /// Every schedule, oldest first.
    pub fn schedules(&self, session: &Session) -> AppResult<Vec<ScheduleView>> {
        session.require(Permission::View)?;
        self.store.read(|tx| {
            tx.schedules(false)?
                .into_iter()
                .map(|s| view(tx, s))
                .collect()
        })
    }

    /// One schedule.
    pub fn schedule(&self, session: &Session, id: i64) -> AppResult<ScheduleView> {
        session.require(Permission::View)?;
        self.store.read(|tx| view(tx, load_schedule(tx, id)?))
    }

    /// Pauses an active schedule from today: periods billed from today
    /// until it is resumed are skipped.
    pub fn pause_schedule(&self, session: &Session, id: i64) -> AppResult<ScheduleView> {
        session.require(Permission::ManageInvoices)?;
        let now = self.clock.now();
        let today = self.clock.today(self.settings()?.timezone);
        self.store.write(|tx| {
            let s = load_schedule(tx, id)?;
            if s.state != ScheduleState::Active {
                return Err(ApiError::new(
                    ErrorCode::InvalidState,
                    format!(
                        "schedule {id} is {}; only an active schedule can be paused",
                        state_name(s.state)
                    ),
                ));
            }
            tx.set_schedule_state(id, ScheduleState::Paused(today), now)?;
            tx.append_audit(
                NewAuditEvent::new(
                    Some(session.actor()),
                    "schedule.paused",
                    format!("schedule:{id}"),
                    json!({"paused_on": today.to_string()}),
                ),
                now,
            )?;
            view(tx, load_schedule(tx, id)?)
        })
    }

    /// Enables a disabled schedule (once a test run has passed) or resumes a
    /// paused one: the periods billed while it was paused are recorded as
    /// skipped, each in the audit, and it goes on with the next period.
    pub fn resume_schedule(&self, session: &Session, id: i64) -> AppResult<ScheduleView> {
        session.require(Permission::ManageInvoices)?;
        let now = self.clock.now();
        let today = self.clock.today(self.settings()?.timezone);
        let resumed = self.store.write(|tx| {
            let s = load_schedule(tx, id)?;
            let skipped = match s.state {
                ScheduleState::Active => {
                    return Err(ApiError::new(
                        ErrorCode::InvalidState,
                        format!("schedule {id} is already active"),
                    ))
                }
                ScheduleState::Disabled if s.tested_at.is_none() => {
                    return Err(ApiError::new(
                        ErrorCode::InvalidState,
                        format!(
                            "schedule {id} has never passed a test run; run its test \
                             (`invoicer schedule test {id}`) and check the invoice it would make \
                             before enabling it"
                        ),
                    ))
                }
                ScheduleState::Disabled => Vec::new(),
                ScheduleState::Paused(on) => {
                    let last = tx.last_schedule_period(id)?;
                    paused_periods(&s.terms.rule, last, on, today)
                }
            };
            for p in &skipped {
                if tx.claim_schedule_period(id, p, OccurrenceOutcome::Skipped, false, now)? {
                    tx.append_audit(
                        NewAuditEvent::new(
                            Some(session.actor()),
                            "schedule.occurrence_skipped",
                            format!("schedule:{id}"),
                            json!({"period_start": p.start.to_string(),
                                   "period_end": p.end.to_string(), "reason": "paused"}),
                        ),
                        now,
                    )?;
                }
            }
            let action = match s.state {
                ScheduleState::Paused(_) => "schedule.resumed",
                _ => "schedule.enabled",
            };
            tx.set_schedule_state(id, ScheduleState::Active, now)?;
            tx.append_audit(
                NewAuditEvent::new(
                    Some(session.actor()),
                    action,
                    format!("schedule:{id}"),
                    json!({"tested_at": s.tested_at.map(|t| t.to_rfc3339()),
                           "skipped_while_paused": skipped.iter()
                               .map(|p| p.start.to_string()).collect::<Vec<_>>()}),
                ),
                now,
            )?;
            view(tx, load_schedule(tx, id)?)
        })?;
        // Periods that are due now are made by the next pass, at once.
        self.nudge_jobs();
        Ok(resumed)
    }

    /// Skips the next period not yet made: it is recorded as skipped and
    /// never made, whatever runs later.
    pub fn skip_next_occurrence(&self, session: &Session, id: i64) -> AppResult<ScheduleView> {
        session.require(Permission::ManageInvoices)?;
        let now = self.clock.now();
        self.store.write(|tx| {
            let s = load_schedule(tx, id)?;
            let last = tx.last_schedule_period(id)?;
            let next = s.terms.rule.upcoming(last, 1);
            let Some(p) = next.first() else {
                return Err(ApiError::new(
                    ErrorCode::InvalidState,
                    format!("schedule {id} has no period left to skip"),
                ));
            };
            tx.claim_schedule_period(id, p, OccurrenceOutcome::Skipped, false, now)?;
            tx.append_audit(
                NewAuditEvent::new(
                    Some(session.actor()),
                    "schedule.occurrence_skipped",
                    format!("schedule:{id}"),
                    json!({"period_start": p.start.to_string(),
                           "period_end": p.end.to_string(), "reason": "skipped by hand"}),
                ),
                now,
            )?;
            view(tx, load_schedule(tx, id)?)
        })
    }

    /// The next [`PREVIEW_OCCURRENCES`] periods not yet made or skipped,
    /// with their dates and totals. Pure: writes nothing.
    pub fn preview_schedule(
        &self,
        session: &Session,
        id: i64,
    ) -> AppResult<Vec<OccurrencePreview>> {
        session.require(Permission::View)?;
        let settings = self.settings()?;
        self.store.read(|tx| {
            let s = load_schedule(tx, id)?;
            let last = tx.last_schedule_period(id)?;
            s.terms
                .rule
                .upcoming(last, PREVIEW_OCCURRENCES)
                .iter()
                .map(|p| {
                    let (content, _) =
                        crate::schedule_run::occurrence_content(tx, &settings, &s, p)?;
                    let t = content.totals(settings.rounding_scope, settings.rounding_mode);
                    let c = content.currency;
                    Ok(OccurrencePreview {
                        index: p.index,
                        period_start: p.start,
                        period_end: p.end,
                        billed_from: p.billed_from,
                        billed_to: p.billed_to,
                        invoice_date: p.bill_date(),
                        due_date: content.due_date(),
                        prorated: p.proration().is_some(),
                        currency: c.code().to_string(),
                        subtotal: amount(c, t.subtotal),
                        tax_total: amount(c, t.tax_total),
                        total: amount(c, t.total),
                    })
                })
                .collect()
        })
    }

    /// What made an invoice: its trigger source, and the schedule and
    /// period when a schedule did.
    pub fn invoice_trigger(
        &self,
        session: &Session,
        invoice_id: i64,
    ) -> AppResult<InvoiceTriggerView> {
        session.require(Permission::View)?;
        self.store.read(|tx| {
            crate::drafts::load(tx, invoice_id)?;
            let origin = tx.invoice_origin(invoice_id)?.unwrap_or_default();
            let schedule = tx.invoice_schedule(invoice_id)?;
            let threshold = tx.invoice_threshold(invoice_id)?;
            Ok(InvoiceTriggerView {
                invoice_id,
                source: origin.source.as_str().to_string(),
                schedule_id: schedule.as_ref().map(|s| s.0),
                schedule_name: schedule.as_ref().map(|s| s.1.clone()),
                period_start: schedule.map(|s| s.2),
                threshold_id: threshold.as_ref().map(|t| t.0),
                threshold_name: threshold.map(|t| t.1),
            })
        })
    }
}
