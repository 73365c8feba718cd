// Exporting a report as CSV. The native save dialog asks where (Tauri's dialog plugin, allowed
// to the window for `save` only), then `export_report_csv` streams the rows into that file in
// Rust; the page never holds the file's contents. The end-to-end tests cannot click in a native
// dialog, so builds with the test hook may name the next file instead; it then goes through the
// very command the dialog's answer goes to.
import * as api from "./api";
import type { CsvExportDone } from "./bindings/CsvExportDone";
import type { ReportRequest } from "./bindings/ReportRequest";

let nextPath: string | null = null;

/** The file the next "Export CSV…" writes without a dialog (the end-to-end test hook only). */
export function exportNextReportToForTests(path: string): void {
  nextPath = path;
}

/** Asks where to save, then exports; null when the person cancelled the dialog. */
export async function exportReportCsv(request: ReportRequest, suggestedName: string): Promise<CsvExportDone | null> {
  let path = nextPath;
  nextPath = null;
  if (path === null) {
    path = await api.saveFileDialog({
      title: "Export report as CSV",
      defaultPath: suggestedName,
      filters: [{ name: "CSV", extensions: ["csv"] }],
    });
  }
  if (path === null) return null;
  return api.exportReportCsv(request, path);
}
