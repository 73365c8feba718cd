//! Time and usage threshold rules as use cases: create and edit them
//! (admins), list them with their progress, unbilled entries and recent
//! invoices, and switch them on and off. A rule starts disabled and is
//! enabled only after a test run passed on its current terms; editing it
//! disables it and asks for a new test. Recording entries and billing them
//! is `usage_billing.rs`'s.

use crate::api::{
    ThresholdInput, ThresholdProgressView, ThresholdView, UpdateThresholdInput, UsageBillingView,
    UsageEntryView,
};
use crate::views::{amount, plain};
use crate::{ApiError, AppResult, ErrorCode, Invoicer, Session};
use chrono::{Datelike, NaiveDate};
use invoicer_domain::audit::NewAuditEvent;
use invoicer_domain::authorization::Permission;
use invoicer_domain::money::Currency;
use invoicer_domain::schedule::Frequency;
use invoicer_domain::usage_threshold::{
    Measure, PeriodEnd, Progress, ThresholdAction, ThresholdRule, ThresholdState, ThresholdTerms,
    UsageEntry, DEFAULT_DESCRIPTION_TEMPLATE,
};
use invoicer_domain::validation::non_blank;
use invoicer_domain::{Decimal, ValidationErrors};
use invoicer_store::{StoredUsageEntry, Tx};
use serde_json::json;

/// How many unbilled entries a rule's view lists.
const LISTED_ENTRIES: usize = 50;

/// How many billings a rule's view lists.
const LISTED_BILLINGS: u32 = 10;

/// The most a typed threshold or price may be (the store's minor units fit it).
const MAX_AMOUNT: i64 = 1_000_000_000_000;

fn parse_positive(errs: &mut ValidationErrors, field: &str, text: Option<&str>) -> Option<Decimal> {
    let text = non_blank(text)?;
    match text.parse::<Decimal>() {
        Ok(d) if d > Decimal::ZERO && d < Decimal::from(MAX_AMOUNT) => Some(d),
        Ok(_) => {
            errs.push(
                field,
                &text,
                "must be greater than zero and below 1,000,000,000,000",
            );
            None
        }
        Err(_) => {
            errs.push(field, &text, "is not a decimal number (e.g. 40 or 5000.00)");
            None
        }
    }
}

/// Checks the form and turns it into terms, every problem under its field.
fn terms_from(input: &ThresholdInput, today: NaiveDate) -> AppResult<ThresholdTerms> {
    let mut errs = ValidationErrors::new();
    let measure = Measure::parse(&input.measure)
        .map_err(|m| errs.push("measure", &input.measure, m))
        .ok();
    let action = ThresholdAction::parse(&input.action)
        .map_err(|m| errs.push("action", &input.action, m))
        .ok();
    let unit_price = parse_positive(&mut errs, "unit_price", input.unit_price.as_deref());
    let quantity_threshold = parse_positive(
        &mut errs,
        "quantity_threshold",
        input.quantity_threshold.as_deref(),
    );
    let amount_threshold = parse_positive(
        &mut errs,
        "amount_threshold",
        input.amount_threshold.as_deref(),
    );
    let period = match non_blank(input.period.as_deref()) {
        None => None,
        Some(p) => match Frequency::parse(&p) {
            Ok(frequency) => Some(PeriodEnd {
                frequency,
                anchor: input
                    .period_anchor
                    .unwrap_or_else(|| today.with_day(1).unwrap_or(today)),
            }),
            Err(_) => {
                errs.push("period", &p, "must be monthly or quarterly");
                None
            }
        },
    };
    let (Some(measure), Some(action)) = (measure, action) else {
        return Err(errs.into());
    };
    let terms = ThresholdTerms {
        name: input.name.trim().to_string(),
        customer_id: input.customer_id,
        project: non_blank(input.project.as_deref()),
        measure,
        unit_price,
        description_template: non_blank(input.description_template.as_deref())
            .unwrap_or_else(|| DEFAULT_DESCRIPTION_TEMPLATE.to_string()),
        quantity_threshold,
        amount_threshold,
        period,
        template: non_blank(input.template.as_deref()),
        terms_days: input.terms_days,
        action,
    };
    if let Err(e) = terms.validate() {
        errs.errors.extend(e.errors);
    }
    errs.into_result()?;
    Ok(terms)
}

/// The rule with this id, or `not_found`.
pub(crate) fn load_threshold(tx: &Tx<'_>, id: i64) -> AppResult<ThresholdRule> {
    tx.threshold(id)?
        .ok_or_else(|| ApiError::not_found("threshold rule", id))
}

