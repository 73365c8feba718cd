//! The dry run of a bulk send: read the file the user picked exactly as a
//! run would, check every row, and say what would happen — invoices,
//! totals per currency, how many wait for an approver, new customers, and
//! every problem with its line, column, value and reason. It writes nothing
//! and sends nothing.
//!
//! Nothing is guessed silently: an encoding that is only a guess, a mapping
//! that misses a required field or claims one twice, a number or date style
//! the values leave open — each is reported as `needs_confirmation`, and no
//! row is read until the caller confirms it.

use crate::api::{BulkCheckInput, BulkCheckReport, BulkColumn, BulkCurrencyTotal, BulkProblem};
use crate::invoice_pdf::sha256_hex;
use crate::{ApiError, AppResult, Invoicer, Session};
use invoicer_domain::audit::NewAuditEvent;
use invoicer_domain::authorization::Permission;
use invoicer_domain::bulk_grouping::{group_records, BulkInvoice, BulkRecord, RowProblem};
use invoicer_domain::bulk_mapping::{
    ColumnMapping, DateStyle, MappingProfile, NumberStyle, TargetField,
};
use invoicer_domain::company::CompanySettings;
use invoicer_domain::customer::CustomerInput;
use invoicer_domain::invoice::InvoiceContent;
use invoicer_domain::tax::{applicable_rates, TaxRate};
use invoicer_domain::{Currency, Decimal};
use invoicer_import::{
    parse_date, parse_number, sniff, DateGuess, Encoding, NumberGuess, ReadOptions, Rows, SNIFF_LEN,
};
use invoicer_store::Tx;
use serde_json::json;
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// What the caller settled, or what is still open.
struct Settled {
    encoding: &'static Encoding,
    encoding_certain: bool,
    delimiter: char,
    columns: Vec<BulkColumn>,
    fields: Vec<Option<TargetField>>,
    numbers: Option<NumberStyle>,
    dates: Option<DateStyle>,
    needs_confirmation: Vec<String>,
    mapping_problems: Vec<String>,
}

