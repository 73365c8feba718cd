//! Bulk send: picking a CSV file, checking it (the dry run), starting,
//! following, resuming and cancelling the job that sends it, and saving its
//! problems as CSV.
//!
//! The open and save dialogs are opened here rather than by the page, like
//! the invoice PDF's save dialog: the page never needs a file-system or
//! dialog permission, and the only path it ever holds is the one the person
//! picked (which it sends back to have the file checked again). The use
//! cases that start or resume a job wake the job runner themselves.

use super::{arg::Arg, as_user, blocking};
use crate::state::AppState;
use invoicer_app::api::{
    BulkCheckInput, BulkCheckReport, BulkJobReport, BulkJobView, BulkPickedFile, BulkReportQuery,
    BulkStartInput,
};
use invoicer_app::{ApiError, AppResult, ErrorCode};
use std::io::Write;
use std::path::{Path, PathBuf};
use tauri::ipc::Response;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

/// Opens the native open-file dialog for a CSV file and checks the file
/// picked, in one round trip. Null when the person cancelled.
#[tauri::command]
pub async fn pick_bulk_file<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> AppResult<Option<BulkPickedFile>> {
    // Refused before the dialog opens, so a signed-out window never shows it.
    state.session()?;
    let chosen = tauri::async_runtime::spawn_blocking(move || {
        app.dialog()
            .file()
            .add_filter("CSV", &["csv", "CSV", "txt"])
            .add_filter("All files", &["*"])
            .blocking_pick_file()
    })
    .await
    .map_err(|e| ApiError::new(ErrorCode::Internal, format!("the open dialog failed: {e}")))?;
    let Some(path) = chosen.and_then(|p| p.into_path().ok()) else {
        return Ok(None);
    };
    let path = path.display().to_string();
    let input = BulkCheckInput {
        path: path.clone(),
        ..BulkCheckInput::default()
    };
    let report = as_user(&state, "pick_bulk_file", move |inv, s| {
        inv.check_bulk_file(s, &input)
    })
    .await?;
    Ok(Some(BulkPickedFile { path, report }))
}

/// Checks a file with what the person confirmed so far: the dry run, which
/// writes nothing and sends nothing.
#[tauri::command]
pub async fn check_bulk_file(
    state: State<'_, AppState>,
    input: Arg<BulkCheckInput>,
) -> AppResult<BulkCheckReport> {
    as_user(&state, "check_bulk_file", move |inv, s| {
        inv.check_bulk_file(s, &input.0)
    })
    .await
}

/// The names of the saved mapping profiles a check can start from.
#[tauri::command]
pub async fn bulk_profiles(state: State<'_, AppState>) -> AppResult<Vec<String>> {
    as_user(&state, "bulk_profiles", move |inv, s| inv.bulk_profiles(s)).await
}

/// Starts sending a checked file; its invoices are made by the background job.
#[tauri::command]
pub async fn start_bulk_job(
    state: State<'_, AppState>,
    input: Arg<BulkStartInput>,
) -> AppResult<BulkJobView> {
    as_user(&state, "start_bulk_job", move |inv, s| {
        inv.start_bulk_job(s, &input.0)
    })
    .await
}

/// Every bulk job, newest first.
#[tauri::command]
pub async fn bulk_jobs(state: State<'_, AppState>) -> AppResult<Vec<BulkJobView>> {
    as_user(&state, "bulk_jobs", move |inv, s| inv.bulk_jobs(s)).await
}

/// A job with its counts and one page of its invoices.
#[tauri::command]
pub async fn bulk_job_report(
    state: State<'_, AppState>,
    query: Arg<BulkReportQuery>,
) -> AppResult<BulkJobReport> {
    as_user(&state, "bulk_job_report", move |inv, s| {
        inv.bulk_job_report(s, &query.0)
    })
    .await
}

/// Continues an interrupted job where it stopped.
#[tauri::command]
pub async fn resume_bulk_job(
    state: State<'_, AppState>,
    job_id: Arg<i64>,
) -> AppResult<BulkJobView> {
    as_user(&state, "resume_bulk_job", move |inv, s| {
        inv.resume_bulk_job(s, job_id.0)
    })
    .await
}