/// The currency a rule's amounts are in: the customer's, else the company's.
pub(crate) fn rule_currency(tx: &Tx<'_>, customer_id: i64) -> AppResult<Currency> {
    let customer = tx.customer(customer_id)?;
    if let Some(c) = customer.and_then(|c| c.currency) {
        return Ok(c);
    }
    Ok(tx
        .company()?
        .ok_or_else(crate::invoice_pdf::not_initialized)?
        .currency)
}

/// "1234567.5" → "1,234,567.5": how the tab and the CLI print totals.
fn grouped(number: &str) -> String {
    let (sign, digits) = number
        .strip_prefix('-')
        .map_or(("", number), |rest| ("-", rest));
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let mut out = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if frac.is_empty() {
        format!("{sign}{out}")
    } else {
        format!("{sign}{out}.{frac}")
    }
}

/// The progress of `terms` at `p`, in `c`.
pub(crate) fn progress_view(
    terms: &ThresholdTerms,
    p: &Progress,
    c: Currency,
) -> ThresholdProgressView {
    let unit = terms.measure.unit();
    let mut parts = Vec::new();
    let q = plain(p.quantity);
    match terms.quantity_threshold {
        Some(t) => parts.push(format!("{} of {} {unit}", grouped(&q), grouped(&plain(t)))),
        None => parts.push(format!("{} {unit}", grouped(&q))),
    }
    let a = amount(c, p.amount);
    match terms.amount_threshold {
        Some(t) => parts.push(format!(
            "{} of {} {}",
            grouped(&a),
            grouped(&amount(c, t)),
            c.code()
        )),
        None => parts.push(format!("{} {}", grouped(&a), c.code())),
    }
    ThresholdProgressView {
        quantity: q,
        quantity_threshold: terms.quantity_threshold.map(plain),
        amount: a,
        amount_threshold: terms.amount_threshold.map(|t| amount(c, t)),
        currency: c.code().to_string(),
        label: parts.join(" · "),
    }
}

/// An entry as the views show it.
pub(crate) fn entry_view(
    rule_id: i64,
    e: &UsageEntry,
    stored: Option<&StoredUsageEntry>,
    c: Currency,
) -> UsageEntryView {
    UsageEntryView {
        id: e.id,
        rule_id,
        occurred_on: e.occurred_on,
        description: e.description.clone(),
        project: e.project.clone(),
        quantity: plain(e.quantity),
        unit_price: crate::views::price(c, e.unit_price),
        amount: amount(c, e.amount()),
        source: stored.map_or("sample", |s| s.source.as_str()).to_string(),
        source_ref: stored.and_then(|s| s.source_ref.clone()),
        invoice_id: stored.and_then(|s| s.invoice_id),
    }
}

fn state_name(s: ThresholdState) -> &'static str {
    match s {
        ThresholdState::Disabled => "disabled",
        ThresholdState::Active => "active",
    }
}

/// The rule as the Thresholds tab shows it, read in `tx`.
pub(crate) fn threshold_view(
    tx: &Tx<'_>,
    r: ThresholdRule,
    today: NaiveDate,
) -> AppResult<ThresholdView> {
    let c = rule_currency(tx, r.terms.customer_id)?;
    let customer_name = tx
        .customer(r.terms.customer_id)?
        .map(|c| c.name)
        .unwrap_or_default();
    let unbilled = tx.unbilled_usage(r.id, None)?;
    let entries: Vec<UsageEntry> = unbilled.iter().map(|s| s.entry.clone()).collect();
    let progress = progress_view(&r.terms, &r.terms.progress(&entries), c);
    let mut billings = Vec::new();
    for b in tx.usage_billings(r.id, LISTED_BILLINGS)? {
        let inv = match b.invoice_id {
            Some(id) => tx.invoice(id)?,
            None => None,
        };
        billings.push(UsageBillingView {
            invoice_id: b.invoice_id,
            invoice_number: inv.as_ref().and_then(|i| i.number.clone()),
            invoice_status: inv.as_ref().map(|i| i.status.as_str().to_string()),
            total: inv
                .as_ref()
                .map(|i| amount(i.content.currency, i.totals.total)),
            reason: b.reason.as_str().to_string(),
            period_start: b.period_start,
            entries: b.entries,
            caught_up: b.caught_up,
            billed_at: b.billed_at.to_rfc3339(),
        });
    }
    let t = &r.terms;
    Ok(ThresholdView {
        id: r.id,
        name: t.name.clone(),
        customer_id: t.customer_id,
        customer_name,
        project: t.project.clone(),
        measure: t.measure.as_str().to_string(),
        unit_price: t.unit_price.map(|p| crate::views::price(c, p)),
        description_template: t.description_template.clone(),
        quantity_threshold: t.quantity_threshold.map(plain),
        amount_threshold: t.amount_threshold.map(|a| amount(c, a)),
        period: t.period.map(|p| p.frequency.as_str().to_string()),
        period_anchor: t.period.map(|p| p.anchor),
        template: t.template.clone(),
        terms_days: t.terms_days,
        action: t.action.as_str().to_string(),
        state: state_name(r.state).to_string(),
        tested_at: r.tested_at.map(|t| t.to_rfc3339()),
        progress,
        current_period_end: t.period.and_then(|p| p.containing(today)).map(|p| p.end),
        unbilled_count: u32::try_from(unbilled.len()).unwrap_or(u32::MAX),
        unbilled: unbilled
            .iter()
            .take(LISTED_ENTRIES)
            .map(|s| entry_view(r.id, &s.entry, Some(s), c))
            .collect(),
        billings,
    })
}

