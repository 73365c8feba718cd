//! Customers and the checks a billing address must pass.

use crate::money::Currency;
use crate::validation::{check_printed, ValidationErrors};
use serde::{Deserialize, Serialize};

/// A customer's data as entered, not yet checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerInput {
    /// Contact or legal name.
    pub name: String,
    /// Company name, if the customer is a business.
    pub company: Option<String>,
    /// Where invoices are emailed.
    pub email: String,
    /// Street address.
    pub address: String,
    /// City.
    pub city: String,
    /// State, province or region code, where the country has them.
    pub region: Option<String>,
    /// Postal code.
    pub postal_code: String,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
    /// VAT or sales-tax id.
    pub tax_id: Option<String>,
    /// Invoice currency for this customer, if not the company's.
    pub currency: Option<String>,
    /// The template this customer is invoiced with, if not the company default.
    pub template: Option<String>,
    /// Addresses that get a copy of every email to this customer.
    #[serde(default)]
    pub cc: Vec<String>,
    /// Addresses that get a hidden copy of every email to this customer.
    #[serde(default)]
    pub bcc: Vec<String>,
    /// The customer's id in the system its data comes from (a CRM contact,
    /// a billing account); imports and events find the customer by it.
    #[serde(default)]
    pub external_ref: Option<String>,
}

/// How many copy addresses (Cc or Bcc) a customer may have.
pub const MAX_COPY_ADDRESSES: usize = 10;

/// A checked customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    /// Stored id.
    pub id: i64,
    /// Contact or legal name.
    pub name: String,
    /// Company name.
    pub company: Option<String>,
    /// Billing email.
    pub email: String,
    /// Street address.
    pub address: String,
    /// City.
    pub city: String,
    /// Region code, upper case.
    pub region: Option<String>,
    /// Postal code.
    pub postal_code: String,
    /// Country code, upper case.
    pub country: String,
    /// Tax id.
    pub tax_id: Option<String>,
    /// Preferred currency.
    pub currency: Option<Currency>,
    /// The template this customer is invoiced with (language, region), if not
    /// the company default. The app checks that it exists.
    #[serde(default)]
    pub template: Option<String>,
    /// Addresses copied on every email to this customer.
    #[serde(default)]
    pub cc: Vec<String>,
    /// Addresses blind-copied on every email to this customer.
    #[serde(default)]
    pub bcc: Vec<String>,
    /// The customer's id in the system its data comes from; unique.
    #[serde(default)]
    pub external_ref: Option<String>,
}

/// What the company requires of customer records.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CustomerPolicy {
    /// Whether every customer needs a tax id (e.g. B2B-only sellers in the EU).
    pub require_tax_id: bool,
}

/// Countries whose addresses are not deliverable or taxable without a state or
/// province, so the region is required there.
const COUNTRIES_WITH_REQUIRED_REGION: &[&str] = &["US", "CA", "AU", "IN", "BR", "MX"];

/// Checks a loose email address shape: something@domain.tld, no spaces. Real
/// deliverability is proven only by sending, so this catches typos, nothing more.
pub fn is_plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(char::is_whitespace)
}

fn trimmed(o: &Option<String>) -> Option<String> {
    crate::validation::non_blank(o.as_deref())
}

