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
mod reread;
mod rows;
mod settle;

use crate::api::{BulkCheckInput, BulkCheckReport, BulkCurrencyTotal, BulkProblem};
use crate::invoice_pdf::sha256_hex;
use crate::{ApiError, AppResult, Invoicer, Session};
use invoicer_domain::approval_rules::{InvoiceFacts, TriggerSource};
use invoicer_domain::authorization::Permission;
use invoicer_domain::bulk_grouping::{group_records, BulkInvoice, RefusedInvoice};
use invoicer_domain::bulk_mapping::{DateStyle, MappingProfile, TargetField};
use invoicer_domain::company::CompanySettings;
use invoicer_domain::invoice::{InvoiceContent, TemplateRef};
use invoicer_domain::tax::{applicable_rates, TaxRate};
use invoicer_domain::{Currency, Decimal};
use invoicer_import::{sniff, ReadOptions, Rows, SNIFF_LEN};
use invoicer_store::Tx;
pub(crate) use profiles::filled_from;
use rows::{problem, record};
pub(crate) use settle::Settled;
use settle::{date_style_name, delimiter_text, settle};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// Gives each problem found on a field (`email`, `lines[0].quantity`) the
/// header of the column that fills that field, so the report says "Contact
/// Email" where the file says it.
pub(crate) fn name_columns(problems: &mut [BulkProblem], columns: &[crate::api::BulkColumn]) {
    for p in problems.iter_mut().filter(|p| p.column.is_none()) {
        let field = match p.field.rsplit('.').next().unwrap_or(&p.field) {
            // The customer form's and the line's names for the import's fields.
            "name" => "customer_name",
            "address" => "address_line1",
            "discount_percent" => "discount",
            other => other,
        };
        p.column = columns
            .iter()
            .find(|c| c.field.as_deref() == Some(field))
            .map(|c| c.header.clone());
    }
}

/// The bytes and name of the file at `path`, as the picker or the command
/// line gives it.
pub(crate) fn read_picked_file(path: &str) -> AppResult<(Vec<u8>, String)> {
    let p = Path::new(path);
    let bytes = std::fs::read(p)
        .map_err(|e| ApiError::field("path", path, &format!("cannot be read: {e}")))?;
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string());
    Ok((bytes, name))
}

/// A file read and grouped exactly as a run reads it, before any invoice is
/// checked against the records.
pub(crate) struct FileRead {
    /// The report so far: the file's settings, rows and row problems.
    pub(crate) report: BulkCheckReport,
    /// The invoices whose rows all read well, in file order.
    pub(crate) invoices: Vec<BulkInvoice>,
    /// The invoices refused because a row of theirs is wrong.
    pub(crate) refused: Vec<RefusedInvoice>,
    /// Every problem found so far.
    pub(crate) problems: Vec<BulkProblem>,
    /// How the file was read, to read it the same way again.
    pub(crate) profile: MappingProfile,
}

impl Invoicer {
    /// The dry run of a bulk send from the file at `input.path`.
    pub fn check_bulk_file(
        &self,
        session: &Session,
        input: &BulkCheckInput,
    ) -> AppResult<BulkCheckReport> {
        session.require(Permission::ManageInvoices)?;
        let (bytes, file_name) = read_picked_file(&input.path)?;
        let input = &self.with_profile(input)?;
        let read = self.read_bulk_bytes(input, &bytes, file_name, |settled| {
            match input.save_profile_as.as_deref() {
                Some(name) => self
                    .save_bulk_profile(session, name, settled)
                    .map(|()| true),
                None => Ok(false),
            }
        })?;
        let mut read = match read {
            Ok(read) => read,
            Err(needs_confirmation) => return Ok(needs_confirmation),
        };
        let settings = self.settings()?;
        let mut totals: BTreeMap<&'static str, (u32, Decimal)> = BTreeMap::new();
        let mut new_customers = HashSet::new();
        self.store.read(|tx| -> AppResult<()> {
            let rates = tx.tax_rates()?;
            let today = self.clock.today(settings.timezone);
            for inv in &read.invoices {
                match self.prepare_bulk_invoice(tx, &settings, &rates, inv, today) {
                    Ok(ready) => {
                        read.report.invoices += 1;
                        read.report.needs_approval += u32::from(ready.needs_approval);
                        if ready.content.customer.id == 0 {
                            // Two invoices of one new customer create it once.
                            new_customers.insert(ready.content.customer.email.to_lowercase());
                        }
                        let t = totals.entry(ready.content.currency.code()).or_default();
                        t.0 += 1;
                        t.1 += ready.total;
                    }
                    Err(found) => {
                        read.report.refused_invoices += 1;
                        read.problems.extend(found);
                    }
                }
            }
            Ok(())
        })?;
        read.report.new_customers = u32::try_from(new_customers.len()).unwrap_or(u32::MAX);
        read.problems.sort_by_key(|p| p.line);
        name_columns(&mut read.problems, &read.report.columns);
        read.report.problems = read.problems;
        read.report.totals = totals
            .into_iter()
            .map(|(currency, (invoices, total))| BulkCurrencyTotal {
                currency: currency.to_string(),
                invoices,
                total: total.to_string(),
            })
            .collect();
        Ok(read.report)
    }

