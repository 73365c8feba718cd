//! Drafts: turning what a person typed into a checked invoice with totals.

use crate::api::{DraftInput, InvoiceDetail, InvoiceScreen, TotalsView, UpdateDraftInput};
use crate::invoice_screen::require_action;
use crate::views::totals_view;
use crate::{ApiError, AppResult, Invoicer, Session};
use invoicer_domain::audit::NewAuditEvent;
use invoicer_domain::authorization::Permission;
use invoicer_domain::bulk_job::BulkRowStatus;
use invoicer_domain::company::CompanySettings;
use invoicer_domain::invoice::{Invoice, InvoiceContent, TemplateRef};
use invoicer_domain::invoice_actions::InvoiceAction;
use invoicer_domain::line::{LineText, Proration};
use invoicer_domain::tax::applicable_rates;
use invoicer_domain::totals::Totals;
use invoicer_domain::validation::non_blank;
use invoicer_domain::ValidationErrors;
use invoicer_store::{InvoiceRecord, StoreError, Tx};
use serde_json::json;

/// Builds checked invoice content from input, reading the customer and tax
/// rates in the caller's transaction. Every problem is reported at once, each
/// under its field path (`lines[1].quantity`).
pub(crate) fn build_content(
    tx: &Tx<'_>,
    settings: &CompanySettings,
    input: &DraftInput,
    today: chrono::NaiveDate,
) -> AppResult<InvoiceContent> {
    let mut errs = ValidationErrors::new();
    let customer = tx.customer(input.customer_id)?;
    if customer.is_none() {
        errs.push(
            "customer_id",
            input.customer_id.to_string(),
            "no customer has this id",
        );
    }
    let issue_date = input.issue_date.unwrap_or(today);
    let rates = tx.tax_rates()?;
    let mut lines = Vec::with_capacity(input.lines.len());
    for (i, l) in input.lines.iter().enumerate() {
        let text = LineText {
            description: l.description.clone(),
            quantity: l.quantity.clone(),
            unit_price: l.unit_price.clone(),
            discount_percent: l.discount_percent.clone().unwrap_or_default(),
        };
        let mut item = match text.parse() {
            Ok(item) => item,
            Err(e) => {
                errs.extend_prefixed(&format!("lines[{i}]"), e);
                continue;
            }
        };
        let exempt = non_blank(l.tax_exempt_reason.as_deref());
        item.taxes = match (exempt.is_some(), l.tax_rate_id, &customer) {
            (true, Some(id), _) => {
                errs.push(
                    format!("lines[{i}].tax_exempt_reason"),
                    id.to_string(),
                    "an exempt line cannot also name a tax rate",
                );
                Vec::new()
            }
            (true, None, _) => Vec::new(),
            (false, Some(id), _) => match rates.iter().find(|r| r.id == Some(id)) {
                Some(r) => vec![r.clone()],
                None => {
                    errs.push(
                        format!("lines[{i}].tax_rate_id"),
                        id.to_string(),
                        "no tax rate has this id",
                    );
                    Vec::new()
                }
            },
            (false, None, Some(c)) => {
                applicable_rates(&rates, &c.country, c.region.as_deref(), issue_date)
            }
            (false, None, None) => Vec::new(),
        };
        item.tax_exemption = exempt;
        item.proration = l.proration.map(|p| Proration {
            period_start: p.period_start,
            period_end: p.period_end,
            billed_from: p.billed_from,
            billed_to: p.billed_to,
        });
        lines.push(item);
    }
    let Some(customer) = customer else {
        return Err(errs.into());
    };
    let content = InvoiceContent {
        currency: customer.currency.unwrap_or(settings.currency),
        customer,
        issue_date,
        terms_days: input.terms_days.unwrap_or(settings.payment_terms_days),
        notes: non_blank(input.notes.as_deref()),
        lines,
    };
    if input.lines.is_empty() {
        errs.push("lines", "", "an invoice needs at least one line");
    } else if errs.is_empty() {
        if let Err(v) = content.validate() {
            errs.errors.extend(v.errors);
        } else if let Err(v) = content.check_totals(&totals(settings, &content)) {
            errs.errors.extend(v.errors);
        }
    }
    errs.into_result()?;
    Ok(content)
}

/// The template a draft asks for, resolved to its newest version, or a field
/// error on `template` when the library has no such template.
pub(crate) fn chosen_template(tx: &Tx<'_>, input: &DraftInput) -> AppResult<Option<TemplateRef>> {
    let Some(name) = non_blank(input.template.as_deref()) else {
        return Ok(None);
    };
    let found = tx
        .template_version(&name, None)?
        .ok_or_else(|| ApiError::field("template", &name, "is not a template in the library"))?;
    Ok(Some(TemplateRef {
        name: found.name,
        version: found.version,
    }))
}

fn totals(settings: &CompanySettings, content: &InvoiceContent) -> Totals {
    content.totals(settings.rounding_scope, settings.rounding_mode)
}

