//! The bodies of the local integration API (`POST /v1/events`,
//! `GET /v1/invoices`, `POST /v1/payments`) and the Settings view of it.
//! They derive `utoipa::ToSchema` so the committed OpenAPI document is
//! generated from them; inputs refuse unknown fields so a misspelt field
//! is an error, not silently ignored.

use chrono::NaiveDate;
use invoicer_domain::event_actions::EventType;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

/// A billing event another program reports.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventInput {
    /// `order.created`, `deal.closed_won`, `project.completed`,
    /// `usage.recorded` or `time.logged`.
    #[serde(rename = "type")]
    #[schema(value_type = String, example = "deal.closed_won")]
    pub event_type: EventType,
    /// Who is billed: found by `external_ref`, else by `email`; created when
    /// neither matches. Not used when the type's rule maps customer fields
    /// from `data`.
    #[serde(default)]
    pub customer: EventCustomer,
    /// What is billed; at least one line. Not used when the type's rule maps
    /// line fields from `data`.
    #[serde(default)]
    pub lines: Vec<EventLine>,
    /// ISO 4217 code; the customer's or the company's currency when absent.
    #[serde(default)]
    pub currency: Option<String>,
    /// A template in the library; the customer's or the default when absent.
    #[serde(default)]
    pub template: Option<String>,
    /// Days until the invoice is due; the company's terms when absent.
    #[serde(default)]
    pub terms_days: Option<u32>,
    /// The due date, instead of `terms_days`.
    #[serde(default)]
    pub due_date: Option<NaiveDate>,
    /// The sender's own reference (order or deal id), printed in the notes.
    /// For hours and usage a threshold rule takes, an entry with a reference
    /// already recorded is not recorded again.
    #[serde(default)]
    pub reference: Option<String>,
    /// `usage.recorded` and `time.logged`: the sender's project reference,
    /// which picks a threshold rule for that project.
    #[serde(default)]
    pub project: Option<String>,
    /// `usage.recorded` and `time.logged`: the day the work or use happened
    /// (today when absent).
    #[serde(default)]
    pub occurred_on: Option<NaiveDate>,
    /// The sender's own JSON (e.g. a CRM's deal), read through the field
    /// mapping of the type's rule (Triggers → Event rules). What the mapping
    /// maps wins: customer fields mapped → the customer comes from `data`;
    /// line fields mapped → the lines do. The typed `currency`, `template`,
    /// `terms_days`, `due_date` and `reference` win over mapped ones, and
    /// the rule's template and terms apply when neither gives them.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub data: Option<serde_json::Value>,
}

/// The customer of an event. A new customer needs the fields a customer
/// always needs (name, email, address, city, postal code, country).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventCustomer {
    /// The sender's id for the customer.
    #[serde(default)]
    pub external_ref: Option<String>,
    /// The billing email.
    #[serde(default)]
    pub email: Option<String>,
    /// The contact's name.
    #[serde(default)]
    pub name: Option<String>,
    /// The company billed.
    #[serde(default)]
    pub company: Option<String>,
    /// Street address.
    #[serde(default)]
    pub address: Option<String>,
    /// City.
    #[serde(default)]
    pub city: Option<String>,
    /// Region or state.
    #[serde(default)]
    pub region: Option<String>,
    /// Postal code.
    #[serde(default)]
    pub postal_code: Option<String>,
    /// ISO 3166 country code.
    #[serde(default)]
    pub country: Option<String>,
    /// VAT or tax number.
    #[serde(default)]
    pub tax_id: Option<String>,
}

/// One billed line of an event; amounts are decimal strings.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventLine {
    /// What was sold.
    pub description: String,
    /// How many, e.g. `"2"` or `"1.5"`.
    pub quantity: String,
    /// The price of one, e.g. `"1200.00"`.
    pub unit_price: String,
    /// A discount in percent, e.g. `"10"`.
    #[serde(default)]
    pub discount_percent: Option<String>,
}

/// Where an invoice can be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct InvoiceLinks {
    /// `GET` this path for the invoice.
    #[serde(rename = "self")]
    pub this: String,
}

/// An invoice as the API shows it; amounts are decimal strings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ApiInvoice {
    /// The invoice's id.
    pub id: i64,
    /// Its number, once issued.
    pub number: Option<String>,
    /// `draft`, `pending_approval`, `issued`, `overdue`, `paid`, …
    pub status: String,
    /// The customer's id.
    pub customer_id: i64,
    /// The customer's name as printed.
    pub customer_name: String,
    /// ISO 4217 code.
    pub currency: String,
    /// The issue date.
    pub issue_date: NaiveDate,
    /// The due date.
    pub due_date: NaiveDate,
    /// Before tax.
    pub subtotal: String,
    /// The tax.
    pub tax: String,
    /// What the customer owes in all.
    pub total: String,
    /// What is left to pay.
    pub balance: String,
    /// The template it is printed with, once chosen.
    pub template: Option<String>,
    /// Where to read it.
    pub links: InvoiceLinks,
}

/// What an event did (or, in a dry run, would do).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct EventResult {
    /// The event's type.
    pub event_type: String,
    /// What its type's rule does: `create_draft`, `issue`,
    /// `issue_and_send` or `await_approval`.
    pub action: String,
    /// True when nothing was written (`?dry_run=true`).
    pub dry_run: bool,
    /// Whether the invoice waits for an approver.
    pub needs_approval: bool,
    /// Whether its email was queued in the outbox.
    pub email_queued: bool,
    /// Whether the customer was created for this event.
    pub customer_created: bool,
    /// The invoice (in a dry run: as it would be; its id is not kept).
    pub invoice: ApiInvoice,
}

/// One page of invoices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ApiInvoicePage {
    /// Newest first.
    pub invoices: Vec<ApiInvoice>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// A payment a payment provider or bank reports.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiPaymentInput {
    /// The invoice's id (digits) or its number.
    pub invoice: String,
    /// The amount paid, a decimal string in the invoice's currency.
    pub amount: String,
    /// The day it was paid.
    pub date: NaiveDate,
    /// `bank_transfer`, `card`, `cash`, `cheque` or `other`.
    pub method: String,
    /// The provider's or bank's reference.
    #[serde(default)]
    pub reference: Option<String>,
}

/// A recorded payment and the invoice after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ApiPaymentResult {
    /// The payment's id.
    pub payment_id: i64,
    /// The invoice, with its new status and balance.
    pub invoice: ApiInvoice,
}

/// The "Integration API" section of Settings (admins only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct IntegrationApiView {
    /// Whether this app's server is listening.
    pub listening: bool,
    /// `http://127.0.0.1:PORT` when listening.
    pub url: Option<String>,
    /// Why it is not listening (e.g. the port is taken).
    pub problem: Option<String>,
    /// The bearer token: only when asked to show it (or just rotated).
    pub token: Option<String>,
    /// An example request with the URL filled in (the token as a variable).
    pub example_curl: String,
}
