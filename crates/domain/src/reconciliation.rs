//! Reconciling a bank statement: which open invoice a statement line pays.
//!
//! Pure rules: the app reads the file and the open invoices, this module
//! decides. Only an invoice number found in the line's reference, naming one
//! open invoice whose balance covers the amount, is applied without a person;
//! everything weaker is proposed for confirmation, and more than one
//! candidate is never applied automatically.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// One line of a bank statement, as read from the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementLine {
    /// The booking day.
    pub date: NaiveDate,
    /// The amount; negative is money going out.
    pub amount: Decimal,
    /// The reference or description the payer wrote.
    pub reference: String,
    /// The counterparty's name, when the statement has one.
    pub counterparty: Option<String>,
    /// The counterparty's IBAN, when the statement has one.
    pub iban: Option<String>,
}

/// An invoice that can still be paid, as matching needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenInvoice {
    /// Stored id.
    pub id: i64,
    /// Its number, e.g. `INV-2026-00012`.
    pub number: String,
    /// The names the customer may appear under (contact name, company).
    pub customer_names: Vec<String>,
    /// What is still owed.
    pub balance: Decimal,
}

/// Why a line was proposed rather than applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchBasis {
    /// The reference names the invoice, but the amount is more than its
    /// balance, which a person has to decide about.
    ReferenceAboveBalance,
    /// The amount equals the invoice's balance and the line names its customer.
    AmountAndCustomer,
    /// The amount equals the balance of this one invoice, and nothing else
    /// in the line points at it.
    AmountOnly,
}

impl MatchBasis {
    /// The snake_case name (as stored and shown).
    pub fn as_str(self) -> &'static str {
        match self {
            MatchBasis::ReferenceAboveBalance => "reference_above_balance",
            MatchBasis::AmountAndCustomer => "amount_and_customer",
            MatchBasis::AmountOnly => "amount_only",
        }
    }

    /// Reads a snake_case name.
    pub fn parse(name: &str) -> Option<MatchBasis> {
        [
            MatchBasis::ReferenceAboveBalance,
            MatchBasis::AmountAndCustomer,
            MatchBasis::AmountOnly,
        ]
        .into_iter()
        .find(|b| b.as_str() == name)
    }
}

/// What matching decided for one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MatchOutcome {
    /// Money going out (or zero): listed, never matched.
    MoneyOut,
    /// The reference names exactly one open invoice whose balance covers the
    /// amount: applied without asking.
    Exact {
        /// The invoice paid.
        invoice_id: i64,
    },
    /// One likely invoice, for a person to confirm.
    Proposed {
        /// The invoice proposed.
        invoice_id: i64,
        /// Why it was proposed.
        basis: MatchBasis,
    },
    /// Several invoices fit equally; a person picks one (never automatic).
    Ambiguous {
        /// The candidates' ids, ascending.
        candidates: Vec<i64>,
    },
    /// Nothing fits; the line stays listed.
    Unmatched,
}

impl MatchOutcome {
    /// The invoices a person may pick from for this line.
    pub fn candidates(&self) -> Vec<i64> {
        match self {
            MatchOutcome::Exact { invoice_id } | MatchOutcome::Proposed { invoice_id, .. } => {
                vec![*invoice_id]
            }
            MatchOutcome::Ambiguous { candidates } => candidates.clone(),
            MatchOutcome::MoneyOut | MatchOutcome::Unmatched => Vec::new(),
        }
    }
}

/// Where a stored statement line stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineStatus {
    /// Money going out: listed, never matched.
    MoneyOut,
    /// Recorded as a payment (exactly once).
    Applied,
    /// One invoice proposed, waiting for a person.
    Proposed,
    /// Several candidates, waiting for a person to pick one.
    Ambiguous,
    /// No invoice found; a person may assign one.
    Unmatched,
    /// A person decided it pays no invoice.
    Dismissed,
}

impl LineStatus {
    /// The snake_case name, as shown.
    pub fn as_str(self) -> &'static str {
        match self {
            LineStatus::MoneyOut => "money_out",
            LineStatus::Applied => "applied",
            LineStatus::Proposed => "proposed",
            LineStatus::Ambiguous => "ambiguous",
            LineStatus::Unmatched => "unmatched",
            LineStatus::Dismissed => "dismissed",
        }
    }

    /// Whether a person still has to decide about the line.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            LineStatus::Proposed | LineStatus::Ambiguous | LineStatus::Unmatched
        )
    }
}

