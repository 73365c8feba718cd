// The Bulk send wizard's logic, apart from its screens: the fields a column can fill, the choices
// a file may need confirmed (encoding, numbers, dates), the check input built from them, which step
// may follow a check, and the words and figures of a running job (progress, rate, ETA, report
// filters). The backend decides everything; this only says what it said.
import type { BulkCheckInput } from "./bindings/BulkCheckInput";
import type { BulkCheckReport } from "./bindings/BulkCheckReport";
import type { BulkColumn } from "./bindings/BulkColumn";
import type { BulkCountsView } from "./bindings/BulkCountsView";
import type { BulkJobView } from "./bindings/BulkJobView";

export type BulkField = { name: string; label: string; required: boolean };

/**
 * The fields a column can fill, in the order the mapping screen lists them: the domain's
 * `bulk_mapping::ALL_FIELDS`, with its required ones (`TargetField::is_required`).
 */
export const BULK_FIELDS: readonly BulkField[] = [
  { name: "invoice_key", label: "Invoice key", required: true },
  { name: "customer_name", label: "Customer name", required: true },
  { name: "company", label: "Company", required: false },
  { name: "email", label: "Email", required: true },
  { name: "address_line1", label: "Address line 1", required: false },
  { name: "address_line2", label: "Address line 2", required: false },
  { name: "city", label: "City", required: false },
  { name: "region", label: "Region / state", required: false },
  { name: "postal_code", label: "Postal code", required: false },
  { name: "country", label: "Country", required: false },
  { name: "tax_id", label: "Tax ID", required: false },
  { name: "external_reference", label: "External reference", required: false },
  { name: "currency", label: "Currency", required: false },
  { name: "issue_date", label: "Issue date", required: false },
  { name: "terms", label: "Payment terms (days)", required: false },
  { name: "po_number", label: "PO number", required: false },
  { name: "template", label: "Template", required: false },
  { name: "description", label: "Description", required: true },
  { name: "quantity", label: "Quantity", required: true },
  { name: "unit_price", label: "Unit price", required: true },
  { name: "discount", label: "Discount (%)", required: false },
  { name: "tax_rate", label: "Tax rate (%)", required: false },
  { name: "tax_exemption", label: "Tax exemption", required: false },
];

/** The label of a field name, or the name itself for one this list does not know. */
export function fieldLabel(name: string | null): string {
  if (!name) return "Not imported";
  return BULK_FIELDS.find((f) => f.name === name)?.label ?? name;
}

/** The encodings a file whose encoding is only a guess may be read as. */
export const BULK_ENCODINGS = ["utf-8", "windows-1252", "iso-8859-1", "utf-16le"] as const;

export const BULK_DELIMITERS: readonly { value: string; label: string }[] = [
  { value: ",", label: "Comma ( , )" },
  { value: ";", label: "Semicolon ( ; )" },
  { value: "\\t", label: "Tab" },
  { value: "|", label: "Pipe ( | )" },
];

export type NumberStyleChoice = { decimal: string; thousands: string };

/** The number styles offered, each shown as the number 1249.5 written in it. */
export const NUMBER_STYLES: readonly NumberStyleChoice[] = [
  { decimal: ".", thousands: "," },
  { decimal: ",", thousands: "." },
  { decimal: ".", thousands: "" },
  { decimal: ",", thousands: "" },
  { decimal: ",", thousands: " " },
  { decimal: ".", thousands: "'" },
];

/** 1249.50 written with these separators: `1.249,50`, `1,249.50`, `1249.50`, … */
export function numberExample(style: NumberStyleChoice): string {
  return `1${style.thousands}249${style.decimal}50`;
}

/** A number style's key for a `<select>`: its two separators. */
export function numberStyleKey(style: NumberStyleChoice | null): string {
  return style ? `${style.decimal}|${style.thousands}` : "";
}

export function parseNumberStyleKey(key: string): NumberStyleChoice | null {
  const bar = key.indexOf("|");
  if (bar < 0) return null;
  return { decimal: key.slice(0, bar), thousands: key.slice(bar + 1) };
}

export const DATE_STYLES: readonly { value: string; label: string }[] = [
  { value: "day_month_year", label: "Day before month (31.01.2026, 31/01/2026)" },
  { value: "month_day_year", label: "Month before day (01/31/2026)" },
  { value: "iso", label: "ISO only (2026-01-31)" },
];

/** What the person chose on the mapping step; `null` leaves it to the file. */
export type BulkChoices = {
  encoding: string | null;
  delimiter: string | null;
  columns: BulkColumn[] | null;
  numbers: NumberStyleChoice | null;
  dateStyle: string | null;
  profile: string | null;
};

