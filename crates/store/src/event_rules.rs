//! Event rules (migration 0022): one row per event type, seeded by the
//! migration, changed only through [`Tx::save_event_rule`] (which sends a
//! rule back to "needs a new test" when asked), marked tested, enabled or
//! disabled. The table's CHECK refuses an enabled rule without a test.

use crate::codec::{instant, instant_text};
use crate::records::event_mapping_v1::{
    action_text, event_type_text, from_json, parse_action, parse_event_type, to_json,
};
use crate::{StoreError, Tx};
use chrono::{DateTime, Utc};
use invoicer_domain::event_actions::EventType;
use invoicer_domain::event_rules::{EventRule, EventRuleSettings};
use rusqlite::{OptionalExtension, Row};

const COLUMNS: &str =
    "event_type, action, template, terms_days, mapping, enabled, tested_at, tested_by, updated_at";

type RawRule = (
    String,
    String,
    Option<String>,
    Option<u32>,
    String,
    bool,
    Option<String>,
    Option<i64>,
    Option<String>,
);

fn raw(r: &Row<'_>) -> rusqlite::Result<RawRule> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
    ))
}

fn rule(r: RawRule) -> Result<EventRule, StoreError> {
    let (
        event_type,
        action,
        template,
        terms_days,
        mapping,
        enabled,
        tested_at,
        tested_by,
        updated_at,
    ) = r;
    Ok(EventRule {
        event_type: parse_event_type(&event_type)?,
        settings: EventRuleSettings {
            action: parse_action(&action)?,
            template,
            terms_days,
            mapping: from_json(&mapping)?,
        },
        enabled,
        tested_at: tested_at.as_deref().map(instant).transpose()?,
        tested_by,
        updated_at: updated_at.as_deref().map(instant).transpose()?,
    })
}

impl Tx<'_> {
    /// Every event rule, in the order the event types are documented.
    pub fn event_rules(&self) -> Result<Vec<EventRule>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {COLUMNS} FROM event_rules"))?;
        let raws = stmt.query_map([], raw)?.collect::<Result<Vec<_>, _>>()?;
        let mut rules = raws.into_iter().map(rule).collect::<Result<Vec<_>, _>>()?;
        rules.sort_by_key(|r| EventType::ALL.iter().position(|t| *t == r.event_type));
        Ok(rules)
    }

    /// The rule for `event_type` (the migration made one for every type).
    pub fn event_rule(&self, event_type: EventType) -> Result<EventRule, StoreError> {
        let found = self
            .conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM event_rules WHERE event_type = ?1"),
                [event_type_text(event_type)],
                raw,
            )
            .optional()?;
        match found {
            Some(r) => rule(r),
            None => Err(StoreError::Corrupt(format!(
                "the event rule for {} is missing",
                event_type_text(event_type)
            ))),
        }
    }

    /// Replaces the settings of `event_type`'s rule. With `needs_test` the
    /// rule loses its passed test and is disabled, so it must be tested
    /// again before it is enabled.
    pub fn save_event_rule(
        &self,
        event_type: EventType,
        settings: &EventRuleSettings,
        needs_test: bool,
        by: i64,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE event_rules SET action = ?2, template = ?3, terms_days = ?4, mapping = ?5,
                 updated_at = ?6, updated_by = ?7,
                 tested_at = CASE WHEN ?8 THEN NULL ELSE tested_at END,
                 tested_by = CASE WHEN ?8 THEN NULL ELSE tested_by END,
                 enabled = CASE WHEN ?8 THEN 0 ELSE enabled END
             WHERE event_type = ?1",
            (
                event_type_text(event_type),
                action_text(settings.action),
                settings.template.as_deref(),
                settings.terms_days,
                to_json(&settings.mapping)?,
                instant_text(at),
                by,
                needs_test,
            ),
        )?;
        Ok(())
    }

    /// Records that a test run of `event_type`'s rule passed.
    pub fn mark_event_rule_tested(
        &self,
        event_type: EventType,
        by: i64,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE event_rules SET tested_at = ?2, tested_by = ?3 WHERE event_type = ?1",
            (event_type_text(event_type), instant_text(at), by),
        )?;
        Ok(())
    }

    /// Enables or disables `event_type`'s rule (enabling an untested rule
    /// fails on the table's CHECK; the app refuses it with a reason first).
    pub fn set_event_rule_enabled(
        &self,
        event_type: EventType,
        enabled: bool,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE event_rules SET enabled = ?2 WHERE event_type = ?1",
            (event_type_text(event_type), enabled),
        )?;
        Ok(())
    }
}
