import type { ApiError } from "./bindings/ApiError";
import type { ErrorCode } from "./bindings/ErrorCode";

const ERROR_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  "validation",
  "not_found",
  "auth_failed",
  "throttled",
  "unauthenticated",
  "forbidden",
  "invalid_state",
  "approval_required",
  "conflict",
  "not_initialized",
  "already_initialized",
  "storage",
  "document",
  "integrity",
  "keychain_unavailable",
  "trigger_disabled",
  "internal",
]);

// Used when the backend sends a code with an empty message, so the user still reads a sentence.
const MESSAGE_BY_CODE: Record<ErrorCode, string> = {
  validation: "Some fields need attention.",
  not_found: "That record no longer exists.",
  auth_failed: "The email or password is not correct.",
  throttled: "Too many failed sign-ins. Wait a few minutes and try again.",
  unauthenticated: "Your session has ended. Please sign in again.",
  forbidden: "Your role does not allow this action.",
  invalid_state: "This action is not possible in the record's current state.",
  approval_required: "This invoice's total needs an approver before it can be issued.",
  conflict: "Someone else changed this record. Reload it and try again.",
  not_initialized: "Invoicer has not been set up yet.",
  already_initialized: "Invoicer has already been set up.",
  storage: "The data file could not be read or written.",
  document: "The document could not be produced.",
  integrity: "Stored data no longer matches what was recorded. Run the audit check in Settings.",
  keychain_unavailable: "The OS keychain is not available, so no password or secret can be stored or read.",
  trigger_disabled: "This event type's rule is disabled. An admin must test and enable it in Triggers → Event rules.",
  internal: "Something went wrong. Please try again.",
};

const GENERIC_MESSAGE = MESSAGE_BY_CODE.internal;

export function isApiError(value: unknown): value is ApiError {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as { code?: unknown; message?: unknown; details?: unknown };
  return (
    typeof candidate.code === "string" &&
    ERROR_CODES.has(candidate.code) &&
    typeof candidate.message === "string" &&
    (candidate.details === null || candidate.details === undefined || Array.isArray(candidate.details))
  );
}

/**
 * Turns whatever an `invoke` rejected with into an ApiError. The backend always rejects with one,
 * but Tauri itself rejects with a plain string (e.g. an unknown command) and a browser without
 * Tauri throws a TypeError, and the screens should only ever deal with one shape.
 */
export function toApiError(reason: unknown): ApiError {
  if (isApiError(reason)) return { ...reason, details: reason.details ?? null };
  return { code: "internal", message: errorMessage(reason), details: null };
}

/** A sentence fit to show a person, whatever was thrown; never raw JSON. */
export function errorMessage(reason: unknown): string {
  if (isApiError(reason)) return reason.message.trim() || MESSAGE_BY_CODE[reason.code];
  if (reason instanceof Error) return reason.message.trim() || GENERIC_MESSAGE;
  if (typeof reason === "string") return reason.trim() || GENERIC_MESSAGE;
  return GENERIC_MESSAGE;
}

/** Field path (e.g. `lines[1].quantity`) to the message shown next to that field. */
export type FieldMessages = Readonly<Record<string, string>>;

export function fieldMessages(reason: unknown): FieldMessages {
  if (!isApiError(reason) || !reason.details) return {};
  const messages: Record<string, string> = {};
  for (const { field, message } of reason.details) {
    // Two rules can fail on one field; the person should read both.
    messages[field] = messages[field] ? `${messages[field]} ${message}` : message;
  }
  return messages;
}

export type FormErrors = {
  /** Messages for fields the form shows, keyed by field path. */
  fields: FieldMessages;
  /** A sentence for the top of the form, including messages for fields the form has no place for. */
  summary: string | null;
};

export const NO_FORM_ERRORS: FormErrors = { fields: {}, summary: null };

/**
 * Splits a rejection into messages placed next to fields and one summary line. A detail whose
 * field the form does not show goes into the summary so that no message is silently lost.
 */
export function formErrors(reason: unknown, isShown: (field: string) => boolean): FormErrors {
  if (reason === null || reason === undefined) return NO_FORM_ERRORS;
  const fields: Record<string, string> = {};
  const unplaced: string[] = [];
  for (const [field, message] of Object.entries(fieldMessages(reason))) {
    if (isShown(field)) fields[field] = message;
    else unplaced.push(message);
  }
  const summary = [errorMessage(reason), ...unplaced].join(" ");
  return { fields, summary };
}

/**
 * The sign-in form's errors. A throttled attempt says how long to wait in its message; its
 * `retry_after_seconds` detail is a number for scripts, not a sentence, so it is not shown.
 */
export function signInFormErrors(reason: unknown): FormErrors {
  if (isApiError(reason) && reason.code === "throttled") {
    return { fields: {}, summary: errorMessage(reason) };
  }
  return formErrors(reason, (field) => field === "email" || field === "password");
}
