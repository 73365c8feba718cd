//! `invoicer threshold add|list|show|enable|disable`, `invoicer usage record`
//! and `invoicer trigger test threshold ID`: time and usage thresholds. A
//! new (or edited) rule is disabled until its test run has passed; entries
//! are billed the moment they cross the threshold, and period ends by
//! `invoicer jobs run --once [--now DATE]`.

use crate::output::Output;
use crate::test_run::Summary;
use chrono::NaiveDate;
use clap::{ArgGroup, Args, Subcommand};
use invoicer_app::api::*;
use invoicer_app::{write_document, AppResult, Invoicer, Session};
use std::path::PathBuf;

/// `invoicer threshold …`.
#[derive(Debug, Subcommand)]
pub enum ThresholdCommand {
    /// Adds a threshold rule (admins; disabled until `trigger test threshold ID` passes).
    Add(Box<ThresholdAddArgs>),
    /// Every rule with its progress.
    List,
    /// One rule with its unbilled entries and recent invoices.
    Show {
        /// Rule id.
        id: i64,
    },
    /// Enables a rule whose test run passed.
    Enable {
        /// Rule id.
        id: i64,
    },
    /// Disables a rule: its events go to the event rules again.
    Disable {
        /// Rule id.
        id: i64,
    },
}

/// `invoicer threshold add …`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("measure").required(true).args(["hours", "units"])))]
pub struct ThresholdAddArgs {
    /// Customer id.
    #[arg(long)]
    pub customer: i64,
    /// Only entries of this project reference.
    #[arg(long)]
    pub project: Option<String>,
    /// Measures logged hours (time.logged).
    #[arg(long)]
    pub hours: bool,
    /// Measures usage units (usage.recorded).
    #[arg(long)]
    pub units: bool,
    /// The price of one hour or unit (each entry's own price otherwise).
    #[arg(long)]
    pub price: Option<String>,
    /// Bill once this many hours or units are unbilled.
    #[arg(long)]
    pub quantity: Option<String>,
    /// Bill once the unbilled entries are worth this much before tax.
    #[arg(long)]
    pub amount: Option<String>,
    /// Bill what accumulated at each period's end: monthly or quarterly.
    #[arg(long)]
    pub period: Option<String>,
    /// The first period's start (the first of this month otherwise).
    #[arg(long)]
    pub anchor: Option<NaiveDate>,
    /// Each entry's invoice line: {date}, {description}, {quantity}, {project}.
    #[arg(long)]
    pub description: Option<String>,
    /// draft, issue, issue_and_send or approval.
    #[arg(long, default_value = "draft")]
    pub action: String,
    /// The template's name (the customer's or the default otherwise).
    #[arg(long)]
    pub template: Option<String>,
    /// Payment terms in days (the company's otherwise).
    #[arg(long)]
    pub terms: Option<u32>,
    /// A name for the list ("<customer> <measure>" otherwise).
    #[arg(long, default_value = "")]
    pub name: String,
}

/// `invoicer usage …`.
#[derive(Debug, Subcommand)]
pub enum UsageCommand {
    /// Records logged hours or usage units for the customer's enabled threshold rule.
    #[command(group(ArgGroup::new("measure").required(true).args(["hours", "units"])))]
    Record {
        /// Customer id.
        #[arg(long)]
        customer: i64,
        /// The project reference.
        #[arg(long)]
        project: Option<String>,
        /// Hours logged.
        #[arg(long)]
        hours: Option<String>,
        /// Units used.
        #[arg(long)]
        units: Option<String>,
        /// The price of one (required when the rule has no price).
        #[arg(long)]
        price: Option<String>,
        /// What was done or used.
        #[arg(long)]
        description: String,
        /// The day it happened (YYYY-MM-DD).
        #[arg(long)]
        date: NaiveDate,
        /// Your reference: the same reference is recorded once.
        #[arg(long = "ref")]
        reference: Option<String>,
    },
}

/// What a threshold command prints.
#[derive(Debug)]
pub enum ThresholdOutput {
    /// One rule.
    One(Box<ThresholdView>),
    /// The list.
    List(Vec<ThresholdView>),
    /// A recorded entry.
    Recorded(Box<UsageRecorded>),
    /// A test run, and where its PDF was written.
    Test(Box<ThresholdTestRun>, Option<PathBuf>),
}

/// Runs a `threshold` command.
pub fn run(app: &Invoicer, s: &Session, cmd: ThresholdCommand) -> AppResult<Output> {
    let one = |v: ThresholdView| Output::Threshold(ThresholdOutput::One(Box::new(v)));
    Ok(match cmd {
        ThresholdCommand::Add(a) => {
            let a = *a;
            one(app.create_threshold(
                s,
                &ThresholdInput {
                    name: a.name,
                    customer_id: a.customer,
                    project: a.project,
                    measure: if a.units { "units" } else { "hours" }.into(),
                    unit_price: a.price,
                    description_template: a.description,
                    quantity_threshold: a.quantity,
                    amount_threshold: a.amount,
                    period: a.period,
                    period_anchor: a.anchor,
                    template: a.template,
                    terms_days: a.terms,
                    action: a.action,
                },
            )?)
        }
        ThresholdCommand::List => Output::Threshold(ThresholdOutput::List(app.thresholds(s)?)),
        ThresholdCommand::Show { id } => one(app.threshold(s, id)?),
        ThresholdCommand::Enable { id } => one(app.enable_threshold(s, id)?),
        ThresholdCommand::Disable { id } => one(app.disable_threshold(s, id)?),
    })
}

