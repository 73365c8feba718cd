//! The Invoicer desktop app.

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::process::ExitCode;

fn main() -> ExitCode {
    invoicer_desktop::init_tracing();
    match invoicer_desktop::run(tauri::generate_context!()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "Invoicer could not start");
            ExitCode::FAILURE
        }
    }
}
