//! The command line, as clap parses it.

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

pub use crate::bulk_args::BulkCommand;

/// Invoicer from the command line: the same data and rules as the desktop app.
#[derive(Debug, Parser)]
#[command(name = "invoicer", version, about)]
pub struct Cli {
    /// Data folder (default: the OS data folder, as the desktop app uses).
    #[arg(long, global = true, env = "INVOICER_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Print one JSON object or array on stdout instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Top-level commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// First-time setup: the company and its admin (password from INVOICER_PASSWORD).
    Init(InitArgs),
    /// Users.
    #[command(subcommand)]
    User(UserCommand),
    /// Customers.
    #[command(subcommand)]
    Customer(CustomerCommand),
    /// Tax rates.
    #[command(subcommand)]
    Tax(TaxCommand),
    /// Invoices.
    #[command(subcommand)]
    Invoice(InvoiceCommand),
    /// Payments.
    #[command(subcommand)]
    Payment(PaymentCommand),
    /// The audit trail.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// The template library.
    #[command(subcommand)]
    Template(TemplateCommand),
    /// The product catalogue.
    #[command(subcommand)]
    Product(ProductCommand),
    /// Company settings: show them, or change them (admins only).
    #[command(subcommand)]
    Settings(SettingsCommand),
    /// The outbox: emails queued, sent, failed or of unknown outcome.
    #[command(subcommand)]
    Deliveries(crate::mail::DeliveriesCommand),
    /// The SMTP server mail is sent through (the password lives in the OS keychain).
    #[command(subcommand)]
    Smtp(crate::mail::SmtpCommand),
    /// Background jobs (e.g. the outbox sender), as the system principal:
    /// no sign-in needed.
    #[command(subcommand)]
    Jobs(JobsCommand),
    /// Invoices from a CSV file: check it (`--dry-run`) before sending.
    #[command(subcommand)]
    Bulk(BulkCommand),
    /// The approvers' queue: list, approve and reject.
    #[command(subcommand)]
    Approval(crate::approval::ApprovalCommand),
    /// Payment reminders: sent, skipped and due.
    #[command(subcommand)]
    Reminders(crate::reminders::RemindersCommand),
    /// Credit notes: the only way to correct an issued invoice.
    #[command(subcommand)]
    CreditNote(crate::credit_note::CreditNoteCommand),
    /// Recurring schedules: add, list, pause, resume, skip, preview, test.
    #[command(subcommand)]
    Schedule(crate::schedule::ScheduleCommand),
    /// Time and usage thresholds: add, list, show, enable, disable.
    #[command(subcommand)]
    Threshold(crate::threshold::ThresholdCommand),
    /// Logged hours and usage units for threshold rules.
    #[command(subcommand)]
    Usage(crate::threshold::UsageCommand),
    /// Triggers: event rules (list, enable, disable) and `test rule|threshold|schedule` dry runs.
    #[command(subcommand)]
    Trigger(crate::trigger::TriggerCommand),
    /// Serves the local integration API on 127.0.0.1 until Ctrl-C or SIGTERM.
    Serve(crate::api::ServeArgs),
    /// The local integration API's token: show or rotate (admins only).
    #[command(subcommand)]
    Api(crate::api::ApiCommand),
    /// A report: aging, collection, dso, automation, forecast or exceptions.
    Report(crate::report::ReportArgs),
    /// The dashboard: outstanding, overdue, aging, collected, DSO, forecast.
    Dashboard,
}

/// `invoicer jobs …`.
#[derive(Debug, Subcommand)]
pub enum JobsCommand {
    /// Runs one pass of every background job and reports what each did; exits
    /// 4 if a job's pass failed as a whole. The continuous runner is the
    /// desktop app's; this is for cron and scripts.
    Run {
        /// Run one pass of each job and return (the only mode offered here).
        #[arg(long)]
        once: bool,
        /// Run as if it were this moment: a day (YYYY-MM-DD, its first
        /// instant in the company's time zone) or an RFC 3339 instant.
        #[arg(long, value_name = "DATE")]
        now: Option<String>,
    },
}

