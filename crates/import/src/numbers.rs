//! Numbers as the profile declares them: `1.249,50` or `1,249.50`, never a
//! guess. A value that does not fit the declared style is an error naming
//! why, never a different number.

use invoicer_domain::bulk_mapping::NumberStyle;
use rust_decimal::Decimal;

use crate::error::ValueError;

/// The styles the sniffer considers, in the order it prefers them when the
/// values read the same under several (no thousands separator first, so a
/// later `1,249.50` is an error rather than accepted on a guess).
pub const NUMBER_STYLES: [NumberStyle; 8] = [
    style('.', None),
    style(',', None),
    style('.', Some(',')),
    style(',', Some('.')),
    style(',', Some(' ')),
    style(',', Some('\u{a0}')),
    style('.', Some(' ')),
    style('.', Some('\'')),
];

const fn style(decimal: char, thousands: Option<char>) -> NumberStyle {
    NumberStyle { decimal, thousands }
}

/// Characters that separate digits in some style.
const SEPARATORS: [char; 5] = ['.', ',', ' ', '\u{a0}', '\''];

/// Reads `text` as a number written in `style`, exactly.
///
/// Accepted: surrounding whitespace (trimmed, as spreadsheets pad cells), one
/// leading `-`, ASCII digits, the thousands separator only between groups of
/// exactly three digits after a first group of one to three, and one decimal
/// separator followed by at least one digit. Refused with a reason: currency
/// symbols and letters (the currency is its own column), a leading `+`,
/// separators the style does not declare, badly grouped thousands, and more
/// digits than a decimal holds (28).
pub fn parse_number(text: &str, style: NumberStyle) -> Result<Decimal, ValueError> {
    read(text, style, true)
}

/// [`parse_number`]; `hints` says whether a refusal looks for another style
/// that reads the text (off while looking, so the search cannot recurse).
fn read(text: &str, style: NumberStyle, hints: bool) -> Result<Decimal, ValueError> {
    let hint = |text: &str, style: NumberStyle| {
        if hints {
            hint(text, style)
        } else {
            String::new()
        }
    };
    let undeclared_separator = |text: &str, c: char, style: NumberStyle| {
        format!("{}{}", undeclared_separator(c, style), hint(text, style))
    };
    let trimmed = text.trim();
    let err = |reason: String| ValueError::new(text, reason);
    if !matches!(style.decimal, '.' | ',')
        || style
            .thousands
            .is_some_and(|t| t == style.decimal || !SEPARATORS.contains(&t))
    {
        return Err(err(format!(
            "cannot be read with decimal separator {:?} and thousands separator {:?}: the decimal separator is \".\" or \",\", the thousands separator another of . , ' or a space",
            style.decimal, style.thousands
        )));
    }
    if trimmed.is_empty() {
        return Err(err("is empty, not a number".into()));
    }
    if let Some(c) = trimmed
        .chars()
        .find(|c| !c.is_ascii_digit() && *c != '-' && *c != '+' && !SEPARATORS.contains(c))
    {
        return Err(err(format!(
            "is not a plain number: it holds {c:?} (write only digits and separators; the currency is its own column)"
        )));
    }
    let (negative, body) = match trimmed.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, trimmed),
    };
    if body.contains(['-', '+']) {
        return Err(err(
            "is not a number: only one leading \"-\" may give its sign".into(),
        ));
    }
    if let Some(c) = body
        .chars()
        .find(|c| SEPARATORS.contains(c) && *c != style.decimal && Some(*c) != style.thousands)
    {
        return Err(err(undeclared_separator(trimmed, c, style)));
    }
    let mut parts = body.split(style.decimal);
    let int_part = parts.next().unwrap_or_default();
    let frac_part = parts.next();
    if parts.next().is_some() {
        return Err(err(format!(
            "is not a number with decimal separator {:?}: it has more than one{}",
            style.decimal,
            hint(trimmed, style)
        )));
    }
    let mut digits = String::with_capacity(body.len() + 1);
    if negative {
        digits.push('-');
    }
    if int_part.is_empty() {
        return Err(err(format!(
            "is not a number: it needs a digit before the decimal separator {:?}",
            style.decimal
        )));
    }
    match style.thousands {
        Some(t) if int_part.contains(t) => {
            for (i, group) in int_part.split(t).enumerate() {
                let fits = if i == 0 {
                    (1..=3).contains(&group.len())
                } else {
                    group.len() == 3
                };
                if !fits {
                    return Err(err(format!(
                        "is not a number with thousands separator {t:?}: the digits between separators must come in groups of three{}",
                        hint(trimmed, style)
                    )));
                }
                digits.push_str(group);
            }
        }
        _ => digits.push_str(int_part),
    }
    if let Some(frac) = frac_part {
        if frac.is_empty() {
            return Err(err(format!(
                "is not a number: the decimal separator {:?} must be followed by a digit",
                style.decimal
            )));
        }
        if let Some(t) = style.thousands.filter(|t| frac.contains(*t)) {
            return Err(err(format!(
                "is not a number: the thousands separator {t:?} may not follow the decimal separator {:?}{}",
                style.decimal,
                hint(trimmed, style)
            )));
        }
        digits.push('.');
        digits.push_str(frac);
    }
    Decimal::from_str_exact(&digits)
        .map_err(|_| err("has more digits than an amount can hold (28 significant digits)".into()))
}

