//! Version 1 of the stored company settings: the JSON object in
//! `company.settings`, with the field names and value spellings written by
//! schema 8 (when it was the domain type's serde output) fixed here.

use super::approval_rules_v1::ApprovalRulesV1;
use super::enum_names::{
    parse_rounding_mode, parse_rounding_scope, rounding_mode_text, rounding_scope_text,
};
use super::parse_versioned;
use super::reminder_policy_v1::{self, ReminderStepV1};
use crate::codec::{corrupt, currency, date, decimal};
use crate::StoreError;
use invoicer_domain::approval::ExchangeRate;
use invoicer_domain::approval_rules::ApprovalRules;
use invoicer_domain::company::CompanySettings;
use invoicer_domain::company::DEFAULT_DELIVERY_ATTEMPTS;
use invoicer_domain::numbering::NumberFormat;
use invoicer_domain::reminder_policy::ReminderPolicy;
use invoicer_domain::reports::aging::DEFAULT_AGING_BOUNDS;
use serde::{Deserialize, Serialize};

/// What `record_version` says for this shape.
pub(crate) const VERSION: u64 = 1;

/// The stored company settings, version 1. Every value is kept in the
/// spelling it is written in (codes, decimal and date text), so the JSON does
/// not depend on how any library or domain type serialises itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct CompanySettingsV1 {
    /// Always [`VERSION`] when written; absent in rows written before it.
    #[serde(default = "version")]
    record_version: u64,
    name: String,
    address: Option<String>,
    email: Option<String>,
    tax_id: Option<String>,
    country: String,
    region: Option<String>,
    currency: String,
    timezone: String,
    payment_terms_days: u32,
    number_format: String,
    /// Absent in rows written before credit notes existed, and left out at
    /// the default so those rows and new ones read the same.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    credit_note_number_format: Option<String>,
    rounding_scope: String,
    rounding_mode: String,
    require_customer_tax_id: bool,
    approval_threshold: String,
    dispute_window_days: u32,
    #[serde(default)]
    payment_link_format: Option<String>,
    /// Absent in rows written before Reply-To existed, and left out when
    /// unset so those rows and new ones read the same.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reply_to: Option<String>,
    /// Absent in rows written before it was configurable, and left out at
    /// the default so those rows and new ones read the same.
    #[serde(
        default = "default_delivery_attempts",
        skip_serializing_if = "is_default_delivery_attempts"
    )]
    delivery_attempts: u32,
    /// Absent in rows written before exchange rates existed.
    #[serde(default)]
    exchange_rates: Vec<ExchangeRateV1>,
    /// Absent in rows written before approval rules existed, which read as
    /// one approver from `approval_threshold`; left out when the rules are
    /// exactly that, so those rows and new ones read the same.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    approval_rules: Option<ApprovalRulesV1>,
    /// Absent in rows written before the reminder policy was configurable,
    /// which read as the default +7, +14, +30 days; left out at the default
    /// so those rows and new ones read the same.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reminder_policy: Option<Vec<ReminderStepV1>>,
    /// Absent in rows written before reports existed, which read as the
    /// default 30, 60, 90; left out at the default so those rows and new
    /// ones read the same.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    aging_bucket_bounds: Option<Vec<u32>>,
}

/// One stored exchange rate, version 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ExchangeRateV1 {
    currency: String,
    rate: String,
    valid_from: String,
}

fn default_delivery_attempts() -> u32 {
    DEFAULT_DELIVERY_ATTEMPTS
}

fn is_default_delivery_attempts(n: &u32) -> bool {
    *n == DEFAULT_DELIVERY_ATTEMPTS
}

fn version() -> u64 {
    VERSION
}

