// Picking the file of a bulk send. In the desktop app the native open dialog is opened by Rust,
// which answers with the path and its first check in one round trip. The end-to-end tests cannot
// click in a native dialog, so builds with the test hook may name the next file instead; its path
// then goes through `check_bulk_file`, the very command the dialog's answer comes from.
import * as api from "./api";
import type { BulkPickedFile } from "./bindings/BulkPickedFile";
import { checkInput, NO_CHOICES } from "./bulk";

let nextPath: string | null = null;

/** The file the next "Choose a file…" picks without a dialog (the end-to-end test hook only). */
export function pickNextBulkFileForTests(path: string): void {
  nextPath = path;
}

/** Opens the open-file dialog and checks the file picked; null when the person cancelled. */
export async function pickBulkFile(): Promise<BulkPickedFile | null> {
  if (nextPath !== null) {
    const path = nextPath;
    nextPath = null;
    return { path, report: await api.checkBulkFile(checkInput(path, NO_CHOICES)) };
  }
  return api.pickBulkFile();
}
