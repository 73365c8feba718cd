//! Each field's names as CRM, billing and spreadsheet exports spell their
//! headers, English and German, normalised as `auto_map::normalize` writes
//! them (lower case words, umlauts spelled out, `%` as "percent").
//!
//! Exact names only, no partial matches: "Rate" is a unit price but
//! "Tax Rate" a tax rate, and "Tax Rate Name" nothing.

use invoicer_domain::bulk_mapping::TargetField;

/// Each field with its names.
#[rustfmt::skip]
pub(crate) const SYNONYMS: &[(TargetField, &[&str])] = &[
    (TargetField::InvoiceKey, &[
        "invoice key", "invoice ref", "invoice reference", "invoice id", "invoice number",
        "invoice no", "invoice", "deal id", "deal", "deal number", "order number", "order no",
        "order id", "order ref", "order", "opportunity id", "rechnungsnummer", "rechnungsnr",
        "rechnung nr", "rechnungs nr", "auftragsnummer", "auftragsnr", "auftrag",
    ]),
    (TargetField::CustomerName, &[
        "customer name", "customer", "name", "full name", "contact name", "contact",
        "contact full name", "client name", "client", "bill to name", "billing name", "bill to",
        "kunde", "kundenname", "kunden name", "ansprechpartner", "vollstaendiger name",
    ]),
    (TargetField::Company, &[
        "company", "company name", "organization", "organisation", "organization name",
        "account name", "account", "business name", "associated company", "firma", "firmenname",
        "unternehmen",
    ]),
    (TargetField::Email, &[
        "email", "e mail", "email address", "e mail address", "contact email", "billing email",
        "customer email", "client email", "mail", "email adresse", "e mail adresse",
    ]),
    (TargetField::AddressLine1, &[
        "address", "address line 1", "address line1", "address 1", "address1", "street",
        "street address", "billing street", "billing address", "billing address line 1", "strasse",
        "adresse", "anschrift", "strasse und hausnummer",
    ]),
    (TargetField::AddressLine2, &[
        "address line 2", "address line2", "address 2", "address2", "billing street 2",
        "billing address line 2", "adresszusatz", "adresse 2",
    ]),
    (TargetField::City, &[
        "city", "town", "billing city", "ort", "stadt", "wohnort",
    ]),
    (TargetField::Region, &[
        "region", "state", "province", "state province", "state or province", "state region",
        "billing state", "billing state province", "county", "bundesland",
    ]),
    (TargetField::PostalCode, &[
        "postal code", "postcode", "post code", "zip", "zip code", "zipcode", "zip postal code",
        "billing zip", "billing postal code", "billing zip postal code", "plz", "postleitzahl",
    ]),
    (TargetField::Country, &[
        "country", "country code", "country region", "billing country", "land", "laendercode",
    ]),
    (TargetField::TaxId, &[
        "tax id", "tax number", "tax no", "vat id", "vat number", "vat no", "vat", "vat reg no",
        "vat registration number", "ust idnr", "ust id nr", "ust id", "ustid", "ustidnr",
        "umsatzsteuer id", "umsatzsteuer identifikationsnummer", "steuernummer",
    ]),
    (TargetField::Currency, &[
        "currency", "currency code", "currency iso code", "deal currency code", "waehrung",
        "waehrungscode",
    ]),
    (TargetField::IssueDate, &[
        "issue date", "invoice date", "date", "date issued", "billing date", "close date",
        "rechnungsdatum", "datum", "belegdatum",
    ]),
    (TargetField::Terms, &[
        "terms", "terms days", "payment terms", "payment terms days", "net days", "due days",
        "zahlungsziel", "zahlungsziel tage",
    ]),
    (TargetField::Description, &[
        "description", "line item name", "line item", "line description", "item", "item name",
        "item description", "product", "product name", "service", "beschreibung", "bezeichnung",
        "artikel", "artikelbezeichnung", "leistung", "positionsbezeichnung",
    ]),
    (TargetField::Quantity, &[
        "quantity", "qty", "units", "line item quantity", "menge", "anzahl", "stueckzahl",
    ]),
    (TargetField::UnitPrice, &[
        "unit price", "price", "rate", "unit cost", "unit amount", "price per unit", "sales price",
        "line item price", "einzelpreis", "preis", "stueckpreis", "einzelpreis netto",
        "preis netto",
    ]),
    (TargetField::Discount, &[
        "discount", "discount percent", "discount percentage", "discount rate",
        "line item discount", "rabatt", "rabatt percent", "nachlass",
    ]),
    (TargetField::TaxRate, &[
        "tax rate", "tax", "tax percent", "vat rate", "vat percent", "sales tax rate", "mwst",
        "mwst satz", "mwst percent", "mw st", "mw st satz", "mw st percent", "ust satz",
        "steuersatz", "umsatzsteuersatz",
    ]),
    (TargetField::TaxExemption, &[
        "tax exemption", "exemption", "exemption reason", "tax exempt reason",
        "tax exemption reason", "steuerbefreiung", "befreiungsgrund",
    ]),
    (TargetField::Template, &[
        "template", "invoice template", "vorlage", "rechnungsvorlage",
    ]),
    (TargetField::ExternalReference, &[
        "external reference", "external ref", "external id", "customer id", "customer number",
        "customer no", "customer ref", "contact id", "account id", "client id", "kundennummer",
        "kundennr", "kunden nr", "debitorennummer",
    ]),
    (TargetField::PoNumber, &[
        "po number", "po", "po no", "purchase order", "purchase order number", "bestellnummer",
        "bestellnr", "bestell nr",
    ]),
];
