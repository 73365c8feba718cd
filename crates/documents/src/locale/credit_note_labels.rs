//! The fixed wording of a credit note, per locale.
//!
//! A credit note is printed with the credited invoice's pinned template
//! version, whose blocks were written for invoices (their title says
//! "Invoice"). The words that make the document a credit note therefore come
//! from here, in the template's language, and replace the title, the intro and
//! the payment instructions.

use super::Locale;

/// The captions and sentences of a credit note in one language.
#[derive(Debug)]
pub struct CreditNoteLabels {
    /// The document title.
    pub title: &'static str,
    /// Caption of the credit note's number.
    pub number: &'static str,
    /// Caption of the credited invoice's number.
    pub credits_invoice: &'static str,
    /// The last totals row: what the credit note takes off.
    pub total_credited: &'static str,
    /// The opening sentence; `{number}` and `{date}` name the invoice.
    pub intro: &'static str,
    /// Caption in front of the reason.
    pub reason: &'static str,
}

const EN: CreditNoteLabels = CreditNoteLabels {
    title: "Credit note",
    number: "Credit note number",
    credits_invoice: "Credits invoice",
    total_credited: "Total credited",
    intro: "This credit note corrects invoice {number} of {date}. The amount below is credited to your account.",
    reason: "Reason",
};

const DE: CreditNoteLabels = CreditNoteLabels {
    title: "Rechnungskorrektur",
    number: "Korrekturnummer",
    credits_invoice: "Zur Rechnung",
    total_credited: "Gutgeschrieben",
    intro: "Diese Rechnungskorrektur berichtigt die Rechnung {number} vom {date}. Der folgende Betrag wird Ihnen gutgeschrieben.",
    reason: "Grund",
};

const FR: CreditNoteLabels = CreditNoteLabels {
    title: "Avoir",
    number: "Numéro d'avoir",
    credits_invoice: "Facture concernée",
    total_credited: "Total crédité",
    intro: "Cet avoir corrige la facture {number} du {date}. Le montant ci-dessous est porté à votre crédit.",
    reason: "Motif",
};

const PL: CreditNoteLabels = CreditNoteLabels {
    title: "Faktura korygująca",
    number: "Numer korekty",
    credits_invoice: "Do faktury",
    total_credited: "Kwota korekty",
    intro: "Niniejsza faktura korygująca koryguje fakturę {number} z dnia {date}. Poniższa kwota zostaje zapisana na Państwa korzyść.",
    reason: "Przyczyna",
};

impl CreditNoteLabels {
    /// The intro sentence for invoice `number` dated `date` (already formatted).
    pub fn intro_text(&self, number: &str, date: &str) -> String {
        self.intro
            .replace("{number}", number)
            .replace("{date}", date)
    }
}

impl Locale {
    /// The credit-note wording in this locale.
    pub fn credit_note_labels(self) -> &'static CreditNoteLabels {
        match self {
            Locale::EnUs | Locale::EnGb => &EN,
            Locale::DeDe => &DE,
            Locale::FrFr => &FR,
            Locale::PlPl => &PL,
        }
    }
}
