//! The local integration API's writes: an event becomes an invoice through
//! the shared trigger path ([`Invoicer::make_triggered_in`]), a reported
//! payment is recorded through [`Invoicer::record_payment_in`], and each
//! successful POST's response is kept under its `Idempotency-Key` **in the
//! same write transaction** as what it made, so a crash can never leave an
//! invoice without its key (and a retry making a second one).

use crate::api::{
    ApiPaymentInput, ApiPaymentResult, CustomerInput, DraftInput, EventInput, EventResult,
    LineInput,
};
use crate::drafts::{build_content, chosen_template, load};
use crate::event_log::log_made_event_in;
use crate::event_mapping::EventContent;
use crate::integration_reads::{api_invoice, api_principal, find_invoice};
use crate::invoice_pdf::{not_initialized, PdfInputs};
use crate::trigger_invoice::{TriggerAction, TriggeredInvoice, TriggeredStatus};
use crate::{ApiError, AppResult, ErrorCode, Invoicer, Session};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use invoicer_domain::audit::NewAuditEvent;
use invoicer_domain::company::CompanySettings;
use invoicer_domain::customer::Customer;
use invoicer_domain::event_actions::{EventAction, EventType};
use invoicer_domain::event_rules::EventRule;
use invoicer_domain::money::Currency;
use invoicer_domain::payment::PaymentMethod;
use invoicer_domain::trigger_source::TriggerSource;
use invoicer_domain::{Decimal, ValidationErrors};
use invoicer_store::{StoredApiResponse, Tx};
use serde_json::json;

/// How long a response is kept under its idempotency key (Stripe keeps
/// them 24 hours; the issue asks for at least 7 days).
pub const IDEMPOTENCY_RETENTION: Duration = Duration::days(8);

/// The audit actor of everything the API does.
pub(crate) const API_ACTOR: &str = "system:api";

/// One HTTP request as the audit records it.
#[derive(Debug, Clone)]
pub struct ApiCall<'a> {
    /// `GET`, `POST`, …
    pub method: &'a str,
    /// The path without the query.
    pub path: &'a str,
    /// The name of the token it came with (never the token), `None` when it
    /// had none or a wrong one.
    pub token_name: Option<&'a str>,
}

/// A POST's idempotency: its key and a hash of the request it came with.
#[derive(Debug, Clone)]
pub struct Idempotency<'a> {
    /// The `Idempotency-Key` header.
    pub key: &'a str,
    /// SHA-256 (hex) of the method, path, query and body.
    pub request_hash: &'a str,
}

/// A response: its HTTP status and JSON body, byte for byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiReply {
    /// The HTTP status.
    pub status: u16,
    /// The JSON body.
    pub body: String,
    /// True when it is the kept response of an earlier request.
    pub replayed: bool,
}

/// An event's invoice as made in a transaction.
pub(crate) struct MadeEvent {
    /// The API's answer.
    pub(crate) result: EventResult,
    /// The invoice (in a dry run, gone with the rollback).
    pub(crate) invoice_id: i64,
    /// Where it ended up.
    pub(crate) status: TriggeredStatus,
    /// Whether its customer was created for it.
    pub(crate) customer_created: bool,
}

/// The refusal of an event whose type's rule is disabled.
pub(crate) fn trigger_disabled(t: EventType) -> ApiError {
    ApiError::new(
        ErrorCode::TriggerDisabled,
        format!(
            "the event rule for {} is disabled, so the event was not acted on; an admin must \
             test and enable the rule in Triggers → Event rules",
            t.as_str()
        ),
    )
    .with_field("type")
}

/// What a dry run's always-rolled-back transaction hands out: the preview
/// it made (event rules' and usage thresholds' alike), or why it failed.
pub(crate) enum Rollback<T> {
    Preview(Box<T>),
    Failed(ApiError),
}

impl<T> From<invoicer_store::StoreError> for Rollback<T> {
    fn from(e: invoicer_store::StoreError) -> Self {
        Rollback::Failed(e.into())
    }
}

impl<T> From<ApiError> for Rollback<T> {
    fn from(e: ApiError) -> Self {
        Rollback::Failed(e)
    }
}

