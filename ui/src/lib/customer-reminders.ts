// The customer dialog's "Send payment reminders" switch: what to send the backend when it is saved.
import type { CustomerRemindersInput } from "./bindings/CustomerRemindersInput";
import type { CustomerRemindersView } from "./bindings/CustomerRemindersView";

/**
 * The change to save when the switch reads `send`, or null when there is none: the switch was not
 * shown (the backend did not allow it) or it still says what is stored.
 */
export function remindersChange(stored: CustomerRemindersView | null, send: boolean): CustomerRemindersInput | null {
  if (!stored?.can_change) return null;
  if (send === !stored.opt_out) return null;
  return { customer_id: stored.customer_id, opt_out: !send };
}
