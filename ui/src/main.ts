import { mount } from "svelte";
import App from "./App.svelte";
import { ipcForTests } from "./lib/api";
import { pickNextBulkFileForTests } from "./lib/bulk-picker";
import { pickNextStatementFileForTests } from "./lib/reconciliation";
import { exportNextReportToForTests } from "./lib/report-export";
import "./app.css";

declare global {
  interface Window {
    /** Set by an initialization script in desktop builds with the `e2e` feature only. */
    __INVOICER_E2E__?: boolean;
    /** The end-to-end test hook: the backend as the screens reach it, and the log of calls. */
    __invoicerE2E?: {
      invoke(command: string, args?: Record<string, unknown>): Promise<unknown>;
      ipcCalls(): string[];
      resetIpcCalls(): void;
      /** The file the next "Choose a file…" of Bulk send picks, instead of the native dialog. */
      pickBulkFile(path: string): void;
      /** The file the next "Choose a statement…" of Reconciliation picks, instead of the dialog. */
      pickStatementFile(path: string): void;
      /** The file the next "Export CSV…" of Reports writes, instead of asking with the dialog. */
      exportReportTo(path: string): void;
    };
  }
}

// Only the `e2e` build of the desktop app sets the flag (before this module runs), so normal builds
// offer the page no way into the backend besides the screens' own calls.
if (window.__INVOICER_E2E__ === true) {
  window.__invoicerE2E = {
    invoke: ipcForTests.invoke,
    ipcCalls: ipcForTests.calls,
    resetIpcCalls: ipcForTests.reset,
    pickBulkFile: pickNextBulkFileForTests,
    pickStatementFile: pickNextStatementFileForTests,
    exportReportTo: exportNextReportToForTests,
  };
}

const target = document.getElementById("app");
if (!target) throw new Error("index.html has no #app element");
mount(App, { target });
