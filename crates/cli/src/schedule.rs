//! `invoicer schedule add|list|show|pause|resume|skip|preview|test`:
//! recurring schedules. A new schedule is disabled until `schedule test ID`
//! has passed once; `schedule resume ID` then enables it. Its invoices are
//! made by `invoicer jobs run --once [--now DATE]` like every other job.

use crate::lines::parse_lines;
use crate::output::Output;
use crate::test_run::Summary;
use chrono::NaiveDate;
use clap::Subcommand;
use invoicer_app::api::*;
use invoicer_app::{write_document, ApiError, AppResult, Invoicer, Session};
use std::path::PathBuf;

/// `invoicer schedule …`.
#[derive(Debug, Subcommand)]
pub enum ScheduleCommand {
    /// Adds a schedule (disabled until a test run passes; then `resume` enables it).
    Add {
        /// Customer id.
        #[arg(long)]
        customer: i64,
        /// A line billed every period: "DESCRIPTION|QTY|UNIT_PRICE[|DISCOUNT%]" (repeatable).
        #[arg(long = "line", required = true)]
        lines: Vec<String>,
        /// weekly, monthly, quarterly or yearly.
        #[arg(long)]
        every: String,
        /// Every N of them.
        #[arg(long)]
        interval: Option<u32>,
        /// The first period's start (YYYY-MM-DD); every period is counted from it.
        #[arg(long)]
        anchor: NaiveDate,
        /// The first day of service when later than the anchor: the first period is prorated.
        #[arg(long)]
        start: Option<NaiveDate>,
        /// No period starts after this day; the period it falls in is prorated.
        #[arg(long, conflicts_with = "count")]
        until: Option<NaiveDate>,
        /// Bill this many periods.
        #[arg(long)]
        count: Option<u32>,
        /// Issue each invoice and email it.
        #[arg(long, conflicts_with = "draft")]
        send: bool,
        /// Leave each invoice a draft for review (the default).
        #[arg(long)]
        draft: bool,
        /// The template's name (the customer's or the default otherwise).
        #[arg(long)]
        template: Option<String>,
        /// Payment terms in days (the company's otherwise).
        #[arg(long)]
        terms: Option<u32>,
        /// Invoice currency (the customer's or the company's otherwise).
        #[arg(long)]
        currency: Option<String>,
        /// A name for the list ("<customer> <frequency>" otherwise).
        #[arg(long, default_value = "")]
        name: String,
        /// Bill partial first and last periods in full instead of by days.
        #[arg(long)]
        no_proration: bool,
    },
    /// Every schedule with its state and next period.
    List,
    /// One schedule.
    Show {
        /// Schedule id.
        id: i64,
    },
    /// Pauses a schedule from today: periods billed while paused are skipped.
    Pause {
        /// Schedule id.
        id: i64,
    },
    /// Enables a tested schedule, or resumes a paused one.
    #[command(alias = "enable")]
    Resume {
        /// Schedule id.
        id: i64,
    },
    /// Skips the next period: it is never invoiced.
    Skip {
        /// Schedule id.
        id: i64,
    },
    /// The next 12 periods with their dates and totals (writes nothing).
    Preview {
        /// Schedule id.
        id: i64,
    },
    /// A dry run: the invoice the next period would make; writes and sends nothing.
    Test {
        /// Schedule id.
        id: i64,
        /// Also write the would-be invoice's PDF here.
        #[arg(long)]
        pdf: Option<PathBuf>,
    },
}

/// What a `schedule` command prints.
#[derive(Debug)]
pub enum ScheduleOutput {
    /// One schedule.
    One(Box<ScheduleView>),
    /// The list.
    List(Vec<ScheduleView>),
    /// The next occurrences.
    Preview(Vec<OccurrencePreview>),
    /// A test run, and where its PDF was written.
    Test(Box<ScheduleTestRun>, Option<PathBuf>),
}

/// `--line N: unit price "abc" is not a number` for a line's field error.
fn name_the_line(mut e: ApiError) -> ApiError {
    let first = e.details.as_ref().and_then(|d| d.first()).cloned();
    if let Some(d) = first {
        if let Some(rest) = d.field.strip_prefix("lines[") {
            if let Some((i, field)) = rest.split_once(']') {
                let n = i.parse::<usize>().map_or(0, |i| i + 1);
                let field = field.trim_start_matches('.').replace('_', " ");
                let value = d.value.clone().unwrap_or_default();
                let reason = d.reason.clone().unwrap_or(d.message.clone());
                e.message = if value.is_empty() {
                    format!("--line {n}: {field} {reason}")
                } else {
                    format!("--line {n}: {field} {value:?} {reason}")
                };
            }
        }
    }
    e
}