/// `invoicer settings …`.
#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// Prints every company setting; `--json` prints the snake_case keys `set` takes.
    Show,
    /// Changes one setting (`KEY VALUE`) or those in a JSON file (`--file`), admins only.
    ///
    /// Keys: number_format, payment_terms_days, rounding_scope (per_line | per_document),
    /// rounding_mode (half_up | half_even | …), approval_threshold, exchange_rates
    /// (JSON: [{"currency":"KWD","rate":"3.25","valid_from":"2026-01-01"}]), approval_rules
    /// (JSON: {"every_invoice":false,"levels":[{"from":"10000.00","approvers":1}],
    /// "scoped":[{"scope":{"source":"bulk"},"from":null,"approvers":1}]}), timezone,
    /// payment_link_format, dispute_window_days, require_customer_tax_id, and the
    /// company's name, address, email, tax_id, country, region and currency.
    #[command(group = clap::ArgGroup::new("change").required(true).args(["key", "file"]))]
    Set {
        /// The setting's snake_case name, as `settings show --json` prints it.
        #[arg(requires = "value")]
        key: Option<String>,
        /// The new value: text as typed, or JSON for numbers, booleans, null and lists.
        value: Option<String>,
        /// A JSON object with some or all settings to change; unknown keys are refused.
        #[arg(long, conflicts_with = "key")]
        file: Option<PathBuf>,
    },
    /// Adds an exchange rate for the approval threshold (admins only), e.g.
    /// `settings rate-add KWD 3.25 --from 2026-01-01`.
    RateAdd {
        /// The foreign currency, e.g. KWD.
        currency: String,
        /// Units of the company currency per unit of `currency`.
        rate: String,
        /// The first day the rate applies.
        #[arg(long)]
        from: NaiveDate,
    },
}

/// `invoicer product …`.
#[derive(Debug, Subcommand)]
pub enum ProductCommand {
    /// Adds a product to the catalogue.
    Add {
        /// Short name.
        #[arg(long)]
        name: String,
        /// Line description printed on invoices; the name if omitted.
        #[arg(long, default_value = "")]
        description: String,
        /// Price of one unit.
        #[arg(long)]
        unit_price: String,
        /// Currency; the company's if omitted.
        #[arg(long)]
        currency: Option<String>,
        /// Tax rate id, if not the customer's regional rate.
        #[arg(long)]
        tax_rate: Option<i64>,
    },
    /// Lists the catalogue.
    List,
}

/// `invoicer template …`.
#[derive(Debug, Subcommand)]
pub enum TemplateCommand {
    /// Lists templates with their current version.
    List,
    /// Shows a template version's blocks and layout.
    Show {
        /// Template name, e.g. standard-en.
        name: String,
        /// Version number; default the newest.
        #[arg(long)]
        version: Option<u32>,
    },
    /// Replaces one text block from a file, saving a new version (admins only).
    SetBlock {
        /// Template name.
        name: String,
        /// Block name: title, intro, notes, payment_instructions, legal_footer,
        /// region_statement, email_subject, email_body, reminder_N_subject, reminder_N_body.
        block: String,
        /// File holding the block's tera source.
        #[arg(long)]
        file: PathBuf,
    },
    /// Makes a template the company default (admins only).
    SetDefault {
        /// Template name.
        name: String,
    },
}

/// `invoicer init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Legal name of the company.
    #[arg(long)]
    pub company_name: String,
    /// ISO country code, e.g. US.
    #[arg(long)]
    pub country: String,
    /// Region or state code, e.g. CA.
    #[arg(long)]
    pub region: Option<String>,
    /// Company currency, e.g. USD.
    #[arg(long)]
    pub currency: String,
    /// The first admin's email.
    #[arg(long)]
    pub admin_email: String,
    /// The first admin's name.
    #[arg(long)]
    pub admin_name: String,
}

/// `invoicer user …`.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Adds a user (admins only).
    Add {
        /// Sign-in email.
        #[arg(long)]
        email: String,
        /// Display name.
        #[arg(long)]
        name: String,
        /// specialist, approver or admin.
        #[arg(long)]
        role: String,
        /// Name of the environment variable holding the new user's password.
        #[arg(long)]
        password_env: String,
    },
    /// Lists users (admins only).
    List,
}