impl From<&CompanySettings> for CompanySettingsV1 {
    fn from(s: &CompanySettings) -> Self {
        CompanySettingsV1 {
            record_version: VERSION,
            name: s.name.clone(),
            address: s.address.clone(),
            email: s.email.clone(),
            tax_id: s.tax_id.clone(),
            country: s.country.clone(),
            region: s.region.clone(),
            currency: s.currency.code().to_string(),
            timezone: s.timezone.name().to_string(),
            payment_terms_days: s.payment_terms_days,
            number_format: s.number_format.as_str().to_string(),
            credit_note_number_format: Some(s.credit_note_number_format.as_str())
                .filter(|f| *f != invoicer_domain::credit_note::DEFAULT_CREDIT_NOTE_FORMAT)
                .map(str::to_string),
            rounding_scope: rounding_scope_text(s.rounding_scope).to_string(),
            rounding_mode: rounding_mode_text(s.rounding_mode).to_string(),
            require_customer_tax_id: s.require_customer_tax_id,
            approval_threshold: s.approval_threshold.to_string(),
            dispute_window_days: s.dispute_window_days,
            payment_link_format: s.payment_link_format.clone(),
            reply_to: s.reply_to.clone(),
            delivery_attempts: s.delivery_attempts,
            exchange_rates: s
                .exchange_rates
                .iter()
                .map(|r| ExchangeRateV1 {
                    currency: r.currency.code().to_string(),
                    rate: r.rate.to_string(),
                    valid_from: r.valid_from.to_string(),
                })
                .collect(),
            approval_rules: (s.approval_rules
                != ApprovalRules::from_threshold(s.approval_threshold))
            .then(|| ApprovalRulesV1::from(&s.approval_rules)),
            reminder_policy: (s.reminder_policy != ReminderPolicy::default())
                .then(|| reminder_policy_v1::to_record(&s.reminder_policy)),
            aging_bucket_bounds: (s.aging_bucket_bounds[..] != DEFAULT_AGING_BOUNDS[..])
                .then(|| s.aging_bucket_bounds.clone()),
        }
    }
}

impl TryFrom<CompanySettingsV1> for CompanySettings {
    type Error = StoreError;

    fn try_from(r: CompanySettingsV1) -> Result<Self, StoreError> {
        let stored_threshold = decimal(&r.approval_threshold)?;
        let approval_rules = match &r.approval_rules {
            Some(rules) => ApprovalRules::try_from(rules)?,
            None => ApprovalRules::from_threshold(stored_threshold),
        };
        Ok(CompanySettings {
            currency: currency(&r.currency)?,
            timezone: r
                .timezone
                .parse()
                .map_err(|_| corrupt("time zone", &r.timezone))?,
            number_format: NumberFormat::parse(&r.number_format)
                .map_err(|_| corrupt("number format", &r.number_format))?,
            credit_note_number_format: match &r.credit_note_number_format {
                Some(f) => {
                    NumberFormat::parse(f).map_err(|_| corrupt("credit-note number format", f))?
                }
                None => invoicer_domain::company::default_credit_note_format(),
            },
            rounding_scope: parse_rounding_scope(&r.rounding_scope)?,
            rounding_mode: parse_rounding_mode(&r.rounding_mode)?,
            // The threshold is the first level's amount; the stored text is
            // kept for older readers and used only when there are no levels.
            approval_threshold: approval_rules.threshold().unwrap_or(stored_threshold),
            approval_rules,
            exchange_rates: r
                .exchange_rates
                .iter()
                .map(|x| {
                    Ok(ExchangeRate {
                        currency: currency(&x.currency)?,
                        rate: decimal(&x.rate)?,
                        valid_from: date(&x.valid_from)?,
                    })
                })
                .collect::<Result<_, StoreError>>()?,
            reminder_policy: match &r.reminder_policy {
                Some(steps) => reminder_policy_v1::from_record(steps)?,
                None => ReminderPolicy::default(),
            },
            aging_bucket_bounds: r
                .aging_bucket_bounds
                .unwrap_or_else(|| DEFAULT_AGING_BOUNDS.to_vec()),
            name: r.name,
            address: r.address,
            email: r.email,
            tax_id: r.tax_id,
            country: r.country,
            region: r.region,
            payment_terms_days: r.payment_terms_days,
            require_customer_tax_id: r.require_customer_tax_id,
            dispute_window_days: r.dispute_window_days,
            payment_link_format: r.payment_link_format,
            reply_to: r.reply_to,
            delivery_attempts: r.delivery_attempts,
        })
    }
}