impl Invoicer {
    /// The dry run of a bulk send from the file at `input.path`.
    pub fn check_bulk_file(
        &self,
        session: &Session,
        input: &BulkCheckInput,
    ) -> AppResult<BulkCheckReport> {
        session.require(Permission::ManageInvoices)?;
        let path = Path::new(&input.path);
        let bytes = std::fs::read(path)
            .map_err(|e| ApiError::field("path", &input.path, &format!("cannot be read: {e}")))?;
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| input.path.clone());
        let sniffed = sniff(&bytes[..bytes.len().min(SNIFF_LEN)])
            .map_err(|e| ApiError::field("path", &input.path, &e.to_string()))?;
        let input = &self.with_profile(input)?;
        let settled = settle(input, &sniffed)?;
        let preview = sniffed
            .preview
            .iter()
            .filter_map(|r| r.as_ref().ok())
            .map(|r| r.fields.clone())
            .collect();
        let mut report = BulkCheckReport {
            file_name,
            profile: input.profile.clone(),
            sha256: sha256_hex(&bytes),
            encoding: settled.encoding.name().to_string(),
            encoding_certain: settled.encoding_certain,
            delimiter: delimiter_text(settled.delimiter),
            columns: settled.columns.clone(),
            decimal_separator: settled.numbers.map(|n| n.decimal.to_string()),
            thousands_separator: settled
                .numbers
                .and_then(|n| n.thousands.map(|t| t.to_string())),
            date_style: settled.dates.map(|d| date_style_name(d).to_string()),
            needs_confirmation: settled.needs_confirmation.clone(),
            mapping_problems: settled.mapping_problems.clone(),
            preview,
            rows: 0,
            invoices: 0,
            refused_invoices: 0,
            needs_approval: 0,
            new_customers: 0,
            totals: Vec::new(),
            problems: Vec::new(),
        };
        if !report.needs_confirmation.is_empty() {
            return Ok(report);
        }
        if let Some(name) = input.save_profile_as.as_deref() {
            self.save_bulk_profile(session, name, &settled)?;
            report.profile = Some(name.trim().to_string());
        }
        let (numbers, dates) = (
            settled.numbers.unwrap_or_default(),
            settled.dates.unwrap_or(DateStyle::Iso),
        );
        let options = ReadOptions {
            encoding: settled.encoding,
            delimiter: settled.delimiter,
        };
        let rows = Rows::new(bytes.as_slice(), &options)
            .map_err(|e| ApiError::field("path", &input.path, &e.to_string()))?;
        let mut problems: Vec<BulkProblem> = Vec::new();
        let mut records = Vec::new();
        // Invoices with a cell that did not fit its style: the row is not
        // dropped quietly, its whole invoice is refused.
        let mut spoiled: HashSet<String> = HashSet::new();
        for row in rows {
            report.rows += 1;
            match row {
                Ok(row) => {
                    let (r, ok) = record(&row, &settled, numbers, dates, &mut problems);
                    if !ok {
                        spoiled.insert(r.invoice_key.trim().to_string());
                    }
                    records.push(r);
                }
                Err(e) => problems.push(BulkProblem {
                    line: e.line(),
                    column: None,
                    field: "row".into(),
                    value: String::new(),
                    reason: e.to_string(),
                }),
            }
        }
        let settings = self.settings()?;
        let mut grouping = group_records(records);
        problems.extend(grouping.problems.iter().map(|p| problem(p, &settled)));
        let before = grouping.invoices.len();
        grouping.invoices.retain(|inv| !spoiled.contains(&inv.key));
        report.refused_invoices =
            u32::try_from(grouping.refused_invoices + before - grouping.invoices.len())
                .unwrap_or(u32::MAX);
        let mut totals: BTreeMap<&'static str, (u32, Decimal)> = BTreeMap::new();
        self.store.read(|tx| -> AppResult<()> {
            let rates = tx.tax_rates()?;
            let today = self.clock.today(settings.timezone);
            for inv in &grouping.invoices {
                match self.dry_invoice(tx, &settings, &rates, inv, today) {
                    Ok(dry) => {
                        report.invoices += 1;
                        report.needs_approval += u32::from(dry.needs_approval);
                        report.new_customers += u32::from(dry.new_customer);
                        let t = totals.entry(dry.currency.code()).or_default();
                        t.0 += 1;
                        t.1 += dry.total;
                    }
                    Err(found) => {
                        report.refused_invoices += 1;
                        problems.extend(found);
                    }
                }
            }
            Ok(())
        })?;
        problems.sort_by_key(|p| p.line);
        report.problems = problems;
        report.totals = totals
            .into_iter()
            .map(|(currency, (invoices, total))| BulkCurrencyTotal {
                currency: currency.to_string(),
                invoices,
                total: total.to_string(),
            })
            .collect();
        Ok(report)
    }

    /// `input` with the blanks filled from the profile it names.
    fn with_profile(&self, input: &BulkCheckInput) -> AppResult<BulkCheckInput> {
        let Some(name) = input
            .profile
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
        else {
            return Ok(input.clone());
        };
        let stored = self
            .store
            .read(|tx| tx.mapping_profile(name))?
            .ok_or_else(|| ApiError::field("profile", name, "is not a saved mapping profile"))?;
        let p = stored.profile;
        let mut out = input.clone();
        out.encoding = out.encoding.or(Some(p.encoding));
        out.delimiter = out.delimiter.or(Some(delimiter_text(p.delimiter)));
        out.columns = out.columns.or_else(|| {
            Some(
                p.columns
                    .iter()
                    .map(|c| BulkColumn {
                        header: c.header.clone(),
                        field: c.field.map(|f| f.as_str().to_string()),
                    })
                    .collect(),
            )
        });
        if out.decimal_separator.is_none() {
            out.decimal_separator = Some(p.numbers.decimal.to_string());
            out.thousands_separator = p.numbers.thousands.map(|t| t.to_string());
        }
        out.date_style = out
            .date_style
            .or_else(|| Some(date_style_name(p.dates).to_string()));
        Ok(out)
    }

    /// Saves what a check settled as the profile `name` (replacing one of
    /// that name), audited.
    fn save_bulk_profile(&self, session: &Session, name: &str, settled: &Settled) -> AppResult<()> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
            return Err(ApiError::field(
                "save_profile_as",
                name,
                "must be a name of 1 to 100 characters on one line",
            ));
        }
        let profile = MappingProfile {
            name: name.to_string(),
            encoding: settled.encoding.name().to_string(),
            delimiter: settled.delimiter,
            columns: settled
                .columns
                .iter()
                .zip(&settled.fields)
                .map(|(c, f)| ColumnMapping {
                    header: c.header.clone(),
                    field: *f,
                })
                .collect(),
            numbers: settled.numbers.unwrap_or_default(),
            dates: settled.dates.unwrap_or(DateStyle::Iso),
        };
        let now = self.clock.now();
        self.store.write(|tx| -> AppResult<()> {
            tx.save_mapping_profile(&profile, now)?;
            tx.append_audit(
                NewAuditEvent::new(
                    Some(session.actor()),
                    "bulk.profile_saved",
                    format!("mapping_profile:{name}"),
                    json!({"encoding": profile.encoding, "delimiter": profile.delimiter.to_string(),
                           "columns": profile.columns.len()}),
                ),
                now,
            )?;
            Ok(())
        })
    }

    /// What one grouped invoice would be: its currency, total, whether an
    /// approver must see it and whether its customer is new — or the problem
    /// that keeps it from being made.
    fn dry_invoice(
        &self,
        tx: &Tx<'_>,
        settings: &CompanySettings,
        rates: &[TaxRate],
        inv: &BulkInvoice,
        today: chrono::NaiveDate,
    ) -> Result<DryInvoice, Vec<BulkProblem>> {
        let refuse = |field: &str, value: &str, reason: String| {
            vec![BulkProblem {
                line: inv.first_line,
                column: None,
                field: field.to_string(),
                value: value.to_string(),
                reason,
            }]
        };
        let storage = |e: invoicer_store::StoreError| {
            let api: ApiError = e.into();
            refuse("row", "", api.message)
        };
        let existing = match inv.external_reference.as_deref() {
            Some(r) => tx.customer_by_external_ref(r).map_err(storage)?,
            None => None,
        };
        let existing = match existing {
            Some(c) => Some(c),
            None => tx
                .customers_by_email(&inv.customer.email)
                .map_err(storage)?
                .into_iter()
                .next(),
        };
        let new_customer = existing.is_none();
        let customer = match existing {
            Some(c) => c,
            // A new customer is checked as the customer form checks one.
            None => inv
                .customer
                .validate(0, settings.customer_policy())
                .map_err(|e| {
                    e.errors
                        .into_iter()
                        .map(|f| BulkProblem {
                            line: inv.first_line,
                            column: None,
                            field: f.field,
                            value: f.value,
                            reason: format!("{} (for the new customer)", f.message),
                        })
                        .collect::<Vec<_>>()
                })?,
        };
        let currency = match inv
            .currency
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            Some(code) => {
                let c = Currency::from_code(&code.to_uppercase()).ok_or_else(|| {
                    refuse("currency", code, "is not an ISO 4217 currency code".into())
                })?;
                if let Some(theirs) = customer.currency.filter(|t| *t != c) {
                    return Err(refuse(
                        "currency",
                        code,
                        format!("the customer is invoiced in {}", theirs.code()),
                    ));
                }
                c
            }
            None => customer.currency.unwrap_or(settings.currency),
        };
        let issue_date = inv.issue_date.unwrap_or(today);
        let mut lines = Vec::with_capacity(inv.lines.len());
        for l in &inv.lines {
            let mut item = l.item.clone();
            if item.tax_exemption.is_none() {
                let group = applicable_rates(
                    rates,
                    &customer.country,
                    customer.region.as_deref(),
                    issue_date,
                );
                item.taxes = match l.tax_rate_percent {
                    None => group,
                    Some(p) => {
                        let found = rates.iter().find(|r| {
                            r.rate == p
                                && r.country == customer.country
                                && (r.region.is_none() || r.region == customer.region)
                        });
                        match found {
                            Some(r) => vec![r.clone()],
                            None if p.is_zero() => Vec::new(),
                            None => {
                                return Err(vec![BulkProblem {
                                    line: l.line,
                                    column: None,
                                    field: "tax_rate".into(),
                                    value: p.to_string(),
                                    reason: format!(
                                        "no tax rate of {p} % is set up for {}{}; add it in Settings → Tax rates",
                                        customer.country,
                                        customer.region.as_deref().map(|r| format!("-{r}")).unwrap_or_default()
                                    ),
                                }])
                            }
                        }
                    }
                };
            }
            lines.push(item);
        }
        let content = InvoiceContent {
            customer,
            currency,
            issue_date,
            terms_days: inv.terms_days.unwrap_or(settings.payment_terms_days),
            notes: None,
            lines,
        };
        if let Err(e) = content.validate() {
            let first = e.errors.into_iter().next().unwrap_or_default();
            return Err(refuse(&first.field, &first.value, first.message));
        }
        let totals = content.totals(settings.rounding_scope, settings.rounding_mode);
        let decision = settings
            .approval_decision(totals.total, currency, issue_date)
            .map_err(|m| refuse("currency", currency.code(), m.to_string()))?;
        Ok(DryInvoice {
            currency,
            total: totals.total,
            needs_approval: decision.needs_approval,
            new_customer,
        })
    }
}

