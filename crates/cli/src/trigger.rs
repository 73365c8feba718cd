//! `invoicer trigger …`: event rules and a dry run of any trigger.
//!
//! `trigger test rule EVENT_TYPE [--event FILE.json] [--pdf FILE]` runs the
//! rule on its built-in sample event (or the event in the file) and prints
//! the invoice it would make, writing and sending nothing; a passed test is
//! what lets `trigger enable EVENT_TYPE` switch the rule on. `trigger test
//! schedule ID` is `schedule test ID`. Each kind of trigger is one variant
//! of [`TriggerTest`], so another (e.g. thresholds) is one more variant.

use crate::output::Output;
use clap::Subcommand;
use invoicer_app::api::*;
use invoicer_app::{write_document, ApiError, AppResult, Invoicer, Session};
use std::path::PathBuf;

/// `invoicer trigger …`.
#[derive(Debug, Subcommand)]
pub enum TriggerCommand {
    /// A dry run of a trigger: the invoice it would make; writes and sends nothing.
    #[command(subcommand)]
    Test(TriggerTest),
    /// Every event rule: action, template, terms, enabled or needing a test, recent events.
    Rules,
    /// Enables an event rule (admins; refused until a test run has passed).
    Enable {
        /// order.created, deal.closed_won, project.completed, usage.recorded or time.logged.
        event_type: String,
    },
    /// Disables an event rule (admins): events of its type are then refused.
    Disable {
        /// The event type.
        event_type: String,
    },
}

/// `invoicer trigger test …`: one variant per kind of trigger.
#[derive(Debug, Subcommand)]
pub enum TriggerTest {
    /// An event rule on its built-in sample event, or on the event in --event.
    Rule {
        /// order.created, deal.closed_won, project.completed, usage.recorded or time.logged.
        event_type: String,
        /// A JSON event as `POST /v1/events` takes it.
        #[arg(long, value_name = "FILE.json")]
        event: Option<PathBuf>,
        /// Also write the would-be invoice's PDF here.
        #[arg(long)]
        pdf: Option<PathBuf>,
    },
    /// The invoice a threshold rule would make now (from sample entries when it has none).
    Threshold {
        /// Rule id.
        id: i64,
        /// Also write the would-be invoice's PDF here.
        #[arg(long)]
        pdf: Option<PathBuf>,
    },
    /// A recurring schedule (as `invoicer schedule test ID`).
    Schedule {
        /// Schedule id.
        id: i64,
        /// Also write the would-be invoice's PDF here.
        #[arg(long)]
        pdf: Option<PathBuf>,
    },
}

/// What a `trigger` command prints.
#[derive(Debug)]
pub enum TriggerOutput {
    /// Every rule.
    Rules(Box<EventRulesView>),
    /// One rule after a change.
    Rule(Box<EventRuleView>),
    /// A rule's test run, and where its PDF was written.
    RuleTest(Box<EventRuleTestResult>, Option<PathBuf>),
}

/// Runs a `trigger` command.
pub fn run(app: &Invoicer, s: &Session, cmd: TriggerCommand) -> AppResult<Output> {
    let out = |o: TriggerOutput| Output::Trigger(o);
    Ok(match cmd {
        TriggerCommand::Rules => out(TriggerOutput::Rules(Box::new(app.event_rules(s)?))),
        TriggerCommand::Enable { event_type } => out(TriggerOutput::Rule(Box::new(
            app.set_event_rule_enabled(s, &event_type, true)?,
        ))),
        TriggerCommand::Disable { event_type } => out(TriggerOutput::Rule(Box::new(
            app.set_event_rule_enabled(s, &event_type, false)?,
        ))),
        TriggerCommand::Test(TriggerTest::Rule {
            event_type,
            event,
            pdf,
        }) => {
            let sample_event = match &event {
                None => None,
                Some(path) => Some(std::fs::read_to_string(path).map_err(|e| {
                    ApiError::field(
                        "--event",
                        &path.display().to_string(),
                        &format!("cannot be read: {e}"),
                    )
                })?),
            };
            let result = app.test_event_rule(
                s,
                &EventRuleTestInput {
                    event_type,
                    sample_event,
                },
            )?;
            if let Some(path) = &pdf {
                write_document(path, &result.pdf_bytes)?;
            }
            out(TriggerOutput::RuleTest(Box::new(result), pdf))
        }
        TriggerCommand::Test(TriggerTest::Threshold { id, pdf }) => {
            crate::threshold::test(app, s, id, pdf)?
        }
        TriggerCommand::Test(TriggerTest::Schedule { id, pdf }) => {
            crate::schedule::test(app, s, id, pdf)?
        }
    })
}

/// The output as JSON; a test run's PDF is given by its size, checksum and
/// path, not its bytes.
pub fn json(out: &TriggerOutput) -> serde_json::Value {
    fn v<T: serde::Serialize>(t: &T) -> serde_json::Value {
        serde_json::to_value(t).unwrap_or(serde_json::Value::Null)
    }
    match out {
        TriggerOutput::Rules(x) => v(x),
        TriggerOutput::Rule(x) => v(x),
        TriggerOutput::RuleTest(r, path) => crate::test_run::json(r, path.as_deref()),
    }
}

fn rule_line(r: &EventRuleView) -> String {
    let state = if r.enabled {
        "enabled".to_string()
    } else if r.needs_test {
        "disabled, needs a test".to_string()
    } else {
        "disabled (tested)".to_string()
    };
    format!(
        "{:<18} {:<15} template {:<12} terms {:<8} mapped fields {:<3} {state}",
        r.event_type,
        r.action,
        r.template.as_deref().unwrap_or("default"),
        r.terms_days
            .map_or_else(|| "company".to_string(), |d| format!("{d} days")),
        r.mapping.len(),
    )
}

/// The output as text.
pub fn text(out: &TriggerOutput) -> String {
    match out {
        TriggerOutput::Rules(view) => {
            let mut t = String::new();
            for r in &view.rules {
                t.push_str(&rule_line(r));
                t.push('\n');
                for e in &r.recent_events {
                    t.push_str(&format!("    {}  {}\n", e.received_at, e.summary));
                }
            }
            t.trim_end().to_string()
        }
        TriggerOutput::Rule(r) => rule_line(r),
        TriggerOutput::RuleTest(r, path) => {
            let mut t = format!(
                "test passed: {} ({}) would make {} for {} <{}>{}\n\
                 total {} {} (subtotal {}, tax {}), template {}{}\n\
                 PDF {} bytes, sha256 {}",
                r.event_type,
                r.action,
                r.outcome.replace('_', " "),
                r.customer_name,
                r.customer_email,
                if r.customer_created {
                    " (a new customer)"
                } else {
                    ""
                },
                r.totals.total,
                r.totals.currency,
                r.totals.subtotal,
                r.totals.tax_total,
                r.template,
                if r.needs_approval {
                    ", waiting for approval"
                } else {
                    ""
                },
                r.pdf_bytes.len(),
                r.pdf_sha256,
            );
            for l in &r.totals.lines {
                t.push_str(&format!(
                    "\n  {} × {} @ {} = {}",
                    l.description, l.quantity, l.unit_price, l.net
                ));
            }
            if let Some(p) = path {
                t.push_str(&format!("\nPDF written to {}", p.display()));
            }
            t.push_str("\nnothing was written or sent");
            t
        }
    }
}
