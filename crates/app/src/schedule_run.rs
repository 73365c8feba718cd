//! Making a schedule's occurrences: the background pass that invoices every
//! due period of every active schedule in date order, **one write
//! transaction per occurrence** (claim the (schedule, period start) row,
//! make the invoice through the shared trigger path, link it, audit
//! `schedule.occurrence_made`), and the test run that makes the next
//! occurrence's invoice in a transaction that is always rolled back.
//!
//! An occurrence is "caught up" when it is made after its invoice date
//! (the app was closed on the day); its audit event says so.

use crate::api::{OccurrencePreview, Proration as ProrationInput, ScheduleTestRun};
use crate::drafts::{build_content, chosen_template, load};
use crate::invoice_pdf::{not_initialized, sha256_hex};
use crate::schedules::{line_inputs, load_schedule};
use crate::trigger_invoice::{TriggerAction, TriggeredInvoice, TriggeredStatus};
use crate::views::{amount, totals_view};
use crate::{ApiError, AppResult, ErrorCode, Invoicer, Session};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use invoicer_domain::audit::NewAuditEvent;
use invoicer_domain::authorization::{Permission, User};
use invoicer_domain::company::CompanySettings;
use invoicer_domain::invoice::{InvoiceContent, TemplateRef};
use invoicer_domain::schedule::{Period, Schedule, ScheduleMode, ScheduleState};
use invoicer_domain::trigger_source::TriggerSource;
use invoicer_store::{OccurrenceOutcome, StoreError, Tx};
use serde_json::json;
use std::collections::HashSet;

/// The schedule job's name: its thread, events and audit actor
/// (`system:recurring_schedules`).
pub(crate) const SCHEDULER: &str = "recurring_schedules";

/// How often the job looks again for periods that became due (and for
/// schedules enabled from another process).
pub(crate) const RECHECK: Duration = Duration::minutes(5);

/// What one pass did.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct SchedulePass {
    /// Occurrences made.
    pub(crate) done: u32,
    /// Occurrences that failed (their schedule waits for the next pass).
    pub(crate) failed: u32,
    /// When to look again.
    pub(crate) next_due: Option<DateTime<Utc>>,
}

/// The draft content and template of period `p` of `s`: its lines
/// prorated when the period is partial, dated to the period's first
/// billed day, in the schedule's currency.
pub(crate) fn occurrence_content(
    tx: &Tx<'_>,
    settings: &CompanySettings,
    s: &Schedule,
    p: &Period,
) -> AppResult<(InvoiceContent, Option<TemplateRef>)> {
    let proration = p.proration().map(|r| ProrationInput {
        period_start: r.period_start,
        period_end: r.period_end,
        billed_from: r.billed_from,
        billed_to: r.billed_to,
    });
    let mut lines = line_inputs(s);
    for l in &mut lines {
        l.proration = proration;
    }
    let draft = crate::api::DraftInput {
        customer_id: s.terms.customer_id,
        issue_date: Some(p.bill_date()),
        terms_days: s.terms.terms_days,
        notes: Some(format!(
            "Service period {} to {}",
            p.billed_from, p.billed_to
        )),
        lines,
        template: s.terms.template.clone(),
    };
    let mut content = build_content(tx, settings, &draft, p.bill_date())?;
    if let Some(c) = s.terms.currency {
        content.currency = c;
    }
    Ok((content, chosen_template(tx, &draft)?))
}

/// What a test run's rolled-back transaction hands out.
enum DryRun {
    Done(Box<ScheduleTestRun>),
    Failed(ApiError),
}

impl From<StoreError> for DryRun {
    fn from(e: StoreError) -> Self {
        DryRun::Failed(e.into())
    }
}

impl From<ApiError> for DryRun {
    fn from(e: ApiError) -> Self {
        DryRun::Failed(e)
    }
}

fn status_name(s: TriggeredStatus) -> &'static str {
    match s {
        TriggeredStatus::Draft => "draft",
        TriggeredStatus::AwaitingApproval => "awaiting_approval",
        TriggeredStatus::Issued => "issued",
        TriggeredStatus::Queued(_) => "queued_for_sending",
    }
}

/// The user a schedule acts for: its maker, who must still be able to sign in.
fn schedule_maker(tx: &Tx<'_>, s: &Schedule) -> AppResult<User> {
    match tx.user(s.created_by)? {
        Some(u) if u.active => Ok(u),
        other => Err(ApiError::new(
            ErrorCode::Forbidden,
            format!(
                "schedule {} was made by {}, who can no longer sign in; an active user must \
                 save the schedule again",
                s.id,
                other.map_or_else(|| format!("user {}", s.created_by), |u| u.email)
            ),
        )),
    }
}