/// What the dry run learns about one invoice.
struct DryInvoice {
    currency: Currency,
    total: Decimal,
    needs_approval: bool,
    new_customer: bool,
}

/// Combines what the caller confirmed with what the file says for sure, and
/// lists what is still open.
fn settle(input: &BulkCheckInput, sniffed: &invoicer_import::Sniffed) -> AppResult<Settled> {
    let mut needs = Vec::new();
    let (encoding, encoding_certain) = match input.encoding.as_deref().map(str::trim) {
        Some(label) if !label.is_empty() => (
            Encoding::for_label(label.as_bytes()).ok_or_else(|| {
                ApiError::field(
                    "encoding",
                    label,
                    "is not a known encoding (e.g. utf-8, windows-1252, utf-16le)",
                )
            })?,
            true,
        ),
        _ => {
            if sniffed.encoding.needs_confirmation() {
                needs.push("encoding".to_string());
            }
            (
                sniffed.encoding.encoding,
                !sniffed.encoding.needs_confirmation(),
            )
        }
    };
    let delimiter = match input.delimiter.as_deref() {
        Some("\\t") | Some("tab") => '\t',
        Some(d) if d.chars().count() == 1 => {
            let c = d.chars().next().unwrap_or(',');
            if !invoicer_import::DELIMITERS.contains(&c) {
                return Err(ApiError::field(
                    "delimiter",
                    d,
                    "must be a comma, a semicolon, a tab or |",
                ));
            }
            c
        }
        Some(d) if !d.is_empty() => {
            return Err(ApiError::field("delimiter", d, "must be one character"))
        }
        _ => sniffed.delimiter,
    };
    let columns: Vec<BulkColumn> = match &input.columns {
        Some(given) => given.clone(),
        None => sniffed
            .mapping
            .columns
            .iter()
            .map(|c| BulkColumn {
                header: c.header.clone(),
                field: c.field.map(|f| f.as_str().to_string()),
            })
            .collect(),
    };
    let mut fields = Vec::with_capacity(columns.len());
    for (i, c) in columns.iter().enumerate() {
        match c.field.as_deref().map(str::trim).filter(|f| !f.is_empty()) {
            None => fields.push(None),
            Some(name) => fields.push(Some(TargetField::parse(name).ok_or_else(|| {
                ApiError::field(
                    &format!("columns[{i}].field"),
                    name,
                    "is not a field an import can fill",
                )
            })?)),
        }
    }
    let mut mapping_problems = Vec::new();
    for f in invoicer_domain::bulk_mapping::ALL_FIELDS {
        let claimed = fields.iter().filter(|x| **x == Some(f)).count();
        if claimed > 1 {
            mapping_problems.push(format!("{} is filled by {claimed} columns", f.as_str()));
        } else if claimed == 0 && f.is_required() {
            mapping_problems.push(format!("{} is not filled by any column", f.as_str()));
        }
    }
    if !mapping_problems.is_empty() || (input.columns.is_none() && !sniffed.mapping.is_complete()) {
        needs.push("mapping".to_string());
    }
    let numbers = match input.decimal_separator.as_deref().map(str::trim) {
        Some(d) if !d.is_empty() => {
            let decimal = d.chars().next().unwrap_or('.');
            let thousands = input
                .thousands_separator
                .as_deref()
                .and_then(|t| t.chars().next());
            Some(NumberStyle { decimal, thousands })
        }
        _ => match &sniffed.numbers {
            NumberGuess::Certain(style) => Some(*style),
            NumberGuess::NotNumbers => Some(NumberStyle::default()),
            NumberGuess::Ambiguous(_) => {
                needs.push("numbers".to_string());
                None
            }
        },
    };
    let dates = match input.date_style.as_deref().map(str::trim) {
        Some(name) if !name.is_empty() => Some(parse_date_style(name).ok_or_else(|| {
            ApiError::field(
                "date_style",
                name,
                "must be iso, day_month_year or month_day_year",
            )
        })?),
        _ => match &sniffed.dates {
            DateGuess::Certain(style) => Some(*style),
            DateGuess::NotDates => Some(DateStyle::Iso),
            DateGuess::Ambiguous => {
                needs.push("dates".to_string());
                None
            }
        },
    };
    Ok(Settled {
        encoding,
        encoding_certain,
        delimiter,
        columns,
        fields,
        numbers,
        dates,
        needs_confirmation: needs,
        mapping_problems,
    })
}

