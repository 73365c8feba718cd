//! The company's settings: who sends the invoices and the house rules.

use crate::approval::{validate_rates, ApprovalDecision, ExchangeRate, MissingRate};
use crate::approval_rules::{decision, ApprovalRules, InvoiceFacts, TriggerSource};
use crate::customer::CustomerPolicy;
use crate::money::{Currency, RoundingMode, RoundingScope};
use crate::numbering::NumberFormat;
use crate::payment_link::PaymentLinkFormat;
use crate::reminder_policy::ReminderPolicy;
use crate::validation::ValidationErrors;
use chrono::NaiveDate;
use chrono_tz::Tz;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The sender's profile and the defaults that apply to every invoice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompanySettings {
    /// Legal name printed on invoices.
    pub name: String,
    /// Postal address, one or more lines.
    pub address: Option<String>,
    /// Reply-to address for invoice emails.
    pub email: Option<String>,
    /// The company's own tax id, printed in the legal footer.
    pub tax_id: Option<String>,
    /// ISO country code.
    pub country: String,
    /// Region code, where it matters for tax.
    pub region: Option<String>,
    /// The company currency; thresholds are in it.
    pub currency: Currency,
    /// The time zone that decides which calendar day "today" is.
    pub timezone: Tz,
    /// Default payment terms in days (Net 30).
    pub payment_terms_days: u32,
    /// The invoice number format, e.g. `INV-{YYYY}-{SEQ:5}`.
    pub number_format: NumberFormat,
    /// The credit-note number format, `CN-{YYYY}-{SEQ:5}` unless set; its
    /// series is always its own, even when it reads like the invoices'.
    #[serde(default = "default_credit_note_format")]
    pub credit_note_number_format: NumberFormat,
    /// Where amounts are rounded.
    pub rounding_scope: RoundingScope,
    /// How midpoints are rounded.
    pub rounding_mode: RoundingMode,
    /// Whether customers must have a tax id.
    pub require_customer_tax_id: bool,
    /// Invoices whose total reaches this amount need an approver; zero means
    /// every invoice. Kept equal to `approval_rules.levels[0].from` (see
    /// [`CompanySettings::reconcile_approval_threshold`]), so callers and
    /// `invoicer settings set approval_threshold 5000` that know only one
    /// threshold keep working.
    pub approval_threshold: Decimal,
    /// The approval rules: amount levels, the "every invoice" switch and
    /// rules per customer, template or trigger source. Absent in settings
    /// written before rules existed; the store reads those as one level at
    /// `approval_threshold`.
    #[serde(default)]
    pub approval_rules: ApprovalRules,
    /// How long a dispute holds reminders, in days (30–90).
    pub dispute_window_days: u32,
    /// The payment page for an invoice, with `{number}` standing for the
    /// invoice number, e.g. `https://pay.example.com/invoices/{number}`.
    #[serde(default)]
    pub payment_link_format: Option<String>,
    /// Where customers' replies to invoice emails go, when not to the
    /// company's own address (e.g. a shared billing inbox).
    #[serde(default)]
    pub reply_to: Option<String>,
    /// How many times the outbox tries an email that fails temporarily
    /// (4xx, no connection) before giving up, the first try included (1–10).
    #[serde(default = "default_delivery_attempts")]
    pub delivery_attempts: u32,
    /// Rates that convert invoice totals in other currencies into the company
    /// currency for the approval threshold. Absent in databases written before
    /// rates existed, hence the default.
    #[serde(default)]
    pub exchange_rates: Vec<ExchangeRate>,
    /// When payment reminders go out, how they are worded and which charge a
    /// late fee. Absent in settings written before it existed: the default
    /// +7, +14, +30 days.
    #[serde(default)]
    pub reminder_policy: ReminderPolicy,
    /// The aging report's bucket bounds in days past due, ascending: the
    /// default `[30, 60, 90]` gives current, 1–30, 31–60, 61–90, 91+. A
    /// report request may give its own. Absent in settings written before
    /// reports existed, hence the default.
    #[serde(default = "default_aging_bucket_bounds")]
    pub aging_bucket_bounds: Vec<u32>,
}