/// The reply to a dry run from its transaction's outcome: 200 with the
/// preview, or the error. A transaction that committed is a defect, said as
/// one: a dry run must write nothing.
pub(crate) fn dry_run_reply<T: serde::Serialize>(
    outcome: Result<(), Rollback<T>>,
) -> AppResult<ApiReply> {
    match outcome {
        Ok(()) => Err(ApiError::new(
            ErrorCode::Internal,
            "the dry run was not rolled back",
        )),
        Err(Rollback::Failed(e)) => Err(e),
        Err(Rollback::Preview(p)) => Ok(ApiReply {
            status: 200,
            body: encode(&p)?,
            replayed: false,
        }),
    }
}

fn text(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

pub(crate) fn encode(value: &impl serde::Serialize) -> AppResult<String> {
    serde_json::to_string(value)
        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("cannot encode a reply: {e}")))
}

/// Appends `api.request` for `call` answered with `status` in `tx`.
pub(crate) fn audit_call(
    tx: &Tx<'_>,
    call: &ApiCall<'_>,
    status: u16,
    extra: serde_json::Value,
    now: DateTime<Utc>,
) -> AppResult<()> {
    tx.append_audit(
        NewAuditEvent::new(
            Some(API_ACTOR),
            "api.request",
            format!("api:{}", call.path),
            json!({"method": call.method, "path": call.path, "status": status,
                   "token": call.token_name, "about": extra}),
        ),
        now,
    )?;
    Ok(())
}

/// The draft a typed event (its own `customer` and `lines`) asks for, for
/// the customer `customer_id`: shared by the transaction that makes it and
/// the rehearsal that renders its PDF early (`event_rehearsal`), so both see
/// the same invoice.
pub(crate) fn typed_draft(
    event: &EventInput,
    rule: &EventRule,
    customer_id: i64,
    terms_days: Option<u32>,
) -> DraftInput {
    DraftInput {
        customer_id,
        issue_date: None,
        // The event's own terms win; the rule's apply when it has none.
        terms_days: terms_days.or(rule.settings.terms_days),
        notes: event
            .reference
            .as_ref()
            .map(|r| format!("{} {r}", event.event_type.as_str())),
        lines: event
            .lines
            .iter()
            .map(|l| LineInput {
                description: l.description.clone(),
                quantity: l.quantity.clone(),
                unit_price: l.unit_price.clone(),
                discount_percent: l.discount_percent.clone(),
                tax_rate_id: None,
                proration: None,
                tax_exempt_reason: None,
            })
            .collect(),
        template: event
            .template
            .clone()
            .or_else(|| rule.settings.template.clone()),
    }
}