export const NO_CHOICES: BulkChoices = {
  encoding: null,
  delimiter: null,
  columns: null,
  numbers: null,
  dateStyle: null,
  profile: null,
};

/** The check input for a file with these choices. */
export function checkInput(path: string, choices: BulkChoices, saveProfileAs: string | null = null): BulkCheckInput {
  return {
    path,
    encoding: choices.encoding,
    delimiter: choices.delimiter,
    columns: choices.columns,
    decimal_separator: choices.numbers?.decimal ?? null,
    thousands_separator: choices.numbers ? choices.numbers.thousands : null,
    date_style: choices.dateStyle,
    profile: choices.profile,
    save_profile_as: saveProfileAs,
  };
}

/**
 * Everything a report shows as settled, taken as the person's confirmation: what "Confirm" sends,
 * and what a run starts from, so that the run reads the file exactly as the person saw it.
 */
export function confirmedChoices(report: BulkCheckReport, choices: BulkChoices): BulkChoices {
  const numbers =
    choices.numbers ??
    (report.decimal_separator
      ? { decimal: report.decimal_separator, thousands: report.thousands_separator ?? "" }
      : null);
  return {
    encoding: report.encoding,
    delimiter: report.delimiter,
    columns: report.columns.map((c) => ({ ...c })),
    numbers,
    dateStyle: choices.dateStyle ?? report.date_style,
    profile: choices.profile,
  };
}

/** A column mapped to another field; the columns are copied, never changed in place. */
export function withColumnField(columns: readonly BulkColumn[], index: number, field: string | null): BulkColumn[] {
  return columns.map((c, i) => (i === index ? { ...c, field } : { ...c }));
}

/** Required fields no column fills yet. */
export function unmappedRequired(columns: readonly BulkColumn[]): BulkField[] {
  const filled = new Set(columns.map((c) => c.field).filter((f): f is string => !!f));
  return BULK_FIELDS.filter((f) => f.required && !filled.has(f.name));
}

