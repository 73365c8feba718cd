//! The invoice list.

use crate::api::{InvoicePage, InvoiceQuery, InvoiceSort};
use crate::views::summary_view;
use crate::{ApiError, AppResult, Invoicer, Session};
use invoicer_domain::authorization::Permission;
use invoicer_domain::Currency;
use invoicer_store::{InvoiceFilter, InvoiceSort as StoreSort, StatusFilter};

/// The largest page the list serves, so a bad request cannot load everything.
const MAX_PAGE_SIZE: u32 = 500;

impl Invoicer {
    /// One page of invoices.
    pub fn list_invoices(&self, session: &Session, q: &InvoiceQuery) -> AppResult<InvoicePage> {
        session.require(Permission::View)?;
        let currency = currency_filter("currency", q.currency.as_deref())?;
        let settings = self.settings()?;
        let today = self.clock.today(settings.timezone);
        let page = q.page.max(1);
        let page_size = q.page_size.clamp(1, MAX_PAGE_SIZE);
        let filter = InvoiceFilter {
            status: q.status.map(StatusFilter::Display),
            customer_id: q.customer_id,
            currency,
            date_from: q.date_from,
            date_to: q.date_to,
            search: q.search.clone(),
            sort: match q.sort {
                InvoiceSort::Number => StoreSort::Number,
                InvoiceSort::IssueDate => StoreSort::IssueDate,
                InvoiceSort::DueDate => StoreSort::DueDate,
                InvoiceSort::Customer => StoreSort::Customer,
                InvoiceSort::Total => StoreSort::Total,
                InvoiceSort::Balance => StoreSort::Balance,
                InvoiceSort::Status => StoreSort::Status,
            },
            descending: q.descending,
            offset: u64::from(page - 1) * u64::from(page_size),
            limit: u64::from(page_size),
        };
        let (rows, total) = self.store.read(|tx| tx.list_invoices(&filter, today))?;
        Ok(InvoicePage {
            items: rows.iter().map(|r| summary_view(r, today)).collect(),
            total_count: total,
            page,
            page_size,
        })
    }
}

/// A list's currency filter: none when absent or blank, else the ISO 4217
/// code it names (any case); an unknown code is refused naming `field`.
pub(crate) fn currency_filter(field: &str, code: Option<&str>) -> AppResult<Option<Currency>> {
    match code.map(str::trim) {
        None | Some("") => Ok(None),
        Some(code) => Currency::from_code(&code.to_uppercase())
            .map(Some)
            .ok_or_else(|| ApiError::field(field, code, "is not a currency code Invoicer knows")),
    }
}
