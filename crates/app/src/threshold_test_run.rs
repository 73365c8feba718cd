//! The test run of a threshold rule: the invoice it would make now — from
//! its unbilled entries, or sample entries when it has none — made, issued,
//! queued or sent for approval exactly as it really would be, with its PDF,
//! in a write transaction that is always rolled back, so nothing is written
//! or sent. A passing run is the one thing recorded (`tested_at`), and the
//! rule may then be enabled.

use crate::api::ThresholdTestRun;
use crate::drafts::load;
use crate::invoice_pdf::{not_initialized, sha256_hex};
use crate::trigger_invoice::TriggeredStatus;
use crate::usage_billing::outcome_name;
use crate::usage_thresholds::{entry_view, load_threshold, rule_currency};
use crate::views::totals_view;
use crate::{ApiError, AppResult, ErrorCode, Invoicer, Session};
use invoicer_domain::authorization::Permission;
use invoicer_domain::usage_threshold::UsageEntry;
use invoicer_store::StoreError;
use serde_json::json;

impl Invoicer {
    /// A test run of a rule: makes the invoice it would make now from its
    /// unbilled entries (or sample entries when it has none) — issued,
    /// queued or waiting for approval as it really would be, with its PDF —
    /// in a transaction that is always rolled back, so nothing is written or
    /// sent. When it passes, the rule may be enabled (the only thing kept).
    pub fn test_threshold(&self, session: &Session, id: i64) -> AppResult<ThresholdTestRun> {
        session.require(Permission::ManageCompany)?;
        let outcome = self.store.write(|tx| -> Result<(), DryRun> {
            let now = self.clock.now();
            let r = load_threshold(tx, id)?;
            let settings = tx.company()?.ok_or_else(not_initialized)?;
            let today = self.clock.today(settings.timezone);
            let c = rule_currency(tx, r.terms.customer_id)?;
            let stored = tx.unbilled_usage(id, None)?;
            let sample = stored.is_empty();
            let entries: Vec<UsageEntry> = if sample {
                r.terms.sample_entries(today)
            } else {
                stored.iter().map(|e| e.entry.clone()).collect()
            };
            let views = entries
                .iter()
                .enumerate()
                .map(|(i, e)| entry_view(id, e, stored.get(i), c))
                .collect();
            let actor = session.actor().to_string();
            let about = json!({"id": r.id, "name": r.terms.name, "test_run": true});
            let (invoice_id, status) =
                self.make_usage_invoice_in(tx, &settings, &r, &entries, today, &actor, about, now)?;
            let inv = load(tx, invoice_id)?;
            let (pdf, template) = if inv.was_issued() {
                let (bytes, _) = tx.archived_pdf(invoice_id)?.unwrap_or_default();
                (bytes, inv.template.clone())
            } else {
                let inputs = self.pdf_inputs(tx, &inv, None, &settings)?;
                (self.render_within_budget(&inputs)?, Some(inputs.template))
            };
            let ic = inv.content.currency;
            let run = ThresholdTestRun {
                rule_id: id,
                sample,
                entries: views,
                customer_name: inv.content.customer.name.clone(),
                customer_email: inv.content.customer.email.clone(),
                template: template
                    .map_or_else(String::new, |t| format!("{} v{}", t.name, t.version)),
                outcome: outcome_name(status).to_string(),
                needs_approval: status == TriggeredStatus::AwaitingApproval,
                number: inv.number.clone(),
                issue_date: inv.content.issue_date,
                due_date: inv.due_date(),
                totals: totals_view(ic, &inv.content.lines, &inv.totals),
                pdf_sha256: sha256_hex(&pdf),
                pdf_bytes: pdf,
                tested_at: String::new(),
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
        self.store.write(|tx| tx.mark_threshold_tested(id, now))?;
        let mut run = *run;
        run.tested_at = now.to_rfc3339();
        Ok(run)
    }
}

/// What a test run's rolled-back transaction hands out.
enum DryRun {
    Done(Box<ThresholdTestRun>),
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
