//! Usage thresholds as a job: each pass bills every enabled rule whose
//! unbilled entries cross its threshold and every period that ended
//! (`Invoicer::threshold_pass`), one transaction per billing. No process
//! lock is needed: a period's billing is claimed by (rule, period start) and
//! entries are marked with `… WHERE invoice_id IS NULL` in the making
//! transaction, so two runners never bill an entry twice.

use super::{Job, JobContext, PassOutcome};
use crate::usage_billing::THRESHOLDS_JOB;
use crate::AppResult;

/// The threshold job; it keeps nothing between passes.
#[derive(Debug, Default)]
pub(crate) struct UsageThresholdsJob;

impl Job for UsageThresholdsJob {
    fn name(&self) -> &'static str {
        THRESHOLDS_JOB
    }

    fn run_pass(&mut self, ctx: &JobContext<'_>) -> AppResult<PassOutcome> {
        let (done, failed, next_due) = ctx
            .app()
            .threshold_pass(&|| ctx.is_cancelled(), &|done, total, current, failed| {
                ctx.progress(done, total, current.as_deref(), failed)
            })?;
        Ok(PassOutcome {
            done,
            failed,
            next_due,
        })
    }
}