fn default_aging_bucket_bounds() -> Vec<u32> {
    crate::reports::aging::DEFAULT_AGING_BOUNDS.to_vec()
}

/// The product's default number of delivery attempts (the retry policy's).
pub const DEFAULT_DELIVERY_ATTEMPTS: u32 = 3;

fn default_delivery_attempts() -> u32 {
    DEFAULT_DELIVERY_ATTEMPTS
}

impl CompanySettings {
    /// New settings with the product's defaults (Net 30, `INV-{YYYY}-{SEQ:5}`,
    /// per-line half-up rounding, one approver from 10,000.00 and two from
    /// 100,000.00, 30-day dispute window).
    pub fn with_defaults(
        name: String,
        country: String,
        region: Option<String>,
        currency: Currency,
    ) -> Self {
        CompanySettings {
            name,
            address: None,
            email: None,
            tax_id: None,
            country,
            region,
            currency,
            timezone: Tz::UTC,
            payment_terms_days: 30,
            number_format: NumberFormat::default(),
            credit_note_number_format: default_credit_note_format(),
            rounding_scope: RoundingScope::PerLine,
            rounding_mode: RoundingMode::HalfUp,
            require_customer_tax_id: false,
            approval_threshold: Decimal::new(1_000_000, 2),
            approval_rules: ApprovalRules::default(),
            dispute_window_days: 30,
            payment_link_format: None,
            reply_to: None,
            delivery_attempts: DEFAULT_DELIVERY_ATTEMPTS,
            exchange_rates: Vec::new(),
            reminder_policy: ReminderPolicy::default(),
            aging_bucket_bounds: default_aging_bucket_bounds(),
        }
    }

    /// What customers must provide under these settings.
    pub fn customer_policy(&self) -> CustomerPolicy {
        CustomerPolicy {
            require_tax_id: self.require_customer_tax_id,
        }
    }

