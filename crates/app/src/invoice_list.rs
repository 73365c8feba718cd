//! The invoice list.

use crate::api::{InvoicePage, InvoiceQuery, InvoiceSort};
use crate::views::summary_view;
use crate::{AppResult, Invoicer, Session};
use invoicer_domain::authorization::Permission;
use invoicer_store::{InvoiceFilter, InvoiceSort as StoreSort, StatusFilter};

/// The largest page the list serves, so a bad request cannot load everything.
const MAX_PAGE_SIZE: u32 = 500;

impl Invoicer {
    /// One page of invoices.
    pub fn list_invoices(&self, session: &Session, q: &InvoiceQuery) -> AppResult<InvoicePage> {
        session.require(Permission::View)?;
        let settings = self.settings()?;
        let today = self.clock.today(settings.timezone);
        let page = q.page.max(1);
        let page_size = q.page_size.clamp(1, MAX_PAGE_SIZE);
        let filter = InvoiceFilter {
            status: q.status.map(StatusFilter::Display),
            customer_id: q.customer_id,
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
