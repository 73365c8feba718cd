// The only module that talks to the Rust backend: one typed function per Tauri command of the IPC
// contract. Every function rejects with an ApiError, whatever went wrong underneath.
import { invoke } from "@tauri-apps/api/core";
import type { AuditEventView } from "./bindings/AuditEventView";
import type { AuditReport } from "./bindings/AuditReport";
import type { CompanyView } from "./bindings/CompanyView";
import type { CustomerInput } from "./bindings/CustomerInput";
import type { CustomerView } from "./bindings/CustomerView";
import type { DraftInput } from "./bindings/DraftInput";
import type { InvoicePage } from "./bindings/InvoicePage";
import type { InvoiceQuery } from "./bindings/InvoiceQuery";
import type { InvoiceScreen } from "./bindings/InvoiceScreen";
import type { InvoiceDetail } from "./bindings/InvoiceDetail";
import type { NewUserInput } from "./bindings/NewUserInput";
import type { PaymentInput } from "./bindings/PaymentInput";
import type { PaymentView } from "./bindings/PaymentView";
import type { RejectInput } from "./bindings/RejectInput";
import type { SaveTemplateInput } from "./bindings/SaveTemplateInput";
import type { SetupInput } from "./bindings/SetupInput";
import type { SetupStatus } from "./bindings/SetupStatus";
import type { SignInInput } from "./bindings/SignInInput";
import type { TaxRateInput } from "./bindings/TaxRateInput";
import type { TaxRateView } from "./bindings/TaxRateView";
import type { TemplateHistoryEntry } from "./bindings/TemplateHistoryEntry";
import type { TemplateRefInput } from "./bindings/TemplateRefInput";
import type { TemplateSummaryView } from "./bindings/TemplateSummaryView";
import type { TemplateVersionView } from "./bindings/TemplateVersionView";
import type { TotalsView } from "./bindings/TotalsView";
import type { UpdateDraftInput } from "./bindings/UpdateDraftInput";
import type { UserView } from "./bindings/UserView";
import type { VoidInput } from "./bindings/VoidInput";
import { toApiError } from "./errors";

export { errorMessage, isApiError } from "./errors";

export type Transport = (command: string, args?: Record<string, unknown>) => Promise<unknown>;

const BACKEND_MISSING = "The Invoicer backend is not available. Open Invoicer from its desktop app.";

// Outside the Tauri webview `invoke` would fail with an obscure TypeError.
const outsideTauri = () => typeof window !== "undefined" && !("__TAURI_INTERNALS__" in window);

function tauriInvoke(command: string, args?: Record<string, unknown>): Promise<unknown> {
  if (outsideTauri()) return Promise.reject({ code: "internal", message: BACKEND_MISSING, details: null });
  return invoke(command, args);
}

let transport: Transport = tauriInvoke;

/** Lets the development-only demo swap the backend for an in-memory fake. */
export function replaceTransport(next: Transport): void {
  transport = next;
}

let sessionEnded: (() => void) | null = null;

/** Called whenever the backend says nobody is signed in any more, so the app can ask again. */
export function onSessionEnded(listener: () => void): void {
  sessionEnded = listener;
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    // The Rust side derives these shapes from the same types as the bindings.
    return (await transport(command, args)) as T;
  } catch (reason) {
    const error = toApiError(reason);
    if (error.code === "unauthenticated") sessionEnded?.();
    throw error;
  }
}

export const setupStatus = () => call<SetupStatus>("setup_status");
export const setup = (input: SetupInput) => call<UserView>("setup", { input });
export const signIn = (input: SignInInput) => call<UserView>("sign_in", { input });
export const signOut = () => call<null>("sign_out");

export const getCompany = () => call<CompanyView>("get_company");
export const updateCompany = (input: CompanyView) => call<CompanyView>("update_company", { input });
export const listUsers = () => call<UserView[]>("list_users");
export const addUser = (input: NewUserInput) => call<UserView>("add_user", { input });

export const listCustomers = (search: string | null) => call<CustomerView[]>("list_customers", { search });
export const getCustomer = (id: number) => call<CustomerView>("get_customer", { id });
export const createCustomer = (input: CustomerInput) => call<CustomerView>("create_customer", { input });
export const updateCustomer = (id: number, input: CustomerInput) =>
  call<CustomerView>("update_customer", { id, input });

export const listTaxRates = () => call<TaxRateView[]>("list_tax_rates");
export const setTaxRate = (input: TaxRateInput) => call<TaxRateView>("set_tax_rate", { input });
export const deleteTaxRate = (id: number) => call<null>("delete_tax_rate", { id });

export const previewTotals = (input: DraftInput) => call<TotalsView>("preview_totals", { input });
export const createInvoice = (input: DraftInput) => call<InvoiceDetail>("create_invoice", { input });
export const updateInvoice = (input: UpdateDraftInput) => call<InvoiceScreen>("update_invoice", { input });
export const getInvoice = (id: number) => call<InvoiceScreen>("get_invoice", { id });
export const listInvoices = (query: InvoiceQuery) => call<InvoicePage>("list_invoices", { query });
export const issueInvoice = (id: number) => call<InvoiceScreen>("issue_invoice", { id });
export const voidInvoice = (input: VoidInput) => call<InvoiceScreen>("void_invoice", { input });
export const recordPayment = (input: PaymentInput) => call<InvoiceScreen>("record_payment", { input });
export const listPayments = (id: number) => call<PaymentView[]>("list_payments", { id });
export const invoiceAudit = (id: number) => call<AuditEventView[]>("invoice_audit", { id });
export const verifyAudit = () => call<AuditReport>("verify_audit");

export const submitForApproval = (id: number) => call<InvoiceScreen>("submit_for_approval", { id });
export const approveInvoice = (id: number) => call<InvoiceScreen>("approve_invoice", { id });
export const rejectInvoice = (input: RejectInput) => call<InvoiceScreen>("reject_invoice", { input });
export const sendBackToDraft = (input: RejectInput) => call<InvoiceScreen>("send_back_to_draft", { input });
// Raw binary responses: Tauri resolves these invokes to an ArrayBuffer of PDF bytes.
export const invoicePdf = (id: number) => call<ArrayBuffer>("invoice_pdf", { id });
/** Opens the native save dialog (in Rust, so the page never names a path) and saves the PDF;
 *  resolves to the chosen path, or null when the person cancelled. */
export const saveInvoicePdf = (id: number) => call<string | null>("save_invoice_pdf", { id });

export const listTemplates = () => call<TemplateSummaryView[]>("list_templates");
export const getTemplate = (input: TemplateRefInput) => call<TemplateVersionView>("get_template", { input });
export const templateHistory = (name: string) => call<TemplateHistoryEntry[]>("template_history", { name });
export const saveTemplate = (input: SaveTemplateInput) => call<TemplateVersionView>("save_template", { input });
export const setDefaultTemplate = (name: string) => call<null>("set_default_template", { name });
export const previewTemplatePdf = (input: SaveTemplateInput) => call<ArrayBuffer>("preview_template_pdf", { input });
