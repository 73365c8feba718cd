//! What the CLI prints: text for people, JSON with `--json`.

use invoicer_app::api::*;
use invoicer_app::ApiError;
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;

/// The result of a command.
pub enum Output {
    Company(CompanyView),
    User(UserView),
    Users(Vec<UserView>),
    Customer(CustomerView),
    Customers(Vec<CustomerView>),
    TaxRate(TaxRateView),
    TaxRates(Vec<TaxRateView>),
    Invoice(Box<InvoiceDetail>),
    InvoicePage(InvoicePage),
    Payments(Vec<PaymentView>),
    CreditNote(Box<CreditNoteView>),
    CreditNotes(Vec<CreditNoteView>),
    AuditReport(AuditReport),
    AuditEvents(Vec<AuditEventView>),
    AuditHead(AuditHeadView),
    Exported {
        path: PathBuf,
        events: u64,
    },
    Written {
        path: PathBuf,
        bytes: u64,
        sha256: String,
    },
    Templates(Vec<TemplateSummaryView>),
    Product(ProductView),
    Products(Vec<ProductView>),
    Template(Box<TemplateVersionView>),
    Settings(serde_json::Value),
    Jobs(invoicer_app::JobsReport),
    Deliveries(DeliveryList),
    BulkCheck(Box<BulkCheckReport>),
    BulkJob(Box<BulkJobReport>),
    BulkJobs(Vec<BulkJobView>),
    Delivery(Box<DeliveryView>),
    EmailSettings(EmailSettingsView),
    TestEmail(Box<TestEmailResult>),
    ApprovalQueue(ApprovalQueue),
    Reminders(Vec<ReminderView>),
    Dispute(DisputeView),
    CustomerReminders {
        customer_id: i64,
        opt_out: bool,
    },
    Reconciliation(crate::reconcile::ReconcileOutput),
    Schedule(crate::schedule::ScheduleOutput),
    /// A line of text (`--json`: a JSON string), e.g. the API token.
    Message(String),
    /// A report (`invoicer report …`).
    Report(Box<Report>),
    /// The dashboard.
    Dashboard(Box<Dashboard>),
    /// Rows already streamed to stdout (`invoicer report … --csv`): nothing
    /// more is printed.
    Streamed(u64),
}

