//! Settings → Reminders as typed IPC: the reminder policy read and saved
//! through the same path as every company setting (`update_settings`: the
//! domain's validation by path and the `company.updated` audit event).

use crate::api::ReminderPolicyView;
use crate::{ApiError, AppResult, ErrorCode, Invoicer, Session};
use invoicer_domain::authorization::Permission;
use serde_json::{Map, Value};

fn internal(e: serde_json::Error) -> ApiError {
    ApiError::new(
        ErrorCode::Internal,
        format!("the reminder policy did not convert: {e}"),
    )
}

impl Invoicer {
    /// The company's reminder policy.
    pub fn reminder_policy(&self, session: &Session) -> AppResult<ReminderPolicyView> {
        session.require(Permission::View)?;
        let policy = serde_json::to_value(&self.settings()?.reminder_policy).map_err(internal)?;
        let steps = serde_json::from_value(policy).map_err(internal)?;
        Ok(ReminderPolicyView { steps })
    }

    /// Saves the reminder policy (admins only). Each refused value is named
    /// by its path, e.g. `reminder_policy[1].offset_days`.
    pub fn set_reminder_policy(
        &self,
        session: &Session,
        input: &ReminderPolicyView,
    ) -> AppResult<ReminderPolicyView> {
        let mut patch = Map::new();
        patch.insert(
            "reminder_policy".into(),
            serde_json::to_value(&input.steps).map_err(internal)?,
        );
        let saved = self.update_settings(session, &patch)?;
        let steps = saved
            .get("reminder_policy")
            .cloned()
            .unwrap_or(Value::Array(Vec::new()));
        Ok(ReminderPolicyView {
            steps: serde_json::from_value(steps).map_err(internal)?,
        })
    }
}
