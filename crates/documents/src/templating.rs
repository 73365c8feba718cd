//! Tera set-up: the filters template authors get, the variables they see, and rendering
//! of compiled blocks.
//!
//! Variables available to every block (see `templates/README.md` for the full list):
//! `company`, `customer`, `invoice`, `lines`, `taxes`, `totals` and `locale`; reminder
//! blocks also see `reminder`. Filters: `money`, `date`, `percent`, `number`.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use std::str::FromStr;
use tera::{Context, Kwargs, State, Tera, TeraResult, Value};

use crate::bundle::{BlockName, TemplateBlocks};
use crate::error::DocumentError;
use crate::locale::{currency_exponent, DateStyle, Locale};
use crate::printed::PrintedTotals;
use crate::printed::{
    PrintedCompany, PrintedCurrency, PrintedCustomer, PrintedInvoice, PrintedLine, PrintedTax,
};
use crate::validate::issues_from_tera;

/// All blocks of a bundle, parsed and ready to render.
pub(crate) struct CompiledTemplates {
    tera: Tera,
}

impl CompiledTemplates {
    /// Compiles every block of `blocks` into one engine with the filters for `locale`.
    pub(crate) fn compile(blocks: &TemplateBlocks, locale: Locale) -> Result<Self, tera::Error> {
        let mut tera = new_engine(locale);
        tera.add_raw_templates(BlockName::ALL.map(|b| (b.as_str(), blocks.get(b))))?;
        Ok(CompiledTemplates { tera })
    }

    /// Renders one block, trimmed of leading and trailing blank space (which template
    /// files accumulate through their tags and final newline).
    pub(crate) fn render(
        &self,
        block: BlockName,
        context: &Context,
    ) -> Result<String, DocumentError> {
        self.tera
            .render(block.as_str(), context)
            .map(|text| text.trim().to_string())
            .map_err(|e| DocumentError::Template(issues_from_tera(block, &e)))
    }
}

/// A tera engine with the documents' filters, formatting for `locale`.
pub(crate) fn new_engine(locale: Locale) -> Tera {
    let mut tera = Tera::new();
    // Texts go into PDFs and plain-text emails, never into HTML, so nothing is escaped.
    tera.autoescape_on(Vec::<&str>::new());
    tera.register_filter(
        "money",
        move |value: Value, kwargs: Kwargs, state: &State| {
            money_filter(locale, &value, &kwargs, state)
        },
    );
    tera.register_filter("date", move |value: Value, kwargs: Kwargs, _: &State| {
        date_filter(locale, &value, &kwargs)
    });
    tera.register_filter("percent", move |value: Value, _: Kwargs, _: &State| {
        decimal_arg(&value).map(|d| locale.format_percent(d))
    });
    tera.register_filter("number", move |value: Value, _: Kwargs, _: &State| {
        decimal_arg(&value).map(|d| locale.format_number(d))
    });
    tera.register_function("range", capped_range);
    tera
}

/// The longest list `range` may make. Invoice texts never loop that often;
/// tera's own limit (100,000) lets three nested loops run for days.
const MAX_RANGE_LEN: i128 = 1_000;

/// tera's `range(start=0, end, step_by=1)`, refusing lists longer than
/// [`MAX_RANGE_LEN`]. It bounds what one loop costs; the caller's time budget
/// still bounds nested loops, which multiply.
fn capped_range(kwargs: Kwargs, _: &State) -> TeraResult<Vec<i128>> {
    let start = kwargs.get::<i128>("start")?.unwrap_or_default();
    let end = kwargs.must_get::<i128>("end")?;
    let step = kwargs.get::<i128>("step_by")?.unwrap_or(1);
    if step == 0 {
        return Err(tera::Error::message(
            "`range` was called with a `step_by` of 0",
        ));
    }
    // Saturating: absurd arguments give a huge length, which is refused below.
    let span = if step > 0 {
        end.saturating_sub(start)
    } else {
        start.saturating_sub(end)
    };
    let stride = step.saturating_abs();
    let len = if span <= 0 {
        0
    } else {
        span.saturating_add(stride - 1) / stride
    };
    if len > MAX_RANGE_LEN {
        return Err(tera::Error::message(format!(
            "`range` would make {len} numbers; templates may loop at most {MAX_RANGE_LEN} times per range"
        )));
    }
    Ok((0..len).map(|i| start + i * step).collect())
}

