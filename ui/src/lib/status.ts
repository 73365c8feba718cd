import type { DisplayStatus } from "./bindings/DisplayStatus";
import type { InvoiceStatus } from "./bindings/InvoiceStatus";

/** Colour families for status chips; each maps to a `chip-<tone>` class in the stylesheet. */
export type ChipTone =
  "neutral" | "waiting" | "ready" | "refused" | "open" | "late" | "partial" | "settled" | "cancelled";

type StatusLook = { label: string; tone: ChipTone };

// Every status has its own words, so colour is never the only thing telling them apart.
const LOOKS: Record<DisplayStatus, StatusLook> = {
  draft: { label: "Draft", tone: "neutral" },
  pending_approval: { label: "Pending approval", tone: "waiting" },
  approved: { label: "Approved", tone: "ready" },
  rejected: { label: "Rejected", tone: "refused" },
  issued: { label: "Issued", tone: "open" },
  overdue: { label: "Overdue", tone: "late" },
  partially_paid: { label: "Partially paid", tone: "partial" },
  paid: { label: "Paid", tone: "settled" },
  void: { label: "Void", tone: "cancelled" },
};

export const DISPLAY_STATUSES = Object.keys(LOOKS) as DisplayStatus[];

export function statusLook(status: DisplayStatus): StatusLook {
  return LOOKS[status];
}

export type InvoiceActions = { issue: boolean; edit: boolean; void: boolean; pay: boolean };

/**
 * What a person may do with an invoice in a stored state. Overdue is only a display status, so
 * the stored status decides: an overdue invoice is issued or partially paid underneath.
 */
export function invoiceActions(status: InvoiceStatus): InvoiceActions {
  return {
    issue: status === "draft" || status === "approved",
    edit: status === "draft",
    void: status === "issued" || status === "approved" || status === "partially_paid",
    pay: status === "issued" || status === "partially_paid",
  };
}