/** Fields more than one column fills. */
export function claimedTwice(columns: readonly BulkColumn[]): string[] {
  const seen = new Map<string, number>();
  for (const c of columns) if (c.field) seen.set(c.field, (seen.get(c.field) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([f]) => f);
}

/** What the person must still decide on the mapping step, in words; empty when nothing is open. */
export function openQuestions(report: BulkCheckReport, choices: BulkChoices): string[] {
  const open: string[] = [];
  for (const need of report.needs_confirmation) {
    if (need === "encoding" && !choices.encoding)
      open.push(`Confirm the file's encoding (it looks like ${report.encoding}).`);
    if (need === "numbers" && !choices.numbers) open.push("Choose how the file writes numbers.");
    if (need === "dates" && !choices.dateStyle)
      open.push("Choose how the file writes dates: every day in it is 12 or less, so both orders fit.");
    if (need === "mapping" && report.mapping_problems.length > 0) open.push("Fix the mapping problems below.");
  }
  return open;
}

/**
 * Whether "Confirm mapping" can be pressed: nothing is left that only the person can decide. The
 * encoding guess counts as confirmed by the press (the person sees the preview read with it); the
 * number and date styles do not, since the file could not tell them.
 */
export function canConfirm(report: BulkCheckReport, choices: BulkChoices): boolean {
  if (report.mapping_problems.length > 0) return false;
  if (report.needs_confirmation.includes("numbers") && !choices.numbers) return false;
  if (report.needs_confirmation.includes("dates") && !choices.dateStyle) return false;
  return true;
}

export type BulkStep = "pick" | "mapping" | "validation" | "preview" | "run" | "report";

/** Where a fresh check leads: back to the mapping while anything is open, else to its validation. */
export function stepAfterCheck(report: BulkCheckReport): BulkStep {
  return report.needs_confirmation.length > 0 ? "mapping" : "validation";
}

/** A job's status is one that can still change without a person doing anything. */
export function isJobLive(status: string): boolean {
  return status === "running" || status === "validating" || status === "ready";
}

/** Where a job is shown: its progress while it runs, its report once it is over. */
export function stepForJob(job: BulkJobView): BulkStep {
  return isJobLive(job.status) ? "run" : "report";
}

/** The progress bar's fraction, 0 to 1. */
export function progressFraction(job: BulkJobView): number {
  const total = job.counts.invoices;
  if (total <= 0) return job.status === "finished" ? 1 : 0;
  return Math.min(1, Math.max(0, job.handled / total));
}

/** "3,300 of 3,312 invoices" in the person's locale. */
export function progressText(job: BulkJobView, locale?: string): string {
  const n = new Intl.NumberFormat(locale);
  return `${n.format(job.handled)} of ${n.format(job.counts.invoices)} invoices`;
}

/** "240 invoices/min", or "—" before the first invoice. */
export function rateText(ratePerMinute: number | null, locale?: string): string {
  if (ratePerMinute === null) return "—";
  return `${new Intl.NumberFormat(locale).format(ratePerMinute)} invoices/min`;
}

/** Seconds left as a person reads them: "45 s", "2 min 05 s", "1 h 03 min"; "—" when unknown. */
export function etaText(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return "—";
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min`;
}

export const JOB_STATUS_LABELS: Record<string, string> = {
  validating: "Checking",
  ready: "Ready",
  running: "Running",
  interrupted: "Interrupted",
  cancelled: "Cancelled",
  finished: "Finished",
};

export function jobStatusLabel(status: string): string {
  return JOB_STATUS_LABELS[status] ?? status;
}

export const INVOICE_STATUS_LABELS: Record<string, string> = {
  pending: "Pending",
  invalid: "Invalid",
  created: "Draft created",
  issued: "Issued",
  awaiting_approval: "Waiting for approval",
  queued_for_sending: "Issued, email queued",
  skipped_already_invoiced: "Already invoiced",
  failed: "Failed",
};

export function invoiceStatusLabel(status: string): string {
  return INVOICE_STATUS_LABELS[status] ?? status;
}

/** One figure of the final report; clicking it filters the invoice table by `status`. */
export type ReportTile = { key: string; label: string; count: number; status: string | null };

/**
 * The final report's figures. "Sent" counts the emails the server accepted, which are invoices in
 * the `queued_for_sending` state, so it filters by that state too. Figures that are zero and say
 * nothing of interest are left out, except the ones a person always looks for.
 */
export function reportTiles(counts: BulkCountsView): ReportTile[] {
  const tiles: ReportTile[] = [
    { key: "all", label: "Invoices", count: counts.invoices, status: null },
    { key: "created", label: "Created", count: createdCount(counts), status: null },
    { key: "queued", label: "Issued & queued", count: counts.queued_for_sending, status: "queued_for_sending" },
    { key: "sent", label: "Sent", count: counts.sent, status: "queued_for_sending" },
    { key: "issued", label: "Issued, not emailed", count: counts.issued, status: "issued" },
    { key: "drafts", label: "Drafts", count: counts.created, status: "created" },
    { key: "approval", label: "Waiting for approval", count: counts.awaiting_approval, status: "awaiting_approval" },
    {
      key: "already",
      label: "Already invoiced",
      count: counts.already_invoiced,
      status: "skipped_already_invoiced",
    },
    { key: "failed", label: "Failed", count: counts.failed, status: "failed" },
    { key: "invalid", label: "Invalid", count: counts.invalid, status: "invalid" },
    { key: "pending", label: "Not handled yet", count: counts.pending, status: "pending" },
  ];
  const always = new Set(["all", "created", "sent", "approval", "already", "failed", "invalid"]);
  return tiles.filter((t) => always.has(t.key) || t.count > 0);
}

/** Invoices this job made, whatever became of them after (draft, issued, queued, waiting). */
export function createdCount(counts: BulkCountsView): number {
  return counts.created + counts.issued + counts.awaiting_approval + counts.queued_for_sending;
}

/** The throttle field's text as the start input wants it: empty = no limit; else a whole number ≥ 1. */
export function parseThrottle(text: string): { ok: true; value: number | null } | { ok: false; message: string } {
  const t = text.trim();
  if (t === "") return { ok: true, value: null };
  if (!/^\d+$/.test(t)) return { ok: false, message: "Enter a whole number of emails per minute, or leave it empty." };
  const n = Number(t);
  if (n < 1 || n > 100000) return { ok: false, message: "Enter between 1 and 100,000 emails per minute." };
  return { ok: true, value: n };
}

/**
 * The column a problem is about, as the file names it: its own column when it is one cell's, else
 * the column that fills its field (a customer's email checked as the customer form checks it),
 * else the field's label.
 */
export function problemColumn(
  problem: { column: string | null; field: string },
  columns: readonly BulkColumn[] = [],
): string {
  if (problem.column) return problem.column;
  const filling = columns.find((c) => c.field === problem.field);
  if (filling) return filling.header;
  return BULK_FIELDS.some((f) => f.name === problem.field) ? fieldLabel(problem.field) : problem.field;
}

/**
 * Whether the mapping step shows a backend detail for `field` next to its control: the encoding,
 * delimiter, number and date styles, the profiles, and each column's field (`columns[3].field`).
 */
export function isMappingField(field: string): boolean {
  return (
    [
      "encoding",
      "delimiter",
      "decimal_separator",
      "thousands_separator",
      "date_style",
      "profile",
      "save_profile_as",
    ].includes(field) || /^columns\[\d+\]\.field$/.test(field)
  );
}
