//! `invoicer`: the command-line front end over `invoicer-app`.
//!
//! Every command works on the same data folder as the desktop app, prints text
//! or (with `--json`) one JSON value on stdout, and reports errors on stderr
//! with a non-zero exit code.

mod api;
mod approval;
mod args;
mod bulk;
mod bulk_args;
mod credit_note;
mod jobs;
mod lines;
mod mail;
mod output;
mod reconcile;
mod reminders;
mod report;
mod report_ops;
mod run;
mod schedule;
mod settings;
mod test_run;
mod threshold;
mod trigger;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("INVOICER_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    let cli = args::Cli::parse();
    let json = cli.json;
    match run::run(cli) {
        Ok(out) => {
            output::print(&out, json);
            out.exit_code()
        }
        Err(e) => {
            output::print_error(&e, json);
            ExitCode::from(1)
        }
    }
}
