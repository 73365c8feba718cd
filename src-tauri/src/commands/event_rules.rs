//! Triggers → Event rules: the rules with their recent events, saving a
//! rule (admins), enabling or disabling it (admins; enabling refused until
//! a test passed) and its test run. Roles are checked by the use cases.

use super::{arg::Arg, as_user};
use crate::state::AppState;
use invoicer_app::api::{
    EventRuleInput, EventRuleTestInput, EventRuleTestResult, EventRuleView, EventRulesView,
};
use invoicer_app::AppResult;
use tauri::State;

/// The five event rules, each with its recent events.
#[tauri::command]
pub async fn event_rules(state: State<'_, AppState>) -> AppResult<EventRulesView> {
    as_user(&state, "event_rules", move |inv, s| inv.event_rules(s)).await
}

/// Saves an event type's rule; a changed action, template or mapping needs
/// a new test.
#[tauri::command]
pub async fn update_event_rule(
    state: State<'_, AppState>,
    event_type: Arg<String>,
    input: Arg<EventRuleInput>,
) -> AppResult<EventRuleView> {
    let (event_type, input) = (event_type.0, input.0);
    as_user(&state, "update_event_rule", move |inv, s| {
        inv.update_event_rule(s, &event_type, &input)
    })
    .await
}

/// Enables (once tested) or disables an event type's rule.
#[tauri::command]
pub async fn set_event_rule_enabled(
    state: State<'_, AppState>,
    event_type: Arg<String>,
    enabled: Arg<bool>,
) -> AppResult<EventRuleView> {
    let (event_type, enabled) = (event_type.0, enabled.0);
    as_user(&state, "set_event_rule_enabled", move |inv, s| {
        inv.set_event_rule_enabled(s, &event_type, enabled)
    })
    .await
}

/// A rule's test run on the sample or a pasted event: the would-be invoice
/// and its PDF; writes and sends nothing.
#[tauri::command]
pub async fn test_event_rule(
    state: State<'_, AppState>,
    input: Arg<EventRuleTestInput>,
) -> AppResult<EventRuleTestResult> {
    let input = input.0;
    as_user(&state, "test_event_rule", move |inv, s| {
        inv.test_event_rule(s, &input)
    })
    .await
}
