//! An event read through its rule's field mapping: the event's `data`
//! becomes bulk records (`invoicer_domain::event_rules::records_from_data`),
//! grouped and checked by the bulk send's own machinery (`group_records`,
//! then [`Invoicer::prepare_bulk_invoice`]: customer match by external
//! reference then email, a new customer checked like the customer form,
//! tax, currency, template, totals), so a mapped event and a bulk file's
//! row cannot disagree about what makes a valid invoice.
//!
//! Precedence (documented on `EventInput::data`): what the mapping maps
//! wins — customer fields mapped → the customer comes from `data`, line
//! fields mapped → the lines do; otherwise the event's typed `customer` and
//! `lines` fill them. The event's typed `currency`, `template` and terms win
//! over mapped ones; the rule's template and terms apply when neither
//! gives them. Every refusal names the invoice field and the payload key.

use crate::api::{BulkProblem, EventInput};
use crate::integration_events::API_ACTOR;
use crate::{ApiError, AppResult, Invoicer};
use chrono::{DateTime, NaiveDate, Utc};
use invoicer_domain::audit::NewAuditEvent;
use invoicer_domain::bulk_grouping::{group_records, BulkRecord};
use invoicer_domain::company::CompanySettings;
use invoicer_domain::customer::CustomerInput;
use invoicer_domain::event_rules::{records_from_data, EventRule, EventRuleSettings};
use invoicer_domain::invoice::{InvoiceContent, TemplateRef};
use invoicer_domain::line::LineText;
use invoicer_domain::ValidationErrors;
use invoicer_store::Tx;
use serde_json::{json, Value};

/// An event's invoice content before it is made.
pub(crate) struct EventContent {
    /// The checked content, its customer stored.
    pub(crate) content: InvoiceContent,
    /// The template chosen, if any.
    pub(crate) template: Option<TemplateRef>,
    /// Whether the customer was created for this event.
    pub(crate) customer_created: bool,
}

fn typed_customer(event: &EventInput) -> (CustomerInput, Option<String>) {
    let c = &event.customer;
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    (
        CustomerInput {
            name: text(&c.name),
            company: c.company.clone(),
            email: text(&c.email),
            address: text(&c.address),
            city: text(&c.city),
            region: c.region.clone(),
            postal_code: text(&c.postal_code),
            country: text(&c.country),
            tax_id: c.tax_id.clone(),
            ..CustomerInput::default()
        },
        c.external_ref
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_string),
    )
}

/// A problem of the grouping or the checks as the field it is about: the
/// payload key when the mapping filled it, else the typed field's path.
fn named(
    s: &EventRuleSettings,
    field: &str,
    line: u64,
    value: &str,
    reason: &str,
) -> (String, String, String) {
    if let Some(key) = s.payload_key(field, line) {
        return (
            key,
            value.to_string(),
            format!("{reason} (the rule maps it to {field})"),
        );
    }
    let typed = match field {
        "description" | "quantity" | "unit_price" | "discount" | "discount_percent" => {
            format!("lines[{}].{field}", line.saturating_sub(1))
        }
        "template" | "currency" | "terms" | "terms_days" => field.to_string(),
        other => format!("customer.{other}"),
    };
    (typed, value.to_string(), reason.to_string())
}

fn refusal(s: &EventRuleSettings, problems: &[BulkProblem]) -> ApiError {
    let mut errs = ValidationErrors::new();
    for p in problems {
        let (field, value, reason) = named(s, &p.field, p.line, &p.value, &p.reason);
        errs.push(field, value, reason);
    }
    if errs.is_empty() {
        errs.push("data", "", "cannot be made into an invoice");
    }
    errs.into()
}

impl Invoicer {
    /// The content of `event`'s invoice read through `rule`'s mapping of
    /// `data`, in `tx` (a new customer is stored and audited).
    #[expect(
        clippy::too_many_arguments,
        reason = "the event, its rule and the transaction's facts"
    )]
    pub(crate) fn mapped_event_content_in(
        &self,
        tx: &Tx<'_>,
        settings: &CompanySettings,
        rule: &EventRule,
        event: &EventInput,
        data: &Value,
        terms_days: Option<u32>,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> AppResult<EventContent> {
        let s = &rule.settings;
        let mut records: Vec<BulkRecord> = records_from_data(s, data).map_err(ApiError::from)?;
        if !s.maps_customer() {
            let (customer, external_ref) = typed_customer(event);
            for r in &mut records {
                r.customer = customer.clone();
                r.external_reference = external_ref.clone();
            }
        }
        if !s.maps_lines() {
            if event.lines.is_empty() {
                return Err(ApiError::field(
                    "lines",
                    "[]",
                    &format!(
                        "needs at least one line: the {} rule maps no line fields from data",
                        event.event_type.as_str()
                    ),
                ));
            }
            let head = records.swap_remove(0);
            records = event
                .lines
                .iter()
                .enumerate()
                .map(|(i, l)| BulkRecord {
                    line: i as u64 + 1,
                    item: LineText {
                        description: l.description.clone(),
                        quantity: l.quantity.clone(),
                        unit_price: l.unit_price.clone(),
                        discount_percent: l.discount_percent.clone().unwrap_or_default(),
                    },
                    ..head.clone()
                })
                .collect();
        }
        for r in &mut records {
            if let Some(c) = event.currency.as_deref() {
                r.currency = Some(c.to_string());
            }
            r.template = event
                .template
                .clone()
                .or(r.template.take())
                .or(s.template.clone());
            r.terms_days = terms_days.or(r.terms_days).or(s.terms_days);
        }
        let grouping = group_records(records);
        if !grouping.problems.is_empty() {
            let problems: Vec<BulkProblem> = grouping
                .problems
                .into_iter()
                .map(|p| BulkProblem {
                    line: p.line,
                    column: None,
                    field: p.field,
                    value: p.value,
                    reason: p.reason,
                })
                .collect();
            return Err(refusal(s, &problems));
        }
        let Some(inv) = grouping.invoices.into_iter().next() else {
            return Err(ApiError::field("data", "", "makes no invoice"));
        };
        let rates = tx.tax_rates()?;
        let prepared = self
            .prepare_bulk_invoice(tx, settings, &rates, &inv, today)
            .map_err(|problems| refusal(s, &problems))?;
        let mut content = prepared.content;
        let customer_created = content.customer.id == 0;
        if customer_created {
            content.customer.id = tx.insert_customer(&content.customer, now)?;
            tx.append_audit(
                NewAuditEvent::new(
                    Some(API_ACTOR),
                    "customer.created",
                    format!("customer:{}", content.customer.id),
                    json!({"name": content.customer.name, "email": content.customer.email,
                           "external_ref": content.customer.external_ref,
                           "api_event": event.event_type.as_str()}),
                ),
                now,
            )?;
        }
        let reference = event.reference.clone().or_else(|| {
            (inv.key != invoicer_domain::event_rules::EVENT_INVOICE_KEY).then(|| inv.key.clone())
        });
        if let Some(r) = reference {
            let line = format!("{} {r}", event.event_type.as_str());
            content.notes = Some(match content.notes.take() {
                Some(po) => format!("{line}\n{po}"),
                None => line,
            });
        }
        Ok(EventContent {
            content,
            template: prepared.template,
            customer_created,
        })
    }
}
