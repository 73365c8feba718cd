//! How the columns of a bank statement CSV are read: the fields a column
//! can fill, the header names that map themselves, and the saved profile.
//!
//! The number and date styles are bulk send's ([`NumberStyle`],
//! [`DateStyle`]), so a statement is read by the same `invoicer-import`
//! machinery and under the same rules: a value that does not fit its
//! declared style is an error, never a different number.

use crate::bulk_mapping::{DateStyle, NumberStyle};
use serde::{Deserialize, Serialize};

/// A field a statement column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatementField {
    /// The booking day.
    Date,
    /// The amount (negative = money out).
    Amount,
    /// The reference or description.
    Reference,
    /// The payer's or payee's name.
    Counterparty,
    /// The payer's or payee's IBAN.
    Iban,
}

/// Every field, in the order a mapping screen lists them.
pub const STATEMENT_FIELDS: [StatementField; 5] = [
    StatementField::Date,
    StatementField::Amount,
    StatementField::Reference,
    StatementField::Counterparty,
    StatementField::Iban,
];

impl StatementField {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            StatementField::Date => "date",
            StatementField::Amount => "amount",
            StatementField::Reference => "reference",
            StatementField::Counterparty => "counterparty",
            StatementField::Iban => "iban",
        }
    }

    /// Reads a snake_case name.
    pub fn parse(name: &str) -> Option<StatementField> {
        STATEMENT_FIELDS
            .into_iter()
            .find(|f| f.as_str() == name.trim())
    }

    /// Whether every statement must map it: a line without a day, an amount
    /// or a reference cannot be matched or told apart from another.
    pub fn is_required(self) -> bool {
        matches!(
            self,
            StatementField::Date | StatementField::Amount | StatementField::Reference
        )
    }

    /// The header names (normalised: lower case, letters and digits only)
    /// that map to this field by themselves, in English and German, as
    /// banks export them.
    fn synonyms(self) -> &'static [&'static str] {
        match self {
            StatementField::Date => &[
                "date",
                "bookingdate",
                "transactiondate",
                "valuedate",
                "posted",
                "posteddate",
                "datum",
                "buchungstag",
                "buchungsdatum",
                "valuta",
                "wertstellung",
            ],
            StatementField::Amount => &["amount", "value", "betrag", "umsatz", "amounteur"],
            StatementField::Reference => &[
                "reference",
                "description",
                "details",
                "memo",
                "paymentreference",
                "remittanceinformation",
                "verwendungszweck",
                "buchungstext",
                "referenz",
            ],
            StatementField::Counterparty => &[
                "counterparty",
                "name",
                "payer",
                "payee",
                "payername",
                "counterpartyname",
                "beguenstigterzahlungspflichtiger",
                "auftraggeber",
                "empfaenger",
                "zahlungspflichtiger",
            ],
            StatementField::Iban => &["iban", "counterpartyiban", "accountnumber", "kontonummer"],
        }
    }
}

/// One column of the statement and what it fills.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementColumn {
    /// The column's header as the file spells it.
    pub header: String,
    /// The field it fills; `None` leaves the column out.
    pub field: Option<StatementField>,
}

/// A saved statement mapping: how the files of one bank are read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementProfile {
    /// The profile's name, e.g. "Sparkasse".
    pub name: String,
    /// The file's encoding, by its WHATWG label.
    pub encoding: String,
    /// The field delimiter: `,` `;` tab or `|`.
    pub delimiter: char,
    /// Each column, in the file's order.
    pub columns: Vec<StatementColumn>,
    /// How the amounts are written.
    pub numbers: NumberStyle,
    /// How the days are written.
    pub dates: DateStyle,
}

impl StatementProfile {
    /// The required fields no column fills.
    pub fn missing_fields(&self) -> Vec<StatementField> {
        STATEMENT_FIELDS
            .into_iter()
            .filter(|f| f.is_required() && self.column_of(*f).is_none())
            .collect()
    }

    /// The index of the column that fills `field`.
    pub fn column_of(&self, field: StatementField) -> Option<usize> {
        self.columns.iter().position(|c| c.field == Some(field))
    }
}

/// Maps headers to fields by name: case, spaces, punctuation and umlauts
/// (`ä` = `ae`) do not matter. A field two headers claim goes to neither, so
/// a person chooses.
pub fn auto_map_statement(headers: &[String]) -> Vec<StatementColumn> {
    let guesses: Vec<Option<StatementField>> = headers
        .iter()
        .map(|h| {
            let n = normalise(h);
            STATEMENT_FIELDS
                .into_iter()
                .find(|f| f.synonyms().contains(&n.as_str()))
        })
        .collect();
    headers
        .iter()
        .zip(&guesses)
        .map(|(header, guess)| StatementColumn {
            header: header.clone(),
            field: guess.filter(|f| guesses.iter().filter(|g| **g == Some(*f)).count() == 1),
        })
        .collect()
}

fn normalise(header: &str) -> String {
    header
        .to_lowercase()
        .replace('ä', "ae")
        .replace('ö', "oe")
        .replace('ü', "ue")
        .replace('ß', "ss")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn english_and_german_bank_headers_map_themselves() {
        let en = auto_map_statement(&headers(&[
            "Booking Date",
            "Amount",
            "Description",
            "Payer Name",
            "IBAN",
        ]));
        assert_eq!(
            en.iter().map(|c| c.field).collect::<Vec<_>>(),
            STATEMENT_FIELDS.map(Some).to_vec()
        );
        let de = auto_map_statement(&headers(&[
            "Buchungstag",
            "Verwendungszweck",
            "Begünstigter/Zahlungspflichtiger",
            "Betrag",
            "Saldo",
        ]));
        assert_eq!(
            de.iter().map(|c| c.field).collect::<Vec<_>>(),
            vec![
                Some(StatementField::Date),
                Some(StatementField::Reference),
                Some(StatementField::Counterparty),
                Some(StatementField::Amount),
                None
            ]
        );
    }

    #[test]
    fn a_field_two_headers_claim_is_left_for_a_person() {
        let m = auto_map_statement(&headers(&["Date", "Value Date", "Amount", "Memo"]));
        assert_eq!(m[0].field, None);
        assert_eq!(m[1].field, None);
        let p = StatementProfile {
            name: "x".into(),
            encoding: "utf-8".into(),
            delimiter: ',',
            columns: m,
            numbers: NumberStyle::default(),
            dates: DateStyle::Iso,
        };
        assert_eq!(p.missing_fields(), vec![StatementField::Date]);
        assert_eq!(StatementField::parse("iban"), Some(StatementField::Iban));
    }
}