    /// Checks the settings a user can edit, naming each bad field.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errs = ValidationErrors::new();
        if self.name.trim().is_empty() {
            errs.push("name", "", "is required");
        }
        let c = &self.country;
        if c.len() != 2 || !c.chars().all(|ch| ch.is_ascii_uppercase()) {
            errs.push(
                "country",
                c,
                "must be a two-letter ISO country code, e.g. US",
            );
        }
        if self.payment_terms_days > 365 {
            errs.push(
                "payment_terms_days",
                self.payment_terms_days.to_string(),
                "must be between 0 and 365",
            );
        }
        if self.approval_threshold < Decimal::ZERO {
            errs.push(
                "approval_threshold",
                self.approval_threshold.to_string(),
                "must not be negative",
            );
        }
        match self.approval_rules.threshold() {
            Some(first) if first != self.approval_threshold => errs.push(
                "approval_threshold",
                self.approval_threshold.to_string(),
                format!(
                    "must equal approval_rules.levels[0].from ({first}): the threshold is the first level's amount"
                ),
            ),
            _ => {}
        }
        if let Err(e) = self.approval_rules.validate() {
            errs.extend_prefixed("approval_rules", e);
        }
        if !(30..=90).contains(&self.dispute_window_days) {
            errs.push(
                "dispute_window_days",
                self.dispute_window_days.to_string(),
                "must be between 30 and 90",
            );
        }
        if let Err(e) = self.reminder_policy.validate("reminder_policy") {
            errs.errors.extend(e.errors);
        }
        if let Err(reason) = crate::reports::aging::AgingBuckets::new(&self.aging_bucket_bounds) {
            let text: Vec<String> = self
                .aging_bucket_bounds
                .iter()
                .map(u32::to_string)
                .collect();
            errs.push("aging_bucket_bounds", text.join(","), &reason);
        }
        if !(1..=10).contains(&self.delivery_attempts) {
            errs.push(
                "delivery_attempts",
                self.delivery_attempts.to_string(),
                "must be between 1 and 10",
            );
        }
        if let Some(f) = &self.payment_link_format {
            if let Err(reason) = PaymentLinkFormat::parse(f) {
                errs.push("payment_link_format", f, &reason);
            }
        }
        for (field, value) in [("email", &self.email), ("reply_to", &self.reply_to)] {
            if let Some(e) = value {
                if !crate::customer::is_plausible_email(e) {
                    errs.push(field, e, "is not a valid email address");
                }
            }
        }
        // Printed on every invoice: capped and free of control characters.
        for (field, value, max, multiline) in [
            ("name", Some(&self.name), 120, false),
            ("address", self.address.as_ref(), 300, true),
            ("email", self.email.as_ref(), 254, false),
            ("reply_to", self.reply_to.as_ref(), 254, false),
            ("tax_id", self.tax_id.as_ref(), 40, false),
            (
                "payment_link_format",
                self.payment_link_format.as_ref(),
                500,
                false,
            ),
        ] {
            if let Some(v) = value {
                crate::validation::check_printed(&mut errs, field, v, max, multiline);
            }
        }
        errs.errors
            .extend(validate_rates(&self.exchange_rates, self.currency).errors);
        errs.into_result()
    }

    /// The payment link for invoice `number` with `balance` left to pay in
    /// `currency`, if the company has a payment page; signed with
    /// `signing_key` when one is given (see [`PaymentLinkFormat::link`]).
    pub fn payment_link(
        &self,
        number: &str,
        balance: Decimal,
        currency: Currency,
        signing_key: Option<&[u8]>,
    ) -> Option<String> {
        let format = PaymentLinkFormat::parse(self.payment_link_format.as_deref()?).ok()?;
        Some(format.link(number, balance, currency, signing_key))
    }

    /// Sets the approval threshold, moving the first approval level with it
    /// (see [`ApprovalRules::set_threshold`]).
    pub fn set_approval_threshold(&mut self, threshold: Decimal) {
        self.approval_threshold = threshold;
        self.approval_rules.set_threshold(threshold);
    }

    /// Keeps `approval_threshold` equal to the first level's amount after an
    /// edit that started from `before`: when the rules changed, the threshold
    /// follows them; when only the threshold changed, the first level moves
    /// to it. When both changed and disagree, nothing is moved, and
    /// [`CompanySettings::validate`] names the conflict.
    pub fn reconcile_approval_threshold(&mut self, before: &CompanySettings) {
        let rules_changed = self.approval_rules != before.approval_rules;
        let threshold_changed = self.approval_threshold != before.approval_threshold
            || self.approval_threshold.scale() != before.approval_threshold.scale();
        match (rules_changed, threshold_changed) {
            (true, false) => {
                if let Some(first) = self.approval_rules.threshold() {
                    self.approval_threshold = first;
                }
            }
            (false, true) => self.set_approval_threshold(self.approval_threshold),
            _ => {}
        }
    }

    /// Whether an invoice of `total` in `currency`, issued on `date`, must wait
    /// for an approver: the total is converted into the company currency with
    /// the rate in force that day before the amount levels and the "every
    /// invoice" switch are applied. Made for callers that know neither the
    /// customer nor the template: customer and template rules do not apply,
    /// and the invoice counts as made by hand (`manual`).
    pub fn approval_decision(
        &self,
        total: Decimal,
        currency: Currency,
        date: NaiveDate,
    ) -> Result<ApprovalDecision, MissingRate> {
        self.approval_decision_for(&InvoiceFacts {
            total,
            currency,
            date,
            customer_id: 0,
            template: None,
            source: TriggerSource::Manual,
        })
    }

    /// What the approval rules require of an invoice with `invoice`'s facts,
    /// with the conversion figures: every rule applies, scoped ones included.
    pub fn approval_decision_for(
        &self,
        invoice: &InvoiceFacts,
    ) -> Result<ApprovalDecision, MissingRate> {
        decision(
            &self.approval_rules,
            invoice,
            self.currency,
            &self.exchange_rates,
        )
    }
}

/// The credit-note number format a company starts with.
pub fn default_credit_note_format() -> NumberFormat {
    // A constant the credit-note tests parse: it always reads.
    NumberFormat::parse(crate::credit_note::DEFAULT_CREDIT_NOTE_FORMAT).unwrap_or_default()
}