/// Runs a `schedule` command.
pub fn run(app: &Invoicer, s: &Session, cmd: ScheduleCommand) -> AppResult<Output> {
    let one = |v: ScheduleView| Output::Schedule(ScheduleOutput::One(Box::new(v)));
    Ok(match cmd {
        ScheduleCommand::Add {
            customer,
            lines,
            every,
            interval,
            anchor,
            start,
            until,
            count,
            send,
            draft: _,
            template,
            terms,
            currency,
            name,
            no_proration,
        } => {
            let input = ScheduleInput {
                name,
                customer_id: customer,
                lines: parse_lines(&lines).map_err(name_the_line)?,
                currency,
                template,
                terms_days: terms,
                frequency: every,
                interval,
                anchor,
                starts_on: start,
                until,
                count,
                prorate: Some(!no_proration),
                mode: if send { "issue_and_send" } else { "draft" }.to_string(),
            };
            one(app.create_schedule(s, &input).map_err(name_the_line)?)
        }
        ScheduleCommand::List => Output::Schedule(ScheduleOutput::List(app.schedules(s)?)),
        ScheduleCommand::Show { id } => one(app.schedule(s, id)?),
        ScheduleCommand::Pause { id } => one(app.pause_schedule(s, id)?),
        ScheduleCommand::Resume { id } => one(app.resume_schedule(s, id)?),
        ScheduleCommand::Skip { id } => one(app.skip_next_occurrence(s, id)?),
        ScheduleCommand::Preview { id } => {
            Output::Schedule(ScheduleOutput::Preview(app.preview_schedule(s, id)?))
        }
        ScheduleCommand::Test { id, pdf } => test(app, s, id, pdf)?,
    })
}

/// `schedule test ID` (and `trigger test schedule ID`): the invoice the
/// next period would make, writing and sending nothing but the PDF asked
/// for with `--pdf`.
pub fn test(app: &Invoicer, s: &Session, id: i64, pdf: Option<PathBuf>) -> AppResult<Output> {
    let run = app.test_schedule(s, id)?;
    if let Some(path) = &pdf {
        write_document(path, &run.pdf_bytes)?;
    }
    Ok(Output::Schedule(ScheduleOutput::Test(Box::new(run), pdf)))
}

/// The output as JSON; a test run's PDF is given by its size, checksum and
/// path, not its bytes.
pub fn json(out: &ScheduleOutput) -> serde_json::Value {
    fn v<T: serde::Serialize>(t: &T) -> serde_json::Value {
        serde_json::to_value(t).unwrap_or(serde_json::Value::Null)
    }
    match out {
        ScheduleOutput::One(x) => v(x),
        ScheduleOutput::List(x) => v(x),
        ScheduleOutput::Preview(x) => v(x),
        ScheduleOutput::Test(run, path) => crate::test_run::json(run, path.as_deref()),
    }
}

fn schedule_line(s: &ScheduleView) -> String {
    let every = if s.interval == 1 {
        s.frequency.clone()
    } else {
        format!("every {} × {}", s.interval, s.frequency)
    };
    format!(
        "{:>4}  {:<28} {:<20} {:<16} {:<14} {:<9} next {}",
        s.id,
        s.name,
        s.customer_name,
        every,
        s.mode,
        s.state,
        s.next_period
            .map_or_else(|| "none (ended)".to_string(), |d| d.to_string()),
    )
}

fn occurrence_line(o: &OccurrencePreview) -> String {
    format!(
        "{:>3}  {} → {}  invoice {}  due {}  {} {}{}",
        o.index + 1,
        o.period_start,
        o.period_end,
        o.invoice_date,
        o.due_date,
        o.total,
        o.currency,
        if o.prorated {
            format!(" (prorated {} to {})", o.billed_from, o.billed_to)
        } else {
            String::new()
        }
    )
}

/// The output as text.
pub fn text(out: &ScheduleOutput) -> String {
    match out {
        ScheduleOutput::One(s) => {
            let mut t = schedule_line(s);
            if s.tested_at.is_none() {
                t.push_str(&format!(
                    "\nnot tested yet: run `invoicer schedule test {}` before enabling it",
                    s.id
                ));
            }
            t
        }
        ScheduleOutput::List(list) if list.is_empty() => "no schedules".to_string(),
        ScheduleOutput::List(list) => list
            .iter()
            .map(schedule_line)
            .collect::<Vec<_>>()
            .join("\n"),
        ScheduleOutput::Preview(list) => list
            .iter()
            .map(occurrence_line)
            .collect::<Vec<_>>()
            .join("\n"),
        ScheduleOutput::Test(run, path) => crate::test_run::text(
            vec![format!("next period: {}", occurrence_line(&run.occurrence))],
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