impl Invoicer {
    /// Runs `make` in one write transaction under `idem`: the kept response
    /// when the key was used with the same request, a conflict when it was
    /// used with another, else `make`'s response, kept under the key and
    /// audited with `call` before the transaction commits. Keys older than
    /// [`IDEMPOTENCY_RETENTION`] are forgotten first.
    pub(crate) fn idempotent(
        &self,
        idem: &Idempotency<'_>,
        call: &ApiCall<'_>,
        make: impl FnOnce(&Tx<'_>, DateTime<Utc>) -> AppResult<(u16, String, serde_json::Value)>,
    ) -> AppResult<ApiReply> {
        let reply = self.store.write(|tx| -> AppResult<ApiReply> {
            let now = self.clock.now();
            tx.prune_api_responses(now - IDEMPOTENCY_RETENTION)?;
            if let Some(kept) = tx.api_response(idem.key)? {
                if kept.request_hash != idem.request_hash {
                    return Err(ApiError::new(
                        ErrorCode::Conflict,
                        format!(
                            "Idempotency-Key {:?} was already used with a different request; \
                             use a new key for a new request",
                            idem.key
                        ),
                    ));
                }
                audit_call(tx, call, kept.status, json!({"replayed": idem.key}), now)?;
                return Ok(ApiReply {
                    status: kept.status,
                    body: kept.body,
                    replayed: true,
                });
            }
            let (status, body, about) = make(tx, now)?;
            tx.keep_api_response(
                idem.key,
                &StoredApiResponse {
                    request_hash: idem.request_hash.to_string(),
                    status,
                    body: body.clone(),
                },
                now,
            )?;
            audit_call(tx, call, status, about, now)?;
            Ok(ApiReply {
                status,
                body,
                replayed: false,
            })
        })?;
        if !reply.replayed && reply.status == 201 {
            // An event may have queued an email: the outbox sender looks now.
            self.nudge_jobs();
        }
        Ok(reply)
    }

    /// Receives an event: makes the invoice its type asks for (201 when
    /// issued, 202 for a draft or one waiting for approval), or with
    /// `dry_run` returns the invoice it would make (200) from a
    /// transaction that is always rolled back, writing and sending nothing.
    pub fn api_event(
        &self,
        event: &EventInput,
        idem: &Idempotency<'_>,
        call: &ApiCall<'_>,
        dry_run: bool,
    ) -> AppResult<ApiReply> {
        // Hours and usage go to an enabled threshold rule of their customer
        // when one matches (usage_events.rs); otherwise on as any event.
        if let Some(reply) = self.usage_event(event, idem, call, dry_run)? {
            return Ok(reply);
        }
        if dry_run {
            let reply = self.api_event_dry_run(event);
            self.log_event_reply(event, idem.key, &reply);
            return reply;
        }
        // A replayed answer is not logged again: the log lists what the API
        // acted on (or refused), and a replay acts on nothing.
        // The PDF is rendered before the write lock when the event can be
        // rehearsed (event_rehearsal.rs); the ticket is held until commit.
        let rehearsal = self.rehearse_event(event, idem.key);
        if let Some(r) = &rehearsal {
            r.ticket.wait_turn();
        }
        let mut closing = None;
        let reply = self.idempotent(idem, call, |tx, now| {
            let early = rehearsal
                .as_ref()
                .and_then(|r| r.early.as_ref())
                .map(|(inputs, pdf)| (inputs, pdf.clone()));
            let made = self.make_event_invoice_with(tx, event, false, now, early)?;
            // Logged in the transaction that made the invoice: one cheap
            // insert, and the log can never name an invoice that rolled back.
            log_made_event_in(tx, event, idem.key, &made, now)?;
            let status = match made.status {
                TriggeredStatus::Draft | TriggeredStatus::AwaitingApproval => 202,
                TriggeredStatus::Issued | TriggeredStatus::Queued(_) => 201,
            };
            let result = made.result;
            let about = json!({"event": result.event_type, "invoice_id": result.invoice.id});
            let body = encode(&result)?;
            closing = rehearsal.as_ref().map(|r| r.ticket.closing());
            Ok((status, body, about))
        });
        if let Some(r) = rehearsal {
            r.ticket.close(closing);
        }
        if reply.is_err() {
            self.log_event_reply(event, idem.key, &reply);
        }
        reply
    }

    fn api_event_dry_run(&self, event: &EventInput) -> AppResult<ApiReply> {
        let outcome = self.store.write(|tx| -> Result<(), Rollback<EventResult>> {
            let now = self.clock.now();
            let made = self.make_event_invoice_in(tx, event, true, now)?;
            // Always rolled back: a dry run writes and sends nothing.
            Err(Rollback::Preview(Box::new(made.result)))
        });
        dry_run_reply(outcome)
    }

    /// Finds or creates the event's customer in `tx`; true when created.
    fn event_customer_in(
        &self,
        tx: &Tx<'_>,
        event: &EventInput,
        now: DateTime<Utc>,
    ) -> AppResult<(Customer, bool)> {
        let c = &event.customer;
        let external_ref = c
            .external_ref
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty());
        let email = c.email.as_deref().map(str::trim).filter(|e| !e.is_empty());
        if let Some(r) = external_ref {
            if let Some(found) = tx.customer_by_external_ref(r)? {
                return Ok((found, false));
            }
        }
        if let Some(e) = email {
            if let Some(found) = tx.customers_by_email(e)?.into_iter().next() {
                return Ok((found, false));
            }
        }
        if external_ref.is_none() && email.is_none() {
            return Err(ApiError::field(
                "customer",
                "",
                "needs an external_ref or an email to find the customer by",
            ));
        }
        let settings = tx.company()?.ok_or_else(not_initialized)?;
        let input = CustomerInput {
            name: text(&c.name),
            company: c.company.clone(),
            email: text(&c.email),
            address: text(&c.address),
            city: text(&c.city),
            region: c.region.clone(),
            postal_code: text(&c.postal_code),
            country: text(&c.country),
            tax_id: c.tax_id.clone(),
            currency: None,
            template: None,
            cc: None,
            bcc: None,
            external_ref: external_ref.map(str::to_string),
        };
        let mut customer = crate::customers::to_domain(&input)
            .validate(0, settings.customer_policy())
            .map_err(|e| {
                let mut prefixed = ValidationErrors::new();
                prefixed.extend_prefixed("customer", e);
                ApiError::from(prefixed)
            })?;
        self.check_customer_printable(&input)?;
        customer.id = tx.insert_customer(&customer, now)?;
        tx.append_audit(
            NewAuditEvent::new(
                Some(API_ACTOR),
                "customer.created",
                format!("customer:{}", customer.id),
                json!({"name": customer.name, "email": customer.email,
                       "external_ref": customer.external_ref, "api_event": event.event_type.as_str()}),
            ),
            now,
        )?;
        Ok((customer, true))
    }

