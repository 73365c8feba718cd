//! The fixed wording printed on an invoice PDF, per locale.
//!
//! Texts a business wants to word itself (title, intro, payment instructions, legal
//! footer…) live in the template bundle. The labels here are the form's own captions,
//! which nobody customises but which must match the invoice's language.

use super::Locale;

/// Captions printed on the invoice form in one language.
///
/// Entries containing `{placeholders}` are filled in by the methods below.
#[derive(Debug)]
pub struct Labels {
    /// Caption of the invoice number in the header.
    pub invoice_number: &'static str,
    /// Caption of the issue date.
    pub issue_date: &'static str,
    /// Caption of the due date.
    pub due_date: &'static str,
    /// Caption of the payment terms.
    pub terms: &'static str,
    /// Payment terms text, `{days}` is replaced (`Net 30`).
    pub terms_net: &'static str,
    /// Payment terms text when the invoice is due on receipt.
    pub terms_due_on_receipt: &'static str,
    /// Heading above the customer's address.
    pub bill_to: &'static str,
    /// Caption in front of a tax identification number.
    pub tax_id: &'static str,
    /// Column header: line description.
    pub description: &'static str,
    /// Column header: quantity.
    pub quantity: &'static str,
    /// Column header: unit price.
    pub unit_price: &'static str,
    /// Column header: discount percentage.
    pub discount: &'static str,
    /// Column header: tax rate.
    pub tax_rate: &'static str,
    /// Column header: net line amount.
    pub amount: &'static str,
    /// Heading of the per-rate tax summary.
    pub tax_summary: &'static str,
    /// Column header in the tax summary: taxable base.
    pub taxable_base: &'static str,
    /// Column header in the tax summary: tax amount.
    pub tax_amount: &'static str,
    /// Totals: sum before discounts.
    pub subtotal: &'static str,
    /// Totals: sum of line discounts.
    pub discount_total: &'static str,
    /// Totals: sum of taxes.
    pub tax_total: &'static str,
    /// Totals: amount of the invoice.
    pub total: &'static str,
    /// Totals: payments already received.
    pub amount_paid: &'static str,
    /// Totals: what is still owed.
    pub balance_due: &'static str,
    /// Shown instead of the number on drafts.
    pub draft: &'static str,
    /// Suffix on the header of continuation pages.
    pub continued: &'static str,
    /// Page footer, `{page}` and `{pages}` are replaced (`Page 1 of 3`).
    pub page_of: &'static str,
    /// Caption of the clickable payment link.
    pub pay_online: &'static str,
}

impl Labels {
    /// The payment terms for `days` days (`Net 30`), or "due on receipt" for zero days.
    pub fn terms_text(&self, days: u32) -> String {
        if days == 0 {
            self.terms_due_on_receipt.to_string()
        } else {
            self.terms_net.replace("{days}", &days.to_string())
        }
    }

    /// The page footer for page `page` of `pages`.
    pub fn page_text(&self, page: usize, pages: usize) -> String {
        self.page_of
            .replace("{page}", &page.to_string())
            .replace("{pages}", &pages.to_string())
    }
}

const EN: Labels = Labels {
    invoice_number: "Invoice number",
    issue_date: "Issue date",
    due_date: "Due date",
    terms: "Terms",
    terms_net: "Net {days}",
    terms_due_on_receipt: "Due on receipt",
    bill_to: "Bill to",
    tax_id: "Tax ID",
    description: "Description",
    quantity: "Qty",
    unit_price: "Unit price",
    discount: "Discount",
    tax_rate: "Tax",
    amount: "Amount",
    tax_summary: "Tax summary",
    taxable_base: "Taxable amount",
    tax_amount: "Tax",
    subtotal: "Subtotal",
    discount_total: "Discount",
    tax_total: "Tax",
    total: "Total",
    amount_paid: "Amount paid",
    balance_due: "Balance due",
    draft: "DRAFT",
    continued: "continued",
    page_of: "Page {page} of {pages}",
    pay_online: "Pay online",
};

const DE: Labels = Labels {
    invoice_number: "Rechnungsnummer",
    issue_date: "Rechnungsdatum",
    due_date: "Fällig am",
    terms: "Zahlungsziel",
    terms_net: "{days} Tage netto",
    terms_due_on_receipt: "Sofort fällig",
    bill_to: "Rechnung an",
    tax_id: "USt-IdNr.",
    description: "Beschreibung",
    quantity: "Menge",
    unit_price: "Einzelpreis",
    discount: "Rabatt",
    tax_rate: "USt.",
    amount: "Betrag",
    tax_summary: "Steuerübersicht",
    taxable_base: "Nettobetrag",
    tax_amount: "Steuer",
    subtotal: "Zwischensumme",
    discount_total: "Rabatt",
    tax_total: "Umsatzsteuer",
    total: "Gesamtbetrag",
    amount_paid: "Bereits bezahlt",
    balance_due: "Offener Betrag",
    draft: "ENTWURF",
    continued: "Fortsetzung",
    page_of: "Seite {page} von {pages}",
    pay_online: "Online bezahlen",
};

const FR: Labels = Labels {
    invoice_number: "Numéro de facture",
    issue_date: "Date d'émission",
    due_date: "Date d'échéance",
    terms: "Conditions",
    terms_net: "{days} jours net",
    terms_due_on_receipt: "Payable à réception",
    bill_to: "Facturé à",
    tax_id: "N° TVA",
    description: "Désignation",
    quantity: "Qté",
    unit_price: "Prix unitaire",
    discount: "Remise",
    tax_rate: "TVA",
    amount: "Montant",
    tax_summary: "Récapitulatif TVA",
    taxable_base: "Base HT",
    tax_amount: "TVA",
    subtotal: "Sous-total",
    discount_total: "Remise",
    tax_total: "TVA",
    total: "Total TTC",
    amount_paid: "Déjà payé",
    balance_due: "Reste à payer",
    draft: "BROUILLON",
    continued: "suite",
    page_of: "Page {page} sur {pages}",
    pay_online: "Payer en ligne",
};

const PL: Labels = Labels {
    invoice_number: "Numer faktury",
    issue_date: "Data wystawienia",
    due_date: "Termin płatności",
    terms: "Warunki",
    terms_net: "{days} dni",
    terms_due_on_receipt: "Płatne od razu",
    bill_to: "Nabywca",
    tax_id: "NIP",
    description: "Opis",
    quantity: "Ilość",
    unit_price: "Cena jedn.",
    discount: "Rabat",
    tax_rate: "VAT",
    amount: "Wartość",
    tax_summary: "Podsumowanie VAT",
    taxable_base: "Netto",
    tax_amount: "VAT",
    subtotal: "Suma częściowa",
    discount_total: "Rabat",
    tax_total: "VAT",
    total: "Razem",
    amount_paid: "Zapłacono",
    balance_due: "Do zapłaty",
    draft: "PROJEKT",
    continued: "ciąg dalszy",
    page_of: "Strona {page} z {pages}",
    pay_online: "Zapłać online",
};

pub(super) fn for_locale(locale: Locale) -> &'static Labels {
    match locale {
        Locale::EnUs | Locale::EnGb => &EN,
        Locale::DeDe => &DE,
        Locale::FrFr => &FR,
        Locale::PlPl => &PL,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(Locale::EnUs.labels().terms_text(30), "Net 30");
        assert_eq!(Locale::DeDe.labels().terms_text(14), "14 Tage netto");
        assert_eq!(Locale::EnUs.labels().terms_text(0), "Due on receipt");
        assert_eq!(Locale::DeDe.labels().page_text(2, 5), "Seite 2 von 5");
    }
}