/// `invoicer customer …`.
#[derive(Debug, Subcommand)]
pub enum CustomerCommand {
    /// Adds a customer.
    Add(Box<CustomerArgs>),
    /// Lists customers.
    List {
        /// Only names, companies or emails containing this.
        #[arg(long)]
        search: Option<String>,
    },
    /// Turns payment reminders for a customer on or off (off = opted out).
    Reminders {
        /// Customer id.
        id: i64,
        /// on or off.
        state: crate::reminders::OnOff,
    },
}

/// A customer's fields.
#[derive(Debug, Args)]
pub struct CustomerArgs {
    /// Contact or legal name.
    #[arg(long)]
    pub name: String,
    /// Company name.
    #[arg(long)]
    pub company: Option<String>,
    /// Billing email.
    #[arg(long)]
    pub email: String,
    /// Street address.
    #[arg(long)]
    pub address: String,
    /// City.
    #[arg(long)]
    pub city: String,
    /// Region or state code.
    #[arg(long)]
    pub region: Option<String>,
    /// Postal code.
    #[arg(long)]
    pub postal_code: String,
    /// ISO country code.
    #[arg(long)]
    pub country: String,
    /// VAT or sales-tax id.
    #[arg(long)]
    pub tax_id: Option<String>,
    /// Invoice currency, if not the company's.
    #[arg(long)]
    pub currency: Option<String>,
    /// Template to invoice this customer with, if not the company default.
    #[arg(long)]
    pub template: Option<String>,
    /// An address copied on every email to this customer; repeat for more.
    #[arg(long)]
    pub cc: Vec<String>,
    /// An address blind-copied on every email to this customer; repeat for more.
    #[arg(long)]
    pub bcc: Vec<String>,
    /// The customer's id in the system its data comes from (unique).
    #[arg(long)]
    pub external_ref: Option<String>,
}

/// `invoicer tax …`.
#[derive(Debug, Subcommand)]
pub enum TaxCommand {
    /// Adds or replaces a tax rate (admins only).
    Set {
        /// ISO country code.
        #[arg(long)]
        country: String,
        /// Region or state code.
        #[arg(long)]
        region: Option<String>,
        /// Name printed on invoices.
        #[arg(long)]
        name: String,
        /// Rate in percent, e.g. 8.25.
        #[arg(long)]
        rate: String,
        /// Prices already include this tax.
        #[arg(long)]
        inclusive: bool,
        /// Computed on the net plus the taxes placed before it in the group
        /// (rates with the same country and region all apply).
        #[arg(long)]
        compound: bool,
        /// Place in the country and region's group, lower first; last if omitted.
        #[arg(long)]
        position: Option<i64>,
        /// Only for lines that name it (`|rate=ID`), not part of the region's
        /// automatic group: e.g. a reduced VAT rate next to the standard one.
        #[arg(long)]
        manual: bool,
    },
    /// Lists tax rates.
    List,
}

