//! Company settings as one JSON object with the snake_case keys of
//! `CompanySettings`: what `invoicer settings show --json` prints and what
//! `invoicer settings set` and `--file` change. Changes go through the same
//! domain validation and the same `company.updated` audit event as the
//! Settings screen.

use crate::views::company_view;
use crate::{ApiError, AppResult, ErrorCode, Invoicer, Session};
use invoicer_domain::audit::NewAuditEvent;
use invoicer_domain::authorization::Permission;
use invoicer_domain::company::CompanySettings;
use invoicer_domain::ValidationErrors;
use serde_json::{json, Map, Value};

/// The settings as a JSON object, keys in the order `CompanySettings` declares them.
fn to_object(s: &CompanySettings) -> AppResult<Map<String, Value>> {
    match serde_json::to_value(s) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(ApiError::new(
            ErrorCode::Internal,
            "company settings did not serialize to an object",
        )),
    }
}

/// The value a person typed for `key` on the command line. Text settings and
/// decimals (stored as strings, never floats) take the text as it is; other
/// settings read it as JSON (`30`, `true`, `null`, `[…]`), and a quoted JSON
/// string is always accepted.
pub(crate) fn value_from_text(current: Option<&Value>, text: &str) -> Value {
    let parsed = serde_json::from_str::<Value>(text).ok();
    match (current, parsed) {
        (_, Some(v @ Value::String(_))) => v,
        (Some(Value::String(_)), _) => Value::String(text.to_string()),
        (_, Some(v)) => v,
        (_, None) => Value::String(text.to_string()),
    }
}

/// Numbers given for decimal settings become their exact text, because
/// decimals are read only from strings.
fn normalize(current: &Value, given: Value) -> Value {
    match (current, given) {
        (Value::String(_), Value::Number(n)) => Value::String(n.to_string()),
        (_, v) => v,
    }
}

/// Applies `patch` to `settings`, naming every unknown key and every value
/// that does not read as its setting.
fn merge(settings: &CompanySettings, patch: &Map<String, Value>) -> AppResult<CompanySettings> {
    let base = to_object(settings)?;
    let mut errs = ValidationErrors::new();
    let mut merged = base.clone();
    for (key, given) in patch {
        let Some(current) = base.get(key) else {
            let known: Vec<&str> = base.keys().map(String::as_str).collect();
            errs.push(
                key,
                given.to_string(),
                format!(
                    "is not a company setting; the settings are {}",
                    known.join(", ")
                ),
            );
            continue;
        };
        let value = normalize(current, given.clone());
        // Each key is read on its own so the error names the setting at fault.
        let mut single = base.clone();
        single.insert(key.clone(), value.clone());
        match serde_json::from_value::<CompanySettings>(Value::Object(single)) {
            Ok(_) => {
                merged.insert(key.clone(), value);
            }
            Err(e) => {
                let shown = match &value {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                errs.push(key, shown, format!("is not valid here: {e}"));
            }
        }
    }
    errs.into_result()?;
    serde_json::from_value(Value::Object(merged))
        .map_err(|e| ApiError::new(ErrorCode::Validation, e.to_string()))
}

/// The details of a `company.updated` event: the company before and after,
/// and the approval rules before and after when they changed (the company
/// view does not show the rules, and who changed them matters to auditors).
pub(crate) fn company_change(before: &CompanySettings, after: &CompanySettings) -> Value {
    let mut data = json!({"before": company_view(before), "after": company_view(after)});
    if before.approval_rules != after.approval_rules {
        data["approval_rules"] = json!({
            "before": before.approval_rules,
            "after": after.approval_rules,
        });
    }
    data
}

impl Invoicer {
    /// Every company setting as a JSON object with snake_case keys.
    pub fn settings_json(&self, session: &Session) -> AppResult<Value> {
        session.require(Permission::View)?;
        Ok(Value::Object(to_object(&self.settings()?)?))
    }

    /// Changes the settings named in `patch` (admins only): unknown keys and
    /// bad values are refused by name, the result is validated as a whole,
    /// and the change is audited as `company.updated`, exactly as when the
    /// Settings screen saves.
    pub fn update_settings(
        &self,
        session: &Session,
        patch: &Map<String, Value>,
    ) -> AppResult<Value> {
        session.require(Permission::ManageCompany)?;
        let now = self.clock.now();
        let updated = self.store.write(|tx| {
            let before = tx
                .company()?
                .ok_or_else(|| ApiError::new(ErrorCode::NotInitialized, "not set up"))?;
            let mut after = merge(&before, patch)?;
            // `approval_threshold` is the first approval level's amount:
            // whichever of the two the patch changed, the other follows.
            after.reconcile_approval_threshold(&before);
            after.validate()?;
            tx.save_company(&after)?;
            tx.append_audit(
                NewAuditEvent::new(
                    Some(session.actor()),
                    "company.updated",
                    "company",
                    company_change(&before, &after),
                ),
                now,
            )?;
            Ok::<_, ApiError>(after)
        })?;
        Ok(Value::Object(to_object(&updated)?))
    }

    /// Changes one setting from the text typed on the command line, e.g.
    /// `rounding_scope per_document`, `approval_threshold 5000` or
    /// `approval_rules '{"levels":[{"from":"10000.00","approvers":1}]}'`.
    pub fn set_setting(&self, session: &Session, key: &str, text: &str) -> AppResult<Value> {
        session.require(Permission::ManageCompany)?;
        let current = to_object(&self.settings()?)?;
        let mut patch = Map::new();
        patch.insert(key.to_string(), value_from_text(current.get(key), text));
        self.update_settings(session, &patch)
    }
}

#[cfg(test)]
mod tests {
    use super::value_from_text;
    use serde_json::{json, Value};

    #[test]
    fn typed_text_reads_as_the_setting_it_replaces() {
        let text = json!("10000.00");
        assert_eq!(value_from_text(Some(&text), "5000"), json!("5000"));
        assert_eq!(value_from_text(Some(&json!(30)), "45"), json!(45));
        assert_eq!(value_from_text(Some(&json!(false)), "true"), json!(true));
        assert_eq!(value_from_text(Some(&Value::Null), "null"), Value::Null);
        assert_eq!(
            value_from_text(Some(&Value::Null), "https://pay.test/{number}"),
            json!("https://pay.test/{number}")
        );
        assert_eq!(value_from_text(Some(&json!([])), "[]"), json!([]));
    }
}
