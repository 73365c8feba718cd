//! Triggers → Event rules: the five rules with their recent events, editing
//! (admins; audited before/after; a change of action, template or mapping
//! sends the rule back to "needs a new test" and disables it), enabling
//! (refused until a test run has passed) and the test run: the rule applied
//! to a sample event (built in, or pasted) through the API's own path in a
//! transaction that is always rolled back, returning the would-be invoice
//! with its PDF. Only the passed test is recorded.
//!
//! Roles: anyone signed in may view the rules and their events; admins and
//! specialists (who may make invoices) may run a test; only admins
//! edit, enable or disable.

use crate::api::{
    ApiEventView, EventCustomer, EventFieldMapping, EventInput, EventLine, EventRuleInput,
    EventRuleTestInput, EventRuleTestResult, EventRuleView, EventRulesView,
};
use crate::drafts::load;
use crate::invoice_pdf::{not_initialized, sha256_hex};
use crate::trigger_invoice::TriggeredStatus;
use crate::views::totals_view;
use crate::{ApiError, AppResult, ErrorCode, Invoicer, Session};
use invoicer_domain::audit::NewAuditEvent;
use invoicer_domain::authorization::Permission;
use invoicer_domain::bulk_mapping::TargetField;
use invoicer_domain::event_actions::{EventAction, EventType};
use invoicer_domain::event_rules::{
    mappable_fields, sample_data, EventRule, EventRuleSettings, FieldMapping,
};
use invoicer_domain::ValidationErrors;
use invoicer_store::{ApiEventFilter, ApiEventOutcome, LoggedApiEvent, StoreError, Tx};
use serde_json::json;

/// How many recent events each rule shows.
const RECENT_EVENTS: u32 = 10;

/// The longest pasted sample event, in bytes (the API's own body limit).
const MAX_SAMPLE: usize = 1024 * 1024;

fn event_type(name: &str) -> AppResult<EventType> {
    EventType::parse(name).ok_or_else(|| {
        ApiError::field(
            "event_type",
            name,
            "is not an event type; use order.created, deal.closed_won, project.completed, \
             usage.recorded or time.logged",
        )
    })
}

/// A logged event as the screen lists it.
pub(crate) fn event_view(e: LoggedApiEvent) -> ApiEventView {
    let (invoice_id, invoice_number, error_code, error_message) = match &e.outcome {
        ApiEventOutcome::Created { invoice_id, number } => {
            (Some(*invoice_id), number.clone(), None, None)
        }
        ApiEventOutcome::Draft { invoice_id }
        | ApiEventOutcome::AwaitingApproval { invoice_id } => (Some(*invoice_id), None, None, None),
        ApiEventOutcome::Refused { code, message } => {
            (None, None, Some(code.clone()), Some(message.clone()))
        }
        ApiEventOutcome::DryRun | ApiEventOutcome::Accepted => (None, None, None, None),
    };
    let summary = match &e.outcome {
        ApiEventOutcome::Created { invoice_id, number } => format!(
            "received · invoice {} created",
            number.clone().unwrap_or_else(|| format!("#{invoice_id}"))
        ),
        ApiEventOutcome::Draft { invoice_id } => {
            format!("received · draft #{invoice_id} created")
        }
        ApiEventOutcome::AwaitingApproval { invoice_id } => {
            format!("received · invoice #{invoice_id} waits for approval")
        }
        ApiEventOutcome::Refused { message, .. } => format!("refused: {message}"),
        ApiEventOutcome::DryRun => "dry run · nothing written".into(),
        ApiEventOutcome::Accepted => "received · recorded as usage, no invoice yet".into(),
    };
    ApiEventView {
        id: e.id,
        received_at: e.received_at.to_rfc3339(),
        event_type: e.event_type,
        reference: e.reference,
        outcome: e.outcome.kind().to_string(),
        invoice_id,
        invoice_number,
        error_code,
        error_message,
        summary,
    }
}