impl CustomerInput {
    /// Checks every field and returns the normalised customer (codes upper-cased,
    /// blanks trimmed) or every problem found, each naming its field.
    pub fn validate(&self, id: i64, policy: CustomerPolicy) -> Result<Customer, ValidationErrors> {
        let mut errs = ValidationErrors::new();
        let required = |errs: &mut ValidationErrors, field: &str, v: &str| {
            if v.trim().is_empty() {
                errs.push(field, v, "is required");
            }
        };
        required(&mut errs, "name", &self.name);
        required(&mut errs, "address", &self.address);
        required(&mut errs, "city", &self.city);
        required(&mut errs, "postal_code", &self.postal_code);
        let email = self.email.trim();
        if email.is_empty() {
            errs.push("email", "", "is required");
        } else if !is_plausible_email(email) {
            errs.push("email", email, "is not a valid email address");
        }
        let country = self.country.trim().to_ascii_uppercase();
        if country.is_empty() {
            errs.push("country", "", "is required");
        } else if country.len() != 2 || !country.chars().all(|c| c.is_ascii_alphabetic()) {
            errs.push(
                "country",
                &self.country,
                "must be a two-letter ISO country code, e.g. US or DE",
            );
        }
        let region = trimmed(&self.region).map(|r| r.to_ascii_uppercase());
        if region.is_none() && COUNTRIES_WITH_REQUIRED_REGION.contains(&country.as_str()) {
            errs.push(
                "region",
                "",
                format!("is required for addresses in {country}"),
            );
        }
        let tax_id = trimmed(&self.tax_id);
        if tax_id.is_none() && policy.require_tax_id {
            errs.push("tax_id", "", "is required by the company's settings");
        }
        let currency = trimmed(&self.currency)
            .and_then(|code| Currency::from_field(&mut errs, "currency", &code));
        // Every printed field is capped so nothing runs off the address box of
        // a PDF that cannot change once issued; only the street address may
        // hold line breaks.
        let printed: [(&str, Option<&str>, usize, bool); 10] = [
            ("name", Some(&self.name), 120, false),
            ("company", self.company.as_deref(), 120, false),
            ("email", Some(&self.email), 254, false),
            ("address", Some(&self.address), 300, true),
            ("city", Some(&self.city), 100, false),
            ("region", self.region.as_deref(), 40, false),
            ("postal_code", Some(&self.postal_code), 20, false),
            ("tax_id", self.tax_id.as_deref(), 40, false),
            ("template", self.template.as_deref(), 100, false),
            ("external_ref", self.external_ref.as_deref(), 100, false),
        ];
        for (field, value, max, multiline) in printed {
            if let Some(v) = value {
                check_printed(&mut errs, field, v.trim(), max, multiline);
            }
        }
        let cc = copy_addresses(&mut errs, "cc", &self.cc);
        let bcc = copy_addresses(&mut errs, "bcc", &self.bcc);
        errs.into_result()?;
        Ok(Customer {
            id,
            name: self.name.trim().to_string(),
            company: trimmed(&self.company),
            email: email.to_string(),
            address: self.address.trim().to_string(),
            city: self.city.trim().to_string(),
            region,
            postal_code: self.postal_code.trim().to_string(),
            country,
            tax_id,
            currency,
            template: trimmed(&self.template),
            cc,
            bcc,
            external_ref: trimmed(&self.external_ref),
        })
    }
}

/// Checks copy addresses: each a plausible address, on one line, at most
/// [`MAX_COPY_ADDRESSES`]; blanks are dropped and duplicates kept once.
fn copy_addresses(errs: &mut ValidationErrors, field: &str, given: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, raw) in given.iter().enumerate() {
        let a = raw.trim();
        if a.is_empty() {
            continue;
        }
        if !is_plausible_email(a) || a.len() > 254 || a.chars().any(char::is_control) {
            errs.push(format!("{field}[{i}]"), a, "is not a valid email address");
        } else if !out.iter().any(|o| o.eq_ignore_ascii_case(a)) {
            out.push(a.to_string());
        }
    }
    if out.len() > MAX_COPY_ADDRESSES {
        errs.push(
            field,
            out.len().to_string(),
            format!("at most {MAX_COPY_ADDRESSES} addresses"),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> CustomerInput {
        CustomerInput {
            name: "Łucja Wiśniewska".into(),
            company: Some("Hooli".into()),
            email: "lucja@example.com".into(),
            address: "ul. Długa 5".into(),
            city: "Łódź".into(),
            region: None,
            postal_code: "90-001".into(),
            country: "pl".into(),
            tax_id: None,
            currency: Some("pln".into()),
            template: None,
            cc: Vec::new(),
            bcc: Vec::new(),
            external_ref: None,
        }
    }

    #[test]
    fn long_or_control_character_fields_are_refused() {
        let mut i = input();
        i.name = "x".repeat(10_000);
        i.city = "Łódź\u{0}".into();
        i.address = "ul. Długa 5\nm. 3".into();
        let err = i.validate(1, CustomerPolicy::default()).unwrap_err();
        let fields: Vec<_> = err.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "city"]);
        assert!(err.errors[0].message.contains("too long"));
    }

    #[test]
    fn valid_customer_is_normalised() {
        let c = input().validate(1, CustomerPolicy::default()).unwrap();
        assert_eq!(c.country, "PL");
        assert_eq!(c.currency.unwrap().code(), "PLN");
    }

    #[test]
    fn each_failure_names_its_field() {
        let mut i = input();
        i.email = "not-an-email".into();
        i.country = "USA".into();
        i.currency = Some("XYZ".into());
        let errs = i
            .validate(
                1,
                CustomerPolicy {
                    require_tax_id: true,
                },
            )
            .unwrap_err();
        let fields: Vec<_> = errs.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["email", "country", "tax_id", "currency"]);
        assert_eq!(errs.errors[0].value, "not-an-email");
    }

    #[test]
    fn us_addresses_need_a_state() {
        let mut i = input();
        i.country = "US".into();
        let errs = i.validate(1, CustomerPolicy::default()).unwrap_err();
        assert_eq!(errs.errors[0].field, "region");
    }

    #[test]
    fn email_shapes() {
        assert!(is_plausible_email("a.b@example.co.uk"));
        assert!(!is_plausible_email("a b@example.com"));
        assert!(!is_plausible_email("a@b"));
        assert!(!is_plausible_email("@example.com"));
    }
}
