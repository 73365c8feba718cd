//! The dashboard's "needs you today": each count is the length of the list
//! a click on it opens, read by that list's own query (the approvals queue,
//! the deliveries list, the bulk jobs' error lists, …), never a second
//! formula that could drift from it.

use crate::api::NeedsYouToday;
use crate::invoice_pdf::not_initialized;
use crate::{AppResult, Invoicer, Session};
use invoicer_domain::authorization::Permission;

impl Invoicer {
    /// What needs the signed-in person today: invoices waiting for an
    /// approval they may give (the approvals queue's `can_decide`), failed
    /// and unknown deliveries, open disputes whose window ends within 7
    /// days or has ended, row errors of bulk jobs that still show them, and
    /// triggers failing now: schedules (and thresholds) whose last run
    /// failed, and events the API refused in the last 30 days and that were
    /// not accepted since (the exceptions report's `failed_trigger` and
    /// `refused_event` items). Every signed-in role may read it.
    pub fn needs_you_today(&self, session: &Session) -> AppResult<NeedsYouToday> {
        session.require(Permission::View)?;
        // The queue's own decision of who may give which approval.
        let approvals_waiting = u64::from(self.approvals_waiting(session)?);
        self.store.read(|tx| {
            let settings = tx.company()?.ok_or_else(not_initialized)?;
            let today = self.clock.today(settings.timezone);
            let (failed, unknown) = tx.delivery_counts()?;
            // The exceptions report's window of refused events, to now.
            let now = self.clock.now();
            let refused_from = super::exceptions::refused_since(
                &crate::api::ReportFilter::default(),
                now,
                settings.timezone,
            );
            Ok(NeedsYouToday {
                approvals_waiting,
                failed_deliveries: u64::from(failed),
                unknown_deliveries: u64::from(unknown),
                // Counted by "Due & overdue"'s own query with the filter
                // its link opens, so the number is that list's length.
                disputes_near_window_end: crate::due_overdue::disputes_near_window_end(tx, today)?,
                bulk_rows_with_errors: tx.exception_bulk_rows(0)?.0,
                failed_triggers: tx.open_trigger_failures(None, 0)?.0
                    + tx.unresolved_refused_events(refused_from, now, 0)?.0,
            })
        })
    }
}