fn rule_view(tx: &Tx<'_>, rule: EventRule) -> Result<EventRuleView, StoreError> {
    let tested_by = match rule.tested_by {
        Some(id) => tx.user(id)?.map(|u| u.email),
        None => None,
    };
    let recent_events = tx
        .recent_api_events(&ApiEventFilter {
            event_type: Some(rule.event_type.as_str().to_string()),
            limit: RECENT_EVENTS,
            ..ApiEventFilter::default()
        })?
        .into_iter()
        .map(event_view)
        .collect();
    Ok(EventRuleView {
        event_type: rule.event_type.as_str().to_string(),
        action: rule.settings.action.as_str().to_string(),
        template: rule.settings.template.clone(),
        terms_days: rule.settings.terms_days,
        mapping: rule
            .settings
            .mapping
            .iter()
            .map(|m| EventFieldMapping {
                field: m.field.as_str().to_string(),
                path: m.path.clone(),
            })
            .collect(),
        enabled: rule.enabled,
        needs_test: rule.tested_at.is_none(),
        tested_at: rule.tested_at.map(|t| t.to_rfc3339()),
        tested_by,
        recent_events,
    })
}

/// The editor's input as settings, each problem by its path.
fn settings_of(input: &EventRuleInput) -> AppResult<EventRuleSettings> {
    let mut errs = ValidationErrors::new();
    let action = EventAction::parse(&input.action);
    if action.is_none() {
        errs.push(
            "action",
            input.action.clone(),
            "is not an action; use create_draft, issue, issue_and_send or await_approval",
        );
    }
    let mut mapping = Vec::with_capacity(input.mapping.len());
    for (i, m) in input.mapping.iter().enumerate() {
        match TargetField::parse(&m.field) {
            Some(field) => mapping.push(FieldMapping {
                field,
                path: m.path.clone(),
            }),
            None => errs.push(
                format!("mapping[{i}].field"),
                m.field.clone(),
                "is not a field a mapping can fill",
            ),
        }
    }
    let Some(action) = action.filter(|_| errs.is_empty()) else {
        return Err(errs.into());
    };
    Ok(EventRuleSettings {
        action,
        template: input.template.clone(),
        terms_days: input.terms_days,
        mapping,
    }
    .validate()?)
}

/// The built-in sample event of `rule`: a sample customer and line, and,
/// when the rule maps fields, a `data` object holding each mapped key.
pub(crate) fn sample_event(rule: &EventRule) -> EventInput {
    EventInput {
        event_type: rule.event_type,
        customer: EventCustomer {
            external_ref: Some("sample-customer".into()),
            email: Some("sam@sample.example".into()),
            name: Some("Sam Sample".into()),
            company: Some("Sample Industries".into()),
            address: Some("1 Sample Street".into()),
            city: Some("Springfield".into()),
            region: Some("IL".into()),
            postal_code: Some("62701".into()),
            country: Some("US".into()),
            tax_id: None,
        },
        lines: vec![EventLine {
            description: format!("Sample {}", rule.event_type.as_str()),
            quantity: "2".into(),
            unit_price: "150.00".into(),
            discount_percent: None,
        }],
        currency: None,
        template: None,
        terms_days: None,
        due_date: None,
        reference: Some("SAMPLE-1".into()),
        project: None,
        occurred_on: None,
        data: (!rule.settings.mapping.is_empty()).then(|| sample_data(&rule.settings)),
    }
}

/// What a test run's always-rolled-back transaction hands out.
enum TestRun {
    Done(Box<EventRuleTestResult>),
    Failed(ApiError),
}

impl From<StoreError> for TestRun {
    fn from(e: StoreError) -> Self {
        TestRun::Failed(e.into())
    }
}

impl From<ApiError> for TestRun {
    fn from(e: ApiError) -> Self {
        TestRun::Failed(e)
    }
}

fn status_name(s: TriggeredStatus) -> &'static str {
    match s {
        TriggeredStatus::Draft => "draft",
        TriggeredStatus::AwaitingApproval => "awaiting_approval",
        TriggeredStatus::Issued => "issued",
        TriggeredStatus::Queued(_) => "queued_for_sending",
    }
}