/// The reason for a separator the style does not declare.
fn undeclared_separator(c: char, style: NumberStyle) -> String {
    let declared = match style.thousands {
        Some(t) => format!(
            "decimal separator {:?} and thousands separator {t:?}",
            style.decimal
        ),
        None => format!(
            "decimal separator {:?} and no thousands separator",
            style.decimal
        ),
    };
    format!("is not a number with {declared}: it holds {c:?}")
}

/// ` (it uses "," as the decimal separator?)` when another style reads the
/// text; empty when none does.
fn hint(text: &str, declared: NumberStyle) -> String {
    NUMBER_STYLES
        .into_iter()
        .filter(|s| *s != declared)
        .find(|s| read(text, *s, false).is_ok())
        .map(|s| match s.thousands {
            Some(t) if s.decimal != declared.decimal => format!(
                " (it uses {:?} as the decimal separator and {t:?} for thousands?)",
                s.decimal
            ),
            _ if s.decimal != declared.decimal => {
                format!(" (it uses {:?} as the decimal separator?)", s.decimal)
            }
            Some(t) => format!(" (it uses {t:?} as the thousands separator?)"),
            None => String::new(),
        })
        .unwrap_or_default()
}

/// What the values of a column say about how its numbers are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumberGuess {
    /// Some value is not a number in any style (or there are no values).
    NotNumbers,
    /// Every value reads as the same number in every style that fits; this
    /// is the preferred one of them.
    Certain(NumberStyle),
    /// The values read as different numbers under these styles (e.g. every
    /// value looks like `1,250`): the user must choose.
    Ambiguous(Vec<NumberStyle>),
}

/// Guesses the style of a set of values (blank ones skipped). See
/// [`NumberGuess`]; the style is only ever shown for confirmation.
pub fn guess_number_style<'a>(values: impl IntoIterator<Item = &'a str>) -> NumberGuess {
    let values: Vec<&str> = values
        .into_iter()
        .filter(|v| !v.trim().is_empty())
        .collect();
    if values.is_empty() {
        return NumberGuess::NotNumbers;
    }
    let fitting: Vec<NumberStyle> = NUMBER_STYLES
        .into_iter()
        .filter(|s| values.iter().all(|v| read(v, *s, false).is_ok()))
        .collect();
    let Some(first) = fitting.first().copied() else {
        return NumberGuess::NotNumbers;
    };
    // Styles whose reading of some value differs from the first one's.
    let mut meanings = vec![first];
    for s in &fitting[1..] {
        let differs_from_all = meanings.iter().all(|m| {
            values
                .iter()
                .any(|v| read(v, *m, false).ok() != read(v, *s, false).ok())
        });
        if differs_from_all {
            meanings.push(*s);
        }
    }
    if meanings.len() == 1 {
        NumberGuess::Certain(first)
    } else {
        NumberGuess::Ambiguous(meanings)
    }
}