fn terms_audit(t: &ThresholdTerms) -> serde_json::Value {
    json!({"name": t.name, "customer_id": t.customer_id, "project": t.project,
           "measure": t.measure.as_str(), "unit_price": t.unit_price.map(|p| p.to_string()),
           "quantity_threshold": t.quantity_threshold.map(|q| q.to_string()),
           "amount_threshold": t.amount_threshold.map(|a| a.to_string()),
           "period": t.period.map(|p| p.frequency.as_str()),
           "period_anchor": t.period.map(|p| p.anchor.to_string()),
           "template": t.template, "terms_days": t.terms_days, "action": t.action.as_str(),
           "description_template": t.description_template})
}

impl Invoicer {
    fn today(&self) -> AppResult<NaiveDate> {
        Ok(self.clock.today(self.settings()?.timezone))
    }

    /// Checks that the customer and template exist.
    fn check_threshold_refs(tx: &Tx<'_>, t: &ThresholdTerms) -> AppResult<()> {
        if tx.customer(t.customer_id)?.is_none() {
            return Err(ApiError::field(
                "customer_id",
                &t.customer_id.to_string(),
                "no customer has this id",
            ));
        }
        if let Some(name) = &t.template {
            if tx.template_version(name, None)?.is_none() {
                return Err(ApiError::field(
                    "template",
                    name,
                    "is not a template in the library",
                ));
            }
        }
        Ok(())
    }

    /// Creates a threshold rule (admins). It starts disabled: a test run
    /// must pass before it can be enabled.
    pub fn create_threshold(
        &self,
        session: &Session,
        input: &ThresholdInput,
    ) -> AppResult<ThresholdView> {
        session.require(Permission::ManageCompany)?;
        let today = self.today()?;
        let mut terms = terms_from(input, today)?;
        let now = self.clock.now();
        self.store.write(|tx| {
            Self::check_threshold_refs(tx, &terms)?;
            if terms.name.is_empty() {
                let customer = tx.customer(terms.customer_id)?.map(|c| c.name);
                terms.name = format!(
                    "{} {}",
                    customer.unwrap_or_default(),
                    terms.measure.as_str()
                );
            }
            let id = tx.insert_threshold(&terms, session.user().id, now)?;
            tx.append_audit(
                NewAuditEvent::new(
                    Some(session.actor()),
                    "threshold.created",
                    format!("threshold:{id}"),
                    terms_audit(&terms),
                ),
                now,
            )?;
            threshold_view(tx, load_threshold(tx, id)?, today)
        })
    }

