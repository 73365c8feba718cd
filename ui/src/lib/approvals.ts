// The approvers' queue as the Approvals screen works it: which row is selected and which are
// checked, what a key press means, and what a batch approval's outcomes say. Pure functions, so the
// screen stays a thin view over them and they are tested without a window.
import type { ApprovalOutcome } from "./bindings/ApprovalOutcome";
import type { ApprovalQueueRow } from "./bindings/ApprovalQueueRow";

/** What a key press on the Approvals screen asks for; `null` when the key means nothing there. */
export type QueueAction = "approve" | "reject" | "next" | "previous" | "toggle" | null;

/** The shortcuts, as the screen lists them. */
export const QUEUE_SHORTCUTS: ReadonlyArray<{ keys: string; does: string }> = [
  { keys: "A", does: "approve" },
  { keys: "R", does: "reject (asks for a reason)" },
  { keys: "J / ↓", does: "next invoice" },
  { keys: "K / ↑", does: "previous invoice" },
  { keys: "X", does: "check or uncheck" },
];

/** The action a key press asks for. Modified keys (Ctrl A, say) are the browser's, not ours. */
export function queueAction(event: Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "altKey">): QueueAction {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  switch (event.key) {
    case "a":
    case "A":
      return "approve";
    case "r":
    case "R":
      return "reject";
    case "j":
    case "J":
    case "ArrowDown":
      return "next";
    case "k":
    case "K":
    case "ArrowUp":
      return "previous";
    case "x":
    case "X":
      return "toggle";
    default:
      return null;
  }
}

/**
 * The invoice selected after moving `step` rows from `current` (clamped to the ends of the queue),
 * or the first one when nothing was selected; `null` for an empty queue.
 */
export function moveSelection(rows: readonly ApprovalQueueRow[], current: number | null, step: number): number | null {
  if (rows.length === 0) return null;
  const at = rows.findIndex((row) => row.invoice_id === current);
  if (at < 0) return rows[0]?.invoice_id ?? null;
  const next = Math.min(rows.length - 1, Math.max(0, at + step));
  return rows[next]?.invoice_id ?? null;
}

/**
 * The selection once the queue has been read again: the same invoice while it still waits,
 * otherwise the one that took its place (so after approving, the next invoice is shown), otherwise
 * the last one.
 */
export function keepSelection(
  before: readonly ApprovalQueueRow[],
  after: readonly ApprovalQueueRow[],
  current: number | null,
): number | null {
  if (after.length === 0) return null;
  if (after.some((row) => row.invoice_id === current)) return current;
  const at = before.findIndex((row) => row.invoice_id === current);
  // The first row after the old position that still waits takes its place.
  for (const row of at < 0 ? [] : before.slice(at + 1)) {
    if (after.some((candidate) => candidate.invoice_id === row.invoice_id)) return row.invoice_id;
  }
  return (at < 0 ? after[0] : after[after.length - 1])?.invoice_id ?? null;
}

/** The checked invoices that are still in the queue, in the queue's order (oldest first). */
export function checkedInQueue(rows: readonly ApprovalQueueRow[], checked: ReadonlySet<number>): number[] {
  return rows.filter((row) => checked.has(row.invoice_id)).map((row) => row.invoice_id);
}

/** Checks the invoice when it was not, unchecks it when it was; a new set, for Svelte's state. */
export function toggleChecked(checked: ReadonlySet<number>, id: number): Set<number> {
  const next = new Set(checked);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
}

/** Whether this approval is the one that issues the invoice (the last level the rule requires). */
export function isFinalApproval(row: Pick<ApprovalQueueRow, "level" | "approvers_required">): boolean {
  return row.level >= row.approvers_required;
}

/** "Level 1 of 2": the level waiting and how many distinct approvers the rule requires. */
export function levelText(row: Pick<ApprovalQueueRow, "level" | "approvers_required">): string {
  return `Level ${row.level} of ${row.approvers_required}`;
}

/** How long an invoice has waited, in words. */
export function ageText(days: number): string {
  if (days <= 0) return "today";
  if (days === 1) return "1 day";
  return `${days} days`;
}

/** The name of how an invoice was made, for the Source column. */
export function sourceText(source: string): string {
  const names: Record<string, string> = {
    manual: "Manual",
    bulk: "Bulk",
    recurring: "Recurring",
    api: "API",
    threshold: "Threshold",
  };
  return names[source] ?? source;
}

/** One invoice's line in a batch approval's report. */
export type OutcomeLine = { invoiceId: number; ok: boolean; text: string };

/** A batch approval's report: a summary sentence and one line per invoice, in the order sent. */
export type OutcomeSummary = { approved: number; refused: number; summary: string; lines: OutcomeLine[] };

/**
 * What a batch approval did: the backend checks and records each invoice on its own, so some may be
 * refused; each refused one keeps the backend's own sentence.
 */
export function summarizeOutcomes(
  outcomes: readonly ApprovalOutcome[],
  customerOf: (id: number) => string | undefined = () => undefined,
): OutcomeSummary {
  const lines = outcomes.map((outcome): OutcomeLine => {
    const customer = customerOf(outcome.invoice_id);
    const name = customer ? `Invoice ${outcome.invoice_id} (${customer})` : `Invoice ${outcome.invoice_id}`;
    if (outcome.ok) {
      const issued = outcome.status === "issued";
      return { invoiceId: outcome.invoice_id, ok: true, text: `${name}: approved${issued ? " and issued" : ""}` };
    }
    const reason = outcome.error?.message ?? "refused";
    return { invoiceId: outcome.invoice_id, ok: false, text: `${name}: refused — ${reason}` };
  });
  const approved = lines.filter((line) => line.ok).length;
  const refused = lines.length - approved;
  const plural = (n: number) => (n === 1 ? "invoice" : "invoices");
  const summary =
    refused === 0
      ? `${approved} ${plural(approved)} approved.`
      : `${approved} ${plural(approved)} approved, ${refused} refused.`;
  return { approved, refused, summary, lines };
}
