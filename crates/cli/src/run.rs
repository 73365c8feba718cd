//! Dispatches a parsed command to the use cases.

use crate::args::*;
use crate::lines::parse_lines;
use crate::output::Output;
use invoicer_app::api::*;
use invoicer_app::{
    default_data_dir, ApiError, AppResult, ErrorCode, Invoicer, Session, SystemClock,
};
use std::sync::Arc;

fn env_required(name: &str) -> AppResult<String> {
    std::env::var(name).map_err(|_| {
        ApiError::new(
            ErrorCode::Unauthenticated,
            format!("set {name} in the environment"),
        )
    })
}

fn sign_in(app: &Invoicer) -> AppResult<Session> {
    app.sign_in(&SignInInput {
        email: env_required("INVOICER_USER")?,
        password: env_required("INVOICER_PASSWORD")?,
    })
}

/// Runs one command.
pub fn run(cli: Cli) -> AppResult<Output> {
    let dir = cli.data_dir.unwrap_or_else(default_data_dir);
    let json = cli.json;
    // Jobs act as the system principal on a clock of their own (`--now`):
    // they open the app themselves and sign nobody in.
    let command = match cli.command {
        Command::Jobs(cmd) => return crate::jobs::run(&dir, cmd),
        Command::Serve(a) => return crate::api::serve(&dir, &a),
        other => other,
    };
    let app = Invoicer::open(&dir, Arc::new(SystemClock))?;
    let command = match command {
        Command::Init(a) => return init(&app, &a),
        other => other,
    };
    let s = sign_in(&app)?;
    Ok(match command {
        Command::Init(a) => init(&app, &a)?,
        Command::User(UserCommand::Add {
            email,
            name,
            role,
            password_env,
        }) => {
            let role = Role::parse(&role).ok_or_else(|| {
                ApiError::field("role", &role, "must be specialist, approver or admin")
            })?;
            let password = std::env::var(&password_env).map_err(|_| {
                ApiError::field(
                    "password_env",
                    &password_env,
                    "names an environment variable that is not set",
                )
            })?;
            Output::User(app.add_user(
                &s,
                &NewUserInput {
                    email,
                    name,
                    role,
                    password,
                },
            )?)
        }
        Command::User(UserCommand::List) => Output::Users(app.users(&s)?),
        Command::Customer(CustomerCommand::Add(c)) => Output::Customer(app.create_customer(
            &s,
            &CustomerInput {
                name: c.name,
                company: c.company,
                email: c.email,
                address: c.address,
                city: c.city,
                region: c.region,
                postal_code: c.postal_code,
                country: c.country,
                tax_id: c.tax_id,
                currency: c.currency,
                template: c.template,
                cc: Some(c.cc),
                bcc: Some(c.bcc),
                external_ref: c.external_ref,
            },
        )?),
        Command::Customer(CustomerCommand::List { search }) => {
            Output::Customers(app.customers(&s, search.as_deref())?)
        }
        Command::Tax(TaxCommand::Set {
            country,
            region,
            name,
            rate,
            inclusive,
            compound,
            position,
            manual,
        }) => Output::TaxRate(app.set_tax_rate(
            &s,
            &TaxRateInput {
                country,
                region,
                name,
                rate,
                inclusive,
                compound,
                position,
                manual,
            },
        )?),
        Command::Tax(TaxCommand::List) => Output::TaxRates(app.tax_rates(&s)?),
        Command::Invoice(cmd) => invoice(&app, &s, cmd)?,
        Command::Deliveries(cmd) => crate::mail::deliveries(&app, &s, cmd)?,
        Command::Smtp(cmd) => crate::mail::smtp(&app, &s, cmd)?,
        Command::Payment(PaymentCommand::Record {
            invoice_id,
            amount,
            date,
            method,
            reference,
        }) => Output::Invoice(Box::new(
            app.record_payment(
                &s,
                &PaymentInput {
                    invoice_id,
                    method,
                    amount,
                    date,
                    reference,
                },
            )?
            .invoice,
        )),
        Command::Payment(PaymentCommand::Reconcile(cmd)) => crate::reconcile::run(&app, &s, cmd)?,
        Command::Payment(PaymentCommand::List { invoice_id }) => {
            Output::Payments(match invoice_id {
                Some(id) => app.payments(&s, id)?,
                None => app.all_payments(&s)?,
            })
        }
        Command::Payment(PaymentCommand::Refund(a)) => crate::credit_note::refund(&app, &s, a)?,
        Command::CreditNote(cmd) => crate::credit_note::run(&app, &s, cmd)?,
        Command::Audit(AuditCommand::Verify { expect_head }) => {
            Output::AuditReport(app.verify_audit_against(&s, expect_head.as_deref())?)
        }
        Command::Audit(AuditCommand::Head) => Output::AuditHead(app.audit_head(&s)?),
        Command::Audit(AuditCommand::Export { out }) => {
            let n = app.export_audit(&s, &out)?;
            Output::Exported {
                path: out,
                events: n,
            }
        }
        Command::Audit(AuditCommand::Invoice { id }) => {
            Output::AuditEvents(app.invoice_audit(&s, id)?)
        }
        Command::Template(cmd) => template(&app, &s, cmd)?,
        Command::Product(ProductCommand::Add {
            name,
            description,
            unit_price,
            currency,
            tax_rate,
        }) => Output::Product(app.create_product(
            &s,
            &ProductInput {
                name,
                description,
                unit_price,
                currency,
                tax_rate_id: tax_rate,
            },
        )?),
        Command::Product(ProductCommand::List) => Output::Products(app.products(&s)?),
        Command::Settings(cmd) => crate::settings::run(&app, &s, cmd)?,
        Command::Jobs(cmd) => crate::jobs::run(&dir, cmd)?,
        Command::Bulk(cmd) => crate::bulk::run(&app, &s, cmd)?,
        Command::Approval(cmd) => crate::approval::run(&app, &s, cmd)?,
        Command::Reminders(cmd) => crate::reminders::run(&app, &s, cmd)?,
        Command::Customer(CustomerCommand::Reminders { id, state }) => {
            crate::reminders::set_customer(&app, &s, id, state)?
        }
        Command::Schedule(cmd) => crate::schedule::run(&app, &s, cmd)?,
        Command::Api(cmd) => crate::api::run(&app, &s, cmd)?,
        Command::Serve(a) => crate::api::serve(&dir, &a)?,
        Command::Report(a) => {
            crate::report::check_flags(&a, json)?;
            crate::report::run(&app, &s, &a)?
        }
        Command::Dashboard => crate::report::dashboard(&app, &s)?,
    })
}

