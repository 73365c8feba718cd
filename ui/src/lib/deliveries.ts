// How deliveries (the outbox's emails) are shown, and how the events about them are folded into
// what a screen already holds. What a person may do with a delivery comes from the backend
// (`DeliveryView.actions`), and which deliveries need a person from its filter and counts; nothing
// here decides a rule.
import type { DeliveryAction } from "./bindings/DeliveryAction";
import type { DeliveryFilter } from "./bindings/DeliveryFilter";
import type { DeliveryKind } from "./bindings/DeliveryKind";
import type { DeliveryStatus } from "./bindings/DeliveryStatus";
import type { DeliveryView } from "./bindings/DeliveryView";
import type { JobProgress } from "./bindings/JobProgress";
import type { SmtpReplyView } from "./bindings/SmtpReplyView";
import type { ChipTone } from "./status";

type Look = { label: string; tone: ChipTone };

// Every status has its own words, so colour is never the only thing telling them apart.
const STATUS_LOOKS: Record<DeliveryStatus, Look> = {
  queued: { label: "Queued", tone: "neutral" },
  sending: { label: "Sending", tone: "open" },
  sent: { label: "Sent", tone: "settled" },
  retrying: { label: "Retrying", tone: "waiting" },
  failed: { label: "Failed", tone: "late" },
  unknown: { label: "Unknown", tone: "refused" },
};

export const DELIVERY_STATUSES = Object.keys(STATUS_LOOKS) as DeliveryStatus[];

export function deliveryStatusLook(status: DeliveryStatus): Look {
  return STATUS_LOOKS[status];
}

const KIND_LABELS: Record<DeliveryKind, string> = {
  invoice: "Invoice",
  reminder: "Reminder",
  receipt: "Receipt",
  test: "Test email",
  credit_note: "Credit note",
};

/** "Invoice", "Reminder 2", "Invoice (resent 1)": what an email was for. */
export function deliveryKindLabel(delivery: Pick<DeliveryView, "kind" | "step">): string {
  const kind = KIND_LABELS[delivery.kind];
  if (delivery.kind === "reminder") return `${kind} ${delivery.step}`;
  // A credit note's step is its id (each credit note is emailed once), not a resend count.
  if (delivery.kind === "credit_note") return kind;
  return delivery.step > 0 ? `${kind} (resent ${delivery.step})` : kind;
}

/**
 * The button for one of the backend's actions. "Resend" queues a delivery again; on a failed one a
 * person thinks of it as trying again, on one of unknown outcome as sending a second copy.
 */
export function deliveryActionLabel(action: DeliveryAction, status: DeliveryStatus): string {
  if (action === "mark_sent") return "Mark sent";
  return status === "failed" ? "Retry" : "Resend";
}

/** "250 OK: queued as 4F2A" or the transport's own words when there was no reply. */
export function replyText(reply: SmtpReplyView | null): string {
  if (!reply) return "—";
  return reply.code > 0 ? `${reply.code} ${reply.text}`.trim() : reply.text;
}

/** The sidebar's badge: deliveries a person has to look at. Zero hides it. */
export function needsAPersonCount(counts: { failed: number; unknown: number }): number {
  return counts.failed + counts.unknown;
}

/** The newer of two states of one delivery, by when its status changed; on a tie, `incoming`. */
function newer(current: DeliveryView, incoming: DeliveryView): DeliveryView {
  const was = Date.parse(current.updated_at);
  const now = Date.parse(incoming.updated_at);
  return Number.isNaN(was) || Number.isNaN(now) || now >= was ? incoming : current;
}

/**
 * `rows` with `delivery` in place of its older state, or `null` when `rows` does not hold it (the
 * caller then decides whether it belongs there). An event that arrives after a fresher answer
 * (an older state) changes nothing.
 */
export function replaceDelivery(rows: DeliveryView[], delivery: DeliveryView): DeliveryView[] | null {
  const at = rows.findIndex((row) => row.id === delivery.id);
  const current = rows[at];
  if (current === undefined) return null;
  const kept = newer(current, delivery);
  if (kept === current) return rows;
  return rows.map((row, i) => (i === at ? kept : row));
}

/** `rows` (newest first) with `delivery` replaced, or added at the top when it is new. */
export function upsertDelivery(rows: DeliveryView[], delivery: DeliveryView): DeliveryView[] {
  return replaceDelivery(rows, delivery) ?? [delivery, ...rows];
}

/**
 * A list just fetched, with any row an event has since reported newer: an answer read before an
 * event arrived must not take that event back.
 */
export function mergeFetched(fetched: DeliveryView[], seen: ReadonlyMap<number, DeliveryView>): DeliveryView[] {
  return fetched.map((row) => {
    const known = seen.get(row.id);
    return known ? newer(row, known) : row;
  });
}

/** What the Deliveries screen's filter controls hold. */
export type DeliveryChoice = { needsAPerson: boolean; status: DeliveryStatus | null };

export const ALL_DELIVERIES: DeliveryChoice = { needsAPerson: false, status: null };

/** The most rows the screen asks for at once, newest first. */
export const DELIVERY_PAGE = 200;

/** The backend's filter for the screen's choice; which statuses "need a person" is the backend's rule. */
export function deliveryFilter(choice: DeliveryChoice): DeliveryFilter {
  return { needs_a_person: choice.needsAPerson, status: choice.status, invoice_id: null, limit: DELIVERY_PAGE };
}

/** Whether the screen shows a subset (so an empty list says "none match", not "none yet"). */
export function isFiltered(choice: DeliveryChoice): boolean {
  return choice.needsAPerson || choice.status !== null;
}

/** "Sending 3 of 10 (12.5/s): invoice INV-2026-00042", or null once the pass is over. */
export function progressText(progress: JobProgress): string | null {
  if (progress.finished) return null;
  const rate = progress.rate_per_second && progress.rate_per_second !== "0" ? ` (${progress.rate_per_second}/s)` : "";
  const failed = progress.failed > 0 ? `, ${progress.failed} failed` : "";
  const current = progress.current ? `: ${progress.current}` : "";
  return `Sending ${progress.done} of ${progress.total}${rate}${failed}${current}`;
}