impl Invoicer {
    /// Refuses line, exemption and note text the PDF cannot print, on its field.
    fn check_draft_printable(&self, input: &DraftInput) -> AppResult<()> {
        let fields: Vec<(String, Option<&str>)> = input
            .lines
            .iter()
            .enumerate()
            .flat_map(|(i, l)| {
                [
                    (
                        format!("lines[{i}].description"),
                        Some(l.description.as_str()),
                    ),
                    (
                        format!("lines[{i}].tax_exempt_reason"),
                        l.tax_exempt_reason.as_deref(),
                    ),
                ]
            })
            .chain([("notes".to_string(), input.notes.as_deref())])
            .collect();
        let borrowed: Vec<(&str, Option<&str>)> =
            fields.iter().map(|(f, v)| (f.as_str(), *v)).collect();
        self.check_printable(&borrowed)
    }

    /// Computes the totals of a draft without saving it: the editor's live totals.
    pub fn preview_totals(&self, session: &Session, input: &DraftInput) -> AppResult<TotalsView> {
        session.require(Permission::View)?;
        self.check_draft_printable(input)?;
        let settings = self.settings()?;
        let today = self.clock.today(settings.timezone);
        let content = self
            .store
            .read(|tx| build_content(tx, &settings, input, today))?;
        let t = totals(&settings, &content);
        Ok(totals_view(content.currency, &content.lines, &t))
    }

    /// Saves a new draft.
    pub fn create_invoice(
        &self,
        session: &Session,
        input: &DraftInput,
    ) -> AppResult<InvoiceDetail> {
        session.require(Permission::ManageInvoices)?;
        self.check_draft_printable(input)?;
        let settings = self.settings()?;
        let now = self.clock.now();
        let today = self.clock.today(settings.timezone);
        let id = self.store.write(|tx| {
            let content = build_content(tx, &settings, input, today)?;
            let template = chosen_template(tx, input)?;
            let t = totals(&settings, &content);
            let id = tx.insert_invoice(
                InvoiceRecord {
                    content: &content,
                    totals: &t,
                    rounding_scope: settings.rounding_scope,
                    rounding_mode: settings.rounding_mode,
                },
                session.user().id,
                now,
            )?;
            tx.set_invoice_template(id, template.as_ref())?;
            tx.append_audit(
                NewAuditEvent::new(
                    Some(session.actor()),
                    "invoice.created",
                    format!("invoice:{id}"),
                    json!({"customer_id": content.customer.id, "currency": content.currency.code(),
                           "total": t.total.to_string(), "lines": content.lines.len()}),
                ),
                now,
            )?;
            Ok::<_, ApiError>(id)
        })?;
        self.invoice(session, id)
    }

    /// Replaces a draft's content and records the editor as its last editor.
    /// Issued invoices are refused; one pending approval or approved goes back to draft.
    pub fn update_invoice(
        &self,
        session: &Session,
        input: &UpdateDraftInput,
    ) -> AppResult<InvoiceScreen> {
        session.require(Permission::ManageInvoices)?;
        let settings = self.settings()?;
        let now = self.clock.now();
        let today = self.clock.today(settings.timezone);
        let id = input.invoice_id;
        self.store.write(|tx| {
            let inv = load(tx, id)?;
            require_action(session, &settings, &inv, InvoiceAction::Edit)?;
            self.check_draft_printable(&input.draft)?;
            let content = build_content(tx, &settings, &input.draft, today)?;
            let template = chosen_template(tx, &input.draft)?;
            let t = totals(&settings, &content);
            tx.replace_draft(
                id,
                InvoiceRecord {
                    content: &content,
                    totals: &t,
                    rounding_scope: settings.rounding_scope,
                    rounding_mode: settings.rounding_mode,
                },
                session.user().id,
            )?;
            tx.set_invoice_template(id, template.as_ref())?;
            if inv.status.holds_approval() {
                // A bulk invoice edited while it waited is a draft of its job.
                tx.settle_bulk_approval(id, BulkRowStatus::Created)?;
            }
            // What approvers decided was about the content before this edit.
            let voided = tx.void_approval_decisions(id, now)?;
            // A waiting invoice edited back to a draft ends its approval round.
            tx.close_approval_round(id, invoicer_store::RoundOutcome::Withdrawn, now)?;
            // Editing content that waits for or has an approval withdraws it:
            // the invoice is a draft again and the event says so.
            tx.append_audit(
                NewAuditEvent::new(
                    Some(session.actor()),
                    "invoice.edited",
                    format!("invoice:{id}"),
                    json!({"total_before": inv.totals.total.to_string(), "total": t.total.to_string(),
                           "lines": content.lines.len(), "status_before": inv.status.as_str(),
                           "approval_withdrawn": inv.status.holds_approval(),
                           "approvals_voided": voided}),
                ),
                now,
            )?;
            self.screen_in(tx, session, id)
        })
    }

    /// One invoice with the actions the signed-in person may take on it.
    pub fn invoice(&self, session: &Session, id: i64) -> AppResult<InvoiceDetail> {
        Ok(self.invoice_screen(session, id)?.invoice)
    }
}

/// Loads an invoice or says which id is unknown.
pub(crate) fn load(tx: &Tx<'_>, id: i64) -> Result<Invoice, ApiError> {
    tx.invoice(id)
        .map_err(|e: StoreError| ApiError::from(e))?
        .ok_or_else(|| ApiError::not_found("invoice", id))
}