impl MatchOutcome {
    /// The status a line with this outcome is stored with, before anything
    /// is applied ([`MatchOutcome::Exact`] becomes applied only together
    /// with its payment).
    pub fn status(&self) -> LineStatus {
        match self {
            MatchOutcome::MoneyOut => LineStatus::MoneyOut,
            MatchOutcome::Exact { .. } | MatchOutcome::Proposed { .. } => LineStatus::Proposed,
            MatchOutcome::Ambiguous { .. } => LineStatus::Ambiguous,
            MatchOutcome::Unmatched => LineStatus::Unmatched,
        }
    }
}

/// Decides which open invoice `line` pays.
///
/// 1. Invoice numbers found in the reference (or counterparty) text, however
///    it is cased or separated (`inv 2026 00012` finds `INV-2026-00012`):
///    one with a balance covering the amount is [`MatchOutcome::Exact`]; one
///    whose balance is smaller is proposed; several are ambiguous.
/// 2. Otherwise the invoices whose balance equals the amount: those whose
///    customer the line names win; one is proposed, several are ambiguous.
/// 3. Otherwise nothing: unmatched.
pub fn match_line(line: &StatementLine, open: &[OpenInvoice]) -> MatchOutcome {
    if line.amount <= Decimal::ZERO {
        return MatchOutcome::MoneyOut;
    }
    let text = match &line.counterparty {
        Some(c) => format!("{} {}", line.reference, c),
        None => line.reference.clone(),
    };
    let squeezed = squeeze(&text);
    let mut by_number: Vec<&OpenInvoice> = open
        .iter()
        .filter(|inv| mentions_number(&squeezed, &inv.number))
        .collect();
    dedup(&mut by_number);
    match by_number.as_slice() {
        [one] if line.amount <= one.balance => return MatchOutcome::Exact { invoice_id: one.id },
        [one] => {
            return MatchOutcome::Proposed {
                invoice_id: one.id,
                basis: MatchBasis::ReferenceAboveBalance,
            }
        }
        [] => {}
        several => return ambiguous(several),
    }
    let mut by_amount: Vec<&OpenInvoice> = open
        .iter()
        .filter(|inv| inv.balance == line.amount)
        .collect();
    dedup(&mut by_amount);
    let words = words(&text);
    let named: Vec<&OpenInvoice> = by_amount
        .iter()
        .copied()
        .filter(|inv| inv.customer_names.iter().any(|n| names(&words, n)))
        .collect();
    match (named.as_slice(), by_amount.as_slice()) {
        ([one], _) => MatchOutcome::Proposed {
            invoice_id: one.id,
            basis: MatchBasis::AmountAndCustomer,
        },
        ([], []) => MatchOutcome::Unmatched,
        ([], [one]) => MatchOutcome::Proposed {
            invoice_id: one.id,
            basis: MatchBasis::AmountOnly,
        },
        ([], several) => ambiguous(several),
        (several, _) => ambiguous(several),
    }
}

fn dedup(invoices: &mut Vec<&OpenInvoice>) {
    invoices.sort_by_key(|inv| inv.id);
    invoices.dedup_by_key(|inv| inv.id);
}

fn ambiguous(several: &[&OpenInvoice]) -> MatchOutcome {
    let mut candidates: Vec<i64> = several.iter().map(|inv| inv.id).collect();
    candidates.sort_unstable();
    candidates.dedup();
    MatchOutcome::Ambiguous { candidates }
}

/// The text's letters and digits only, upper-cased: separators and spaces
/// are what payers vary, so they are left out on both sides.
fn squeeze(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect()
}

/// Whether `number` appears in the squeezed text and is not part of a longer
/// number: `INV-2026-0001` must not be found in `INV-2026-00012`. Numbers
/// shorter than four characters would be found in almost any text, so they
/// never match by reference.
fn mentions_number(squeezed: &str, number: &str) -> bool {
    let wanted = squeeze(number);
    if wanted.chars().count() < 4 {
        return false;
    }
    let first_digit = wanted.starts_with(|c: char| c.is_ascii_digit());
    let last_digit = wanted.ends_with(|c: char| c.is_ascii_digit());
    squeezed.match_indices(&wanted).any(|(at, _)| {
        let before = squeezed[..at].chars().next_back();
        let after = squeezed[at + wanted.len()..].chars().next();
        let glued_before = first_digit && before.is_some_and(|c| c.is_ascii_digit());
        let glued_after = last_digit && after.is_some_and(|c| c.is_ascii_digit());
        !glued_before && !glued_after
    })
}

