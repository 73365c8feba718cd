import type { AuditEventView } from "./bindings/AuditEventView";

/**
 * "invoice.issued" or "payment_recorded" → "Invoice issued" / "Payment recorded". Audit actions
 * are machine names; the activity list reads them as sentences.
 */
export function actionLabel(action: string): string {
  const words = action
    .replace(/[._:-]+/g, " ")
    .trim()
    .toLowerCase();
  return words === "" ? action : words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * Why the invoice was last sent back, from its audit trail: the reason is recorded with the
 * "invoice.rejected" event and the invoice itself does not carry it.
 */
export function rejectionReason(events: readonly AuditEventView[]): string | null {
  const rejected = [...events].reverse().find((event) => event.action === "invoice.rejected");
  if (!rejected) return null;
  try {
    const data: unknown = JSON.parse(rejected.data);
    if (typeof data === "object" && data !== null && "reason" in data && typeof data.reason === "string") {
      return data.reason.trim() || null;
    }
  } catch {
    // A malformed entry must not break the invoice screen; it simply has no reason to show.
  }
  return null;
}
