//! Starting a bulk job: the file is read and every invoice checked exactly
//! as the dry run does, and the job, its plan (one row per invoice, in file
//! order) and its row problems are written in one transaction, so a job is
//! either whole and running or not there at all.

use super::{job_changed, principal_actor};
use crate::api::{BulkCheckInput, BulkJobView, BulkProblem, BulkStartInput};
use crate::bulk_check::read_picked_file;
use crate::error::ErrorDetail;
use crate::invoice_pdf::{not_initialized, sha256_hex};
use crate::{ApiError, AppResult, ErrorCode, Invoicer, Session};
use invoicer_domain::audit::NewAuditEvent;
use invoicer_domain::authorization::Permission;
use invoicer_domain::bulk_job::{
    BulkJobEvent, BulkJobStatus, BulkRowError, BulkRowKey, NewBulkJob,
};
use invoicer_store::PlannedBulkInvoice;
use serde_json::json;

/// How many plan rows or row errors are written per statement batch.
const BATCH: usize = 500;

impl Invoicer {
    /// Starts a bulk job from the file the user checked: refuses a file that
    /// changed since (`sha256`) or still needs a confirmation, keeps a copy
    /// of it, plans every invoice and starts the job. The invoices are made
    /// by the `bulk_send` background job (or by the caller, from the command
    /// line), one at a time in file order.
    pub fn start_bulk_job(
        &self,
        session: &Session,
        input: &BulkStartInput,
    ) -> AppResult<BulkJobView> {
        session.require(Permission::ManageInvoices)?;
        let (bytes, file_name) = read_picked_file(&input.check.path)?;
        let sha256 = sha256_hex(&bytes);
        if sha256 != input.sha256 {
            let mut e = ApiError::field(
                "sha256",
                &input.sha256,
                "the file changed since it was checked; check it again before sending",
            );
            e.code = ErrorCode::Conflict;
            return Err(e);
        }
        let check = self.with_profile(&input.check)?;
        let mut read =
            match self.read_bulk_bytes(&check, &bytes, file_name.clone(), |_| Ok(false))? {
                Ok(read) => read,
                Err(report) => return Err(needs_confirmation(&report.needs_confirmation)),
            };
        let new = NewBulkJob {
            file_name,
            file_sha256: sha256.clone(),
            profile: read.profile.clone(),
            started_by: session.user().id,
            dry_run: false,
            send: input.send,
            throttle_per_minute: input.throttle_per_minute,
        };
        new.validate()?;
        self.keep_bulk_file(&sha256, &bytes)?;
        let settings = self.settings()?;
        if input.send {
            crate::email_message::sender(&settings)?;
        }
        let today = self.clock.today(settings.timezone);
        let now = self.clock.now();
        // Every keyed invoice of the file in the order of its first row,
        // valid or not, so the report lists each one.
        let mut keyed: Vec<(u64, String, Option<String>, bool)> = read
            .invoices
            .iter()
            .map(|i| {
                (
                    i.first_line,
                    i.key.clone(),
                    i.external_reference.clone(),
                    true,
                )
            })
            .chain(read.refused.iter().map(|r| {
                (
                    r.first_line,
                    r.key.clone(),
                    r.external_reference.clone(),
                    false,
                )
            }))
            .collect();
        keyed.sort_by_key(|k| k.0);
        let by_key: std::collections::HashMap<&str, usize> = read
            .invoices
            .iter()
            .enumerate()
            .map(|(i, inv)| (inv.key.as_str(), i))
            .collect();
        let job_id = self.store.write(|tx| -> AppResult<i64> {
            let settings = tx.company()?.ok_or_else(not_initialized)?;
            let rates = tx.tax_rates()?;
            let job_id = tx.create_bulk_job(&new, now)?;
            let mut plan = Vec::with_capacity(BATCH);
            let mut position = 0u32;
            for (first_line, key, reference, valid) in &keyed {
                let key = match BulkRowKey::for_invoice(&sha256, reference.as_deref(), key) {
                    Ok(k) => k,
                    Err(errs) => {
                        read.problems
                            .extend(errs.errors.into_iter().map(|e| BulkProblem {
                                line: *first_line,
                                column: None,
                                field: e.field,
                                value: e.value,
                                reason: e.message,
                            }));
                        continue;
                    }
                };
                let mut invalid = !valid;
                if *valid {
                    // Keys come from the grouping, trimmed as the key is.
                    let found = by_key
                        .get(key.invoice_key.as_str())
                        .map(|&i| &read.invoices[i]);
                    match found
                        .map(|inv| self.prepare_bulk_invoice(tx, &settings, &rates, inv, today))
                    {
                        Some(Ok(_)) => {}
                        Some(Err(found)) => {
                            read.problems.extend(found);
                            invalid = true;
                        }
                        None => invalid = true,
                    }
                }
                plan.push(PlannedBulkInvoice {
                    position,
                    key,
                    first_line: u32::try_from(*first_line).unwrap_or(u32::MAX),
                    invalid,
                });
                position += 1;
                if plan.len() == BATCH {
                    tx.plan_bulk_invoices(job_id, &plan)?;
                    plan.clear();
                }
            }
            tx.plan_bulk_invoices(job_id, &plan)?;
            read.problems.sort_by_key(|p| p.line);
            crate::bulk_check::name_columns(&mut read.problems, &read.report.columns);
            for chunk in read.problems.chunks(BATCH) {
                let errors: Vec<BulkRowError> = chunk.iter().map(row_error).collect();
                tx.record_bulk_row_errors(job_id, &errors)?;
            }
            let rows = u32::try_from(read.report.rows).unwrap_or(u32::MAX);
            tx.complete_bulk_validation(job_id, rows)?;
            let running = BulkJobStatus::Ready.apply(BulkJobEvent::Start)?;
            tx.change_bulk_job_status(job_id, BulkJobStatus::Ready, running, now)?;
            tx.append_audit(
                NewAuditEvent::new(
                    Some(session.actor()),
                    "bulk.started",
                    format!("bulk_job:{job_id}"),
                    json!({"file_name": new.file_name, "sha256": sha256, "rows": rows,
                           "invoices": position, "problems": read.problems.len(),
                           "send": input.send, "throttle_per_minute": input.throttle_per_minute,
                           "runs_as": principal_actor()}),
                ),
                now,
            )?;
            Ok(job_id)
        })?;
        job_changed(self, job_id, BulkJobStatus::Running);
        self.nudge_jobs();
        self.bulk_job_view(job_id)
    }
}

/// What the caller must still confirm, as one error with a detail each.
fn needs_confirmation(open: &[String]) -> ApiError {
    let mut e = ApiError::new(
        ErrorCode::Validation,
        format!("confirm the file's {} before sending", open.join(", ")),
    );
    e.details = Some(
        open.iter()
            .map(|f| ErrorDetail::new(f.as_str(), "must be confirmed before sending"))
            .collect(),
    );
    e
}

/// A problem as the job's report keeps it: the column's header, or the
/// field when no one column holds it.
fn row_error(p: &BulkProblem) -> BulkRowError {
    BulkRowError {
        line: u32::try_from(p.line).unwrap_or(u32::MAX),
        column: p.column.clone().or_else(|| Some(p.field.clone())),
        value: p.value.clone(),
        reason: p.reason.clone(),
    }
}

/// The input that reads a job's kept file as the job was started.
pub(super) fn input_for(
    file_name: &str,
    profile: &invoicer_domain::bulk_mapping::MappingProfile,
) -> BulkCheckInput {
    let blank = BulkCheckInput {
        path: file_name.to_string(),
        ..BulkCheckInput::default()
    };
    crate::bulk_check::filled_from(&blank, profile)
}