    /// Reads `bytes` as `input` says: the report of what is still to confirm
    /// (`Err`), or every row read and grouped into invoices. `settled` is
    /// told what was settled once nothing is left to confirm, and says
    /// whether it saved it as the input's profile.
    pub(crate) fn read_bulk_bytes(
        &self,
        input: &BulkCheckInput,
        bytes: &[u8],
        file_name: String,
        settled_hook: impl FnOnce(&Settled) -> AppResult<bool>,
    ) -> AppResult<Result<FileRead, BulkCheckReport>> {
        let prefix = &bytes[..bytes.len().min(SNIFF_LEN)];
        let sniffed =
            sniff(prefix).map_err(|e| ApiError::field("path", &input.path, &e.to_string()))?;
        let sniffed = reread::as_chosen(sniffed, prefix, input)?;
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
            sha256: sha256_hex(bytes),
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
            return Ok(Err(report));
        }
        if settled_hook(&settled)? {
            report.profile = input
                .save_profile_as
                .as_deref()
                .map(|n| n.trim().to_string());
        }
        let (numbers, dates) = (
            settled.numbers.unwrap_or_default(),
            settled.dates.unwrap_or(DateStyle::Iso),
        );
        let options = ReadOptions {
            encoding: settled.encoding,
            delimiter: settled.delimiter,
        };
        let rows = Rows::new(bytes, &options)
            .map_err(|e| ApiError::field("path", &input.path, &e.to_string()))?;
        let key_column = settled
            .fields
            .iter()
            .position(|f| *f == Some(TargetField::InvoiceKey));
        let mut problems: Vec<BulkProblem> = Vec::new();
        let mut records = Vec::new();
        // Invoices with a cell that did not fit its style, or a row that
        // could not be read: the row is not dropped quietly, its whole
        // invoice is refused.
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
                Err(e) => {
                    if let invoicer_import::RowError::ColumnCount { fields, .. } = &e {
                        if let Some(key) = key_column.and_then(|k| fields.get(k)) {
                            spoiled.insert(key.trim().to_string());
                        }
                    }
                    problems.push(BulkProblem {
                        line: e.line(),
                        column: None,
                        field: "row".into(),
                        value: String::new(),
                        reason: e.to_string(),
                    })
                }
            }
        }
        let grouping = group_records(records);
        problems.extend(grouping.problems.iter().map(|p| problem(p, &settled)));
        let mut refused = grouping.refused;
        let mut invoices = Vec::with_capacity(grouping.invoices.len());
        for inv in grouping.invoices {
            if spoiled.contains(&inv.key) {
                refused.push(RefusedInvoice {
                    key: inv.key,
                    first_line: inv.first_line,
                    external_reference: inv.external_reference,
                });
            } else {
                invoices.push(inv);
            }
        }
        refused.sort_by_key(|r| r.first_line);
        report.refused_invoices = u32::try_from(refused.len()).unwrap_or(u32::MAX);
        Ok(Ok(FileRead {
            profile: profiles::profile_of(input.profile.as_deref().unwrap_or(""), &settled),
            report,
            invoices,
            refused,
            problems,
        }))
    }

    /// One grouped invoice as it would be made: its content (with the
    /// customer on record, or a new one checked as the customer form checks
    /// it, id 0), total, template and whether an approver must see it — or
    /// the problems that keep it from being made. A run calls it again in
    /// the transaction that makes the invoice, so what is made is what the
    /// records say then.
    pub(crate) fn prepare_bulk_invoice(
        &self,
        tx: &Tx<'_>,
        settings: &CompanySettings,
        rates: &[TaxRate],
        inv: &BulkInvoice,
        today: chrono::NaiveDate,
    ) -> Result<PreparedInvoice, Vec<BulkProblem>> {
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
        let customer = match existing {
            Some(c) => c,
            // A new customer is checked as the customer form checks one.
            None => {
                let mut input = inv.customer.clone();
                input.external_ref = inv.external_reference.clone();
                input.validate(0, settings.customer_policy()).map_err(|e| {
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
                })?
            }
        };
        let printable = [
            ("customer_name", Some(customer.name.as_str())),
            ("company", customer.company.as_deref()),
            ("address", Some(customer.address.as_str())),
            ("city", Some(customer.city.as_str())),
        ];
        let lines_printable = inv
            .lines
            .iter()
            .map(|l| (l.line, l.item.description.as_str()));
        if let Err(e) = self.check_printable(&printable) {
            return Err(api_problems(inv.first_line, e));
        }
        for (line, text) in lines_printable {
            if let Err(e) = self.check_printable(&[("description", Some(text))]) {
                return Err(api_problems(line, e));
            }
        }
        let template = match inv
            .template
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            None => None,
            Some(name) => match tx.template_version(name, None).map_err(storage)? {
                Some(found) => Some(TemplateRef {
                    name: found.name,
                    version: found.version,
                }),
                None => {
                    return Err(refuse(
                        "template",
                        name,
                        "is not a template in the library".into(),
                    ))
                }
            },
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
            // The purchase-order number is printed where the customer's
            // accounts payable look for it.
            notes: inv
                .po_number
                .as_deref()
                .map(|po| format!("Purchase order: {}", po.trim())),
            lines,
        };
        if let Err(e) = content.validate() {
            let first = e.errors.into_iter().next().unwrap_or_default();
            return Err(refuse(&first.field, &first.value, first.message));
        }
        let totals = content.totals(settings.rounding_scope, settings.rounding_mode);
        if let Err(e) = content.check_totals(&totals) {
            let first = e.errors.into_iter().next().unwrap_or_default();
            return Err(refuse(&first.field, &first.value, first.message));
        }
        // The rules a run applies: a bulk invoice's source is `bulk`, so a
        // rule for bulk invoices counts in the dry run too.
        let decision = settings
            .approval_decision_for(&InvoiceFacts {
                total: totals.total,
                currency,
                date: issue_date,
                customer_id: content.customer.id,
                template: template.as_ref().map(|t| t.name.clone()),
                source: TriggerSource::Bulk,
            })
            .map_err(|m| refuse("currency", currency.code(), m.to_string()))?;
        Ok(PreparedInvoice {
            total: totals.total,
            needs_approval: decision.needs_approval,
            content,
            template,
        })
    }
}

/// One invoice of a file as it would be made.
pub(crate) struct PreparedInvoice {
    /// Its content; a new customer has id 0.
    pub(crate) content: InvoiceContent,
    /// Its total.
    pub(crate) total: Decimal,
    /// Whether the approval rules send it to an approver.
    pub(crate) needs_approval: bool,
    /// The template the file names, if any.
    pub(crate) template: Option<TemplateRef>,
}

/// An error of the app (e.g. text the PDF cannot print) as the problems of
/// the row at `line`.
fn api_problems(line: u64, e: ApiError) -> Vec<BulkProblem> {
    match e.details {
        Some(details) if !details.is_empty() => details
            .into_iter()
            .map(|d| BulkProblem {
                line,
                column: None,
                field: d.field,
                value: d.value.unwrap_or_default(),
                reason: d.reason.unwrap_or(d.message),
            })
            .collect(),
        _ => vec![BulkProblem {
            line,
            column: None,
            field: "row".into(),
            value: String::new(),
            reason: e.message,
        }],
    }
}