impl Output {
    /// A broken audit chain is a failure for scripts and cron, so it exits 3.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Output::AuditReport(r) if !r.intact => ExitCode::from(3),
            Output::Jobs(r) if !r.all_passes_ran() => ExitCode::from(4),
            Output::BulkCheck(r) if !r.needs_confirmation.is_empty() => ExitCode::from(1),
            // Invoices that failed are the job's news: a script must see them.
            Output::BulkJob(r) if r.job.counts.failed > 0 => ExitCode::from(5),
            _ => ExitCode::SUCCESS,
        }
    }

    fn json(&self) -> serde_json::Value {
        fn v<T: Serialize>(t: &T) -> serde_json::Value {
            serde_json::to_value(t).unwrap_or(serde_json::Value::Null)
        }
        match self {
            Output::Company(x) => v(x),
            Output::User(x) => v(x),
            Output::Users(x) => v(x),
            Output::Customer(x) => v(x),
            Output::Customers(x) => v(x),
            Output::TaxRate(x) => v(x),
            Output::TaxRates(x) => v(x),
            Output::Invoice(x) => v(x),
            Output::InvoicePage(x) => v(x),
            Output::Payments(x) => v(x),
            Output::CreditNote(x) => v(x),
            Output::CreditNotes(x) => v(x),
            Output::AuditReport(x) => v(x),
            Output::AuditEvents(x) => v(x),
            Output::AuditHead(x) => v(x),
            Output::Exported { path, events } => {
                serde_json::json!({"path": path, "events": events})
            }
            Output::Written {
                path,
                bytes,
                sha256,
            } => {
                serde_json::json!({"path": path, "bytes": bytes, "sha256": sha256})
            }
            Output::Templates(x) => v(x),
            Output::Product(x) => v(x),
            Output::Products(x) => v(x),
            Output::Template(x) => v(x),
            Output::Settings(x) => x.clone(),
            Output::Jobs(x) => v(x),
            Output::Deliveries(x) => v(x),
            Output::BulkCheck(x) => v(x),
            Output::BulkJob(x) => v(x),
            Output::BulkJobs(x) => v(x),
            Output::Delivery(x) => v(x),
            Output::EmailSettings(x) => v(x),
            Output::TestEmail(x) => v(x),
            Output::ApprovalQueue(x) => v(x),
            Output::Reminders(x) => v(x),
            Output::Dispute(x) => v(x),
            Output::CustomerReminders {
                customer_id,
                opt_out,
            } => serde_json::json!({"customer_id": customer_id, "reminders_opt_out": opt_out}),
            Output::Reconciliation(x) => x.json(),
            Output::Schedule(x) => crate::schedule::json(x),
            Output::Message(m) => serde_json::json!(m),
            Output::Report(x) => v(x),
            Output::Dashboard(x) => v(x),
            Output::Streamed(n) => serde_json::json!({ "rows": n }),
        }
    }

    fn text(&self) -> String {
        match self {
            Output::Settings(x) => crate::settings::text(x),
            Output::Jobs(x) => crate::jobs::text(x),
            Output::Deliveries(x) => crate::mail::deliveries_text(x),
            Output::BulkCheck(x) => crate::bulk::report_text(x),
            Output::BulkJob(x) => crate::bulk::job_text(x),
            Output::BulkJobs(x) => crate::bulk::jobs_text(x),
            Output::Delivery(x) => crate::mail::delivery_line(x),
            Output::EmailSettings(x) => crate::mail::email_settings_text(x),
            Output::TestEmail(x) => crate::mail::test_email_text(x),
            Output::ApprovalQueue(x) => crate::approval::queue_text(x),
            Output::Reminders(x) => crate::reminders::list_text(x),
            Output::Dispute(x) => crate::reminders::dispute_text(x),
            Output::CustomerReminders {
                customer_id,
                opt_out,
            } => format!(
                "customer {customer_id}: reminders {}",
                if *opt_out { "off (opted out)" } else { "on" }
            ),
            Output::CreditNote(x) => crate::credit_note::note_line(x),
            Output::CreditNotes(x) => crate::credit_note::notes_text(x),
            Output::Reconciliation(x) => x.text(),
            Output::Schedule(x) => crate::schedule::text(x),
            Output::Message(m) => m.clone(),
            Output::Report(r) => crate::report::report_text(r),
            Output::Dashboard(d) => crate::report::dashboard_text(d),
            Output::Streamed(_) => String::new(),
            Output::Company(c) => format!(
                "{} ({}{}), currency {}, terms Net {}, numbers {}",
                c.name,
                c.country,
                c.region
                    .as_deref()
                    .map(|r| format!("-{r}"))
                    .unwrap_or_default(),
                c.currency,
                c.payment_terms_days,
                c.number_format
            ),
            Output::User(u) => format!("user {} {} <{}> ({})", u.id, u.name, u.email, u.role),
            Output::Users(us) => us
                .iter()
                .map(|u| format!("{:>4}  {:<24} {:<32} {}", u.id, u.name, u.email, u.role))
                .collect::<Vec<_>>()
                .join("\n"),
            Output::Customer(c) => customer_line(c),
            Output::Customers(cs) => cs.iter().map(customer_line).collect::<Vec<_>>().join("\n"),
            Output::TaxRate(t) => tax_line(t),
            Output::TaxRates(ts) => ts.iter().map(tax_line).collect::<Vec<_>>().join("\n"),
            Output::Invoice(i) => invoice_text(i),
            Output::InvoicePage(p) => {
                let mut out: Vec<String> = p
                    .items
                    .iter()
                    .map(|i| {
                        format!(
                            "{:>6}  {:<16} {:<15} {:<28} {}  {:>14} {:>14} {}",
                            i.id,
                            i.number.as_deref().unwrap_or("(draft)"),
                            i.display_status.as_str(),
                            i.customer_name,
                            i.issue_date,
                            i.total,
                            i.balance,
                            i.currency
                        )
                    })
                    .collect();
                out.push(format!(
                    "page {} · {} of {} invoices",
                    p.page,
                    p.items.len(),
                    p.total_count
                ));
                out.join("\n")
            }
            Output::Payments(ps) => ps
                .iter()
                .map(|p| {
                    format!(
                        "{:>4}  invoice {:>4}  {}  {:>14}  {:<13}  {}",
                        p.id,
                        p.invoice_id,
                        p.date,
                        p.amount,
                        p.method,
                        p.reference.as_deref().unwrap_or("")
                    )
                })
                .collect::<Vec<_>>()
                .join("\n"),
            Output::AuditReport(r) => r.message.clone(),
            Output::AuditHead(h) => h.anchor.clone(),
            Output::AuditEvents(es) => es
                .iter()
                .map(|e| {
                    format!(
                        "{:>6}  {}  {:<20} {:<28} {}",
                        e.seq,
                        e.at,
                        e.action,
                        e.actor.as_deref().unwrap_or("system"),
                        e.data
                    )
                })
                .collect::<Vec<_>>()
                .join("\n"),
            Output::Exported { path, events } => {
                format!("exported {events} audit events to {}", path.display())
            }
            Output::Written {
                path,
                bytes,
                sha256,
            } => {
                format!("wrote {} ({bytes} bytes, sha256 {sha256})", path.display())
            }
            Output::Templates(ts) => ts
                .iter()
                .map(|t| {
                    format!(
                        "{:<20} v{:<4} {:<8} {} {}",
                        t.name,
                        t.current_version,
                        if t.is_default { "default" } else { "" },
                        t.updated_at,
                        t.updated_by
                    )
                })
                .collect::<Vec<_>>()
                .join("\n"),
            Output::Template(t) => template_text(t),
            Output::Product(p) => product_line(p),
            Output::Products(ps) => ps.iter().map(product_line).collect::<Vec<_>>().join("\n"),
        }
    }
}

