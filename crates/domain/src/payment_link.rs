//! The link a customer follows to pay: the company's format with the
//! invoice's number, balance and currency filled in, optionally signed so the
//! payment page can tell the amount was not edited.
//!
//! Values are percent-encoded, so a number format with `/` or `#` cannot
//! change where the link points. The signature is HMAC-SHA256 over the whole
//! link without it, appended as the `sig` query parameter in lowercase hex;
//! a payment page checks it by removing `sig` and recomputing. The secret is
//! the caller's (the app keeps it in the OS keychain).

use crate::money::Currency;
use hmac::{Hmac, Mac};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use rust_decimal::Decimal;
use sha2::Sha256;

/// The placeholders a format may use.
pub const PLACEHOLDERS: [&str; 3] = ["{number}", "{balance}", "{currency}"];

/// Everything but the characters RFC 3986 leaves unreserved is encoded.
const VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A checked payment-link format, e.g.
/// `https://pay.example.com/{number}?amount={balance}&currency={currency}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentLinkFormat(String);

impl PaymentLinkFormat {
    /// Checks `format`: an http(s) address that names the invoice with
    /// `{number}` and uses no placeholder but [`PLACEHOLDERS`]. The error is
    /// the reason, for the field's message.
    pub fn parse(format: &str) -> Result<Self, String> {
        if !(format.starts_with("https://") || format.starts_with("http://")) {
            return Err("must start with https:// (or http://)".into());
        }
        if !format.contains("{number}") {
            return Err("must contain {number}, so the link names the invoice".into());
        }
        let mut rest = format;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                return Err(format!("has a {{ without its }} at {:?}", &rest[open..]));
            };
            let placeholder = &rest[open..open + close + 1];
            if !PLACEHOLDERS.contains(&placeholder) {
                return Err(format!(
                    "uses the unknown placeholder {placeholder}; the placeholders are {}",
                    PLACEHOLDERS.join(", ")
                ));
            }
            rest = &rest[open + close + 1..];
        }
        Ok(PaymentLinkFormat(format.to_string()))
    }

    /// The link for invoice `number` with `balance` left to pay in
    /// `currency`, signed with `signing_key` when one is given.
    pub fn link(
        &self,
        number: &str,
        balance: Decimal,
        currency: Currency,
        signing_key: Option<&[u8]>,
    ) -> String {
        let amount = balance.round_dp(currency.exponent());
        let amount = format!("{amount:.prec$}", prec = currency.exponent() as usize);
        let link = self
            .0
            .replace("{number}", &utf8_percent_encode(number, VALUE).to_string())
            .replace("{balance}", &amount)
            .replace("{currency}", currency.code());
        match signing_key {
            Some(key) => {
                let separator = if link.contains('?') { '&' } else { '?' };
                format!("{link}{separator}sig={}", signature(key, &link))
            }
            None => link,
        }
    }
}

/// HMAC-SHA256 of `link` under `key`, in lowercase hex.
pub fn signature(key: &[u8], link: &str) -> String {
    // HMAC takes a key of any length, so this cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(link.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd() -> Currency {
        Currency::from_code("USD").unwrap()
    }

    const FORMAT: &str = "https://pay.example.com/{number}?amount={balance}&currency={currency}";

    #[test]
    fn the_link_carries_number_balance_and_currency() {
        let f = PaymentLinkFormat::parse(FORMAT).unwrap();
        assert_eq!(
            f.link("INV-2026-00001", Decimal::new(108325, 2), usd(), None),
            "https://pay.example.com/INV-2026-00001?amount=1083.25&currency=USD"
        );
        // The balance is written with the currency's minor-unit digits.
        let jpy = Currency::from_code("JPY").unwrap();
        assert_eq!(
            f.link("A1", Decimal::from(5000), jpy, None),
            "https://pay.example.com/A1?amount=5000&currency=JPY"
        );
        assert_eq!(
            f.link("A1", Decimal::from(12), usd(), None),
            "https://pay.example.com/A1?amount=12.00&currency=USD"
        );
    }

    #[test]
    fn a_number_cannot_change_where_the_link_points() {
        let f = PaymentLinkFormat::parse(FORMAT).unwrap();
        assert_eq!(
            f.link("2026/07#x?y&z", Decimal::ONE, usd(), None),
            "https://pay.example.com/2026%2F07%23x%3Fy%26z?amount=1.00&currency=USD"
        );
    }

    #[test]
    fn a_signed_link_verifies_and_an_edited_amount_does_not() {
        let f = PaymentLinkFormat::parse(FORMAT).unwrap();
        let key = b"payment-page-secret";
        let link = f.link("INV-1", Decimal::new(10000, 2), usd(), Some(key));
        let (unsigned, sig) = link.rsplit_once("&sig=").unwrap();
        assert_eq!(
            unsigned,
            "https://pay.example.com/INV-1?amount=100.00&currency=USD"
        );
        assert_eq!(sig, signature(key, unsigned));
        assert_eq!(sig.len(), 64);
        let edited = unsigned.replace("100.00", "1.00");
        assert_ne!(signature(key, &edited), sig);
        // Without a query the signature starts one.
        let bare = PaymentLinkFormat::parse("https://pay.example.com/{number}").unwrap();
        assert!(bare
            .link("INV-1", Decimal::ONE, usd(), Some(key))
            .contains("/INV-1?sig="));
    }

    #[test]
    fn formats_are_refused_with_the_reason() {
        let reason = |f: &str| PaymentLinkFormat::parse(f).unwrap_err();
        assert!(reason("ftp://pay.example.com/{number}").contains("https://"));
        assert!(reason("https://pay.example.com/").contains("{number}"));
        assert!(reason("https://pay.example.com/{number}/{amount}")
            .contains("unknown placeholder {amount}"));
        assert!(reason("https://pay.example.com/{number}?a={balance").contains("without its }"));
    }
}
