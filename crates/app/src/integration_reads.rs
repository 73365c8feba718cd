//! The local integration API's reads (`GET /v1/invoices/{id|number}`,
//! `GET /v1/invoices?status=…`), the invoice as the API shows it, the user
//! the API acts for, and the audit of requests that wrote nothing.

use crate::api::{ApiInvoice, ApiInvoicePage, InvoiceLinks};
use crate::drafts::load;
use crate::integration_events::{audit_call, ApiCall};
use crate::invoice_pdf::not_initialized;
use crate::{ApiError, AppResult, ErrorCode, Invoicer};
use chrono::NaiveDate;
use invoicer_domain::authorization::{Role, User};
use invoicer_domain::invoice::Invoice;
use invoicer_domain::lifecycle::DisplayStatus;
use invoicer_store::{InvoiceFilter, InvoiceSort, StatusFilter, Tx};
use serde_json::json;

/// The most invoices one page lists.
pub const MAX_PAGE: u64 = 200;

/// The invoice as the API shows it, its status as it reads on `today`.
pub(crate) fn api_invoice(inv: &Invoice, today: NaiveDate) -> ApiInvoice {
    let c = &inv.content;
    ApiInvoice {
        id: inv.id,
        number: inv.number.clone(),
        status: inv.display_status(today).as_str().into(),
        customer_id: c.customer.id,
        customer_name: c
            .customer
            .company
            .clone()
            .unwrap_or_else(|| c.customer.name.clone()),
        currency: c.currency.code().into(),
        issue_date: c.issue_date,
        due_date: c.due_date(),
        subtotal: inv.totals.subtotal.to_string(),
        tax: inv.totals.tax_total.to_string(),
        total: inv.totals.total.to_string(),
        balance: inv.balance().to_string(),
        template: inv.template.as_ref().map(|t| t.name.clone()),
        links: InvoiceLinks {
            this: format!("/v1/invoices/{}", inv.id),
        },
    }
}

/// The user the API acts for: the oldest active admin, whose role decides
/// what an event may do, as it would for them.
pub(crate) fn api_principal(tx: &Tx<'_>) -> AppResult<User> {
    tx.users()?
        .into_iter()
        .filter(|u| u.active && u.role == Role::Admin)
        .min_by_key(|u| u.id)
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::Forbidden,
                "no active admin: the API acts for one, so an admin account is needed",
            )
        })
}

/// The id of the invoice `text` names: digits are an id, anything else a
/// number. `field` names the input in the error.
pub(crate) fn find_invoice(tx: &Tx<'_>, text: &str, field: &str) -> AppResult<i64> {
    let text = text.trim();
    if let Ok(id) = text.parse::<i64>() {
        if tx.invoice(id)?.is_some() {
            return Ok(id);
        }
    }
    tx.invoice_id_by_number(text)?.ok_or_else(|| {
        let mut e = ApiError::field(
            field,
            text,
            "is neither an invoice id nor an invoice number",
        );
        e.code = ErrorCode::NotFound;
        e
    })
}

impl Invoicer {
    /// The invoice `id_or_number` names.
    pub fn api_invoice(&self, id_or_number: &str) -> AppResult<ApiInvoice> {
        self.store.read(|tx| {
            let settings = tx.company()?.ok_or_else(not_initialized)?;
            let id = find_invoice(tx, id_or_number, "id")?;
            Ok(api_invoice(
                &load(tx, id)?,
                self.clock.today(settings.timezone),
            ))
        })
    }

    /// One page of invoices, newest first, optionally of one displayed
    /// status; `cursor` is the previous page's `next_cursor`.
    pub fn api_invoices(
        &self,
        status: Option<&str>,
        limit: Option<u64>,
        cursor: Option<&str>,
    ) -> AppResult<ApiInvoicePage> {
        let status = match status {
            None => None,
            Some(s) => Some(DisplayStatus::parse(s).ok_or_else(|| {
                ApiError::field(
                    "status",
                    s,
                    "is not a status; use draft, pending_approval, approved, rejected, issued, \
                     overdue, partially_paid, paid or void",
                )
            })?),
        };
        let limit = limit.unwrap_or(50);
        if limit == 0 || limit > MAX_PAGE {
            return Err(ApiError::field(
                "limit",
                &limit.to_string(),
                &format!("must be between 1 and {MAX_PAGE}"),
            ));
        }
        // The cursor is the offset of the next page, so a page is stable
        // while nothing is added; newer invoices appear on the first page.
        let offset = match cursor {
            None => 0,
            Some(c) => c
                .parse::<u64>()
                .map_err(|_| ApiError::field("cursor", c, "is not a cursor this API gave"))?,
        };
        self.store.read(|tx| {
            let settings = tx.company()?.ok_or_else(not_initialized)?;
            let today = self.clock.today(settings.timezone);
            let filter = InvoiceFilter {
                status: status.map(StatusFilter::Display),
                sort: InvoiceSort::IssueDate,
                descending: true,
                offset,
                limit,
                ..InvoiceFilter::default()
            };
            let (rows, total) = tx.list_invoices(&filter, today)?;
            let mut invoices = Vec::with_capacity(rows.len());
            for r in &rows {
                invoices.push(api_invoice(&load(tx, r.id)?, today));
            }
            let next = offset + rows.len() as u64;
            Ok(ApiInvoicePage {
                invoices,
                next_cursor: (next < total).then(|| next.to_string()),
            })
        })
    }

    /// Audits `api.request` for a request that wrote nothing (a read, a
    /// refused or failed request). Failing to audit is logged, not fatal:
    /// the request itself has been answered already.
    pub fn audit_api_request(&self, call: &ApiCall<'_>, status: u16, error: Option<&str>) {
        let now = self.clock.now();
        let done = self.store.write(|tx| -> AppResult<()> {
            audit_call(tx, call, status, json!({"error": error}), now)
        });
        if let Err(e) = done {
            tracing::warn!(error = %e.message, "an API request could not be audited");
        }
    }
}
