import type { DisplayStatus } from "./bindings/DisplayStatus";
import type { InvoiceStatus } from "./bindings/InvoiceStatus";
import type { Role } from "./bindings/Role";
import { isApiError } from "./errors";

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

export type InvoiceActions = {
  issue: boolean;
  submit: boolean;
  approve: boolean;
  reject: boolean;
  edit: boolean;
  void: boolean;
  pay: boolean;
  sendBack: boolean;
};

/**
 * What a person may do with an invoice in a stored state. Overdue is only a display status, so
 * the stored status decides: an overdue invoice is issued or partially paid underneath. Only
 * approvers and admins decide on approvals; whether they made the invoice themselves is for the
 * backend to say, because the UI only knows the maker's name.
 */
export function invoiceActions(status: InvoiceStatus, role: Role): InvoiceActions {
  const decides = status === "pending_approval" && (role === "approver" || role === "admin");
  const holdsApproval = status === "pending_approval" || status === "approved";
  return {
    issue: status === "draft" || status === "approved",
    submit: status === "draft",
    approve: decides,
    reject: decides,
    // Saving a rejected, pending or approved invoice turns it back into a draft (an approval
    // holds only for the content it was given to).
    edit: status === "draft" || status === "rejected" || holdsApproval,
    // Only issued invoices have a number and a PDF to void; the backend also refuses a partially
    // paid one (refund or credit note instead).
    void: status === "issued",
    pay: status === "issued" || status === "partially_paid",
    // An approved invoice was never issued, so instead of a void it goes back to draft.
    sendBack: holdsApproval,
  };
}

/**
 * Whether issuing was refused because the total reaches the approval threshold, in which case
 * the person should be offered "Submit for approval" next to the backend's explanation.
 */
export function needsApproval(reason: unknown): boolean {
  return isApiError(reason) && reason.code === "invalid_state" && /approval threshold/i.test(reason.message);
}