impl Invoicer {
    /// Triggers → Event rules: every rule with its recent events.
    pub fn event_rules(&self, session: &Session) -> AppResult<EventRulesView> {
        session.require(Permission::View)?;
        let rules = self.store.read(|tx| -> AppResult<Vec<EventRuleView>> {
            tx.event_rules()?
                .into_iter()
                .map(|r| rule_view(tx, r).map_err(ApiError::from))
                .collect()
        })?;
        Ok(EventRulesView {
            rules,
            can_edit: session.user().role.allows(Permission::ManageCompany),
            can_test: session.user().role.allows(Permission::ManageInvoices),
            mappable_fields: mappable_fields().map(|f| f.as_str().to_string()).collect(),
        })
    }

    /// Saves `event_type`'s rule (admins). A changed action, template or
    /// mapping clears its passed test and disables it, so it is tested
    /// again before events of its type are acted on.
    pub fn update_event_rule(
        &self,
        session: &Session,
        event_type_name: &str,
        input: &EventRuleInput,
    ) -> AppResult<EventRuleView> {
        session.require(Permission::ManageCompany)?;
        let t = event_type(event_type_name)?;
        let settings = settings_of(input)?;
        self.store.write(|tx| -> AppResult<EventRuleView> {
            let now = self.clock.now();
            if let Some(name) = &settings.template {
                if tx.template_version(name, None)?.is_none() {
                    return Err(ApiError::field(
                        "template",
                        name,
                        "is not a template in the library",
                    ));
                }
            }
            let before = tx.event_rule(t)?;
            let needs_test = before.settings.needs_new_test(&settings);
            tx.save_event_rule(t, &settings, needs_test, session.user().id, now)?;
            let after = tx.event_rule(t)?;
            tx.append_audit(
                NewAuditEvent::new(
                    Some(&session.user().email),
                    "event_rule.updated",
                    format!("event_rule:{}", t.as_str()),
                    json!({"before": audit_json(&before), "after": audit_json(&after),
                           "needs_new_test": needs_test}),
                ),
                now,
            )?;
            Ok(rule_view(tx, after)?)
        })
    }

    /// Enables or disables `event_type`'s rule (admins). Enabling is refused
    /// until a test run has passed with the rule's current settings.
    pub fn set_event_rule_enabled(
        &self,
        session: &Session,
        event_type_name: &str,
        enabled: bool,
    ) -> AppResult<EventRuleView> {
        session.require(Permission::ManageCompany)?;
        let t = event_type(event_type_name)?;
        self.store.write(|tx| -> AppResult<EventRuleView> {
            let now = self.clock.now();
            let rule = tx.event_rule(t)?;
            if enabled {
                if let Some(why) = rule.enable_refusal() {
                    return Err(ApiError::new(ErrorCode::InvalidState, why).with_field("enabled"));
                }
            }
            if rule.enabled != enabled {
                tx.set_event_rule_enabled(t, enabled)?;
                tx.append_audit(
                    NewAuditEvent::new(
                        Some(&session.user().email),
                        if enabled {
                            "event_rule.enabled"
                        } else {
                            "event_rule.disabled"
                        },
                        format!("event_rule:{}", t.as_str()),
                        json!({"tested_at": rule.tested_at.map(|t| t.to_rfc3339())}),
                    ),
                    now,
                )?;
            }
            Ok(rule_view(tx, tx.event_rule(t)?)?)
        })
    }

