// The credit-note dialog's form turned into what the backend reads. Every figure (net, tax, what is
// left to credit) comes from the backend's preview; nothing here computes money.
import type { CreditNoteInput } from "./bindings/CreditNoteInput";
import type { LineView } from "./bindings/LineView";
import type { PaymentInput } from "./bindings/PaymentInput";

/** What the credit note credits: everything left, chosen lines, or an amount including tax. */
export type CreditMode = "full" | "lines" | "amount";

/** One invoice line in the dialog: whether it is credited and how many of its units. */
export type LineChoice = { chosen: boolean; quantity: string };

export type CreditForm = {
  mode: CreditMode;
  /** By the invoice's line order (line numbers are these indexes + 1). */
  lines: LineChoice[];
  amount: string;
  reason: string;
  send: boolean;
};

/** A fresh form: every line unchosen with its invoiced quantity ready to be edited. */
export function emptyCreditForm(lines: readonly LineView[]): CreditForm {
  return {
    mode: "full",
    lines: lines.map((line) => ({ chosen: false, quantity: line.quantity })),
    amount: "",
    reason: "",
    send: false,
  };
}

/**
 * The backend's input for `form`. A chosen line whose quantity is left as invoiced is sent without
 * one (the backend then credits what is left of the line); a changed quantity is sent as typed.
 */
export function creditNoteInput(invoiceId: number, form: CreditForm, invoiced: readonly LineView[]): CreditNoteInput {
  const input: CreditNoteInput = {
    invoice_id: invoiceId,
    lines: [],
    amount: null,
    reason: form.reason.trim(),
    send: form.send,
  };
  if (form.mode === "amount") {
    input.amount = form.amount.trim();
  } else if (form.mode === "lines") {
    input.lines = form.lines.flatMap((choice, i) => {
      if (!choice.chosen) return [];
      const typed = choice.quantity.trim();
      const whole = typed === "" || typed === invoiced[i]?.quantity;
      return [{ line: i + 1, quantity: whole ? null : typed }];
    });
  }
  return input;
}

/** Whether the form asks for something the backend can preview yet (it still checks everything). */
export function previewable(form: CreditForm): boolean {
  if (form.mode === "amount") return form.amount.trim() !== "";
  if (form.mode === "lines") return form.lines.some((line) => line.chosen);
  return true;
}

/** The backend's field path for a line's error (`lines[0].quantity`) → the invoice line's index. */
export function lineOfField(field: string, input: CreditNoteInput): number | null {
  const match = /^lines\[(\d+)\]/.exec(field);
  if (!match) return null;
  const sent = input.lines[Number(match[1])];
  return sent ? sent.line - 1 : null;
}

/** The methods a payment or refund may name, as the backend spells them, with their labels. */
export const PAYMENT_METHODS: ReadonlyArray<{ value: NonNullable<PaymentInput["method"]>; label: string }> = [
  { value: "bank_transfer", label: "Bank transfer" },
  { value: "card", label: "Card" },
  { value: "cash", label: "Cash" },
  { value: "cheque", label: "Cheque" },
  { value: "other", label: "Other" },
];

/** The label of a stored method; an unknown one shows as stored. */
export function methodLabel(method: string): string {
  return PAYMENT_METHODS.find((m) => m.value === method)?.label ?? method;
}
