//! The event types the local integration API accepts and what each does by
//! default. Trigger rules per event type (choosing the action, template and
//! terms) will replace [`EventType::default_action`]; until then this is
//! the one place that decides.

use serde::{Deserialize, Serialize};

/// A billing event another program reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EventType {
    /// An order was placed in a shop.
    #[serde(rename = "order.created")]
    OrderCreated,
    /// A CRM deal was moved to closed-won.
    #[serde(rename = "deal.closed_won")]
    DealClosedWon,
    /// A project was marked complete.
    #[serde(rename = "project.completed")]
    ProjectCompleted,
    /// Usage units were recorded.
    #[serde(rename = "usage.recorded")]
    UsageRecorded,
    /// Hours were logged.
    #[serde(rename = "time.logged")]
    TimeLogged,
}

/// What an event does with the invoice it makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventAction {
    /// Leave a draft for a person to review.
    CreateDraft,
    /// Issue it.
    Issue,
    /// Issue it and send it by email.
    IssueAndSend,
}

impl EventType {
    /// Every event type, in the order they are documented.
    pub const ALL: [EventType; 5] = [
        EventType::OrderCreated,
        EventType::DealClosedWon,
        EventType::ProjectCompleted,
        EventType::UsageRecorded,
        EventType::TimeLogged,
    ];

    /// The dotted name other programs send.
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::OrderCreated => "order.created",
            EventType::DealClosedWon => "deal.closed_won",
            EventType::ProjectCompleted => "project.completed",
            EventType::UsageRecorded => "usage.recorded",
            EventType::TimeLogged => "time.logged",
        }
    }

    /// What the event does until a trigger rule says otherwise: a sale or a
    /// finished project is billed at once; usage and time are gathered into
    /// a draft, because a person usually reviews them before they are billed.
    pub fn default_action(self) -> EventAction {
        match self {
            EventType::OrderCreated | EventType::DealClosedWon | EventType::ProjectCompleted => {
                EventAction::IssueAndSend
            }
            EventType::UsageRecorded | EventType::TimeLogged => EventAction::CreateDraft,
        }
    }
}

impl EventAction {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            EventAction::CreateDraft => "create_draft",
            EventAction::Issue => "issue",
            EventAction::IssueAndSend => "issue_and_send",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sales_are_sent_and_usage_waits_as_a_draft() {
        assert_eq!(
            EventType::DealClosedWon.default_action(),
            EventAction::IssueAndSend
        );
        assert_eq!(
            EventType::TimeLogged.default_action(),
            EventAction::CreateDraft
        );
        let names: Vec<_> = EventType::ALL.iter().map(|e| e.as_str()).collect();
        for n in names {
            let parsed: EventType = serde_json::from_value(serde_json::json!(n)).unwrap();
            assert_eq!(parsed.as_str(), n);
        }
    }
}
