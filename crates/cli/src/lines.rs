//! Parsing `--line "DESCRIPTION|QTY|UNIT_PRICE[|DISCOUNT%]"`.

use invoicer_app::api::LineInput;
use invoicer_app::ApiError;

/// Splits each `--line` into a line input; numbers are checked by the app,
/// which names the field (`lines[1].quantity`).
pub fn parse_lines(raw: &[String]) -> Result<Vec<LineInput>, ApiError> {
    raw.iter()
        .enumerate()
        .map(|(i, s)| {
            let parts: Vec<&str> = s.split('|').map(str::trim).collect();
            match parts.as_slice() {
                [d, q, p] | [d, q, p, ""] => Ok(line(d, q, p, None)),
                [d, q, p, disc] => Ok(line(d, q, p, Some(disc.trim_end_matches('%')))),
                _ => Err(ApiError::field(
                    &format!("lines[{i}]"),
                    s,
                    "must look like \"DESCRIPTION|QTY|UNIT_PRICE\" or \"DESCRIPTION|QTY|UNIT_PRICE|DISCOUNT%\"",
                )),
            }
        })
        .collect()
}

fn line(d: &str, q: &str, p: &str, disc: Option<&str>) -> LineInput {
    LineInput {
        description: d.to_string(),
        quantity: q.to_string(),
        unit_price: p.to_string(),
        discount_percent: disc.map(str::to_string),
        tax_rate_id: None,
        proration: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_with_and_without_discount() {
        let l =
            parse_lines(&["Consulting|10|150.00".into(), "Hosting|1|49.99|10%".into()]).unwrap();
        assert_eq!(l[0].discount_percent, None);
        assert_eq!(l[1].discount_percent.as_deref(), Some("10"));
        let e = parse_lines(&["x|1".into()]).unwrap_err();
        assert_eq!(e.details.unwrap()[0].field, "lines[0]");
    }
}
