//! Parsing `--line "DESCRIPTION|QTY|UNIT_PRICE[|DISCOUNT%][|TAX]"`, where TAX is
//! `rate=ID` (one explicit rate instead of the customer's group) or
//! `exempt=REASON` (no tax; the reason is printed on the invoice).

use invoicer_app::api::LineInput;
use invoicer_app::ApiError;

const SHAPE: &str = "must look like \"DESCRIPTION|QTY|UNIT_PRICE\", with an optional \"|DISCOUNT%\" and an optional \"|rate=ID\" or \"|exempt=REASON\"";

/// Splits each `--line` into a line input; numbers are checked by the app,
/// which names the field (`lines[1].quantity`).
pub fn parse_lines(raw: &[String]) -> Result<Vec<LineInput>, ApiError> {
    raw.iter()
        .enumerate()
        .map(|(i, s)| {
            let parts: Vec<&str> = s.split('|').map(str::trim).collect();
            let field = format!("lines[{i}]");
            let (base, tax) = match parts.as_slice() {
                [d, q, p] | [d, q, p, ""] => ((*d, *q, *p, None), None),
                [d, q, p, t] if is_tax(t) => ((*d, *q, *p, None), Some(*t)),
                [d, q, p, disc] => ((*d, *q, *p, Some(*disc)), None),
                [d, q, p, disc, t] => {
                    let disc = (!disc.is_empty()).then_some(*disc);
                    ((*d, *q, *p, disc), Some(*t))
                }
                _ => return Err(ApiError::field(&field, s, SHAPE)),
            };
            let (d, q, p, disc) = base;
            let mut l = line(d, q, p, disc.map(|x| x.trim_end_matches('%')));
            if let Some(t) = tax {
                apply_tax(&mut l, t).map_err(|m| ApiError::field(&format!("{field}.tax"), t, m))?;
            }
            Ok(l)
        })
        .collect()
}

fn is_tax(part: &str) -> bool {
    part.starts_with("rate=") || part.starts_with("exempt=")
}

fn apply_tax(l: &mut LineInput, spec: &str) -> Result<(), &'static str> {
    if let Some(id) = spec.strip_prefix("rate=") {
        l.tax_rate_id =
            Some(id.trim().parse().map_err(|_| {
                "rate= must be followed by a tax rate id (see `invoicer tax list`)"
            })?);
        Ok(())
    } else if let Some(reason) = spec.strip_prefix("exempt=") {
        if reason.trim().is_empty() {
            return Err("exempt= must be followed by the reason printed on the invoice");
        }
        l.tax_exempt_reason = Some(reason.trim().to_string());
        Ok(())
    } else {
        Err("must be rate=ID or exempt=REASON")
    }
}

fn line(d: &str, q: &str, p: &str, disc: Option<&str>) -> LineInput {
    LineInput {
        description: d.to_string(),
        quantity: q.to_string(),
        unit_price: p.to_string(),
        discount_percent: disc.map(str::to_string),
        tax_rate_id: None,
        proration: None,
        tax_exempt_reason: None,
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

    #[test]
    fn a_line_can_name_its_rate_or_be_exempt() {
        let l = parse_lines(&[
            "Audit|1|500|rate=3".into(),
            "Licence|1|100|10%|exempt=Reverse charge — Article 196 VAT Directive".into(),
            "Support|1|50||rate=4".into(),
        ])
        .unwrap();
        assert_eq!(l[0].tax_rate_id, Some(3));
        assert_eq!(l[0].discount_percent, None);
        assert_eq!(l[1].discount_percent.as_deref(), Some("10"));
        assert_eq!(
            l[1].tax_exempt_reason.as_deref(),
            Some("Reverse charge — Article 196 VAT Directive")
        );
        assert_eq!(l[2].tax_rate_id, Some(4));
        let e = parse_lines(&["x|1|2||exempt=".into()]).unwrap_err();
        assert_eq!(e.details.unwrap()[0].field, "lines[0].tax");
        let e = parse_lines(&["x|1|2||vat".into()]).unwrap_err();
        assert_eq!(e.details.unwrap()[0].field, "lines[0].tax");
    }
}
