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