/// Checks that `Decimal::from_str` agrees with us on plain digits; used by
/// tests as an independent reading.
#[cfg(test)]
pub(crate) fn plain(text: &str) -> Decimal {
    <Decimal as std::str::FromStr>::from_str(text).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOT: NumberStyle = style('.', None);
    const DOT_COMMA: NumberStyle = style('.', Some(','));
    const COMMA: NumberStyle = style(',', None);
    const COMMA_DOT: NumberStyle = style(',', Some('.'));

    #[test]
    fn each_style_reads_its_own_numbers_exactly() {
        assert_eq!(parse_number("1249.50", DOT).unwrap(), plain("1249.50"));
        assert_eq!(
            parse_number("1,249.50", DOT_COMMA).unwrap(),
            plain("1249.50")
        );
        assert_eq!(
            parse_number("1.249,50", COMMA_DOT).unwrap(),
            plain("1249.50")
        );
        assert_eq!(parse_number("12,5", COMMA).unwrap(), plain("12.5"));
        assert_eq!(parse_number(" -0.0125 ", DOT).unwrap(), plain("-0.0125"));
        assert_eq!(
            parse_number("1 249,50", style(',', Some(' '))).unwrap(),
            plain("1249.50")
        );
        assert_eq!(
            parse_number("1'249.50", style('.', Some('\''))).unwrap(),
            plain("1249.50")
        );
        assert_eq!(parse_number("0.00001", DOT).unwrap().to_string(), "0.00001");
    }

    #[test]
    fn a_number_in_another_style_is_an_error_that_says_which() {
        let e = parse_number("1.249,50", DOT).unwrap_err();
        assert_eq!(
            e.to_string(),
            r#""1.249,50" is not a number with decimal separator '.' and no thousands separator: it holds ','"#.to_owned()
                + r#" (it uses ',' as the decimal separator and '.' for thousands?)"#
        );
        let e = parse_number("1,249.50", COMMA_DOT).unwrap_err();
        assert!(
            e.reason
                .ends_with("(it uses '.' as the decimal separator and ',' for thousands?)"),
            "{e}"
        );
        assert!(parse_number("12,5", DOT)
            .unwrap_err()
            .reason
            .contains("(it uses ',' as the decimal separator?)"));
        assert!(parse_number("1,2345.00", DOT_COMMA)
            .unwrap_err()
            .reason
            .contains("groups of three"));
        assert!(parse_number("12,34,567", DOT_COMMA).is_err());
        assert!(parse_number("1,24", DOT_COMMA).is_err());
    }

    #[test]
    fn symbols_signs_and_blanks_are_refused_with_a_reason() {
        assert!(parse_number("€12.50", DOT)
            .unwrap_err()
            .reason
            .contains("'€'"));
        assert!(parse_number("12.50 EUR", DOT)
            .unwrap_err()
            .reason
            .contains("currency is its own column"));
        assert!(parse_number("+5", DOT).is_err());
        assert!(parse_number("--5", DOT).is_err());
        assert!(parse_number("5-", DOT).is_err());
        assert!(parse_number("", DOT).unwrap_err().reason.contains("empty"));
        assert!(parse_number(".5", DOT).is_err());
        assert!(parse_number("5.", DOT).is_err());
        assert!(parse_number("1e5", DOT).is_err());
        // A profile whose separators are digits or the same twice reads nothing.
        assert!(parse_number("15123", style('.', Some('5')))
            .unwrap_err()
            .reason
            .contains("thousands separator Some('5')"));
        assert!(parse_number("1,5", style(',', Some(','))).is_err());
        assert!(parse_number("1x5", style('x', None)).is_err());
        // Arabic-Indic and full-width digits are digits to Unicode, not to us.
        assert!(parse_number("١٢", DOT).is_err());
        assert!(parse_number("１２", DOT).is_err());
        assert!(parse_number("99999999999999999999999999999", DOT)
            .unwrap_err()
            .reason
            .contains("28"));
    }

    #[test]
    fn guesses_say_when_the_values_do_not_decide() {
        assert_eq!(
            guess_number_style(["1.249,50", "12,5", ""]),
            NumberGuess::Certain(COMMA_DOT)
        );
        assert_eq!(
            guess_number_style(["12,5", "3"]),
            NumberGuess::Certain(COMMA)
        );
        assert_eq!(
            guess_number_style(["1188.00", "0.0125"]),
            NumberGuess::Certain(DOT)
        );
        assert_eq!(
            guess_number_style(["1,249.50"]),
            NumberGuess::Certain(DOT_COMMA)
        );
        assert_eq!(guess_number_style(["1", "37"]), NumberGuess::Certain(DOT));
        assert_eq!(
            guess_number_style(["1,250", "2,500"]),
            NumberGuess::Ambiguous(vec![COMMA, DOT_COMMA])
        );
        assert_eq!(guess_number_style(["abc", "12"]), NumberGuess::NotNumbers);
        assert_eq!(guess_number_style(["01.03.2026"]), NumberGuess::NotNumbers);
        assert_eq!(guess_number_style([""]), NumberGuess::NotNumbers);
    }
}