/// The JSON stored for `settings`.
pub(crate) fn to_json(settings: &CompanySettings) -> Result<String, StoreError> {
    serde_json::to_string(&CompanySettingsV1::from(settings))
        .map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// The settings a stored JSON document holds (tagged v1 or untagged).
pub(crate) fn from_json(json: &str) -> Result<CompanySettings, StoreError> {
    let value = parse_versioned("company settings", json, VERSION)?;
    let record: CompanySettingsV1 =
        serde_json::from_value(value).map_err(|_| corrupt("company settings", json))?;
    record.try_into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use invoicer_domain::{Currency, Decimal};

    fn acme() -> CompanySettings {
        let usd = Currency::from_code("USD").unwrap();
        let mut s =
            CompanySettings::with_defaults("Acme".into(), "US".into(), Some("CA".into()), usd);
        s.timezone = "America/Los_Angeles".parse().unwrap();
        // One approver from 5,000.00: the rules every database held before
        // levels existed, which are written exactly as then.
        s.approval_threshold = Decimal::new(500_000, 2);
        s.approval_rules = ApprovalRules::from_threshold(s.approval_threshold);
        s.exchange_rates = vec![ExchangeRate {
            currency: Currency::from_code("EUR").unwrap(),
            rate: Decimal::new(108, 2),
            valid_from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        }];
        s
    }

    /// The stored JSON is pinned: renaming a field of the domain type (or a
    /// variant of its enums) cannot change it, because it is written from
    /// this record, whose names are fixed here.
    #[test]
    fn the_stored_json_is_the_golden_v1_text() {
        assert_eq!(
            to_json(&acme()).unwrap(),
            r#"{"record_version":1,"name":"Acme","address":null,"email":null,"tax_id":null,"country":"US","region":"CA","currency":"USD","timezone":"America/Los_Angeles","payment_terms_days":30,"number_format":"INV-{YYYY}-{SEQ:5}","rounding_scope":"per_line","rounding_mode":"half_up","require_customer_tax_id":false,"approval_threshold":"5000.00","dispute_window_days":30,"payment_link_format":null,"exchange_rates":[{"currency":"EUR","rate":"1.08","valid_from":"2026-01-01"}]}"#
        );
        assert_eq!(from_json(&to_json(&acme()).unwrap()).unwrap(), acme());
    }

    /// Rows written by schema 8 have no version tag (and the oldest have no
    /// payment link or exchange rates); they read as version 1.
    #[test]
    fn an_untagged_schema_8_row_reads_as_v1() {
        let old = r#"{"name":"Acme","address":null,"email":null,"tax_id":null,"country":"US","region":"CA","currency":"USD","timezone":"America/Los_Angeles","payment_terms_days":30,"number_format":"INV-{YYYY}-{SEQ:5}","rounding_scope":"per_line","rounding_mode":"half_up","require_customer_tax_id":false,"approval_threshold":"5000.00","dispute_window_days":30}"#;
        let s = from_json(old).unwrap();
        let mut expected = acme();
        expected.exchange_rates.clear();
        assert_eq!(s, expected);
    }

    #[test]
    fn a_newer_or_broken_record_is_refused_as_corrupt() {
        let newer = to_json(&acme())
            .unwrap()
            .replace(r#""record_version":1"#, r#""record_version":2"#);
        let err = from_json(&newer).unwrap_err();
        assert!(err.to_string().contains("record_version 2"), "{err}");
        let bad_zone = to_json(&acme())
            .unwrap()
            .replace("America/Los_Angeles", "Mars/Olympus");
        assert!(matches!(from_json(&bad_zone), Err(StoreError::Corrupt(_))));
    }

    /// A reminder policy other than the default is stored in its own pinned
    /// shape and read back equal; the default is left out, so rows written
    /// before the policy existed and new ones read the same.
    #[test]
    fn a_reminder_policy_is_stored_in_its_golden_shape_and_read_back() {
        use invoicer_domain::reminder_policy::{LateFee, PolicyStep, ReminderTone};
        let mut s = acme();
        s.reminder_policy = ReminderPolicy {
            steps: vec![
                PolicyStep {
                    offset_days: -3,
                    tone: ReminderTone::Friendly,
                    late_fee: None,
                },
                PolicyStep {
                    offset_days: 21,
                    tone: ReminderTone::Final,
                    late_fee: Some(LateFee::Percent(Decimal::new(15, 1))),
                },
            ],
        };
        let json = to_json(&s).unwrap();
        assert!(
            json.ends_with(r#""reminder_policy":[{"offset_days":-3,"tone":"friendly"},{"offset_days":21,"tone":"final","late_fee_kind":"percent","late_fee":"1.5"}]}"#),
            "{json}"
        );
        assert_eq!(from_json(&json).unwrap(), s);
        assert!(!to_json(&acme()).unwrap().contains("reminder_policy"));
    }

    /// Rules beyond one level are stored in their own pinned shape and read
    /// back equal; the threshold stays written as the first level's amount.
    #[test]
    fn approval_rules_are_stored_in_their_golden_shape_and_read_back() {
        use invoicer_domain::approval_rules::{RuleScope, ScopedRule, TriggerSource};
        let mut s = acme();
        s.set_approval_threshold(Decimal::new(1_000_000, 2));
        s.approval_rules = ApprovalRules::default();
        s.approval_rules.every_invoice = true;
        s.approval_rules.scoped = vec![
            ScopedRule {
                scope: RuleScope::Customer(42),
                from: None,
                approvers: 2,
            },
            ScopedRule {
                scope: RuleScope::Template("modern".into()),
                from: Some(Decimal::new(50_000, 2)),
                approvers: 1,
            },
            ScopedRule {
                scope: RuleScope::Source(TriggerSource::Bulk),
                from: None,
                approvers: 3,
            },
        ];
        let json = to_json(&s).unwrap();
        assert!(
            json.contains(r#""approval_threshold":"10000.00""#),
            "{json}"
        );
        assert!(
            json.ends_with(r#""approval_rules":{"every_invoice":true,"levels":[{"from":"10000.00","approvers":1},{"from":"100000.00","approvers":2}],"scoped":[{"scope":{"kind":"customer","customer_id":42},"from":null,"approvers":2},{"scope":{"kind":"template","name":"modern"},"from":"500.00","approvers":1},{"scope":{"kind":"source","source":"bulk"},"from":null,"approvers":3}]}}"#),
            "{json}"
        );
        assert_eq!(from_json(&json).unwrap(), s);
    }

    /// A row from before levels existed reads as one approver from its
    /// threshold, and a zero threshold keeps meaning "every invoice".
    #[test]
    fn a_row_without_rules_reads_as_one_level_at_its_threshold() {
        let old = to_json(&acme()).unwrap();
        assert!(!old.contains("approval_rules"));
        let s = from_json(&old).unwrap();
        assert_eq!(s.approval_threshold, Decimal::new(500_000, 2));
        assert_eq!(s.approval_rules.levels.len(), 1);
        assert_eq!(s.approval_rules.levels[0].from, Decimal::new(500_000, 2));
        assert_eq!(s.approval_rules.levels[0].approvers, 1);
        assert!(s.validate().is_ok());
        let zero = from_json(&old.replace(r#""5000.00""#, r#""0""#)).unwrap();
        let usd = Currency::from_code("USD").unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let d = zero
            .approval_decision(Decimal::new(1, 2), usd, day)
            .unwrap();
        assert_eq!(d.required.approvers, 1);
    }

    #[test]
    fn an_unknown_trigger_source_in_a_rule_is_corrupt() {
        let mut s = acme();
        s.approval_rules.every_invoice = true;
        let json = to_json(&s).unwrap().replace(
            r#""scoped":[]"#,
            r#""scoped":[{"scope":{"kind":"source","source":"fax"},"from":null,"approvers":1}]"#,
        );
        assert!(matches!(from_json(&json), Err(StoreError::Corrupt(_))));
    }
}
