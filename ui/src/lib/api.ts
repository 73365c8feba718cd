// The only module that talks to the Rust backend. The commands themselves (names, argument keys,
// argument and result types) are generated from the Rust source into ./bindings/commands.ts; this
// module sends every one of them through one `call`, which turns any failure into an ApiError and
// keeps the log the end-to-end tests count calls with.
import { invoke } from "@tauri-apps/api/core";
import type { ApiError } from "./bindings/ApiError";
import { commands } from "./bindings/commands";
import { toApiError } from "./errors";

export { errorMessage, isApiError } from "./errors";

export const BACKEND_MISSING = "The Invoicer backend is not available. Open Invoicer from its desktop app.";

// Outside the Tauri webview `invoke` would fail with an obscure TypeError.
export const outsideTauri = () => typeof window !== "undefined" && !("__TAURI_INTERNALS__" in window);

// The names of the commands sent, oldest first, so that the end-to-end tests can count the calls a
// screen makes. Bounded, so that a long session does not grow it without end.
const IPC_LOG_LIMIT = 1000;
const ipcLog: string[] = [];

let sessionEnded: (() => void) | null = null;

/** Called whenever the backend says nobody is signed in any more, so the app can ask again. */
export function onSessionEnded(listener: () => void): void {
  sessionEnded = listener;
}

/**
 * Passes on what a backend refusal means for the session: `unauthenticated` ends it. Also used by
 * `documents.ts`, whose PDFs arrive by URL instead of through `call`.
 */
export function noticeRefusal(error: ApiError): void {
  if (error.code === "unauthenticated") sessionEnded?.();
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  ipcLog.push(command);
  if (ipcLog.length > IPC_LOG_LIMIT) ipcLog.shift();
  try {
    if (outsideTauri()) throw { code: "internal", message: BACKEND_MISSING, details: null } satisfies ApiError;
    return await invoke<T>(command, args);
  } catch (reason) {
    const error = toApiError(reason);
    noticeRefusal(error);
    throw error;
  }
}

/**
 * What the end-to-end test hook needs from this module; `main.ts` exposes it on the window only in
 * builds with the `e2e` feature. `invoke` goes through the same `call` as the screens, so its calls
 * are logged and its errors are ApiErrors.
 */
export const ipcForTests = {
  invoke: (command: string, args?: Record<string, unknown>): Promise<unknown> => call<unknown>(command, args),
  calls: (): string[] => [...ipcLog],
  reset: (): void => {
    ipcLog.length = 0;
  },
};

/** What the native save dialog is opened with (Tauri's dialog plugin, `save` only). */
export type SaveDialogOptions = {
  title: string;
  defaultPath: string;
  filters: { name: string; extensions: string[] }[];
};

/**
 * Opens the native save dialog; resolves to the chosen path, or null when the person cancelled.
 * Used where a command takes the path the person chose (`export_report_csv`); the capability
 * allows the window this one dialog command and nothing else of the plugin.
 */
export function saveFileDialog(options: SaveDialogOptions): Promise<string | null> {
  return call<string | null>("plugin:dialog|save", { options });
}