impl Invoicer {
    /// Makes period `p`'s invoice for `s` in `tx` as its mode asks.
    fn make_schedule_invoice_in(
        &self,
        tx: &Tx<'_>,
        settings: &CompanySettings,
        s: &Schedule,
        p: &Period,
        now: DateTime<Utc>,
    ) -> AppResult<(i64, TriggeredStatus)> {
        let maker = schedule_maker(tx, s)?;
        let (content, template) = occurrence_content(tx, settings, s, p)?;
        let action = match s.terms.mode {
            ScheduleMode::IssueAndSend => TriggerAction::IssueAndSend,
            ScheduleMode::Draft => TriggerAction::Draft,
        };
        let actor = crate::jobs::system_actor(SCHEDULER);
        self.make_triggered_in(
            tx,
            settings,
            TriggeredInvoice {
                content,
                template,
                source: TriggerSource::Recurring,
                action,
                maker: &maker,
                actor: &actor,
                about: (
                    "schedule",
                    json!({"id": s.id, "name": s.terms.name, "period_start": p.start.to_string(),
                           "period_end": p.end.to_string(), "on_behalf_of": maker.email}),
                ),
                needs_approval: false,
                fault_point: "schedule_after_create",
            },
            now,
        )
    }

    /// Makes one occurrence in its own write transaction; false when it was
    /// recorded before or the schedule is no longer active.
    fn make_occurrence(&self, id: i64, p: &Period, today: NaiveDate) -> AppResult<Option<bool>> {
        self.store.write(|tx| {
            let now = self.clock.now();
            let s = load_schedule(tx, id)?;
            if s.state != ScheduleState::Active {
                return Ok(None);
            }
            let settings = tx.company()?.ok_or_else(not_initialized)?;
            let caught_up = p.bill_date() < today;
            if !tx.claim_schedule_period(id, p, OccurrenceOutcome::Made, caught_up, now)? {
                return Ok(None);
            }
            let (invoice_id, status) = self.make_schedule_invoice_in(tx, &settings, &s, p, now)?;
            tx.set_occurrence_invoice(id, p.start, invoice_id)?;
            // The schedule works again: its failure no longer needs a person.
            tx.resolve_trigger_failure("schedule", id, now)?;
            tx.append_audit(
                NewAuditEvent::new(
                    Some(&crate::jobs::system_actor(SCHEDULER)),
                    "schedule.occurrence_made",
                    format!("schedule:{id}"),
                    json!({"invoice_id": invoice_id, "period_index": p.index,
                           "period_start": p.start.to_string(), "period_end": p.end.to_string(),
                           "invoice_date": p.bill_date().to_string(),
                           "caught_up": caught_up, "outcome": status_name(status)}),
                ),
                now,
            )?;
            crate::fault_points::reached("schedule_in_occurrence");
            Ok(Some(matches!(status, TriggeredStatus::Queued(_))))
        })
    }

    /// One pass of the schedule job: every due period of every active
    /// schedule, oldest invoice date first (so numbers follow the periods),
    /// each in its own transaction. A schedule whose occurrence fails stops
    /// for this pass, so its periods are never made out of order.
    pub(crate) fn schedule_pass(
        &self,
        cancelled: &dyn Fn() -> bool,
        progress: &dyn Fn(u32, u32, Option<String>, u32),
    ) -> AppResult<SchedulePass> {
        let now = self.clock.now();
        let next_due = Some(now + RECHECK);
        let Some(settings) = self.store.read(|tx| tx.company())? else {
            return Ok(SchedulePass {
                next_due,
                ..SchedulePass::default()
            });
        };
        let today = self.clock.today(settings.timezone);
        let mut due: Vec<(NaiveDate, i64, Period)> = self.store.read(|tx| {
            let mut due = Vec::new();
            for s in tx.schedules(true)? {
                let last = tx.last_schedule_period(s.id)?;
                for p in s.terms.rule.due_occurrences(last, today) {
                    due.push((p.bill_date(), s.id, p));
                }
            }
            Ok::<_, ApiError>(due)
        })?;
        due.sort_by_key(|(date, id, p)| (*date, *id, p.index));
        let total = u32::try_from(due.len()).unwrap_or(u32::MAX);
        let mut pass = SchedulePass {
            next_due,
            ..SchedulePass::default()
        };
        let mut stopped = HashSet::new();
        let mut queued = false;
        for (_, id, p) in &due {
            if cancelled() {
                break;
            }
            if stopped.contains(id) {
                continue;
            }
            match self.make_occurrence(*id, p, today) {
                Ok(Some(sent)) => {
                    pass.done += 1;
                    queued |= sent;
                }
                Ok(None) => {}
                Err(e) => {
                    tracing::warn!(schedule = id, period = %p.start, error = %e.message,
                                   "a schedule's occurrence could not be made");
                    pass.failed += 1;
                    stopped.insert(*id);
                    self.record_trigger_failure("schedule", *id, &e, |tx| {
                        load_schedule(tx, *id).ok().map(|s| {
                            (
                                format!("schedule {}, period {}", s.terms.name, p.start),
                                s.terms.customer_id,
                            )
                        })
                    });
                }
            }
            progress(
                pass.done,
                total,
                Some(format!("schedule {id}, period {}", p.start)),
                pass.failed,
            );
            crate::fault_points::reached("schedule_between_occurrences");
        }
        if queued {
            self.nudge_jobs();
        }
        Ok(pass)
    }