/// `invoicer invoice …`.
#[derive(Debug, Subcommand)]
pub enum InvoiceCommand {
    /// Creates a draft and prints it with its totals.
    Create {
        /// Customer id.
        #[arg(long)]
        customer: i64,
        /// A line: "DESCRIPTION|QTY|UNIT_PRICE[|DISCOUNT%][|rate=ID or |exempt=REASON]";
        /// repeat for more lines. Without a tax part the customer's tax group applies.
        #[arg(long = "line", required = true)]
        lines: Vec<String>,
        /// Issue date (YYYY-MM-DD); default today.
        #[arg(long)]
        issue_date: Option<NaiveDate>,
        /// Payment terms in days; default the company's.
        #[arg(long)]
        terms_days: Option<u32>,
        /// Notes printed on the invoice.
        #[arg(long)]
        notes: Option<String>,
        /// Template to print with; the customer's, else the company default.
        #[arg(long)]
        template: Option<String>,
    },
    /// Shows an invoice.
    Show {
        /// Invoice id.
        id: i64,
    },
    /// Lists invoices.
    List {
        /// draft, pending_approval, approved, rejected, issued, overdue, partially_paid, paid or void.
        #[arg(long)]
        status: Option<String>,
        /// Only this customer's invoices.
        #[arg(long)]
        customer: Option<i64>,
        /// Number or customer name contains this.
        #[arg(long)]
        search: Option<String>,
        /// Page number, from 1.
        #[arg(long, default_value_t = 1)]
        page: u32,
        /// Rows per page.
        #[arg(long, default_value_t = 50)]
        page_size: u32,
    },
    /// Issues an invoice: gives it its number and freezes it.
    Issue {
        /// Invoice id.
        id: i64,
        /// Also queue its email, in the same transaction.
        #[arg(long)]
        send: bool,
    },
    /// Queues an issued invoice's email (PDF and payment link) for the sender;
    /// `invoicer jobs run --once` or the desktop app sends it.
    Send {
        /// Invoice id.
        id: i64,
    },
    /// Sends a draft for approval.
    Submit {
        /// Invoice id.
        id: i64,
    },
    /// Approves an invoice (approvers; not your own).
    Approve {
        /// Invoice id.
        id: i64,
    },
    /// Rejects an invoice back to its maker.
    Reject {
        /// Invoice id.
        id: i64,
        /// Why.
        #[arg(long)]
        reason: String,
    },
    /// Writes an invoice's PDF (the archived copy once issued).
    Pdf {
        /// Invoice id.
        id: i64,
        /// Output file.
        #[arg(long)]
        out: PathBuf,
    },
    /// Sends an approved or pending invoice back to draft, withdrawing its
    /// approvals (an invoice that was never issued has no number to void).
    SendBack {
        /// Invoice id.
        id: i64,
        /// Why.
        #[arg(long)]
        reason: String,
    },
    /// Voids an issued invoice.
    Void {
        /// Invoice id.
        id: i64,
        /// Why.
        #[arg(long)]
        reason: String,
    },
    /// Marks an issued invoice disputed: reminders pause until it is resolved.
    Dispute {
        /// Invoice id.
        id: i64,
        /// What the customer contests.
        #[arg(long)]
        reason: String,
        /// The dispute window in days (30–90); default the company's.
        #[arg(long)]
        days: Option<u32>,
    },
    /// Records how an invoice's open dispute ended.
    ResolveDispute {
        /// Invoice id.
        id: i64,
        /// upheld (a credit note is owed; no more reminders) or rejected
        /// (reminders resume with the next due step).
        #[arg(long)]
        outcome: crate::reminders::OutcomeArg,
    },
}

/// `invoicer payment …`.
#[derive(Debug, Subcommand)]
pub enum PaymentCommand {
    /// Records a payment.
    Record {
        /// Invoice id.
        invoice_id: i64,
        /// Amount in the invoice currency.
        #[arg(long)]
        amount: String,
        /// Day the money arrived (YYYY-MM-DD).
        #[arg(long)]
        date: NaiveDate,
        /// bank_transfer (default), card, cash, cheque or other.
        #[arg(long)]
        method: Option<String>,
        /// Bank or processor reference.
        #[arg(long)]
        reference: Option<String>,
    },
    /// Lists an invoice's payments, oldest first, or (without an invoice)
    /// the newest payments of all invoices.
    List {
        /// Invoice id.
        invoice_id: Option<i64>,
    },
    /// Records money paid back to the customer.
    Refund(crate::credit_note::RefundArgs),
    /// Bank statement reconciliation (import, matches, confirm, dismiss).
    #[command(flatten)]
    Reconcile(crate::reconcile::ReconcileCommand),
}

/// `invoicer audit …`.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Verifies the hash chain and cross-checks issued invoices; exits 3 if
    /// anything is broken.
    Verify {
        /// A head printed earlier by `audit head` (SEQ:HASH); fails unless
        /// the chain still holds that hash at that seq.
        #[arg(long, value_name = "SEQ:HASH")]
        expect_head: Option<String>,
    },
    /// Prints the chain's head (SEQ:HASH) to keep outside the database.
    Head,
    /// Exports the trail to CSV.
    Export {
        /// Output file.
        #[arg(long)]
        out: PathBuf,
    },
    /// Shows an invoice's events.
    Invoice {
        /// Invoice id.
        id: i64,
    },
}
