//! Invoicer's desktop shell: the Tauri window, the IPC commands over
//! `invoicer-app`, the `invoicer-pdf` protocol serving invoice PDFs by URL,
//! the app's events forwarded to the window, the background jobs' lifetime,
//! and nothing else.
//!
//! Architecture invariant: no business rule lives here. A command reads the
//! signed-in session from [`AppState`], calls one use case of
//! [`invoicer_app::Invoicer`] on a blocking thread, and returns its result; the
//! error crosses to the UI as the serialized [`invoicer_app::ApiError`].

pub mod commands;
pub mod events;
pub mod navigation;
pub mod pdf_protocol;
pub mod state;

pub use events::WindowEvents;
pub use navigation::NavigationGuard;
pub use state::AppState;

use invoicer_app::{ApiError, Invoicer, SystemClock};
use std::io::IsTerminal;
use std::path::Path;
use std::sync::Arc;
use tauri::{App, AppHandle, Builder, Manager, RunEvent, Runtime};
use tauri_plugin_dialog::{DialogExt, MessageDialogButtons, MessageDialogKind};

/// The label of the one window, as in `tauri.conf.json` and the capabilities.
pub const MAIN_WINDOW: &str = "main";

/// Run in the page before the UI's own code in builds with the `e2e`
/// feature only: it tells `ui/src/main.ts` to install the end-to-end test
/// hook (`window.__invoicerE2E`). Normal builds have no hook at all.
#[cfg(feature = "e2e")]
const E2E_INIT_SCRIPT: &str = "window.__INVOICER_E2E__ = true;";

/// Registers every IPC command of the contract on `builder`.
pub fn with_commands<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    use commands::*;
    builder.invoke_handler(tauri::generate_handler![
        session::setup_status,
        session::setup,
        session::sign_in,
        session::sign_out,
        company::get_company,
        company::update_company,
        company::list_users,
        company::add_user,
        customers::list_customers,
        customers::get_customer,
        customers::create_customer,
        customers::update_customer,
        tax_rates::list_tax_rates,
        tax_rates::set_tax_rate,
        tax_rates::delete_tax_rate,
        invoices::preview_totals,
        invoices::create_invoice,
        invoices::update_invoice,
        invoices::get_invoice,
        invoices::list_invoices,
        invoices::due_invoices,
        invoices::issue_invoice,
        invoices::void_invoice,
        approvals::submit_for_approval,
        approvals::approve_invoice,
        approvals::reject_invoice,
        approvals::send_back_to_draft,
        approvals::approval_queue,
        approvals::approvals_waiting,
        approvals::approve_invoice_with,
        approvals::approve_invoices,
        approval_rules::approval_rules,
        approval_rules::update_approval_rules,
        documents::save_invoice_pdf,
        documents::preview_template_pdf,
        templates::list_templates,
        templates::get_template,
        templates::template_history,
        templates::save_template,
        templates::set_default_template,
        payments::record_payment,
        payments::list_payments,
        credit_notes::preview_credit_note,
        credit_notes::create_credit_note,
        credit_notes::list_credit_notes,
        credit_notes::send_credit_note,
        credit_notes::record_refund,
        credit_notes::save_credit_note_pdf,
        audit::invoice_audit,
        audit::verify_audit,
        deliveries::send_invoice,
        deliveries::issue_and_send_invoice,
        deliveries::deliveries,
        deliveries::resend_delivery,
        deliveries::mark_delivery_sent,
        deliveries::email_settings,
        deliveries::save_smtp_settings,
        deliveries::clear_smtp_settings,
        deliveries::rotate_payment_link_secret,
        integration::integration_api,
        integration::show_api_token,
        integration::rotate_api_token,
        deliveries::send_test_email,
        bulk::pick_bulk_file,
        bulk::check_bulk_file,
        bulk::bulk_profiles,
        bulk::start_bulk_job,
        bulk::bulk_jobs,
        bulk::bulk_job_report,
        bulk::resume_bulk_job,
        bulk::cancel_bulk_job,
        bulk::save_bulk_check_problems,
        bulk::save_bulk_job_problems,
        bulk::bulk_preview_pdf,
        reports::dashboard,
        reports::run_report,
        reports::export_report_csv,
        reminders::list_reminders,
        reminders::invoice_reminders,
        reminders::reminder_policy,
        reminders::set_reminder_policy,
        reminders::dispute_invoice,
        reminders::resolve_dispute,
        reminders::invoice_dispute,
        reminders::disputes_past_window,
        reminders::customer_reminders,
        reminders::set_customer_reminders,
        reminders::reminders_panel,
        reminders::send_reminder_now,
        reconciliation::pick_statement_file,
        reconciliation::preview_statement,
        reconciliation::import_statement,
        reconciliation::statement_matches,
        reconciliation::confirm_statement_line,
        reconciliation::dismiss_statement_line,
        schedules::list_schedules,
        schedules::create_schedule,
        schedules::update_schedule,
        schedules::pause_schedule,
        schedules::resume_schedule,
        schedules::skip_schedule_occurrence,
        schedules::preview_schedule,
        schedules::test_schedule,
        schedules::invoice_trigger,
    ])
}

