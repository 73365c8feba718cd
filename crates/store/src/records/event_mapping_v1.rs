//! Version 1 of a stored event rule's field mapping (`event_rules.mapping`)
//! and the fixed names of event types and actions in `event_rules` and
//! `api_events`. Target fields keep the spellings of mapping profiles.

use super::mapping_profile_v1::{field_text, parse_field};
use super::parse_versioned;
use crate::codec::corrupt;
use crate::StoreError;
use invoicer_domain::event_actions::{EventAction, EventType};
use invoicer_domain::event_rules::FieldMapping;
use serde::{Deserialize, Serialize};

/// What `record_version` says for this shape.
pub(crate) const VERSION: u64 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
struct EventMappingV1 {
    record_version: u64,
    fields: Vec<FieldV1>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct FieldV1 {
    field: String,
    path: String,
}

/// The JSON stored for `mapping`.
pub(crate) fn to_json(mapping: &[FieldMapping]) -> Result<String, StoreError> {
    serde_json::to_string(&EventMappingV1 {
        record_version: VERSION,
        fields: mapping
            .iter()
            .map(|m| FieldV1 {
                field: field_text(m.field).to_string(),
                path: m.path.clone(),
            })
            .collect(),
    })
    .map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// The mapping a stored JSON document holds.
pub(crate) fn from_json(json: &str) -> Result<Vec<FieldMapping>, StoreError> {
    let value = parse_versioned("event rule mapping", json, VERSION)?;
    let record: EventMappingV1 =
        serde_json::from_value(value).map_err(|_| corrupt("event rule mapping", json))?;
    record
        .fields
        .into_iter()
        .map(|f| {
            Ok(FieldMapping {
                field: parse_field(&f.field)?,
                path: f.path,
            })
        })
        .collect()
}

/// The stored name of an event type.
pub(crate) fn event_type_text(t: EventType) -> &'static str {
    match t {
        EventType::OrderCreated => "order.created",
        EventType::DealClosedWon => "deal.closed_won",
        EventType::ProjectCompleted => "project.completed",
        EventType::UsageRecorded => "usage.recorded",
        EventType::TimeLogged => "time.logged",
    }
}

/// The event type a stored name stands for.
pub(crate) fn parse_event_type(s: &str) -> Result<EventType, StoreError> {
    [
        EventType::OrderCreated,
        EventType::DealClosedWon,
        EventType::ProjectCompleted,
        EventType::UsageRecorded,
        EventType::TimeLogged,
    ]
    .into_iter()
    .find(|t| event_type_text(*t) == s)
    .ok_or_else(|| corrupt("event type", s))
}

/// The stored name of an action.
pub(crate) fn action_text(a: EventAction) -> &'static str {
    match a {
        EventAction::CreateDraft => "create_draft",
        EventAction::Issue => "issue",
        EventAction::IssueAndSend => "issue_and_send",
        EventAction::AwaitApproval => "await_approval",
    }
}

/// The action a stored name stands for.
pub(crate) fn parse_action(s: &str) -> Result<EventAction, StoreError> {
    [
        EventAction::CreateDraft,
        EventAction::Issue,
        EventAction::IssueAndSend,
        EventAction::AwaitApproval,
    ]
    .into_iter()
    .find(|a| action_text(*a) == s)
    .ok_or_else(|| corrupt("event action", s))
}
