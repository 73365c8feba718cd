//! `invoicer serve [--port P]` (the local integration API for headless
//! machines) and `invoicer api token show|rotate` (admins only).

use crate::output::Output;
use clap::{Args, Subcommand};
use invoicer_app::{ApiError, AppResult, ErrorCode, Invoicer, Session, SystemClock};
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

/// `invoicer serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The port on 127.0.0.1 (0 picks a free one; the URL printed says which).
    #[arg(long, default_value_t = invoicer_api::DEFAULT_PORT, env = "INVOICER_API_PORT")]
    pub port: u16,
}

/// `invoicer api …`.
#[derive(Debug, Subcommand)]
pub enum ApiCommand {
    /// The API's bearer token (kept in the OS keychain).
    #[command(subcommand)]
    Token(TokenCommand),
}

/// `invoicer api token …`.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Prints the token.
    Show,
    /// Replaces the token with a new random one and prints it; programs
    /// using the old one are refused from now on.
    Rotate,
}

/// Serves the API on `dir`'s data until Ctrl-C or SIGTERM. The API acts
/// for the oldest active admin, so nobody signs in; the token guards it.
pub fn serve(dir: &Path, args: &ServeArgs) -> AppResult<Output> {
    let app = Arc::new(Invoicer::open(dir, Arc::new(SystemClock))?);
    invoicer_api::serve_until_signal(app, args.port, |url| {
        let mut out = std::io::stdout().lock();
        // Scripts wait for this line to know the port (with --port 0).
        let _ = writeln!(out, "listening on {url}");
        let _ = out.flush();
    })
    .map_err(|e| ApiError::new(ErrorCode::Internal, e))?;
    Ok(Output::Message("stopped".into()))
}

/// Runs `invoicer api …`.
pub fn run(app: &Invoicer, s: &Session, cmd: ApiCommand) -> AppResult<Output> {
    let token = match cmd {
        ApiCommand::Token(TokenCommand::Show) => app.api_token(s)?,
        ApiCommand::Token(TokenCommand::Rotate) => app.rotate_api_token(s)?,
    };
    Ok(Output::Message(token))
}
