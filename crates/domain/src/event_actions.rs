//! The event types the local integration API accepts and the actions an
//! event rule ([`crate::event_rules`]) may choose for the invoice an event
//! makes. What each type does is its stored rule's choice; migration 0022
//! seeds the rules with the earlier defaults (sales and finished projects:
//! issue & send; usage and time: a draft).

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
    /// Send it to an approver whatever the amount; the final approval
    /// issues it and sends it by email.
    AwaitApproval,
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

    /// Reads a dotted name (`deal.closed_won`).
    pub fn parse(name: &str) -> Option<EventType> {
        EventType::ALL
            .into_iter()
            .find(|t| t.as_str() == name.trim())
    }
}

impl EventAction {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            EventAction::CreateDraft => "create_draft",
            EventAction::Issue => "issue",
            EventAction::IssueAndSend => "issue_and_send",
            EventAction::AwaitApproval => "await_approval",
        }
    }

    /// Every action, in the order a rule editor lists them.
    pub const ALL: [EventAction; 4] = [
        EventAction::CreateDraft,
        EventAction::Issue,
        EventAction::IssueAndSend,
        EventAction::AwaitApproval,
    ];

    /// Reads a snake_case name.
    pub fn parse(name: &str) -> Option<EventAction> {
        EventAction::ALL
            .into_iter()
            .find(|a| a.as_str() == name.trim())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_parse_and_serde() {
        for t in EventType::ALL {
            assert_eq!(EventType::parse(t.as_str()), Some(t));
            let parsed: EventType = serde_json::from_value(serde_json::json!(t.as_str())).unwrap();
            assert_eq!(parsed, t);
        }
        for a in EventAction::ALL {
            assert_eq!(EventAction::parse(a.as_str()), Some(a));
            assert_eq!(
                serde_json::to_value(a).unwrap(),
                serde_json::json!(a.as_str())
            );
        }
        assert_eq!(EventType::parse("deal.lost"), None);
        assert_eq!(EventAction::parse("publish"), None);
    }
}