    /// A test run of a schedule: makes the invoice its next occurrence would
    /// make — issued, queued or waiting for approval as it really would be,
    /// with its PDF — inside a transaction that is then rolled back, so
    /// nothing is written or sent. When it passes, the schedule may be
    /// enabled (the only thing recorded).
    pub fn test_schedule(&self, session: &Session, id: i64) -> AppResult<ScheduleTestRun> {
        session.require(Permission::ManageInvoices)?;
        let outcome = self.store.write(|tx| -> Result<(), DryRun> {
            let now = self.clock.now();
            let s = load_schedule(tx, id)?;
            let settings = tx.company()?.ok_or_else(not_initialized)?;
            let last = tx.last_schedule_period(id)?;
            let Some(p) = s.terms.rule.upcoming(last, 1).into_iter().next() else {
                return Err(ApiError::new(
                    ErrorCode::InvalidState,
                    format!("schedule {id} has no period left to bill"),
                )
                .into());
            };
            let (invoice_id, status) = self.make_schedule_invoice_in(tx, &settings, &s, &p, now)?;
            let inv = load(tx, invoice_id)?;
            let (pdf, template) = if inv.was_issued() {
                let (bytes, _) = tx.archived_pdf(invoice_id)?.unwrap_or_default();
                (bytes, inv.template.clone())
            } else {
                let inputs = self.pdf_inputs(tx, &inv, None, &settings)?;
                (self.render_within_budget(&inputs)?, Some(inputs.template))
            };
            let c = inv.content.currency;
            let t = &inv.totals;
            let run = ScheduleTestRun {
                schedule_id: id,
                occurrence: OccurrencePreview {
                    index: p.index,
                    period_start: p.start,
                    period_end: p.end,
                    billed_from: p.billed_from,
                    billed_to: p.billed_to,
                    invoice_date: p.bill_date(),
                    due_date: inv.due_date(),
                    prorated: p.proration().is_some(),
                    currency: c.code().to_string(),
                    subtotal: amount(c, t.subtotal),
                    tax_total: amount(c, t.tax_total),
                    total: amount(c, t.total),
                },
                customer_name: inv.content.customer.name.clone(),
                customer_email: inv.content.customer.email.clone(),
                template: template
                    .map_or_else(String::new, |t| format!("{} v{}", t.name, t.version)),
                outcome: status_name(status).to_string(),
                needs_approval: status == TriggeredStatus::AwaitingApproval,
                number: inv.number.clone(),
                totals: totals_view(c, &inv.content.lines, t),
                pdf_sha256: sha256_hex(&pdf),
                pdf_bytes: pdf,
            };
            // Always rolled back: a test run writes and sends nothing.
            Err(DryRun::Done(Box::new(run)))
        });
        let run = match outcome {
            Ok(()) => {
                return Err(ApiError::new(
                    ErrorCode::Internal,
                    "the test run was not rolled back",
                ))
            }
            Err(DryRun::Failed(e)) => return Err(e),
            Err(DryRun::Done(run)) => run,
        };
        let now = self.clock.now();
        self.store.write(|tx| tx.mark_schedule_tested(id, now))?;
        Ok(*run)
    }
}
