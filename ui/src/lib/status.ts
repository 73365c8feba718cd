// How a status looks on a chip. Only presentation lives here: what a person may do with an
// invoice comes from the backend's `allowed_actions` (see invoice-actions.ts).
import type { DisplayStatus } from "./bindings/DisplayStatus";

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
