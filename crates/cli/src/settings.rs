//! `invoicer settings show | set`: the company settings the Settings screen
//! edits, through the same use cases, validation and audit.

use crate::args::SettingsCommand;
use crate::output::Output;
use invoicer_app::{ApiError, AppResult, Invoicer, Session};
use serde_json::Value;

/// Runs one `settings` subcommand.
pub fn run(app: &Invoicer, s: &Session, cmd: SettingsCommand) -> AppResult<Output> {
    Ok(Output::Settings(match cmd {
        SettingsCommand::Show => app.settings_json(s)?,
        SettingsCommand::Set {
            key: Some(key),
            value: Some(value),
            ..
        } => app.set_setting(s, &key, &value)?,
        SettingsCommand::Set {
            file: Some(path), ..
        } => {
            let shown = path.display().to_string();
            let text = std::fs::read_to_string(&path)
                .map_err(|e| ApiError::field("file", &shown, &format!("cannot be read: {e}")))?;
            let patch = match serde_json::from_str::<Value>(&text) {
                Ok(Value::Object(m)) => m,
                Ok(_) => {
                    return Err(ApiError::field(
                        "file",
                        &shown,
                        "must hold one JSON object of settings",
                    ))
                }
                Err(e) => {
                    return Err(ApiError::field(
                        "file",
                        &shown,
                        &format!("is not valid JSON: {e}"),
                    ))
                }
            };
            app.update_settings(s, &patch)?
        }
        SettingsCommand::RateAdd {
            currency,
            rate,
            from,
        } => {
            let current = app.settings_json(s)?;
            let mut rates = current["exchange_rates"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            rates.push(serde_json::json!({
                "currency": currency.trim().to_ascii_uppercase(),
                "rate": rate.trim(),
                "valid_from": from.to_string(),
            }));
            let mut patch = serde_json::Map::new();
            patch.insert("exchange_rates".into(), Value::Array(rates));
            app.update_settings(s, &patch)?
        }
        // clap requires KEY VALUE or --file, so this is a missing value.
        SettingsCommand::Set { .. } => {
            return Err(ApiError::field(
                "value",
                "",
                "is required: settings set KEY VALUE",
            ))
        }
    }))
}

/// `key = value` lines, one per setting, for people.
pub fn text(settings: &Value) -> String {
    match settings {
        Value::Object(m) => m
            .iter()
            .map(|(k, v)| match v {
                Value::String(s) => format!("{k} = {s}"),
                Value::Null => format!("{k} ="),
                other => format!("{k} = {other}"),
            })
            .collect::<Vec<_>>()
            .join("\n"),
        other => other.to_string(),
    }
}
