//! Saved mapping profiles: a check starts from one, and saves what it
//! settled as one, so the next file from the same source maps itself.

use super::settle::{date_style_name, delimiter_text, Settled};
use crate::api::{BulkCheckInput, BulkColumn};
use crate::{ApiError, AppResult, Invoicer, Session};
use invoicer_domain::audit::NewAuditEvent;
use invoicer_domain::bulk_mapping::{ColumnMapping, DateStyle, MappingProfile};
use serde_json::json;

impl Invoicer {
    /// The names of the saved mapping profiles, in name order: what the
    /// mapping screen offers to start from.
    pub fn bulk_profiles(&self, session: &Session) -> AppResult<Vec<String>> {
        session.require(invoicer_domain::authorization::Permission::ManageInvoices)?;
        let stored = self.store.read(|tx| tx.mapping_profiles())?;
        Ok(stored.into_iter().map(|s| s.profile.name).collect())
    }

    /// `input` with the blanks filled from the profile it names.
    pub(crate) fn with_profile(&self, input: &BulkCheckInput) -> AppResult<BulkCheckInput> {
        let Some(name) = input
            .profile
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
        else {
            return Ok(input.clone());
        };
        let stored = self
            .store
            .read(|tx| tx.mapping_profile(name))?
            .ok_or_else(|| ApiError::field("profile", name, "is not a saved mapping profile"))?;
        Ok(filled_from(input, &stored.profile))
    }

    /// Saves what a check settled as the profile `name` (replacing one of
    /// that name), audited.
    pub(super) fn save_bulk_profile(
        &self,
        session: &Session,
        name: &str,
        settled: &Settled,
    ) -> AppResult<()> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
            return Err(ApiError::field(
                "save_profile_as",
                name,
                "must be a name of 1 to 100 characters on one line",
            ));
        }
        let profile = profile_of(name, settled);
        let now = self.clock.now();
        self.store.write(|tx| -> AppResult<()> {
            tx.save_mapping_profile(&profile, now)?;
            tx.append_audit(
                NewAuditEvent::new(
                    Some(session.actor()),
                    "bulk.profile_saved",
                    format!("mapping_profile:{name}"),
                    json!({"encoding": profile.encoding, "delimiter": profile.delimiter.to_string(),
                           "columns": profile.columns.len()}),
                ),
                now,
            )?;
            Ok(())
        })
    }
}

/// What a check settled, as a profile named `name`: what a saved profile
/// holds and what a bulk job keeps to read its file again on resume.
pub(crate) fn profile_of(name: &str, settled: &Settled) -> MappingProfile {
    MappingProfile {
        name: name.to_string(),
        encoding: settled.encoding.name().to_string(),
        delimiter: settled.delimiter,
        columns: settled
            .columns
            .iter()
            .zip(&settled.fields)
            .map(|(c, f)| ColumnMapping {
                header: c.header.clone(),
                field: *f,
            })
            .collect(),
        numbers: settled.numbers.unwrap_or_default(),
        dates: settled.dates.unwrap_or(DateStyle::Iso),
    }
}

/// `input` with every blank filled from `p`: what a saved profile does for
/// a check, and how a job reads its kept file again exactly as it started.
pub(crate) fn filled_from(input: &BulkCheckInput, p: &MappingProfile) -> BulkCheckInput {
    let mut out = input.clone();
    out.encoding = out.encoding.or_else(|| Some(p.encoding.clone()));
    out.delimiter = out.delimiter.or_else(|| Some(delimiter_text(p.delimiter)));
    out.columns = out.columns.or_else(|| {
        Some(
            p.columns
                .iter()
                .map(|c| BulkColumn {
                    header: c.header.clone(),
                    field: c.field.map(|f| f.as_str().to_string()),
                })
                .collect(),
        )
    });
    if out.decimal_separator.is_none() {
        out.decimal_separator = Some(p.numbers.decimal.to_string());
        // An empty separator is "none", where a missing one would be
        // guessed again.
        out.thousands_separator = Some(
            p.numbers
                .thousands
                .map(|t| t.to_string())
                .unwrap_or_default(),
        );
    }
    out.date_style = out
        .date_style
        .or_else(|| Some(date_style_name(p.dates).to_string()));
    out
}