    /// Changes a rule (admins). It becomes disabled and untested: it must
    /// pass a test run on its new terms before it is enabled again. Entries
    /// already recorded stay with it.
    pub fn update_threshold(
        &self,
        session: &Session,
        input: &UpdateThresholdInput,
    ) -> AppResult<ThresholdView> {
        session.require(Permission::ManageCompany)?;
        let today = self.today()?;
        let mut terms = terms_from(&input.threshold, today)?;
        let now = self.clock.now();
        self.store.write(|tx| {
            let old = load_threshold(tx, input.id)?;
            if terms.name.is_empty() {
                terms.name = old.terms.name.clone();
            }
            // Unbilled entries were logged for the old customer and measure:
            // billing them to another customer, or as the other measure,
            // would be wrong, so those stay while any is unbilled.
            let unbilled = tx.unbilled_usage(input.id, None)?.len();
            if unbilled > 0 {
                let why = format!(
                    "cannot change while the rule has {unbilled} unbilled entries; bill them or                      make a new rule"
                );
                if terms.customer_id != old.terms.customer_id {
                    return Err(ApiError::field(
                        "customer_id",
                        &terms.customer_id.to_string(),
                        &why,
                    ));
                }
                if terms.measure != old.terms.measure {
                    return Err(ApiError::field("measure", terms.measure.as_str(), &why));
                }
            }
            Self::check_threshold_refs(tx, &terms)?;
            tx.update_threshold(input.id, &terms, now)?;
            tx.append_audit(
                NewAuditEvent::new(
                    Some(session.actor()),
                    "threshold.updated",
                    format!("threshold:{}", input.id),
                    json!({"terms": terms_audit(&terms),
                           "was": state_name(old.state), "now": "disabled",
                           "reason": "an edited rule must pass a test run again"}),
                ),
                now,
            )?;
            threshold_view(tx, load_threshold(tx, input.id)?, today)
        })
    }

    /// Every rule, oldest first, with progress, entries and billings.
    pub fn thresholds(&self, session: &Session) -> AppResult<Vec<ThresholdView>> {
        session.require(Permission::View)?;
        let today = self.today()?;
        self.store.read(|tx| {
            tx.thresholds(false)?
                .into_iter()
                .map(|r| threshold_view(tx, r, today))
                .collect()
        })
    }

    /// One rule.
    pub fn threshold(&self, session: &Session, id: i64) -> AppResult<ThresholdView> {
        session.require(Permission::View)?;
        let today = self.today()?;
        self.store
            .read(|tx| threshold_view(tx, load_threshold(tx, id)?, today))
    }

    /// Enables a rule whose test run passed on its current terms (admins).
    /// Entries already above its threshold are billed by the next pass of
    /// the `usage_thresholds` job, which is nudged.
    pub fn enable_threshold(&self, session: &Session, id: i64) -> AppResult<ThresholdView> {
        self.set_threshold_enabled(session, id, true)
    }

    /// Disables a rule (admins): its events go to the event rules again and
    /// nothing is billed until it is enabled.
    pub fn disable_threshold(&self, session: &Session, id: i64) -> AppResult<ThresholdView> {
        self.set_threshold_enabled(session, id, false)
    }

    fn set_threshold_enabled(
        &self,
        session: &Session,
        id: i64,
        enable: bool,
    ) -> AppResult<ThresholdView> {
        session.require(Permission::ManageCompany)?;
        let today = self.today()?;
        let now = self.clock.now();
        let view = self.store.write(|tx| {
            let r = load_threshold(tx, id)?;
            let wanted = if enable {
                ThresholdState::Active
            } else {
                ThresholdState::Disabled
            };
            if r.state == wanted {
                return Err(ApiError::new(
                    ErrorCode::InvalidState,
                    format!("threshold rule {id} is already {}", state_name(wanted)),
                ));
            }
            if enable && r.tested_at.is_none() {
                return Err(ApiError::new(
                    ErrorCode::InvalidState,
                    format!(
                        "threshold rule {id} has not passed a test run on its current terms; run \
                         its test (`invoicer trigger test threshold {id}` or Test on the \
                         Thresholds tab) and check the invoice it would make before enabling it"
                    ),
                ));
            }
            tx.set_threshold_state(id, wanted, now)?;
            tx.append_audit(
                NewAuditEvent::new(
                    Some(session.actor()),
                    if enable {
                        "threshold.enabled"
                    } else {
                        "threshold.disabled"
                    },
                    format!("threshold:{id}"),
                    json!({"tested_at": r.tested_at.map(|t| t.to_rfc3339())}),
                ),
                now,
            )?;
            threshold_view(tx, load_threshold(tx, id)?, today)
        })?;
        if enable {
            self.nudge_jobs();
        }
        Ok(view)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn totals_are_grouped_by_thousands() {
        assert_eq!(super::grouped("1260.00"), "1,260.00");
        assert_eq!(super::grouped("5000"), "5,000");
        assert_eq!(super::grouped("31.5"), "31.5");
        assert_eq!(super::grouped("-1234567.5"), "-1,234,567.5");
    }
}
