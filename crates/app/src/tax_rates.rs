//! Tax-rate use cases.

use crate::api::{TaxRateInput, TaxRateView};
use crate::views::tax_rate_view;
use crate::{ApiError, AppResult, Invoicer, Session};
use invoicer_domain::audit::NewAuditEvent;
use invoicer_domain::authorization::Permission;
use invoicer_domain::money::parse_decimal;
use invoicer_domain::tax::{group_conflict, TaxRate};
use invoicer_domain::validation::{check_printed, non_blank};
use invoicer_domain::{Decimal, ValidationErrors};
use serde_json::json;

impl Invoicer {
    /// Every tax rate.
    pub fn tax_rates(&self, session: &Session) -> AppResult<Vec<TaxRateView>> {
        session.require(Permission::View)?;
        Ok(self
            .store
            .read(|tx| tx.tax_rates())?
            .iter()
            .map(tax_rate_view)
            .collect())
    }

    /// Adds a rate or replaces the one with the same country, region and name
    /// (admins only). Rates with the same country and region but different
    /// names form a group that all apply; a rate without a position goes last
    /// in its group (or keeps its place when it replaces one).
    pub fn set_tax_rate(&self, session: &Session, input: &TaxRateInput) -> AppResult<TaxRateView> {
        session.require(Permission::ManageCompany)?;
        let mut errs = ValidationErrors::new();
        let country = input.country.trim().to_ascii_uppercase();
        if country.len() != 2 || !country.chars().all(|c| c.is_ascii_alphabetic()) {
            errs.push(
                "country",
                &input.country,
                "must be a two-letter ISO country code",
            );
        }
        if input.name.trim().is_empty() {
            errs.push("name", "", "is required");
        } else {
            check_printed(&mut errs, "name", input.name.trim(), 60, false);
        }
        if let Some(region) = non_blank(input.region.as_deref()) {
            if region.chars().count() > 10 || !region.chars().all(|c| c.is_ascii_alphanumeric()) {
                errs.push(
                    "region",
                    &region,
                    "must be a region code of at most 10 letters or digits (e.g. QC)",
                );
            }
        }
        if input.position.is_some_and(|p| !(0..=1000).contains(&p)) {
            errs.push(
                "position",
                input.position.unwrap_or_default().to_string(),
                "must be between 0 and 1000",
            );
        }
        let rate = match parse_decimal(input.rate.trim_end_matches('%')) {
            Ok(r) if r < Decimal::ZERO || r > Decimal::ONE_HUNDRED => {
                errs.push(
                    "rate",
                    &input.rate,
                    "must be a percentage between 0 and 100",
                );
                None
            }
            Ok(r) => Some(r),
            Err(m) => {
                errs.push("rate", &input.rate, m);
                None
            }
        };
        errs.into_result()?;
        self.check_printable(&[("name", Some(&input.name))])?;
        let mut rate = TaxRate {
            id: None,
            country,
            region: non_blank(input.region.as_deref()).map(|r| r.to_ascii_uppercase()),
            name: input.name.trim().to_string(),
            rate: rate.unwrap_or_default(),
            inclusive: input.inclusive,
            compound: input.compound,
            position: input.position.unwrap_or_default(),
            automatic: !input.manual,
            valid_from: None,
            valid_to: None,
        };
        let now = self.clock.now();
        let saved = self.store.write(|tx| {
            let existing = tx.tax_rates()?;
            if let Some((field, message)) = group_conflict(&rate, &existing) {
                return Err(ApiError::field(field, &input.name, &message));
            }
            if input.position.is_none() {
                let same = existing.iter().find(|r| {
                    r.country == rate.country && r.region == rate.region && r.name == rate.name
                });
                rate.position = match same {
                    Some(r) => r.position,
                    None => tx.next_tax_position(&rate.country, rate.region.as_deref())?,
                };
            }
            let saved = tx.upsert_tax_rate(&rate)?;
            tx.append_audit(
                NewAuditEvent::new(
                    Some(session.actor()),
                    "tax_rate.set",
                    format!("tax_rate:{}", saved.id.unwrap_or_default()),
                    json!(tax_rate_view(&saved)),
                ),
                now,
            )?;
            Ok::<_, ApiError>(saved)
        })?;
        Ok(tax_rate_view(&saved))
    }

    /// Deletes a rate (admins only). Invoices keep the rate they were computed with.
    pub fn delete_tax_rate(&self, session: &Session, id: i64) -> AppResult<()> {
        session.require(Permission::ManageCompany)?;
        let now = self.clock.now();
        self.store.write(|tx| {
            if !tx.delete_tax_rate(id)? {
                return Err(ApiError::not_found("tax rate", id));
            }
            tx.append_audit(
                NewAuditEvent::new(
                    Some(session.actor()),
                    "tax_rate.deleted",
                    format!("tax_rate:{id}"),
                    json!({}),
                ),
                now,
            )?;
            Ok(())
        })
    }
}
