// What the invoice screen offers comes from the backend: every invoice carries `allowed_actions`,
// computed by the domain for the signed-in person. Nothing here decides a rule; it only chooses
// how to present the backend's answer.
import type { AllowedAction } from "./bindings/AllowedAction";
import type { InvoiceAction } from "./bindings/InvoiceAction";
import type { RefusalCode } from "./bindings/RefusalCode";

type WithActions = { allowed_actions: AllowedAction[] };

/** How a screen shows one action: a working button, a disabled one with its reason, or nothing. */
export type ActionOffer = { state: "enabled" } | { state: "disabled"; reason: string } | { state: "hidden" };

// A billing specialist expects buttons that make no sense in this state or for this role to be
// absent. Refusals they could not guess from the screen (someone else must approve, the total needs
// approval first, an exchange rate is missing) are shown as a disabled button that says why.
const EXPLAINED: ReadonlySet<RefusalCode> = new Set<RefusalCode>(["four_eyes", "needs_approval", "missing_rate"]);

export function findAction(invoice: WithActions, action: InvoiceAction): AllowedAction | undefined {
  return invoice.allowed_actions.find((candidate) => candidate.action === action);
}

export function offer(invoice: WithActions, action: InvoiceAction): ActionOffer {
  const found = findAction(invoice, action);
  if (!found) return { state: "hidden" };
  if (found.allowed) return { state: "enabled" };
  if (found.reason && EXPLAINED.has(found.reason.code)) return { state: "disabled", reason: found.reason.message };
  return { state: "hidden" };
}

/** Whether the backend would accept `action` now. */
export function canDo(invoice: WithActions, action: InvoiceAction): boolean {
  return findAction(invoice, action)?.allowed === true;
}
