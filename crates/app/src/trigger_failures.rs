//! Triggers that could not make their invoice — a schedule's occurrence, a
//! threshold's billing — recorded for the exceptions report and the
//! dashboard (migration 0025's `trigger_failures`), in a transaction of
//! their own since the failed one was rolled back. The next run of the same
//! trigger that makes its invoice resolves the failure in its transaction.

use crate::{ApiError, Invoicer};
use invoicer_store::{NewTriggerFailure, Tx};

impl Invoicer {
    /// Records that trigger `kind` #`id` failed with `e`. `about` names the
    /// trigger ("schedule Retainer, period 2026-03-01") and its customer
    /// from what is stored, or `None` when it cannot be read. A failure to
    /// record is only logged: the job's pass goes on.
    pub(crate) fn record_trigger_failure(
        &self,
        kind: &str,
        id: i64,
        e: &ApiError,
        about: impl Fn(&Tx<'_>) -> Option<(String, i64)>,
    ) {
        let code = serde_json::to_value(e.code)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let recorded = self.store.write(|tx| {
            let (what, customer_id) = match about(tx) {
                Some((what, customer)) => (what, Some(customer)),
                None => (format!("{kind} {id}"), None),
            };
            tx.record_trigger_failure(
                &NewTriggerFailure {
                    trigger_kind: kind,
                    trigger_id: id,
                    customer_id,
                    what: &what,
                    error_code: &code,
                    error_message: &e.message,
                },
                self.clock.now(),
            )
        });
        if let Err(err) = recorded {
            tracing::warn!(trigger = kind, id, error = %err, "a trigger's failure could not be recorded");
        }
    }
}
