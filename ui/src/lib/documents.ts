// Documents are resources, not actions: an invoice's PDF is loaded by URL from the backend's
// `invoicer-pdf` protocol, the way an image is, so that the bytes skip the IPC layer and a user
// action (issuing, say) stays one IPC call. It deliberately does not go through `api.ts`'s `call`,
// whose log counts IPC calls; a refusal still arrives as the same ApiError a command rejects with.
import { convertFileSrc } from "@tauri-apps/api/core";
import type { ApiError } from "./bindings/ApiError";
import { BACKEND_MISSING, noticeRefusal, outsideTauri } from "./api";
import { isApiError, toApiError } from "./errors";

/** The URI scheme registered by `src-tauri/src/pdf_protocol.rs`. */
export const PDF_SCHEME = "invoicer-pdf";

/** The platform's URL for an invoice's PDF (`invoicer-pdf://localhost/invoice%2F7` on Linux). */
export function invoicePdfUrl(id: number): string {
  return convertFileSrc(`invoice/${id}`, PDF_SCHEME);
}

/** The platform's URL for a credit note's archived PDF (`invoicer-pdf://localhost/credit-note%2F3`). */
export function creditNotePdfUrl(id: number): string {
  return convertFileSrc(`credit-note/${id}`, PDF_SCHEME);
}

/**
 * An invoice's PDF bytes: the archived copy once issued, a fresh preview of a draft. Rejects with
 * an ApiError; `unauthenticated` also ends the session, as a refused command does.
 */
export async function invoicePdfBytes(id: number): Promise<ArrayBuffer> {
  return await pdfBytes(invoicePdfUrl(id));
}

/** A credit note's archived PDF bytes; rejects as `invoicePdfBytes` does. */
export async function creditNotePdfBytes(id: number): Promise<ArrayBuffer> {
  return await pdfBytes(creditNotePdfUrl(id));
}

async function pdfBytes(url: string): Promise<ArrayBuffer> {
  let response: Response;
  try {
    if (outsideTauri()) throw { code: "internal", message: BACKEND_MISSING, details: null } satisfies ApiError;
    // Never from a cache: a draft's preview changes with every edit.
    response = await fetch(url, { cache: "no-store" });
  } catch (reason) {
    throw toApiError(reason);
  }
  if (response.ok) return await response.arrayBuffer();
  const error = await refusal(response);
  noticeRefusal(error);
  throw error;
}

/** The ApiError a refused request carries as its JSON body, or one that says what happened. */
async function refusal(response: Response): Promise<ApiError> {
  const body: unknown = await response.json().catch(() => null);
  if (isApiError(body)) return toApiError(body);
  return {
    code: "internal",
    message: `The PDF could not be loaded (the backend answered ${response.status}).`,
    details: null,
  };
}
