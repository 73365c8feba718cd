//! Columns mapped to fields by their header: the header normalised (case,
//! punctuation, camelCase, umlauts) and looked up among each field's names
//! and synonyms, English and German, as CRM and billing exports spell them.

use invoicer_domain::bulk_mapping::{ColumnMapping, TargetField, ALL_FIELDS};

use crate::synonyms::SYNONYMS;

/// The headers mapped by name, for the user to confirm or change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutoMapping {
    /// One mapping per column, in the file's order; `field: None` where no
    /// name matched or two columns claimed the same field.
    pub columns: Vec<ColumnMapping>,
    /// Fields more than one column claimed; those columns are left
    /// unmapped for the user to choose.
    pub ambiguous: Vec<TargetField>,
    /// Required fields no column fills.
    pub missing_required: Vec<TargetField>,
}

impl AutoMapping {
    /// Whether the mapping can be used without asking: every required field
    /// is mapped and no field was claimed twice.
    pub fn is_complete(&self) -> bool {
        self.ambiguous.is_empty() && self.missing_required.is_empty()
    }
}

/// Maps each header to the field its name means.
pub fn auto_map(headers: &[String]) -> AutoMapping {
    let guesses: Vec<Option<TargetField>> = headers.iter().map(|h| field_for(h)).collect();
    let mut ambiguous: Vec<TargetField> = Vec::new();
    for (i, g) in guesses.iter().enumerate() {
        if let Some(f) = g {
            if guesses[i + 1..].contains(&Some(*f)) && !ambiguous.contains(f) {
                ambiguous.push(*f);
            }
        }
    }
    let columns: Vec<ColumnMapping> = headers
        .iter()
        .zip(&guesses)
        .map(|(header, field)| ColumnMapping {
            header: header.clone(),
            field: field.filter(|f| !ambiguous.contains(f)),
        })
        .collect();
    let missing_required = ALL_FIELDS
        .into_iter()
        .filter(|f| f.is_required() && !ambiguous.contains(f))
        .filter(|f| !columns.iter().any(|c| c.field == Some(*f)))
        .collect();
    ambiguous.sort();
    AutoMapping {
        columns,
        ambiguous,
        missing_required,
    }
}

/// The field a header names, if any.
fn field_for(header: &str) -> Option<TargetField> {
    let key = normalize(header);
    SYNONYMS
        .iter()
        .find(|(_, names)| names.contains(&key.as_str()))
        .map(|(field, _)| *field)
}

/// Lower case words separated by one space: camelCase split, punctuation
/// dropped, `%` read as "percent" and `#` as "number", German umlauts and ß
/// spelled out.
fn normalize(header: &str) -> String {
    let mut out = String::with_capacity(header.len() + 8);
    let mut prev: Option<char> = None;
    for c in header.trim().trim_start_matches('\u{feff}').chars() {
        if c.is_uppercase() && prev.is_some_and(char::is_lowercase) {
            out.push(' ');
        }
        match c {
            '%' => out.push_str(" percent "),
            '#' => out.push_str(" number "),
            'ä' | 'Ä' => out.push_str("ae"),
            'ö' | 'Ö' => out.push_str("oe"),
            'ü' | 'Ü' => out.push_str("ue"),
            'ß' => out.push_str("ss"),
            c if c.is_alphanumeric() => out.extend(c.to_lowercase()),
            _ => out.push(' '),
        }
        prev = Some(c);
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(headers: &[&str]) -> AutoMapping {
        auto_map(&headers.iter().map(|h| h.to_string()).collect::<Vec<_>>())
    }

    fn fields(m: &AutoMapping) -> Vec<Option<&'static str>> {
        m.columns
            .iter()
            .map(|c| c.field.map(TargetField::as_str))
            .collect()
    }

    #[test]
    fn crm_and_german_headers_map_to_their_fields() {
        let m = map(&[
            "Deal ID",
            "Contact Email",
            "Line Item Name",
            "Qty",
            "Unit Price",
            "Tax Rate",
            "Contact Name",
            "Notes",
        ]);
        assert_eq!(
            fields(&m),
            [
                Some("invoice_key"),
                Some("email"),
                Some("description"),
                Some("quantity"),
                Some("unit_price"),
                Some("tax_rate"),
                Some("customer_name"),
                None
            ]
        );
        assert!(m.is_complete(), "{m:?}");
        for (header, field) in [
            ("E-mail", "email"),
            ("email_address", "email"),
            ("EmailAddress", "email"),
            ("Order Number", "invoice_key"),
            ("Invoice Key", "invoice_key"),
            ("Invoice #", "invoice_key"),
            ("Product", "description"),
            ("Item", "description"),
            ("Rate", "unit_price"),
            ("Price", "unit_price"),
            ("Discount %", "discount"),
            ("Menge", "quantity"),
            ("Einzelpreis", "unit_price"),
            ("Beschreibung", "description"),
            ("Rechnungsdatum", "issue_date"),
            ("Kundennummer", "external_reference"),
            ("USt-IdNr", "tax_id"),
            ("USt-IdNr.", "tax_id"),
            ("Straße", "address_line1"),
            ("Währung", "currency"),
            ("MwSt-Satz", "tax_rate"),
            ("PLZ", "postal_code"),
            ("Billing Zip/Postal Code", "postal_code"),
            ("terms_days", "terms"),
            ("discount_percent", "discount"),
            ("invoice_ref", "invoice_key"),
        ] {
            assert_eq!(
                field_for(header).map(TargetField::as_str),
                Some(field),
                "{header}"
            );
        }
        assert_eq!(field_for("note"), None);
        assert_eq!(field_for("Tax Rate Name"), None);
    }

    #[test]
    fn two_columns_claiming_one_field_are_both_left_for_the_user() {
        let m = map(&["Email", "E-Mail", "Invoice", "Item", "Qty", "Price", "Name"]);
        assert_eq!(m.ambiguous, [TargetField::Email]);
        assert_eq!(m.columns[0].field, None);
        assert_eq!(m.columns[1].field, None);
        assert!(m.missing_required.is_empty());
        assert!(!m.is_complete());
        let m = map(&["Email", "Qty"]);
        assert_eq!(
            m.missing_required,
            [
                TargetField::InvoiceKey,
                TargetField::CustomerName,
                TargetField::Description,
                TargetField::UnitPrice
            ]
        );
    }
}
