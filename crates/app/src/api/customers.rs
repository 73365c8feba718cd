//! Customers, tax rates and the product catalogue.
#![allow(missing_docs)]

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A customer as entered.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CustomerInput {
    pub name: String,
    pub company: Option<String>,
    pub email: String,
    pub address: String,
    pub city: String,
    pub region: Option<String>,
    pub postal_code: String,
    pub country: String,
    pub tax_id: Option<String>,
    pub currency: Option<String>,
    /// The template this customer is invoiced with; the company default when absent.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub template: Option<String>,
    /// Addresses copied on every email to this customer.
    #[serde(default)]
    #[ts(optional)]
    pub cc: Option<Vec<String>>,
    /// Addresses blind-copied on every email to this customer.
    #[serde(default)]
    #[ts(optional)]
    pub bcc: Option<Vec<String>>,
    /// The customer's id in the system its data comes from (unique); absent
    /// keeps the stored one, blank removes it.
    #[serde(default)]
    #[ts(optional)]
    pub external_ref: Option<String>,
}

/// A stored customer.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CustomerView {
    pub id: i64,
    pub name: String,
    pub company: Option<String>,
    pub email: String,
    pub address: String,
    pub city: String,
    pub region: Option<String>,
    pub postal_code: String,
    pub country: String,
    pub tax_id: Option<String>,
    pub currency: Option<String>,
    /// The customer's own template; null means the company default.
    pub template: Option<String>,
    /// Addresses copied on every email to this customer.
    pub cc: Vec<String>,
    /// Addresses blind-copied on every email to this customer.
    pub bcc: Vec<String>,
    /// The customer's id in the system its data comes from.
    pub external_ref: Option<String>,
}

/// A tax rate as entered.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TaxRateInput {
    pub country: String,
    pub region: Option<String>,
    pub name: String,
    pub rate: String,
    pub inclusive: bool,
    /// Computed on the net plus the taxes placed before it in its group.
    #[serde(default)]
    pub compound: bool,
    /// Place in the country and region's group (lower first); last when absent.
    #[serde(default)]
    pub position: Option<i64>,
    /// Applies only to lines that name it instead of joining the region's
    /// automatic group (e.g. a reduced VAT rate next to the standard one).
    #[serde(default)]
    pub manual: bool,
}
/// A stored tax rate.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TaxRateView {
    pub id: i64,
    pub country: String,
    pub region: Option<String>,
    pub name: String,
    pub rate: String,
    pub inclusive: bool,
    pub compound: bool,
    pub position: i64,
    /// Applies only to lines that name it.
    pub manual: bool,
}
/// A catalogue product as entered.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProductInput {
    pub name: String,
    pub description: String,
    pub unit_price: String,
    /// The company currency when null.
    pub currency: Option<String>,
    pub tax_rate_id: Option<i64>,
}
/// A catalogue product.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProductView {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub unit_price: String,
    pub currency: String,
    pub tax_rate_id: Option<i64>,
}
