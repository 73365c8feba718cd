//! Automation performance: invoices by origin with the time from trigger to
//! sent, how deliveries went, reminders per step and the share paid soon
//! after, and approval turnaround. Every figure is read from stored rows
//! (invoices, deliveries, reminders, payments, approval rounds) and computed
//! exactly by the domain's `reports::ops`.

use super::ops_scope::{range, scope};
use crate::api::{
    ApprovalTurnaround, AutomationReport, DeliveryStats, OriginRow, ReminderStepRow, ReportFilter,
};
use crate::invoice_pdf::not_initialized;
use crate::{AppResult, Invoicer, Session};
use invoicer_domain::authorization::Permission;
use invoicer_domain::reports::ops::{fill_steps, hours, minutes, percent, percentile_in_place};
use invoicer_domain::trigger_source::TriggerSource;
use invoicer_domain::Decimal;

/// "Paid within N days after a reminder" when the request names no N.
pub(crate) const DEFAULT_PAID_WITHIN_DAYS: u32 = 7;

/// The range when the filter names none: the last 90 days.
const DEFAULT_RANGE_DAYS: u64 = 90;

/// The median and 90th percentile of `seconds`, in the unit `unit` makes,
/// selected in place (a million figures are not copied or sorted).
fn spread(seconds: &mut [i64], unit: fn(Decimal) -> String) -> (Option<String>, Option<String>) {
    (
        percentile_in_place(seconds, 50).map(unit),
        percentile_in_place(seconds, 90).map(unit),
    )
}

impl Invoicer {
    /// How the automation performs over the filter's range (default: the
    /// last 90 days to `as_of`): invoices made by each origin (every
    /// trigger source listed, zero included) with their share and the
    /// median and 90th percentile of minutes from the invoice being made
    /// to its email sent; the deliveries queued in the range by outcome;
    /// reminders sent per step and how many of their invoices were paid in
    /// full within `paid_within_days` (default 7) after; approval rounds
    /// decided in the range (median and 90th percentile hours from
    /// submission to the final decision) and invoices waiting now. Every
    /// signed-in role may read it.
    pub fn automation_report(
        &self,
        session: &Session,
        filter: &ReportFilter,
        paid_within_days: Option<u32>,
    ) -> AppResult<AutomationReport> {
        session.require(Permission::View)?;
        let scope = scope(filter)?;
        let days = paid_within_days.unwrap_or(DEFAULT_PAID_WITHIN_DAYS);
        self.store.read(|tx| {
            let settings = tx.company()?.ok_or_else(not_initialized)?;
            let today = self.clock.today(settings.timezone);
            let range = range(filter, today, settings.timezone, DEFAULT_RANGE_DAYS)?;

            let mut origins = tx.origin_figures(&range, &scope)?;
            let total: u64 = origins.iter().map(|o| o.invoices).sum();
            let by_origin = TriggerSource::ALL
                .into_iter()
                .map(|source| {
                    let name = source.as_str();
                    let (invoices, median, p90) =
                        match origins.iter_mut().find(|o| o.source == name) {
                            Some(o) => {
                                let (median, p90) = spread(&mut o.seconds_to_sent, minutes);
                                (o.invoices, median, p90)
                            }
                            None => (0, None, None),
                        };
                    OriginRow {
                        source: name.to_string(),
                        invoices,
                        share: percent(invoices, total).unwrap_or_else(|| "0.0".into()),
                        median_minutes_to_sent: median,
                        p90_minutes_to_sent: p90,
                    }
                })
                .collect();

            let t = tx.delivery_tally(&range, &scope)?;
            let delivery = DeliveryStats {
                sent: t.sent,
                failed: t.failed,
                unknown: t.unknown,
                pending: t.pending,
                retried: t.retried,
                success_rate: t.success_rate(),
                retry_rate: t.retry_rate(),
            };

            let policy_steps = u32::try_from(settings.reminder_policy.steps.len()).unwrap_or(0);
            let reminder_steps = fill_steps(
                &tx.reminder_step_tallies(&range, &scope, days)?,
                policy_steps,
            )
            .into_iter()
            .map(|s| ReminderStepRow {
                step: s.step,
                sent: s.sent,
                paid_within: s.paid_within,
                paid_within_share: percent(s.paid_within, s.sent),
            })
            .collect();

            let mut rounds = tx.approval_round_seconds(&range, &scope)?;
            let decided = rounds.len() as u64;
            let (median_hours, p90_hours) = spread(&mut rounds, hours);
            let approvals = ApprovalTurnaround {
                decided,
                pending: tx.pending_approval_count(&scope)?,
                median_hours,
                p90_hours,
            };

            Ok(AutomationReport {
                from: range.from_day,
                to: range.to_day,
                by_origin,
                delivery,
                paid_within_days: days,
                reminder_steps,
                approvals,
            })
        })
    }
}

/// Writes the automation report as CSV rows `section,item,measure,value`
/// (one figure per row, so every section fits one table), every cell
/// formula-neutralised; returns the data rows written (the header not
/// counted).
pub(crate) fn write_automation_csv<W: std::io::Write>(
    r: &AutomationReport,
    out: &mut csv::Writer<W>,
) -> AppResult<u64> {
    let mut rows = super::ops_csv::CsvRows::new(out, &["section", "item", "measure", "value"])?;
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    rows.write(&["range", "all", "from", &r.from.to_string()])?;
    rows.write(&["range", "all", "to", &r.to.to_string()])?;
    for o in &r.by_origin {
        rows.write(&["origin", &o.source, "invoices", &o.invoices.to_string()])?;
        rows.write(&["origin", &o.source, "share_percent", &o.share])?;
        rows.write(&[
            "origin",
            &o.source,
            "median_minutes_to_sent",
            &opt(&o.median_minutes_to_sent),
        ])?;
        rows.write(&[
            "origin",
            &o.source,
            "p90_minutes_to_sent",
            &opt(&o.p90_minutes_to_sent),
        ])?;
    }
    let d = &r.delivery;
    for (measure, value) in [
        ("sent", d.sent.to_string()),
        ("failed", d.failed.to_string()),
        ("unknown", d.unknown.to_string()),
        ("pending", d.pending.to_string()),
        ("retried", d.retried.to_string()),
        ("success_rate_percent", opt(&d.success_rate)),
        ("retry_rate_percent", opt(&d.retry_rate)),
    ] {
        rows.write(&["delivery", "all", measure, &value])?;
    }
    let within = format!("paid_within_{}_days", r.paid_within_days);
    let share = format!("paid_within_{}_days_percent", r.paid_within_days);
    for s in &r.reminder_steps {
        let step = s.step.to_string();
        rows.write(&["reminder_step", &step, "sent", &s.sent.to_string()])?;
        rows.write(&["reminder_step", &step, &within, &s.paid_within.to_string()])?;
        rows.write(&["reminder_step", &step, &share, &opt(&s.paid_within_share)])?;
    }
    let a = &r.approvals;
    for (measure, value) in [
        ("decided", a.decided.to_string()),
        ("pending", a.pending.to_string()),
        ("median_hours", opt(&a.median_hours)),
        ("p90_hours", opt(&a.p90_hours)),
    ] {
        rows.write(&["approvals", "all", measure, &value])?;
    }
    rows.finish()
}