fn template_text(t: &TemplateVersionView) -> String {
    let mut out = vec![format!(
        "{} v{} ({}, {}, accent {}){} — saved {} by {}, sha256 {}",
        t.name,
        t.version,
        t.layout.locale,
        match t.layout.paper {
            PaperView::A4 => "A4",
            PaperView::Letter => "Letter",
        },
        t.layout.accent_color,
        if t.is_default { ", default" } else { "" },
        t.created_at,
        t.author,
        t.checksum
    )];
    if let Ok(serde_json::Value::Object(blocks)) = serde_json::to_value(&t.blocks) {
        for (name, source) in blocks {
            out.push(format!("--- {name}"));
            out.push(source.as_str().unwrap_or_default().to_string());
        }
    }
    out.join("\n")
}

fn product_line(p: &ProductView) -> String {
    format!(
        "{:>4}  {:<32} {:>12} {}  {}",
        p.id, p.name, p.unit_price, p.currency, p.description
    )
}

fn customer_line(c: &CustomerView) -> String {
    format!(
        "{:>4}  {:<28} {:<32} {}{}",
        c.id,
        c.company.as_deref().unwrap_or(&c.name),
        c.email,
        c.country,
        c.region
            .as_deref()
            .map(|r| format!("-{r}"))
            .unwrap_or_default()
    )
}

fn tax_line(t: &TaxRateView) -> String {
    format!(
        "{:>4}  {}{}  {:<24} {}%{}",
        t.id,
        t.country,
        t.region
            .as_deref()
            .map(|r| format!("-{r}"))
            .unwrap_or_default(),
        t.name,
        t.rate,
        if t.inclusive { " (inclusive)" } else { "" }
    ) + &format!(
        "  #{}{}",
        t.position,
        if t.compound { " compound" } else { "" }
    ) + if t.manual { " manual" } else { "" }
}

fn invoice_text(i: &InvoiceDetail) -> String {
    let mut out = vec![
        format!(
            "Invoice {} (id {}) — {}",
            i.number.as_deref().unwrap_or("DRAFT"),
            i.id,
            i.display_status.as_str()
        ),
        format!(
            "Customer: {}{}",
            i.customer.name,
            i.customer
                .company
                .as_deref()
                .map(|c| format!(", {c}"))
                .unwrap_or_default()
        ),
        format!(
            "Date {} · due {} (Net {})",
            i.issue_date, i.due_date, i.terms_days
        ),
        String::new(),
    ];
    for l in &i.lines {
        out.push(format!(
            "  {:<36} {:>8} × {:>10}{}  {:>12}",
            l.description,
            l.quantity,
            l.unit_price,
            l.discount_percent
                .as_deref()
                .map(|d| format!(" −{d}%"))
                .unwrap_or_default(),
            l.net
        ));
        if let Some(reason) = &l.tax_exempt_reason {
            out.push(format!("      tax exempt: {reason}"));
        }
    }
    out.push(String::new());
    let row = |label: &str, v: &str| format!("  {label:<48} {v:>12} {}", i.currency);
    out.push(row("Subtotal", &i.subtotal));
    if i.discount_total != "0" && !i.discount_total.chars().all(|c| c == '0' || c == '.') {
        out.push(row("Discount", &format!("-{}", i.discount_total)));
    }
    for t in &i.tax_breakdown {
        out.push(row(
            &format!(
                "{} {}%{}",
                t.name,
                t.rate,
                if t.inclusive {
                    " (incl.)"
                } else if t.compound {
                    " (compound)"
                } else {
                    ""
                }
            ),
            &t.tax,
        ));
    }
    out.push(row("Total", &i.total));
    out.push(row("Paid", &i.amount_paid));
    out.push(row("Balance", &i.balance));
    if let Some(r) = &i.void_reason {
        out.push(format!("Voided: {r}"));
    }
    if let Some(a) = &i.approval {
        out.extend(crate::approval::status_lines(a));
    }
    out.join("\n")
}

/// Prints a result.
pub fn print(out: &Output, json: bool) {
    use std::io::Write;
    // The CSV went to stdout as it was written; a line after it would be
    // an extra, empty record.
    if matches!(out, Output::Streamed(_)) {
        return;
    }
    let text = if json {
        out.json().to_string()
    } else {
        out.text()
    };
    // A closed pipe (`invoicer … | head`) is not an error worth a panic.
    let _ = writeln!(std::io::stdout().lock(), "{text}");
}

/// Prints an error on stderr.
pub fn print_error(e: &ApiError, json: bool) {
    if json {
        eprintln!(
            "{}",
            serde_json::to_string(e).unwrap_or_else(|_| e.message.clone())
        );
    } else {
        eprintln!("error: {e}");
    }
}