/// Runs a `usage` command.
pub fn usage(app: &Invoicer, s: &Session, cmd: UsageCommand) -> AppResult<Output> {
    let UsageCommand::Record {
        customer,
        project,
        hours,
        units,
        price,
        description,
        date,
        reference,
    } = cmd;
    let (measure, quantity) = match (hours, units) {
        (Some(h), _) => ("hours", h),
        (None, Some(u)) => ("units", u),
        (None, None) => ("hours", String::new()),
    };
    let recorded = app.record_usage(
        s,
        &UsageInput {
            customer_id: customer,
            project,
            measure: measure.into(),
            quantity,
            unit_price: price,
            description,
            occurred_on: date,
            reference,
        },
    )?;
    Ok(Output::Threshold(ThresholdOutput::Recorded(Box::new(
        recorded,
    ))))
}

/// `invoicer trigger test threshold ID [--pdf FILE]`: the invoice the rule
/// would make now, writing and sending nothing.
pub fn test(app: &Invoicer, s: &Session, id: i64, pdf: Option<PathBuf>) -> AppResult<Output> {
    let run = app.test_threshold(s, id)?;
    if let Some(path) = &pdf {
        write_document(path, &run.pdf_bytes)?;
    }
    Ok(Output::Threshold(ThresholdOutput::Test(Box::new(run), pdf)))
}

/// The output as JSON; a test run's PDF is given by its size, checksum and
/// path, not its bytes.
pub fn json(out: &ThresholdOutput) -> serde_json::Value {
    fn v<T: serde::Serialize>(t: &T) -> serde_json::Value {
        serde_json::to_value(t).unwrap_or(serde_json::Value::Null)
    }
    match out {
        ThresholdOutput::One(x) => v(x),
        ThresholdOutput::List(x) => v(x),
        ThresholdOutput::Recorded(x) => v(x),
        ThresholdOutput::Test(run, path) => crate::test_run::json(run, path.as_deref()),
    }
}

fn rule_line(r: &ThresholdView) -> String {
    format!(
        "{:>4}  {:<28} {:<20} {:<8} {:<15} {:<9} {}",
        r.id, r.name, r.customer_name, r.measure, r.action, r.state, r.progress.label
    )
}

/// The output as text.
pub fn text(out: &ThresholdOutput) -> String {
    match out {
        ThresholdOutput::One(r) => {
            let mut t = vec![rule_line(r)];
            for e in &r.unbilled {
                t.push(format!(
                    "      unbilled {}  {} × {}  {}",
                    e.occurred_on, e.quantity, e.unit_price, e.description
                ));
            }
            for b in &r.billings {
                t.push(format!(
                    "      billed {} ({}, {} entries){}",
                    b.invoice_number
                        .clone()
                        .or(b.invoice_id.map(|i| format!("invoice {i}")))
                        .unwrap_or_else(|| "nothing".into()),
                    b.reason,
                    b.entries,
                    if b.caught_up { ", caught up" } else { "" }
                ));
            }
            if r.tested_at.is_none() {
                t.push(format!(
                    "not tested: run `invoicer trigger test threshold {}` before enabling it",
                    r.id
                ));
            }
            t.join("\n")
        }
        ThresholdOutput::List(list) if list.is_empty() => "no threshold rules".to_string(),
        ThresholdOutput::List(list) => list.iter().map(rule_line).collect::<Vec<_>>().join("\n"),
        ThresholdOutput::Recorded(r) => {
            let mut t = format!(
                "{} entry {} for rule {} ({}): {}",
                if r.duplicate {
                    "already recorded:"
                } else {
                    "recorded"
                },
                r.entry.id,
                r.rule_id,
                r.rule_name,
                r.progress.label
            );
            if let (Some(id), Some(outcome)) = (r.invoice_id, &r.outcome) {
                t.push_str(&format!(
                    "\nthreshold crossed: invoice {id}{} ({})",
                    r.invoice_number
                        .as_deref()
                        .map(|n| format!(" {n}"))
                        .unwrap_or_default(),
                    outcome.replace('_', " ")
                ));
            }
            t
        }
        ThresholdOutput::Test(run, path) => crate::test_run::text(
            vec![format!(
                "entries:     {}{}",
                run.entries.len(),
                if run.sample { " (sample entries)" } else { "" }
            )],
            &Summary {
                customer_name: &run.customer_name,
                customer_email: &run.customer_email,
                template: &run.template,
                outcome: &run.outcome,
                number: run.number.as_deref(),
                totals: &run.totals,
            },
            path.as_deref(),
        ),
    }
}