/// `{{ totals.total | money }}` formats in the invoice's currency;
/// `{{ 5 | money(currency="JPY") }}` in another one.
fn money_filter(
    locale: Locale,
    value: &Value,
    kwargs: &Kwargs,
    state: &State,
) -> TeraResult<String> {
    let amount = decimal_arg(value)?;
    if let Some(code) = kwargs.get::<&str>("currency")? {
        return Ok(locale.format_money(amount, code, currency_exponent(code)));
    }
    let invoice = state.get::<Value>("invoice")?;
    let currency = invoice.as_ref().and_then(|i| i.get_from_path("currency"));
    let code = currency
        .and_then(|c| c.get_from_path("code"))
        .and_then(Value::as_str)
        .ok_or_else(|| {
            tera::Error::message("`money` needs `invoice.currency` or a `currency` argument")
        })?;
    let exponent = currency
        .and_then(|c| c.get_from_path("exponent"))
        .and_then(Value::as_u64)
        .and_then(|e| u32::try_from(e).ok())
        .unwrap_or_else(|| currency_exponent(code));
    Ok(locale.format_money(amount, code, exponent))
}

/// `{{ invoice.due_date | date }}` or `{{ invoice.due_date | date(style="long") }}`.
fn date_filter(locale: Locale, value: &Value, kwargs: &Kwargs) -> TeraResult<String> {
    let text = value.as_str().ok_or_else(|| {
        tera::Error::message(format!(
            "`date` expects a date like 2026-11-21, got {value}"
        ))
    })?;
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
        tera::Error::message(format!(
            "`date` expects a date like 2026-11-21, got `{text}`"
        ))
    })?;
    let style = match kwargs.get::<&str>("style")? {
        None | Some("short") => DateStyle::Short,
        Some("long") => DateStyle::Long,
        Some(other) => {
            return Err(tera::Error::message(format!(
                "`date` style must be \"short\" or \"long\", got \"{other}\""
            )));
        }
    };
    Ok(locale.format_date(date, style))
}

/// Reads a decimal from a template value. Amounts arrive as strings (that is how the view
/// serializes [`Decimal`], keeping them exact); integer literals are accepted too.
/// Floating-point literals are read from their printed form, never through `f64` arithmetic.
fn decimal_arg(value: &Value) -> TeraResult<Decimal> {
    let parsed = match value.as_str() {
        Some(text) => Decimal::from_str(text.trim()).ok(),
        None if value.is_number() => Decimal::from_str(&value.to_string()).ok(),
        None => None,
    };
    parsed.ok_or_else(|| tera::Error::message(format!("expected an amount, got `{value}`")))
}

/// Facts only reminder blocks see.
#[derive(Debug, Clone, Copy, Serialize)]
pub(crate) struct ReminderFacts {
    /// 1, 2 or 3.
    pub step: u8,
    /// Days between the due date and the day the reminder is written.
    pub days_overdue: i64,
}

/// What templates see as `invoice`.
#[derive(Serialize)]
struct InvoiceFacts<'a> {
    number: Option<&'a str>,
    number_display: &'a str,
    is_draft: bool,
    issue_date: NaiveDate,
    due_date: NaiveDate,
    terms_days: u32,
    terms: String,
    currency: &'a PrintedCurrency,
    payment_link: Option<&'a str>,
    notes: Option<&'a str>,
    paid_in_full: bool,
}

/// Everything a template can reference.
#[derive(Serialize)]
struct TemplateContext<'a> {
    company: &'a PrintedCompany,
    customer: &'a PrintedCustomer,
    invoice: InvoiceFacts<'a>,
    lines: &'a [PrintedLine],
    taxes: &'a [PrintedTax],
    totals: &'a PrintedTotals,
    locale: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reminder: Option<ReminderFacts>,
}

