//! Locale-aware formatting of money, numbers, percentages and dates.
//!
//! Every string a reader sees on an invoice goes through this module, so the PDF, the
//! emails and the template filters (`money`, `date`, `percent`, `number`) agree on how
//! `1234.5` euros look in Germany (`1.234,50 €`) and in the United States (`€1,234.50`).
//!
//! Amounts stay [`Decimal`] until they become text; nothing here touches floats.
//!
//! Date style: en-US uses the abbreviated month form `Nov 21, 2026` rather than the
//! numeric `11/21/2026`, because invoices travel abroad and `11/12/2026` is read
//! differently on each side of the Atlantic.

mod conventions;
mod credit_note_labels;
mod labels;

use chrono::{Datelike, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use conventions::{LocaleData, ShortDate, SymbolPlacement};
pub use credit_note_labels::CreditNoteLabels;
pub use labels::Labels;

/// A locale the documents can be written in.
///
/// Adding one means adding a variant, its [`LocaleData`] row and its [`Labels`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Locale {
    /// English (United States): `$1,234.56`, `Nov 21, 2026`.
    #[serde(rename = "en-US")]
    EnUs,
    /// English (United Kingdom): `£1,234.56`, `21 Nov 2026`.
    #[serde(rename = "en-GB")]
    EnGb,
    /// German (Germany): `1.234,56 €`, `21.11.2026`.
    #[serde(rename = "de-DE")]
    DeDe,
    /// French (France): `1 234,56 €`, `21/11/2026`.
    #[serde(rename = "fr-FR")]
    FrFr,
    /// Polish (Poland): `1 234,56 zł`, `21.11.2026`.
    #[serde(rename = "pl-PL")]
    PlPl,
}

/// How long a formatted date should be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateStyle {
    /// The compact form used in tables and headers (`21.11.2026`, `Nov 21, 2026`).
    Short,
    /// The written-out form used in prose (`21. November 2026`, `November 21, 2026`).
    Long,
}

impl Locale {
    /// Every supported locale, in a stable order.
    pub const ALL: [Locale; 5] = [
        Locale::EnUs,
        Locale::EnGb,
        Locale::DeDe,
        Locale::FrFr,
        Locale::PlPl,
    ];

