//! Users, sign-in, first-run setup and the company profile.
#![allow(missing_docs)]

use super::{Role, RoundingScope};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A user as the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UserView {
    pub id: i64,
    pub email: String,
    pub name: String,
    #[ts(as = "RoleTs")]
    pub role: Role,
    pub active: bool,
}
/// `Role` as TypeScript sees it (the domain crate does not know ts-rs).
#[derive(TS)]
#[ts(export, rename = "Role")]
#[allow(dead_code)]
#[ts(rename_all = "snake_case")]
pub(crate) enum RoleTs {
    Specialist,
    Approver,
    Admin,
}
/// Whether first-run setup is done and who is signed in.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SetupStatus {
    pub initialized: bool,
    pub signed_in: Option<UserView>,
}
/// First-run setup: the company and its first admin.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SetupInput {
    pub company_name: String,
    pub country: String,
    pub region: Option<String>,
    pub currency: String,
    pub admin_email: String,
    pub admin_name: String,
    pub admin_password: String,
}
/// Sign-in credentials.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SignInInput {
    pub email: String,
    pub password: String,
}
/// A new user.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NewUserInput {
    pub email: String,
    pub name: String,
    #[ts(as = "RoleTs")]
    pub role: Role,
    pub password: String,
}
/// `RoundingScope` as TypeScript sees it.
#[derive(TS)]
#[ts(export, rename = "RoundingScope")]
#[allow(dead_code)]
#[ts(rename_all = "snake_case")]
pub(crate) enum RoundingScopeTs {
    PerLine,
    PerDocument,
}
/// The company profile and house rules.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CompanyView {
    pub name: String,
    pub country: String,
    pub region: Option<String>,
    pub currency: String,
    pub address: Option<String>,
    pub email: Option<String>,
    pub tax_id: Option<String>,
    pub payment_terms_days: u32,
    pub number_format: String,
    /// The credit-note number format (`CN-{YYYY}-{SEQ:5}` unless set); left
    /// out of a request, it stays as it is.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub credit_note_number_format: Option<String>,
    #[ts(as = "RoundingScopeTs")]
    pub rounding: RoundingScope,
    pub require_customer_tax_id: bool,
    pub approval_threshold: String,
    /// IANA time zone that decides which calendar day it is, e.g. `America/Los_Angeles`.
    pub timezone: String,
    /// Payment page address with `{number}` for the invoice number.
    pub payment_link_format: Option<String>,
    /// Where replies to invoice emails go, when not to `email`.
    #[serde(default)]
    pub reply_to: Option<String>,
    /// Rates converting other currencies into the company currency for the
    /// approval threshold. Required in requests: a client that left it out
    /// would otherwise erase the table without meaning to.
    pub exchange_rates: Vec<ExchangeRateView>,
}

/// One exchange rate: `rate` units of the company currency per unit of `currency`,
/// in force from `valid_from` until a later rate for the same currency starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExchangeRateView {
    pub currency: String,
    pub rate: String,
    #[ts(type = "string")]
    pub valid_from: chrono::NaiveDate,
}
