// The Reconciliation screen's logic: the statement fields a column can fill, the input sent for a
// preview or an import, the report's lines grouped as a person reads them (applied, to confirm,
// unmatched, the rest), and the waiting list after a decision. The picker's test hook lives here
// too, as bulk-picker.ts has it for Bulk send.
import * as api from "./api";
import type { StatementColumnView } from "./bindings/StatementColumnView";
import type { StatementImportInput } from "./bindings/StatementImportInput";
import type { StatementLineView } from "./bindings/StatementLineView";
import type { StatementPreview } from "./bindings/StatementPreview";

/** The fields a statement column can fill; the first three are required. */
export const STATEMENT_FIELDS = [
  { value: "date", label: "Date", required: true },
  { value: "amount", label: "Amount", required: true },
  { value: "reference", label: "Reference / description", required: true },
  { value: "counterparty", label: "Counterparty name", required: false },
  { value: "iban", label: "Counterparty IBAN", required: false },
] as const;

export const DATE_ORDERS = [
  { value: "iso", label: "2026-03-31 (ISO)" },
  { value: "day_month_year", label: "31.03.2026 (day first)" },
  { value: "month_day_year", label: "03/31/2026 (month first)" },
] as const;

/** What the person chose on the mapping step. */
export type StatementChoices = {
  /** The encoding the person confirmed or chose (a guessed one must be confirmed to import). */
  encoding: string | null;
  columns: StatementColumnView[] | null;
  decimal: string | null;
  dates: string | null;
  profile: string | null;
};

export const NO_STATEMENT_CHOICES: StatementChoices = {
  encoding: null,
  columns: null,
  decimal: null,
  dates: null,
  profile: null,
};

/** The input of a preview or an import of `path` with `choices`. */
export function statementInput(
  path: string,
  choices: StatementChoices,
  dryRun: boolean,
  saveProfile?: string,
): StatementImportInput {
  return {
    path,
    profile: choices.profile,
    encoding: choices.encoding,
    columns: choices.columns,
    decimal: choices.decimal,
    dates: choices.dates,
    save_profile: saveProfile?.trim() ? saveProfile.trim() : null,
    dry_run: dryRun,
  };
}

/**
 * The columns with `header` filling `field` (or nothing when null). A field fills one column, so a
 * column that filled it before is left out.
 */
export function withStatementField(
  columns: StatementColumnView[],
  header: string,
  field: string | null,
): StatementColumnView[] {
  return columns.map((c) => {
    if (c.header === header) return { header: c.header, field };
    if (field !== null && c.field === field) return { header: c.header, field: null };
    return c;
  });
}

/** The groups a report's lines are shown in. */
export type LineGroups = {
  applied: StatementLineView[];
  toConfirm: StatementLineView[];
  unmatched: StatementLineView[];
  other: StatementLineView[];
};

export function groupLines(lines: StatementLineView[]): LineGroups {
  const groups: LineGroups = { applied: [], toConfirm: [], unmatched: [], other: [] };
  for (const line of lines) {
    if (line.status === "applied") groups.applied.push(line);
    else if (line.status === "proposed" || line.status === "ambiguous") groups.toConfirm.push(line);
    else if (line.status === "unmatched") groups.unmatched.push(line);
    else groups.other.push(line);
  }
  return groups;
}

const STATUS_WORDS: Record<string, string> = {
  applied: "Applied",
  proposed: "Proposed",
  ambiguous: "Ambiguous — pick the invoice",
  unmatched: "Unmatched",
  money_out: "Money out (ignored)",
  dismissed: "Dismissed",
  error: "Could not be read",
  already_imported: "Already imported",
};

/** The words for a line's status. */
export function statusWords(status: string): string {
  return STATUS_WORDS[status] ?? status;
}

/** Why a line was proposed, in words. */
export function basisWords(basis: string | null): string {
  switch (basis) {
    case "reference_above_balance":
      return "its reference names the invoice, but the amount is more than the balance";
    case "amount_and_customer":
      return "the amount equals the balance and the customer is named";
    case "amount_only":
      return "the amount equals the balance of this one invoice";
    default:
      return "";
  }
}

/** A line's row error as one sentence, naming the file line. */
export function rowErrorText(line: StatementLineView): string {
  if (!line.error) return "";
  const { field, value, reason } = line.error;
  return `Line ${line.file_line}: ${field} ${JSON.stringify(value)} ${reason}`;
}

/** The waiting list after a decision on `decided`: it no longer waits. */
export function afterDecision(waiting: StatementLineView[], decided: StatementLineView): StatementLineView[] {
  return waiting.filter((l) => l.line_id !== decided.line_id);
}

/** The invoice a confirm sends: the one picked, else the proposal's (null lets the backend ask). */
export function invoiceToConfirm(line: StatementLineView, picked: number | null): number | null {
  if (picked !== null) return picked;
  return line.status === "proposed" ? line.invoice_id : null;
}

let nextPath: string | null = null;

/** The file the next "Choose a statement…" picks without a dialog (the end-to-end test hook only). */
export function pickNextStatementFileForTests(path: string): void {
  nextPath = path;
}

/** Opens the open-file dialog and previews the file picked; null when the person cancelled. */
export async function pickStatementFile(): Promise<StatementPreview | null> {
  if (nextPath !== null) {
    const path = nextPath;
    nextPath = null;
    return api.previewStatement(statementInput(path, NO_STATEMENT_CHOICES, true));
  }
  return api.pickStatementFile();
}