    /// The BCP 47 tag, e.g. `de-DE`.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::EnUs => "en-US",
            Locale::EnGb => "en-GB",
            Locale::DeDe => "de-DE",
            Locale::FrFr => "fr-FR",
            Locale::PlPl => "pl-PL",
        }
    }

    /// Looks a locale up by its BCP 47 tag (`de-DE`); `None` if it is not supported.
    pub fn from_tag(tag: &str) -> Option<Locale> {
        Locale::ALL.into_iter().find(|l| l.tag() == tag)
    }

    /// The fixed wording this locale uses on the PDF (column headers, totals, page numbers).
    pub fn labels(self) -> &'static Labels {
        labels::for_locale(self)
    }

    fn data(self) -> &'static LocaleData {
        match self {
            Locale::EnUs => &conventions::EN_US,
            Locale::EnGb => &conventions::EN_GB,
            Locale::DeDe => &conventions::DE_DE,
            Locale::FrFr => &conventions::FR_FR,
            Locale::PlPl => &conventions::PL_PL,
        }
    }

    /// Formats `amount` in `currency_code` with `exponent` fraction digits (2 for EUR,
    /// 0 for JPY, 3 for KWD), rounding half away from zero for display.
    ///
    /// ```
    /// use invoicer_documents::Locale;
    /// use rust_decimal::Decimal;
    /// let amount = Decimal::new(123456, 2);
    /// assert_eq!(Locale::DeDe.format_money(amount, "EUR", 2), "1.234,56 €");
    /// assert_eq!(Locale::EnUs.format_money(amount, "USD", 2), "$1,234.56");
    /// ```
    pub fn format_money(self, amount: Decimal, currency_code: &str, exponent: u32) -> String {
        let data = self.data();
        let number = self.format_fixed(amount.abs(), exponent);
        let symbol = currency_symbol(self, currency_code);
        let shown = amount.round_dp_with_strategy(exponent, RoundingStrategy::MidpointAwayFromZero);
        let sign = if shown.is_sign_negative() && !shown.is_zero() {
            "-"
        } else {
            ""
        };
        match data.symbol {
            SymbolPlacement::Before => {
                let gap = if symbol.chars().all(char::is_alphabetic) {
                    " "
                } else {
                    ""
                };
                format!("{sign}{symbol}{gap}{number}")
            }
            SymbolPlacement::After => format!("{sign}{number} {symbol}"),
        }
    }

    /// Formats a number with exactly `digits` fraction digits and grouped thousands.
    pub fn format_fixed(self, value: Decimal, digits: u32) -> String {
        let rounded = value.round_dp_with_strategy(digits, RoundingStrategy::MidpointAwayFromZero);
        let negative = rounded.is_sign_negative() && !rounded.is_zero();
        let text = rounded.abs().to_string();
        let (int_part, frac_part) = text.split_once('.').unwrap_or((text.as_str(), ""));
        let mut out = String::with_capacity(text.len() + 8);
        if negative {
            out.push('-');
        }
        out.push_str(&self.group_digits(int_part));
        if digits > 0 {
            out.push(self.data().decimal);
            out.push_str(frac_part);
            for _ in frac_part.len()..digits as usize {
                out.push('0');
            }
        }
        out
    }

    /// Formats a number with as many fraction digits as it needs (`1,5`, `40`, `0,25`).
    ///
    /// Quantities use this: `40 h` should not read `40,00 h`.
    pub fn format_number(self, value: Decimal) -> String {
        let normalized = value.normalize();
        self.format_fixed(normalized, normalized.scale())
    }

    /// Formats a percentage given in percent units (`19` → `19 %` in German, `19%` in English).
    pub fn format_percent(self, percent: Decimal) -> String {
        let number = self.format_number(percent);
        if self.data().percent_space {
            format!("{number} %")
        } else {
            format!("{number}%")
        }
    }

    /// Formats a calendar date in the locale's short or long style.
    pub fn format_date(self, date: NaiveDate, style: DateStyle) -> String {
        let data = self.data();
        let (day, month, year) = (date.day(), date.month(), date.year());
        let month_name = data.months[month as usize - 1];
        match style {
            DateStyle::Short => match data.short_date {
                ShortDate::MonthFirst => format!("{} {day}, {year}", abbreviate(month_name)),
                ShortDate::DayFirst => format!("{day} {} {year}", abbreviate(month_name)),
                ShortDate::Dotted => format!("{day:02}.{month:02}.{year}"),
                ShortDate::Slashed => format!("{day:02}/{month:02}/{year}"),
            },
            DateStyle::Long if data.long_month_first => format!("{month_name} {day}, {year}"),
            DateStyle::Long => format!("{day}{} {month_name} {year}", data.long_day_suffix),
        }
    }

    fn group_digits(self, digits: &str) -> String {
        let group = self.data().group;
        let len = digits.len();
        let mut out = String::with_capacity(len + len / 3);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (len - i).is_multiple_of(3) {
                out.push(group);
            }
            out.push(c);
        }
        out
    }
}

/// The first three letters of an English month name (`Nov`); only English uses the
/// abbreviated form, so this does not need to know about other languages.
fn abbreviate(month: &str) -> &str {
    month.get(..3).unwrap_or(month)
}

/// The symbol a reader in `locale` expects for `code`; unknown currencies show their code.
fn currency_symbol(locale: Locale, code: &str) -> &str {
    match (code, locale) {
        ("USD", Locale::EnUs) => "$",
        ("USD", _) => "US$",
        ("EUR", _) => "€",
        ("GBP", _) => "£",
        ("JPY", _) => "¥",
        ("PLN", _) => "zł",
        ("INR", _) => "₹",
        ("KRW", _) => "₩",
        ("CAD", Locale::EnUs) => "CA$",
        ("AUD", Locale::EnUs) => "A$",
        _ => code,
    }
}

