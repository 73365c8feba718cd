//! The dashboard and the reports: thin calls into `invoicer-app`, which runs
//! one implementation for the screens, the CLI and the CSV export.

use super::{arg::Arg, as_user};
use crate::state::AppState;
use invoicer_app::api::{CsvExportDone, Dashboard, Report, ReportRequest};
use invoicer_app::{ApiError, AppResult, ErrorCode};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use tauri::State;

/// The signed-in user's dashboard, as of the company's today.
#[tauri::command]
pub async fn dashboard(state: State<'_, AppState>) -> AppResult<Dashboard> {
    as_user(&state, "dashboard", move |inv, s| inv.dashboard(s)).await
}

/// One report.
#[tauri::command]
pub async fn run_report(
    state: State<'_, AppState>,
    request: Arg<ReportRequest>,
) -> AppResult<Report> {
    as_user(&state, "run_report", move |inv, s| {
        inv.report(s, &request.0)
    })
    .await
}

/// Writes a report as CSV to `path` (chosen in the native save dialog),
/// streamed through a temporary file beside it that is renamed into place
/// when complete, so a failure never leaves half a file under that name.
#[tauri::command]
pub async fn export_report_csv(
    state: State<'_, AppState>,
    request: Arg<ReportRequest>,
    path: Arg<String>,
) -> AppResult<CsvExportDone> {
    let target = PathBuf::from(&path.0);
    as_user(&state, "export_report_csv", move |inv, s| {
        let io = |e: std::io::Error| {
            ApiError::new(
                ErrorCode::Internal,
                format!("cannot write {}: {e}", target.display()),
            )
        };
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let mut tmp = tempfile::Builder::new()
            .prefix(".invoicer-report-")
            .suffix(".csv.tmp")
            .tempfile_in(dir)
            .map_err(io)?;
        let rows = {
            let mut out = BufWriter::new(tmp.as_file_mut());
            let rows = inv.export_report_csv(s, &request.0, &mut out)?;
            out.flush().map_err(io)?;
            rows
        };
        tmp.as_file().sync_all().map_err(io)?;
        tmp.persist(&target).map_err(|e| io(e.error))?;
        Ok(CsvExportDone {
            path: target.display().to_string(),
            rows,
        })
    })
    .await
}
