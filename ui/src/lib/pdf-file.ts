// Naming the file a person saves an invoice's PDF as.
import type { InvoiceView } from "./bindings/InvoiceView";

// Characters Windows, macOS or Linux refuse in a file name, plus control characters.
const UNSAFE = /[\\/:*?"<>|\u0000-\u001f]+/g;

/**
 * The name the save dialog suggests: the invoice number ("INV-2025-00042.pdf"), or
 * "draft-<id>.pdf" while it has none. Number formats may contain "/" (e.g. "2025/042"), which
 * would name a folder, so unsafe characters become "-".
 */
export function pdfFileName(invoice: Pick<InvoiceView, "id" | "number">): string {
  const number = invoice.number?.replace(UNSAFE, "-").replace(/^[\s.-]+|[\s.]+$/g, "") ?? "";
  return `${number === "" ? `draft-${invoice.id}` : number}.pdf`;
}

export const PDF_FILTERS = [{ name: "PDF", extensions: ["pdf"] }];