/// The number of fraction digits (ISO 4217 minor-unit exponent) of a currency, 2 when
/// ISO 4217 gives none (an unknown code, gold).
///
/// The invoice itself carries its currency's exponent; this only serves template
/// authors who format an amount in some other currency (`money(currency="JPY")`). The
/// exponents are `iso_currency`'s, the same table the domain's `Currency` reads.
pub fn currency_exponent(code: &str) -> u32 {
    iso_currency::Currency::from_code(&code.to_ascii_uppercase())
        .and_then(|c| c.exponent())
        .map_or(2, u32::from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn money_follows_each_locale() {
        assert_eq!(
            Locale::EnUs.format_money(d("1234.56"), "USD", 2),
            "$1,234.56"
        );
        assert_eq!(
            Locale::DeDe.format_money(d("1234.56"), "EUR", 2),
            "1.234,56 €"
        );
        assert_eq!(
            Locale::EnUs.format_money(d("1234.5"), "EUR", 2),
            "€1,234.50"
        );
        assert_eq!(
            Locale::DeDe.format_money(d("1234.5"), "USD", 2),
            "1.234,50 US$"
        );
        assert_eq!(Locale::EnGb.format_money(d("99"), "GBP", 2), "£99.00");
        assert_eq!(
            Locale::FrFr.format_money(d("1234567.8"), "EUR", 2),
            "1 234 567,80 €"
        );
        assert_eq!(
            Locale::PlPl.format_money(d("1234.5"), "PLN", 2),
            "1 234,50 zł"
        );
        assert_eq!(
            Locale::EnUs.format_money(d("1234.5"), "CHF", 2),
            "CHF 1,234.50"
        );
    }

    #[test]
    fn money_respects_the_currency_exponent() {
        assert_eq!(Locale::EnUs.format_money(d("1234"), "JPY", 0), "¥1,234");
        assert_eq!(Locale::EnUs.format_money(d("1234.5"), "JPY", 0), "¥1,235");
        assert_eq!(
            Locale::DeDe.format_money(d("1234.5"), "KWD", 3),
            "1.234,500 KWD"
        );
        assert_eq!(
            Locale::EnUs.format_money(d("0.0005"), "KWD", 3),
            "KWD 0.001"
        );
    }

    #[test]
    fn negative_amounts_and_rounding() {
        assert_eq!(Locale::EnUs.format_money(d("-240"), "USD", 2), "-$240.00");
        assert_eq!(
            Locale::DeDe.format_money(d("-1000.005"), "EUR", 2),
            "-1.000,01 €"
        );
        assert_eq!(Locale::EnUs.format_money(d("-0.001"), "USD", 2), "$0.00");
        assert_eq!(
            Locale::EnUs.format_money(d("999999.995"), "USD", 2),
            "$1,000,000.00"
        );
    }

    #[test]
    fn numbers_and_percentages() {
        assert_eq!(Locale::DeDe.format_number(d("1.50")), "1,5");
        assert_eq!(Locale::EnUs.format_number(d("40.000")), "40");
        assert_eq!(Locale::EnUs.format_number(d("12500")), "12,500");
        assert_eq!(Locale::DeDe.format_percent(d("19.00")), "19 %");
        assert_eq!(Locale::EnUs.format_percent(d("7.5")), "7.5%");
    }

    #[test]
    fn dates_follow_each_locale() {
        let date = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        assert_eq!(
            Locale::EnUs.format_date(date, DateStyle::Short),
            "Nov 21, 2026"
        );
        assert_eq!(
            Locale::EnUs.format_date(date, DateStyle::Long),
            "November 21, 2026"
        );
        assert_eq!(
            Locale::EnGb.format_date(date, DateStyle::Short),
            "21 Nov 2026"
        );
        assert_eq!(
            Locale::DeDe.format_date(date, DateStyle::Short),
            "21.11.2026"
        );
        assert_eq!(
            Locale::DeDe.format_date(date, DateStyle::Long),
            "21. November 2026"
        );
        let march = NaiveDate::from_ymd_opt(2027, 3, 5).unwrap();
        assert_eq!(
            Locale::DeDe.format_date(march, DateStyle::Short),
            "05.03.2027"
        );
        assert_eq!(
            Locale::DeDe.format_date(march, DateStyle::Long),
            "5. März 2027"
        );
        assert_eq!(
            Locale::FrFr.format_date(march, DateStyle::Short),
            "05/03/2027"
        );
        assert_eq!(
            Locale::PlPl.format_date(march, DateStyle::Long),
            "5 marca 2027"
        );
    }

    #[test]
    fn tags_round_trip() {
        for locale in Locale::ALL {
            assert_eq!(Locale::from_tag(locale.tag()), Some(locale));
            let json = serde_json::to_string(&locale).unwrap();
            assert_eq!(json, format!("\"{}\"", locale.tag()));
        }
        assert_eq!(Locale::from_tag("xx-XX"), None);
    }

    #[test]
    fn exponents_of_known_currencies() {
        assert_eq!(currency_exponent("JPY"), 0);
        assert_eq!(currency_exponent("KWD"), 3);
        assert_eq!(currency_exponent("EUR"), 2);
        assert_eq!(currency_exponent("CLF"), 4);
        assert_eq!(currency_exponent("jpy"), 0);
        assert_eq!(currency_exponent("XYZ"), 2);
    }
}