/// Logs to stderr. `RUST_LOG` overrides the default filter.
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // A second call (e.g. from tests) keeps the first subscriber.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}

/// Tells the person at the screen (and the log) why the database cannot be
/// opened, then quits with status 1 once they close the dialog.
fn explain_and_exit<R: Runtime>(app: &AppHandle<R>, data_dir: &Path, error: &ApiError) {
    tracing::error!(data_dir = %data_dir.display(), %error, "cannot open the database");
    let text = format!(
        "Invoicer cannot open its database in {}:\n\n{error}\n\nCheck that the folder can be \
         written to, or set INVOICER_DATA_DIR to another folder, then start Invoicer again.",
        data_dir.display()
    );
    let handle = app.clone();
    app.dialog()
        .message(text)
        .title("Invoicer cannot start")
        .kind(MessageDialogKind::Error)
        .buttons(MessageDialogButtons::Ok)
        .show(move |_| handle.exit(1));
}

/// Opens the database, then the window. Without a database there is no
/// window, only the dialog explaining why.
fn open<R: Runtime>(app: &mut App<R>) -> Result<(), Box<dyn std::error::Error>> {
    let data_dir = invoicer_app::default_data_dir();
    tracing::info!(data_dir = %data_dir.display(), "opening the database");
    let invoicer = match Invoicer::open(&data_dir, Arc::new(SystemClock)) {
        Ok(invoicer) => invoicer,
        Err(e) => {
            explain_and_exit(app.handle(), &data_dir, &e);
            return Ok(());
        }
    };
    let state = AppState::new(invoicer);
    start_background(app.handle(), &state);
    app.manage(state);
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == MAIN_WINDOW)
        .ok_or("tauri.conf.json has no \"main\" window")?
        .clone();
    let guard = NavigationGuard::new(app.config().build.dev_url.clone());
    let builder = tauri::WebviewWindowBuilder::from_config(app.handle(), &config)?
        .on_navigation(move |url| guard.check(url))
        // The app opens no windows; a `window.open` or a `target="_blank"`
        // link must not open a page from elsewhere beside it.
        .on_new_window(|url, _| {
            tracing::warn!(%url, "refused to open a new window");
            tauri::webview::NewWindowResponse::Deny
        });
    #[cfg(feature = "e2e")]
    let builder = builder.initialization_script(E2E_INIT_SCRIPT);
    builder.build()?;
    Ok(())
}

/// Forwards the app's events to the window, then starts the background jobs
/// (the outbox sender, …) and keeps them in `state` until the app exits. The
/// forwarder comes first so that the jobs' first events reach the window.
/// Jobs that cannot start leave the app usable: commands still work, only
/// nothing is sent in the background, and the log says why.
pub fn start_background<R: Runtime>(app: &AppHandle<R>, state: &AppState) {
    let invoicer = state.invoicer();
    invoicer.subscribe(Arc::new(WindowEvents::new(app.clone())));
    match invoicer.start_jobs() {
        Ok(jobs) => state.keep_jobs(jobs),
        Err(e) => tracing::error!(%e, "the background jobs could not start"),
    }
    // The local integration API: a port that is taken (another instance) or
    // a keychain that does not answer is logged and shown in Settings; the
    // app runs on without it.
    let port = std::env::var("INVOICER_API_PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(invoicer_api::DEFAULT_PORT);
    match invoicer_api::Server::start(invoicer, port) {
        Ok(server) => {
            tracing::info!(url = %server.url(), "the integration API is listening");
            state.keep_api(Ok(server));
        }
        Err(e) => {
            tracing::warn!(error = %e, "the integration API is not served");
            state.keep_api(Err(e));
        }
    }
}

/// Stops the background jobs when the app exits: Tauri never drops managed
/// state, so without this a sender could be cut off in the middle of a
/// delivery instead of finishing it.
pub fn on_run_event<R: Runtime>(app: &AppHandle<R>, event: RunEvent) {
    if let RunEvent::Exit = event {
        if let Some(state) = app.try_state::<AppState>() {
            tracing::info!("stopping the background jobs");
            state.stop_jobs();
            state.stop_api();
        }
    }
}

/// Runs the desktop app until it quits. An error means it could not start.
pub fn run(context: tauri::Context<tauri::Wry>) -> Result<(), tauri::Error> {
    pdf_protocol::register(with_commands(tauri::Builder::default()))
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .setup(open)
        .build(context)?
        .run(on_run_event);
    Ok(())
}