    /// A test run of a rule: the sample event (or the pasted one) made into
    /// the invoice the rule would make — issued, queued or waiting as it
    /// really would — with its PDF, in a transaction that is rolled back,
    /// so nothing is written or sent. When it passes, and the rule was not
    /// changed meanwhile, the rule records who tested it and when.
    pub fn test_event_rule(
        &self,
        session: &Session,
        input: &EventRuleTestInput,
    ) -> AppResult<EventRuleTestResult> {
        session.require(Permission::ManageInvoices)?;
        let t = event_type(&input.event_type)?;
        let rule = self.store.read(|tx| tx.event_rule(t))?;
        let event = match input.sample_event.as_deref().map(str::trim) {
            None | Some("") => sample_event(&rule),
            Some(text) => pasted_event(text, t)?,
        };
        let event_json = serde_json::to_string_pretty(&event)
            .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
        let outcome = self.store.write(|tx| -> Result<(), TestRun> {
            let now = self.clock.now();
            let settings = tx.company()?.ok_or_else(not_initialized)?;
            let made = self.make_event_invoice_in(tx, &event, true, now)?;
            let inv = load(tx, made.invoice_id)?;
            let (pdf, template) = if inv.was_issued() {
                let (bytes, _) = tx.archived_pdf(made.invoice_id)?.unwrap_or_default();
                (bytes, inv.template.clone())
            } else {
                let inputs = self.pdf_inputs(tx, &inv, None, &settings)?;
                (self.render_within_budget(&inputs)?, Some(inputs.template))
            };
            let result = EventRuleTestResult {
                event_type: t.as_str().to_string(),
                action: made.result.action.clone(),
                outcome: status_name(made.status).to_string(),
                needs_approval: made.result.needs_approval,
                customer_name: inv.content.customer.name.clone(),
                customer_email: inv.content.customer.email.clone(),
                customer_created: made.customer_created,
                template: template
                    .map_or_else(String::new, |t| format!("{} v{}", t.name, t.version)),
                number: inv.number.clone(),
                totals: totals_view(inv.content.currency, &inv.content.lines, &inv.totals),
                event_json: event_json.clone(),
                tested_at: now.to_rfc3339(),
                pdf_sha256: sha256_hex(&pdf),
                pdf_bytes: pdf,
            };
            // Always rolled back: a test run writes and sends nothing.
            Err(TestRun::Done(Box::new(result)))
        });
        let result = match outcome {
            Ok(()) => {
                return Err(ApiError::new(
                    ErrorCode::Internal,
                    "the test run was not rolled back",
                ))
            }
            Err(TestRun::Failed(e)) => return Err(e),
            Err(TestRun::Done(result)) => result,
        };
        self.store.write(|tx| -> AppResult<()> {
            let now = self.clock.now();
            // Only the settings that were tested count as tested: an edit
            // saved during the run leaves the rule needing a new test.
            let current = tx.event_rule(t)?;
            if current.settings.needs_new_test(&rule.settings) {
                return Ok(());
            }
            tx.mark_event_rule_tested(t, session.user().id, now)?;
            tx.append_audit(
                NewAuditEvent::new(
                    Some(&session.user().email),
                    "event_rule.tested",
                    format!("event_rule:{}", t.as_str()),
                    json!({"outcome": result.outcome, "total": result.totals.total,
                           "sample": input.sample_event.is_none()}),
                ),
                now,
            )?;
            Ok(())
        })?;
        Ok(*result)
    }
}

/// A pasted event, read as `POST /v1/events` reads a body; its type must be
/// the rule's.
fn pasted_event(text: &str, t: EventType) -> AppResult<EventInput> {
    if text.len() > MAX_SAMPLE {
        return Err(ApiError::field(
            "sample_event",
            "",
            &format!("is larger than {MAX_SAMPLE} bytes"),
        ));
    }
    let de = &mut serde_json::Deserializer::from_str(text);
    let event: EventInput = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." {
            "sample_event".to_string()
        } else {
            format!("sample_event.{path}")
        };
        ApiError::field(&field, "", &e.into_inner().to_string())
    })?;
    if event.event_type != t {
        return Err(ApiError::field(
            "sample_event.type",
            event.event_type.as_str(),
            &format!("is not {}, the rule being tested", t.as_str()),
        ));
    }
    Ok(event)
}

fn audit_json(r: &EventRule) -> serde_json::Value {
    json!({"action": r.settings.action.as_str(), "template": r.settings.template,
           "terms_days": r.settings.terms_days, "enabled": r.enabled,
           "mapping": r.settings.mapping.iter()
               .map(|m| json!({"field": m.field.as_str(), "path": m.path}))
               .collect::<Vec<_>>()})
}