/// The tera context for rendering `view` in `locale`.
pub(crate) fn invoice_context(
    view: &PrintedInvoice,
    locale: Locale,
    reminder: Option<ReminderFacts>,
) -> Result<Context, DocumentError> {
    let labels = locale.labels();
    let context = TemplateContext {
        company: &view.company,
        customer: &view.customer,
        invoice: InvoiceFacts {
            number: view.number.as_deref(),
            number_display: view.number.as_deref().unwrap_or(labels.draft),
            is_draft: view.is_draft(),
            issue_date: view.issue_date,
            due_date: view.due_date,
            terms_days: view.terms_days,
            terms: labels.terms_text(view.terms_days),
            currency: &view.currency,
            payment_link: view.payment_link.as_deref(),
            notes: view.notes.as_deref(),
            paid_in_full: view.totals.balance_due <= Decimal::ZERO,
        },
        lines: &view.lines,
        taxes: &view.taxes,
        totals: &view.totals,
        locale: locale.tag(),
        reminder,
    };
    Context::from_serialize(&context).map_err(|e| DocumentError::Context(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(locale: Locale, source: &str) -> String {
        let mut tera = new_engine(locale);
        tera.add_raw_template("t", source).unwrap();
        let ctx = invoice_context(&PrintedInvoice::sample(), locale, None).unwrap();
        tera.render("t", &ctx).unwrap()
    }

    #[test]
    fn range_counts_as_before_but_refuses_long_lists() {
        assert_eq!(
            render(
                Locale::EnUs,
                "{% for i in range(end=3) %}{{ i }}{% endfor %}"
            ),
            "012"
        );
        assert_eq!(
            render(
                Locale::EnUs,
                "{% for i in range(start=5, end=0, step_by=-2) %}{{ i }},{% endfor %}"
            ),
            "5,3,1,"
        );
        let mut tera = new_engine(Locale::EnUs);
        tera.add_raw_template("t", "{% for i in range(end=100000) %}{% endfor %}")
            .unwrap();
        let ctx = invoice_context(&PrintedInvoice::sample(), Locale::EnUs, None).unwrap();
        let err = tera.render("t", &ctx).unwrap_err();
        assert!(format!("{err:?}").contains("at most 1000"), "{err:?}");
    }

    #[test]
    fn money_filter_uses_the_invoice_currency_and_locale() {
        assert_eq!(
            render(Locale::DeDe, "{{ totals.total | money }}"),
            "7.516,79 €"
        );
        assert_eq!(
            render(Locale::EnUs, "{{ totals.total | money }}"),
            "€7,516.79"
        );
        assert_eq!(
            render(Locale::EnUs, "{{ 1234 | money(currency=\"JPY\") }}"),
            "¥1,234"
        );
        assert_eq!(
            render(Locale::EnUs, "{{ \"2.5\" | money(currency=\"KWD\") }}"),
            "KWD 2.500"
        );
    }

    #[test]
    fn date_percent_and_number_filters() {
        assert_eq!(
            render(Locale::DeDe, "{{ invoice.due_date | date }}"),
            "21.12.2026"
        );
        assert_eq!(
            render(
                Locale::EnUs,
                "{{ invoice.due_date | date(style=\"long\") }}"
            ),
            "December 21, 2026"
        );
        assert_eq!(
            render(Locale::DeDe, "{{ taxes[0].rate_percent | percent }}"),
            "19 %"
        );
        assert_eq!(
            render(Locale::DeDe, "{{ lines[0].quantity | number }}"),
            "40"
        );
    }

    #[test]
    fn invoice_facts_are_available() {
        assert_eq!(
            render(Locale::EnUs, "{{ invoice.number_display }}"),
            "INV-2026-0042"
        );
        assert_eq!(render(Locale::DeDe, "{{ invoice.terms }}"), "30 Tage netto");
        let mut draft = PrintedInvoice::sample();
        draft.number = None;
        let mut tera = new_engine(Locale::EnUs);
        tera.add_raw_template("t", "{{ invoice.number_display }}{{ invoice.number }}")
            .unwrap();
        let ctx = invoice_context(&draft, Locale::EnUs, None).unwrap();
        assert_eq!(tera.render("t", &ctx).unwrap(), "DRAFT");
    }
}