    /// Makes the event's invoice in `tx` as its type's rule says (the caller
    /// commits, or rolls back for a dry run). A rule that is disabled
    /// refuses the event (`trigger_disabled`), except in a dry run, which is
    /// how a rule is tested before it is enabled.
    pub(crate) fn make_event_invoice_in(
        &self,
        tx: &Tx<'_>,
        event: &EventInput,
        dry_run: bool,
        now: DateTime<Utc>,
    ) -> AppResult<MadeEvent> {
        self.make_event_invoice_with(tx, event, dry_run, now, None)
    }

    /// [`Invoicer::make_event_invoice_in`] with the PDF rendered before the
    /// transaction (`early`), archived only if the invoice issued here would
    /// print exactly the same (number included); else it is rendered again.
    pub(crate) fn make_event_invoice_with(
        &self,
        tx: &Tx<'_>,
        event: &EventInput,
        dry_run: bool,
        now: DateTime<Utc>,
        early: Option<(&PdfInputs, Vec<u8>)>,
    ) -> AppResult<MadeEvent> {
        let rule = tx.event_rule(event.event_type)?;
        if !dry_run && !rule.enabled {
            return Err(trigger_disabled(event.event_type));
        }
        let settings = tx.company()?.ok_or_else(not_initialized)?;
        let maker = api_principal(tx)?;
        let today = self.clock.today(settings.timezone);
        let terms_days = match (event.terms_days, event.due_date) {
            (Some(_), Some(d)) => {
                return Err(ApiError::field(
                    "due_date",
                    &d.to_string(),
                    "cannot be given together with terms_days",
                ))
            }
            (days, None) => days,
            (None, Some(d)) => Some(
                u32::try_from((d - today).num_days())
                    .map_err(|_| ApiError::field("due_date", &d.to_string(), "is before today"))?,
            ),
        };
        let made = match (&event.data, rule.settings.mapping.is_empty()) {
            (Some(data), false) => self.mapped_event_content_in(
                tx, &settings, &rule, event, data, terms_days, today, now,
            )?,
            (Some(_), true) if event.lines.is_empty() => {
                return Err(ApiError::field(
                    "data",
                    "",
                    &format!(
                        "is not read: the {} rule maps no fields; set a field mapping in \
                         Triggers → Event rules, or send typed customer and lines",
                        event.event_type.as_str()
                    ),
                ))
            }
            _ => {
                self.typed_event_content_in(tx, &settings, &rule, event, terms_days, today, now)?
            }
        };
        let action = rule.settings.action;
        let trigger_action = match action {
            EventAction::CreateDraft => TriggerAction::Draft,
            EventAction::Issue => TriggerAction::Issue,
            EventAction::IssueAndSend => TriggerAction::IssueAndSend,
            EventAction::AwaitApproval => TriggerAction::AwaitApproval { send: true },
        };
        let (id, status) = self.make_triggered_with(
            tx,
            &settings,
            TriggeredInvoice {
                content: made.content,
                template: made.template,
                source: TriggerSource::Api,
                action: trigger_action,
                maker: &maker,
                actor: API_ACTOR,
                about: (
                    "api_event",
                    json!({"type": event.event_type.as_str(), "reference": event.reference,
                           "dry_run": dry_run, "on_behalf_of": maker.email}),
                ),
                needs_approval: false,
                fault_point: "api_after_create",
            },
            now,
            early,
        )?;
        let inv = load(tx, id)?;
        Ok(MadeEvent {
            result: EventResult {
                event_type: event.event_type.as_str().into(),
                action: action.as_str().into(),
                dry_run,
                needs_approval: status == TriggeredStatus::AwaitingApproval,
                email_queued: matches!(status, TriggeredStatus::Queued(_)),
                customer_created: made.customer_created,
                invoice: api_invoice(&inv, today),
            },
            invoice_id: id,
            status,
            customer_created: made.customer_created,
        })
    }