/// Stops a job after the invoice it is making.
#[tauri::command]
pub async fn cancel_bulk_job(
    state: State<'_, AppState>,
    job_id: Arg<i64>,
) -> AppResult<BulkJobView> {
    as_user(&state, "cancel_bulk_job", move |inv, s| {
        inv.cancel_bulk_job(s, job_id.0)
    })
    .await
}

/// Asks where to save the problems of a checked file with the native save
/// dialog, then writes them there as CSV. Returns the path, or null when the
/// person cancelled.
#[tauri::command]
pub async fn save_bulk_check_problems<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    input: Arg<BulkCheckInput>,
) -> AppResult<Option<String>> {
    let input = input.0;
    let name = problems_file_name(&input.path);
    let bytes = as_user(&state, "save_bulk_check_problems", move |inv, s| {
        inv.bulk_check_problems_csv(s, &input)
    })
    .await?;
    save_csv(app, &state, name, bytes).await
}

/// Asks where to save a job's problems with the native save dialog, then
/// writes them there as CSV. Returns the path, or null when the person
/// cancelled.
#[tauri::command]
pub async fn save_bulk_job_problems<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    job_id: Arg<i64>,
) -> AppResult<Option<String>> {
    let job_id = job_id.0;
    let bytes = as_user(&state, "save_bulk_job_problems", move |inv, s| {
        inv.bulk_job_problems_csv(s, job_id)
    })
    .await?;
    save_csv(app, &state, format!("bulk-job-{job_id}-errors.csv"), bytes).await
}

/// The `index`-th valid invoice of a checked file as a draft PDF (no number),
/// as raw bytes.
#[tauri::command]
pub async fn bulk_preview_pdf(
    state: State<'_, AppState>,
    input: Arg<BulkCheckInput>,
    index: Arg<u32>,
) -> AppResult<Response> {
    let pdf = as_user(&state, "bulk_preview_pdf", move |inv, s| {
        inv.bulk_preview_pdf(s, &input.0, index.0)
    })
    .await?;
    Ok(Response::new(pdf.bytes))
}

/// `orders.csv` → `orders-errors.csv`: the name the save dialog suggests.
fn problems_file_name(path: &str) -> String {
    let stem = Path::new(path)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "bulk".into());
    format!("{stem}-errors.csv")
}

/// Shows the save dialog for a CSV file and writes `bytes` where the person
/// chose; `None` when they cancelled.
async fn save_csv<R: Runtime>(
    app: AppHandle<R>,
    state: &AppState,
    file_name: String,
    bytes: Vec<u8>,
) -> AppResult<Option<String>> {
    let chosen = tauri::async_runtime::spawn_blocking(move || {
        app.dialog()
            .file()
            .set_file_name(&file_name)
            .add_filter("CSV", &["csv"])
            .blocking_save_file()
    })
    .await
    .map_err(|e| ApiError::new(ErrorCode::Internal, format!("the save dialog failed: {e}")))?;
    let Some(path) = chosen.and_then(|p| p.into_path().ok()) else {
        return Ok(None);
    };
    let target = path.clone();
    blocking(state, "save_bulk_problems", move |_| {
        write_whole(&target, &bytes)
    })
    .await?;
    Ok(Some(path.display().to_string()))
}

/// Writes `bytes` to `path` through a temporary file beside it that is then
/// renamed over it, so a crash or a full disk never leaves half a file under
/// the chosen name.
fn write_whole(path: &PathBuf, bytes: &[u8]) -> AppResult<()> {
    let io = |e: std::io::Error| {
        ApiError::new(
            ErrorCode::Internal,
            format!("cannot write {}: {e}", path.display()),
        )
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".invoicer-")
        .suffix(".partial")
        .tempfile_in(dir)
        .map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_errors_file_is_named_after_the_checked_file() {
        assert_eq!(problems_file_name("/home/a/deals.csv"), "deals-errors.csv");
        assert_eq!(problems_file_name(""), "bulk-errors.csv");
    }

    #[test]
    fn a_saved_file_holds_exactly_the_bytes() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let path = dir.path().join("errors.csv");
        write_whole(&path, b"line,reason\n2,bad\n").expect("written");
        assert_eq!(
            std::fs::read(&path).expect("read back"),
            b"line,reason\n2,bad\n"
        );
        // Nothing else is left beside it.
        assert_eq!(std::fs::read_dir(dir.path()).expect("listing").count(), 1);
    }
}