// The names the screens use; a command renamed or removed in Rust fails the type check here.
export const {
  setupStatus,
  setup,
  signIn,
  signOut,
  getCompany,
  updateCompany,
  listUsers,
  addUser,
  listCustomers,
  getCustomer,
  createCustomer,
  updateCustomer,
  listTaxRates,
  setTaxRate,
  deleteTaxRate,
  previewTotals,
  createInvoice,
  updateInvoice,
  getInvoice,
  listInvoices,
  dueInvoices,
  issueInvoice,
  voidInvoice,
  recordPayment,
  listPayments,
  // Correcting an issued invoice: the preview shows the backend's figures before issuing; a
  // credit note's PDF is a document (`documents.ts`), saving it opens the native dialog in Rust.
  previewCreditNote,
  createCreditNote,
  listCreditNotes,
  sendCreditNote,
  saveCreditNotePdf,
  recordRefund,
  invoiceAudit,
  verifyAudit,
  submitForApproval,
  approveInvoice,
  rejectInvoice,
  sendBackToDraft,
  // The approvers' queue and its badge count; approving with a send choice, or several at once
  // (each still checked and recorded on its own).
  approvalQueue,
  approvalsWaiting,
  approveInvoiceWith,
  approveInvoices,
  // Settings → Approvals: the rules read and replaced as a whole, admins only.
  approvalRules,
  updateApprovalRules,
  // A raw binary response: Tauri resolves it to an ArrayBuffer of PDF bytes. (An invoice's own PDF
  // is a document, not a command: `documents.ts` loads it by URL.)
  previewTemplatePdf,
  // Opens the native save dialog (in Rust, so the page never names a path) and saves the PDF;
  // resolves to the chosen path, or null when the person cancelled.
  saveInvoicePdf,
  listTemplates,
  getTemplate,
  templateHistory,
  saveTemplate,
  setDefaultTemplate,
  // Email through the outbox: queueing answers at once; the sender job does the sending, and the
  // deliveries' progress arrives as events (events.ts).
  sendInvoice,
  issueAndSendInvoice,
  deliveries,
  resendDelivery,
  markDeliverySent,
  emailSettings,
  saveSmtpSettings,
  clearSmtpSettings,
  rotatePaymentLinkSecret,
  // Waits for the mail server's answer (or the .eml file written).
  sendTestEmail,
  // Bulk send. The open and save dialogs are opened in Rust: picking a file answers with its path
  // and its first check in one round trip, and saving problems answers with the path written (or
  // null when the person cancelled). A job's progress arrives as events (events.ts).
  pickBulkFile,
  checkBulkFile,
  bulkProfiles,
  startBulkJob,
  bulkJobs,
  bulkJobReport,
  resumeBulkJob,
  cancelBulkJob,
  saveBulkCheckProblems,
  saveBulkJobProblems,
  // A raw binary response: the PDF bytes of one invoice the file would make, as a draft.
  bulkPreviewPdf,
  // Payment reminders and disputes: the invoice's Reminders section and its actions (allowed by
  // the backend), Settings → Reminders, a customer's opt-out, the lists.
  remindersPanel,
  sendReminderNow,
  disputeInvoice,
  resolveDispute,
  invoiceDispute,
  disputesPastWindow,
  reminderPolicy,
  setReminderPolicy,
  customerReminders,
  setCustomerReminders,
  listReminders,
  invoiceReminders,
  // Reconciliation. Picking a statement opens the native dialog in Rust and answers with the
  // file's mapping and dry run in one round trip; each decision is one call answering the line.
  pickStatementFile,
  previewStatement,
  importStatement,
  statementMatches,
  confirmStatementLine,
  dismissStatementLine,
  // Recurring schedules (the Triggers screen): a new schedule is disabled until its test run
  // passed; the test run writes and sends nothing and answers with the would-be invoice's PDF.
  listSchedules,
  createSchedule,
  updateSchedule,
  pauseSchedule,
  resumeSchedule,
  skipScheduleOccurrence,
  previewSchedule,
  testSchedule,
  invoiceTrigger,
  // Usage thresholds (Triggers → Thresholds): rules are disabled until their test run passed; each
  // action answers with the rule (or the test run), so the tab updates without reading the list.
  listThresholds,
  createThreshold,
  updateThreshold,
  enableThreshold,
  disableThreshold,
  testThreshold,
  recordUsage,
  // Event rules (Triggers → Event rules): every rule with its recent events in one call; saving
  // (admins) a changed action, template or mapping needs a new test; enabling is refused until a
  // test passed; the test run writes and sends nothing and answers with the would-be invoice's PDF.
  eventRules,
  updateEventRule,
  setEventRuleEnabled,
  testEventRule,
  // Settings → Integration API (admins): the local API's state, its token shown on demand
  // (audited) and rotated.
  integrationApi,
  showApiToken,
  rotateApiToken,
  // Reports: the home screen's dashboard in one call, one report per call, and the CSV export,
  // which streams the report in Rust to the path the save dialog (saveFileDialog) answered.
  dashboard,
  runReport,
  exportReportCsv,
} = commands(call);
