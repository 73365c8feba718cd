//! Version 1 of the customer snapshot on an invoice (`invoices.customer`):
//! the customer as it was when the invoice was written, with the JSON names
//! schema 8 wrote (then the domain type's serde output) fixed here.

use super::parse_versioned;
use crate::codec::{corrupt, currency};
use crate::StoreError;
use invoicer_domain::customer::Customer;
use serde::{Deserialize, Serialize};

/// What `record_version` says for this shape.
pub(crate) const VERSION: u64 = 1;

/// The stored customer snapshot, version 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct CustomerSnapshotV1 {
    /// Always [`VERSION`] when written; absent in rows written before it.
    #[serde(default = "version")]
    record_version: u64,
    id: i64,
    name: String,
    company: Option<String>,
    email: String,
    address: String,
    city: String,
    region: Option<String>,
    postal_code: String,
    country: String,
    tax_id: Option<String>,
    /// The ISO 4217 code.
    currency: Option<String>,
    /// Absent in rows written before customers had templates.
    #[serde(default)]
    template: Option<String>,
    /// Absent in rows written before customers had copy addresses, and left
    /// out when empty so those rows and new ones read the same.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    cc: Vec<String>,
    /// As `cc`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    bcc: Vec<String>,
    /// Absent in rows written before customers had one, and left out when
    /// unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    external_ref: Option<String>,
}

fn version() -> u64 {
    VERSION
}

impl From<&Customer> for CustomerSnapshotV1 {
    fn from(c: &Customer) -> Self {
        CustomerSnapshotV1 {
            record_version: VERSION,
            id: c.id,
            name: c.name.clone(),
            company: c.company.clone(),
            email: c.email.clone(),
            address: c.address.clone(),
            city: c.city.clone(),
            region: c.region.clone(),
            postal_code: c.postal_code.clone(),
            country: c.country.clone(),
            tax_id: c.tax_id.clone(),
            currency: c.currency.map(|c| c.code().to_string()),
            template: c.template.clone(),
            cc: c.cc.clone(),
            bcc: c.bcc.clone(),
            external_ref: c.external_ref.clone(),
        }
    }
}

impl TryFrom<CustomerSnapshotV1> for Customer {
    type Error = StoreError;

    fn try_from(r: CustomerSnapshotV1) -> Result<Self, StoreError> {
        Ok(Customer {
            currency: r.currency.as_deref().map(currency).transpose()?,
            id: r.id,
            name: r.name,
            company: r.company,
            email: r.email,
            address: r.address,
            city: r.city,
            region: r.region,
            postal_code: r.postal_code,
            country: r.country,
            tax_id: r.tax_id,
            template: r.template,
            cc: r.cc,
            bcc: r.bcc,
            external_ref: r.external_ref,
        })
    }
}

/// The JSON stored for a customer snapshot.
pub(crate) fn to_json(c: &Customer) -> Result<String, StoreError> {
    serde_json::to_string(&CustomerSnapshotV1::from(c))
        .map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// The customer a stored snapshot holds (tagged v1 or untagged).
pub(crate) fn from_json(json: &str) -> Result<Customer, StoreError> {
    let value = parse_versioned("customer snapshot", json, VERSION)?;
    let record: CustomerSnapshotV1 =
        serde_json::from_value(value).map_err(|_| corrupt("customer snapshot", json))?;
    record.try_into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use invoicer_domain::Currency;

    fn berlin() -> Customer {
        Customer {
            id: 3,
            name: "Hanna Schmidt".into(),
            company: Some("Beispiel GmbH".into()),
            email: "hanna@beispiel.test".into(),
            address: "Hauptstraße 5".into(),
            city: "Berlin".into(),
            region: None,
            postal_code: "10115".into(),
            country: "DE".into(),
            tax_id: Some("DE123456789".into()),
            currency: Currency::from_code("EUR"),
            template: Some("standard-de".into()),
            cc: Vec::new(),
            bcc: Vec::new(),
            external_ref: None,
        }
    }

    /// The stored JSON is pinned: renaming a field of `Customer` cannot change
    /// it, because it is written from this record, whose names are fixed here.
    #[test]
    fn the_stored_json_is_the_golden_v1_text() {
        assert_eq!(
            to_json(&berlin()).unwrap(),
            r#"{"record_version":1,"id":3,"name":"Hanna Schmidt","company":"Beispiel GmbH","email":"hanna@beispiel.test","address":"Hauptstraße 5","city":"Berlin","region":null,"postal_code":"10115","country":"DE","tax_id":"DE123456789","currency":"EUR","template":"standard-de"}"#
        );
        assert_eq!(from_json(&to_json(&berlin()).unwrap()).unwrap(), berlin());
    }

    /// Exactly the text schema 8 wrote (no tag) reads back as version 1; the
    /// oldest rows have no template either.
    #[test]
    fn an_untagged_schema_8_snapshot_reads_as_v1() {
        let old = r#"{"id":3,"name":"Hanna Schmidt","company":"Beispiel GmbH","email":"hanna@beispiel.test","address":"Hauptstraße 5","city":"Berlin","region":null,"postal_code":"10115","country":"DE","tax_id":"DE123456789","currency":"EUR"}"#;
        let mut expected = berlin();
        expected.template = None;
        assert_eq!(from_json(old).unwrap(), expected);
    }

    #[test]
    fn an_unknown_currency_in_a_snapshot_is_corrupt_data() {
        let bad = to_json(&berlin()).unwrap().replace("\"EUR\"", "\"XXY\"");
        assert!(matches!(from_json(&bad), Err(StoreError::Corrupt(_))));
    }
}