/// The text's words, lower-cased.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Whether the words contain the name's words in order (`ACME GMBH` names
/// `Acme GmbH`); names without a word of three letters are too short to
/// tell customers apart and never match.
fn names(text_words: &[String], name: &str) -> bool {
    let wanted = words(name);
    if wanted.is_empty() || wanted.iter().all(|w| w.chars().count() < 3) {
        return false;
    }
    text_words
        .windows(wanted.len())
        .any(|window| window == wanted.as_slice())
}

/// The stable identity of a statement line: SHA-256 (hex) over its day,
/// amount, reference, counterparty and IBAN, and `occurrence`, the number of
/// identical lines before it in the same file (0 for the first). Two equal
/// payments on one day stay two lines, while the same line read again from
/// this or an overlapping statement has the same fingerprint.
pub fn fingerprint(line: &StatementLine, occurrence: u32) -> String {
    let mut h = Sha256::new();
    // Each part is length-prefixed so no two different lines can run together
    // into the same bytes.
    for part in [
        line.date.to_string(),
        line.amount.normalize().to_string(),
        line.reference.trim().to_string(),
        line.counterparty
            .as_deref()
            .unwrap_or("")
            .trim()
            .to_string(),
        line.iban
            .as_deref()
            .unwrap_or("")
            .replace(' ', "")
            .to_uppercase(),
        occurrence.to_string(),
    ] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    fn line(amount: Decimal, reference: &str, counterparty: Option<&str>) -> StatementLine {
        StatementLine {
            date: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
            amount,
            reference: reference.into(),
            counterparty: counterparty.map(str::to_string),
            iban: None,
        }
    }

    fn inv(id: i64, number: &str, customer: &str, balance: Decimal) -> OpenInvoice {
        OpenInvoice {
            id,
            number: number.into(),
            customer_names: vec![customer.into()],
            balance,
        }
    }

    fn book() -> Vec<OpenInvoice> {
        vec![
            inv(1, "INV-2026-00012", "Acme GmbH", dec!(1000.00)),
            inv(2, "INV-2026-00013", "Globex Ltd", dec!(250.00)),
            inv(3, "INV-2026-00014", "Initech", dec!(99.00)),
            inv(4, "INV-2026-00015", "Umbrella", dec!(99.00)),
        ]
    }

    #[test]
    fn an_invoice_number_however_written_is_applied_when_the_balance_covers_it() {
        for reference in [
            "INV-2026-00012",
            "Payment inv 2026 00012 thanks",
            "inv/2026/00012",
            "RE:INV202600012",
        ] {
            assert_eq!(
                match_line(&line(dec!(400), reference, None), &book()),
                MatchOutcome::Exact { invoice_id: 1 },
                "{reference}"
            );
        }
        // The whole balance is fine too.
        assert_eq!(
            match_line(&line(dec!(1000.00), "INV-2026-00012", None), &book()),
            MatchOutcome::Exact { invoice_id: 1 }
        );
    }

    #[test]
    fn more_than_the_balance_is_only_proposed() {
        assert_eq!(
            match_line(&line(dec!(1000.01), "INV-2026-00012", None), &book()),
            MatchOutcome::Proposed {
                invoice_id: 1,
                basis: MatchBasis::ReferenceAboveBalance
            }
        );
    }

    #[test]
    fn a_number_inside_a_longer_number_is_not_found() {
        let open = vec![inv(7, "INV-2026-0001", "Acme", dec!(5))];
        assert_eq!(
            match_line(&line(dec!(1), "INV-2026-00012", None), &open),
            MatchOutcome::Unmatched
        );
    }

    #[test]
    fn two_invoice_numbers_in_one_reference_are_ambiguous() {
        assert_eq!(
            match_line(
                &line(dec!(100), "INV-2026-00013 and INV-2026-00012", None),
                &book()
            ),
            MatchOutcome::Ambiguous {
                candidates: vec![1, 2]
            }
        );
    }

    #[test]
    fn the_exact_balance_with_the_customer_named_is_proposed() {
        assert_eq!(
            match_line(&line(dec!(250.00), "Order 77", Some("GLOBEX LTD")), &book()),
            MatchOutcome::Proposed {
                invoice_id: 2,
                basis: MatchBasis::AmountAndCustomer
            }
        );
        // The name in the description counts as well.
        assert_eq!(
            match_line(&line(dec!(99), "initech march", None), &book()),
            MatchOutcome::Proposed {
                invoice_id: 3,
                basis: MatchBasis::AmountAndCustomer
            }
        );
    }

    #[test]
    fn the_same_balance_on_two_invoices_without_a_name_is_ambiguous() {
        assert_eq!(
            match_line(&line(dec!(99), "March", Some("Someone")), &book()),
            MatchOutcome::Ambiguous {
                candidates: vec![3, 4]
            }
        );
        assert_eq!(
            match_line(&line(dec!(250), "March", None), &book()),
            MatchOutcome::Proposed {
                invoice_id: 2,
                basis: MatchBasis::AmountOnly
            }
        );
    }

    #[test]
    fn unknown_payments_and_money_out_are_left_alone() {
        assert_eq!(
            match_line(&line(dec!(12.34), "Coffee", Some("Acme GmbH")), &book()),
            MatchOutcome::Unmatched
        );
        assert_eq!(
            match_line(&line(dec!(-1000), "INV-2026-00012", None), &book()),
            MatchOutcome::MoneyOut
        );
        assert_eq!(
            match_line(&line(dec!(0), "INV-2026-00012", None), &book()),
            MatchOutcome::MoneyOut
        );
    }

    #[test]
    fn fingerprints_tell_repeated_lines_apart_and_ignore_formatting() {
        let a = line(dec!(10.50), "Rent ", Some("Acme"));
        let b = line(dec!(10.5), "Rent", Some("Acme"));
        assert_eq!(fingerprint(&a, 0), fingerprint(&b, 0));
        assert_ne!(fingerprint(&a, 0), fingerprint(&a, 1));
        assert_ne!(
            fingerprint(&a, 0),
            fingerprint(&line(dec!(10.5), "Rent", Some("Acm")), 0)
        );
        assert_eq!(fingerprint(&a, 0).len(), 64);
        assert_eq!(
            MatchBasis::parse("amount_only"),
            Some(MatchBasis::AmountOnly)
        );
    }

    fn arb_invoices() -> impl Strategy<Value = Vec<OpenInvoice>> {
        // Few numbers, names and balances, so collisions are common.
        prop::collection::vec((0u8..6, 0u8..3, 1u32..4), 0..8).prop_map(|rows| {
            rows.into_iter()
                .enumerate()
                .map(|(i, (n, c, b))| OpenInvoice {
                    id: i as i64 + 1,
                    number: format!("INV-2026-{:05}", n),
                    customer_names: vec![["Acme", "Globex", "Initech"][c as usize].into()],
                    balance: Decimal::from(b * 100),
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn never_applied_when_more_than_one_invoice_is_named(
            open in arb_invoices(),
            numbers in prop::collection::vec(0u8..6, 0..3),
            amount in 1u32..400,
            name in 0u8..4,
        ) {
            let reference = numbers
                .iter()
                .map(|n| format!("inv 2026 {n:05}"))
                .collect::<Vec<_>>()
                .join(", ");
            let who = ["Acme", "Globex", "Initech", "Nobody"][name as usize];
            let l = line(Decimal::from(amount), &reference, Some(who));
            let outcome = match_line(&l, &open);
            let named: std::collections::BTreeSet<i64> = open
                .iter()
                .filter(|inv| numbers.iter().any(|n| inv.number.ends_with(&format!("{:05}", n))))
                .map(|inv| inv.id)
                .collect();
            if let MatchOutcome::Exact { invoice_id } = outcome {
                prop_assert_eq!(named.len(), 1);
                prop_assert!(named.contains(&invoice_id));
                let bal = open.iter().find(|i| i.id == invoice_id).unwrap().balance;
                prop_assert!(l.amount <= bal);
            }
            if named.len() > 1 {
                prop_assert_eq!(outcome, MatchOutcome::Ambiguous { candidates: named.into_iter().collect() });
            }
        }
    }
}