fn init(app: &Invoicer, a: &InitArgs) -> AppResult<Output> {
    let session = app.setup(&SetupInput {
        company_name: a.company_name.clone(),
        country: a.country.clone(),
        region: a.region.clone(),
        currency: a.currency.clone(),
        admin_email: a.admin_email.clone(),
        admin_name: a.admin_name.clone(),
        admin_password: env_required("INVOICER_PASSWORD")?,
    })?;
    Ok(Output::Company(app.company(&session)?))
}

fn invoice(app: &Invoicer, s: &Session, cmd: InvoiceCommand) -> AppResult<Output> {
    let one = |v: InvoiceDetail| Output::Invoice(Box::new(v));
    // The CLI prints the invoice of the screen a changing use case returns.
    let screen = |v: InvoiceScreen| one(v.invoice);
    Ok(match cmd {
        InvoiceCommand::Create {
            customer,
            lines,
            issue_date,
            terms_days,
            notes,
            template,
        } => one(app.create_invoice(
            s,
            &DraftInput {
                customer_id: customer,
                issue_date,
                terms_days,
                notes,
                template,
                lines: parse_lines(&lines)?,
            },
        )?),
        InvoiceCommand::Show { id } => one(app.invoice(s, id)?),
        InvoiceCommand::List {
            status,
            customer,
            search,
            page,
            page_size,
        } => {
            let status = status
                .map(|st| {
                    DisplayStatus::parse(&st).ok_or_else(|| {
                        ApiError::field(
                            "status",
                            &st,
                            "is not a status (try issued, overdue, paid, draft …)",
                        )
                    })
                })
                .transpose()?;
            Output::InvoicePage(app.list_invoices(
                s,
                &InvoiceQuery {
                    status,
                    customer_id: customer,
                    search,
                    page,
                    page_size,
                    ..InvoiceQuery::default()
                },
            )?)
        }
        InvoiceCommand::Issue { id, send: false } => screen(app.issue_invoice(s, id)?),
        InvoiceCommand::Issue { id, send: true } => {
            crate::mail::queued(app.issue_and_send_invoice(s, id)?)?
        }
        InvoiceCommand::Send { id } => crate::mail::queued(app.send_invoice(s, id)?)?,
        InvoiceCommand::Submit { id } => screen(app.submit_for_approval(s, id)?),
        InvoiceCommand::Approve { id } => screen(app.approve_invoice(s, id)?),
        InvoiceCommand::Reject { id, reason } => screen(app.reject_invoice(s, id, &reason)?),
        InvoiceCommand::SendBack { id, reason } => screen(app.send_back_to_draft(s, id, &reason)?),
        InvoiceCommand::Pdf { id, out } => {
            let pdf = app.save_invoice_pdf(
                s,
                &SavePdfInput {
                    invoice_id: id,
                    path: out.display().to_string(),
                },
            )?;
            Output::Written {
                path: out,
                bytes: pdf.bytes.len() as u64,
                sha256: pdf.sha256,
            }
        }
        InvoiceCommand::Void { id, reason } => screen(app.void_invoice(
            s,
            &VoidInput {
                invoice_id: id,
                reason,
            },
        )?),
        InvoiceCommand::Dispute { id, reason, days } => {
            Output::Dispute(app.dispute_invoice(s, id, &reason, days)?)
        }
        InvoiceCommand::ResolveDispute { id, outcome } => {
            Output::Dispute(app.resolve_dispute(s, id, outcome.into())?)
        }
    })
}

