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

mod profiles;
mod rows;
mod settle;

use crate::api::{BulkCheckInput, BulkCheckReport, BulkCurrencyTotal, BulkProblem};
use crate::invoice_pdf::sha256_hex;
use crate::{ApiError, AppResult, Invoicer, Session};
use invoicer_domain::authorization::Permission;
use invoicer_domain::bulk_grouping::{group_records, BulkInvoice};
use invoicer_domain::bulk_mapping::DateStyle;
use invoicer_domain::company::CompanySettings;
use invoicer_domain::invoice::InvoiceContent;
use invoicer_domain::tax::{applicable_rates, TaxRate};
use invoicer_domain::{Currency, Decimal};
use invoicer_import::{sniff, ReadOptions, Rows, SNIFF_LEN};
use invoicer_store::Tx;
use rows::{problem, record};
use settle::{date_style_name, delimiter_text, settle};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

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