    /// The content of an event that carries its typed `customer` and
    /// `lines` (no mapping, or no `data`).
    #[expect(
        clippy::too_many_arguments,
        reason = "the event, its rule and the transaction's facts"
    )]
    fn typed_event_content_in(
        &self,
        tx: &Tx<'_>,
        settings: &CompanySettings,
        rule: &EventRule,
        event: &EventInput,
        terms_days: Option<u32>,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> AppResult<EventContent> {
        let currency = match event.currency.as_deref() {
            None => None,
            Some(code) => Some(Currency::from_code(code.trim()).ok_or_else(|| {
                ApiError::field("currency", code, "is not an ISO 4217 currency code")
            })?),
        };
        if event.lines.is_empty() {
            return Err(ApiError::field("lines", "[]", "needs at least one line"));
        }
        let (customer, customer_created) = self.event_customer_in(tx, event, now)?;
        let draft = typed_draft(event, rule, customer.id, terms_days);
        let mut content = build_content(tx, settings, &draft, today)?;
        if let Some(c) = currency {
            content.currency = c;
        }
        let template = chosen_template(tx, &draft)?;
        Ok(EventContent {
            content,
            template,
            customer_created,
        })
    }

    /// Records a payment a provider or bank reports (201 with the invoice
    /// after it).
    pub fn api_payment(
        &self,
        input: &ApiPaymentInput,
        idem: &Idempotency<'_>,
        call: &ApiCall<'_>,
    ) -> AppResult<ApiReply> {
        let mut errs = ValidationErrors::new();
        let amount = input.amount.trim().parse::<Decimal>().ok();
        if amount.is_none() {
            errs.push("amount", input.amount.clone(), "is not a decimal number");
        }
        let method = PaymentMethod::parse(input.method.trim()).ok();
        if method.is_none() {
            errs.push(
                "method",
                input.method.clone(),
                "is not a payment method; use bank_transfer, card, cash, cheque or other",
            );
        }
        let (Some(amount), Some(method)) = (amount, method) else {
            return Err(errs.into());
        };
        self.idempotent(idem, call, |tx, _| {
            let maker = api_principal(tx)?;
            let id = find_invoice(tx, &input.invoice, "invoice")?;
            let session = Session::new(maker);
            let p = self.record_payment_in(
                tx,
                &session,
                id,
                amount,
                input.date,
                method,
                input.reference.as_deref(),
            )?;
            let settings = tx.company()?.ok_or_else(not_initialized)?;
            let today = self.clock.today(settings.timezone);
            let result = ApiPaymentResult {
                payment_id: p.id,
                invoice: api_invoice(&load(tx, id)?, today),
            };
            let about = json!({"invoice_id": id, "payment_id": p.id});
            Ok((201, encode(&result)?, about))
        })
    }
}