fn template(app: &Invoicer, s: &Session, cmd: TemplateCommand) -> AppResult<Output> {
    Ok(match cmd {
        TemplateCommand::List => Output::Templates(app.list_templates(s)?),
        TemplateCommand::Show { name, version } => Output::Template(Box::new(
            app.template(s, &TemplateRefInput { name, version })?,
        )),
        TemplateCommand::SetBlock { name, block, file } => {
            let source = std::fs::read_to_string(&file).map_err(|e| {
                ApiError::field(
                    "file",
                    &file.display().to_string(),
                    &format!("cannot be read: {e}"),
                )
            })?;
            let current = app.template(
                s,
                &TemplateRefInput {
                    name: name.clone(),
                    version: None,
                },
            )?;
            let mut blocks = serde_json::to_value(&current.blocks)
                .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
            let slot = blocks.get_mut(block.as_str()).ok_or_else(|| {
                ApiError::field("block", &block, "is not a block name (title, intro, notes, payment_instructions, legal_footer, region_statement, email_subject, email_body, reminder_1_subject … reminder_3_body)")
            })?;
            *slot = serde_json::Value::String(source);
            let blocks = serde_json::from_value(blocks)
                .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
            Output::Template(Box::new(app.save_template(
                s,
                &SaveTemplateInput {
                    name,
                    blocks,
                    layout: current.layout,
                },
            )?))
        }
        TemplateCommand::SetDefault { name } => {
            app.set_default_template(s, &name)?;
            Output::Templates(app.list_templates(s)?)
        }
    })
}
