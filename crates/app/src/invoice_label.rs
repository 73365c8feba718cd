//! How a notification names an invoice to a person: by its customer and
//! amount, and by its number once it has one, never by its database id,
//! which nobody at a desk recognises.

use crate::Invoicer;
use invoicer_domain::approval_rules::amount_words;
use invoicer_domain::invoice::Invoice;

/// "INV-2026-00042 · Acme Ltd, 12,000.00 USD" once numbered, otherwise
/// "Acme Ltd, 12,000.00 USD".
pub(crate) fn invoice_label(inv: &Invoice) -> String {
    let what = format!(
        "{}, {}",
        inv.content.customer.name.trim(),
        amount_words(inv.totals.total, inv.content.currency)
    );
    match &inv.number {
        Some(number) => format!("{number} · {what}"),
        None => what,
    }
}

impl Invoicer {
    /// The label of invoice `id` as stored now, for an event told after its
    /// change committed. An invoice that cannot be read is still named, by
    /// the words "an invoice", so a notification never shows a bare id.
    pub(crate) fn invoice_label_of(&self, id: i64) -> String {
        match self.store.read(|tx| tx.invoice(id)) {
            Ok(Some(inv)) => invoice_label(&inv),
            _ => "an invoice".to_string(),
        }
    }
}