/// One row as a record, its cells read in the confirmed styles; a cell that
/// does not fit its style is a problem, and `false` says the row's invoice
/// cannot be made.
fn record(
    row: &invoicer_import::Row,
    settled: &Settled,
    numbers: NumberStyle,
    dates: DateStyle,
    problems: &mut Vec<BulkProblem>,
) -> (BulkRecord, bool) {
    let mut r = BulkRecord {
        line: row.line,
        ..BulkRecord::default()
    };
    let mut ok = true;
    let mut address2 = String::new();
    for ((value, field), column) in row.fields.iter().zip(&settled.fields).zip(&settled.columns) {
        let Some(field) = field else { continue };
        let text = value.trim();
        let mut bad = |reason: String| {
            problems.push(BulkProblem {
                line: row.line,
                column: Some(column.header.clone()),
                field: field.as_str().to_string(),
                value: value.clone(),
                reason,
            });
        };
        let number = |t: &str| -> Result<Option<String>, String> {
            if t.is_empty() {
                return Ok(None);
            }
            parse_number(t, numbers)
                .map(|d| Some(d.to_string()))
                .map_err(|e| e.reason)
        };
        let c: &mut CustomerInput = &mut r.customer;
        match field {
            TargetField::CustomerName => c.name = text.to_string(),
            TargetField::Company => c.company = non_empty(text),
            TargetField::Email => c.email = text.to_string(),
            TargetField::AddressLine1 => c.address = text.to_string(),
            TargetField::AddressLine2 => address2 = text.to_string(),
            TargetField::City => c.city = text.to_string(),
            TargetField::Region => c.region = non_empty(text),
            TargetField::PostalCode => c.postal_code = text.to_string(),
            TargetField::Country => c.country = text.to_string(),
            TargetField::TaxId => c.tax_id = non_empty(text),
            TargetField::Currency => r.currency = non_empty(text),
            TargetField::InvoiceKey => r.invoice_key = text.to_string(),
            TargetField::IssueDate if !text.is_empty() => match parse_date(text, dates) {
                Ok(d) => r.issue_date = Some(d),
                Err(e) => {
                    bad(e.reason);
                    ok = false;
                }
            },
            TargetField::IssueDate => {}
            TargetField::Terms if !text.is_empty() => match text.parse::<u32>() {
                Ok(t) if t <= 365 => r.terms_days = Some(t),
                _ => {
                    bad("must be a whole number of days between 0 and 365".into());
                    ok = false;
                }
            },
            TargetField::Terms => {}
            TargetField::Description => r.item.description = text.to_string(),
            TargetField::Quantity | TargetField::UnitPrice | TargetField::Discount => {
                match number(text) {
                    Ok(v) => {
                        let v = v.unwrap_or_default();
                        match field {
                            TargetField::Quantity => r.item.quantity = v,
                            TargetField::UnitPrice => r.item.unit_price = v,
                            _ => r.item.discount_percent = v,
                        }
                    }
                    Err(reason) => {
                        bad(reason);
                        ok = false;
                    }
                }
            }
            TargetField::TaxRate => match number(text) {
                Ok(v) => r.tax_rate_percent = v.and_then(|v| v.parse().ok()),
                Err(reason) => {
                    bad(reason);
                    ok = false;
                }
            },
            TargetField::TaxExemption => r.tax_exemption = non_empty(text),
            TargetField::Template => r.template = non_empty(text),
            TargetField::ExternalReference => r.external_reference = non_empty(text),
            TargetField::PoNumber => r.po_number = non_empty(text),
        }
    }
    if !address2.is_empty() {
        r.customer.address = format!("{}\n{address2}", r.customer.address);
    }
    (r, ok)
}

fn non_empty(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_string())
}

/// A grouping problem with the column that holds its field, when one does.
fn problem(p: &RowProblem, settled: &Settled) -> BulkProblem {
    let column = TargetField::parse(&p.field).and_then(|f| {
        settled
            .fields
            .iter()
            .position(|x| *x == Some(f))
            .map(|i| settled.columns[i].header.clone())
    });
    BulkProblem {
        line: p.line,
        column,
        field: p.field.clone(),
        value: p.value.clone(),
        reason: p.reason.clone(),
    }
}

fn delimiter_text(c: char) -> String {
    if c == '\t' {
        "\\t".into()
    } else {
        c.to_string()
    }
}

fn date_style_name(d: DateStyle) -> &'static str {
    match d {
        DateStyle::Iso => "iso",
        DateStyle::DayMonthYear => "day_month_year",
        DateStyle::MonthDayYear => "month_day_year",
    }
}

fn parse_date_style(name: &str) -> Option<DateStyle> {
    match name {
        "iso" => Some(DateStyle::Iso),
        "day_month_year" | "dmy" => Some(DateStyle::DayMonthYear),
        "month_day_year" | "mdy" => Some(DateStyle::MonthDayYear),
        _ => None,
    }
}
