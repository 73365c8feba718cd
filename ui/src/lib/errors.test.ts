import { describe, expect, it } from "vitest";
import type { ApiError } from "./bindings/ApiError";
import { errorMessage, fieldMessages, formErrors, isApiError, signInFormErrors, toApiError } from "./errors";

const validation: ApiError = {
  code: "validation",
  message: "The invoice has errors.",
  details: [
    { field: "customer_id", message: "Choose a customer." },
    { field: "lines[1].quantity", message: "Quantity must be positive." },
    { field: "lines[1].quantity", message: "Use at most 4 decimals." },
    { field: "template", message: "No invoice template is set up." },
  ],
};

describe("isApiError", () => {
  it("recognises the backend's error objects only", () => {
    expect(isApiError(validation)).toBe(true);
    expect(isApiError({ code: "forbidden", message: "No." })).toBe(true);
    expect(isApiError({ code: "teapot", message: "No." })).toBe(false);
    // The missing keychain is the backend's error too, with its own words.
    expect(toApiError({ code: "keychain_unavailable", message: "no Secret Service" }).message).toBe(
      "no Secret Service",
    );
    expect(errorMessage({ code: "keychain_unavailable", message: "", details: null })).toContain("keychain");
    expect(isApiError("forbidden")).toBe(false);
    expect(isApiError(null)).toBe(false);
  });
});

describe("approval_required", () => {
  it("is a backend error with its figures as data, not turned into an internal error", () => {
    const refused: ApiError = {
      code: "approval_required",
      message: "this invoice's total of 15000.00 USD reaches the approval threshold of 10000.00 USD",
      details: [
        {
          field: "total",
          message: "this invoice's total …",
          approval: {
            total: "15000.00",
            currency: "USD",
            converted_total: "15000.00",
            company_currency: "USD",
            threshold: "10000.00",
          },
        },
      ],
    };
    expect(isApiError(refused)).toBe(true);
    expect(toApiError(refused).code).toBe("approval_required");
    expect(toApiError(refused).details?.[0]?.approval?.threshold).toBe("10000.00");
    expect(errorMessage({ ...refused, message: "" })).toBe(
      "This invoice's total needs an approver before it can be issued.",
    );
  });
});

describe("errorMessage", () => {
  it("shows the backend's message", () => {
    expect(errorMessage(validation)).toBe("The invoice has errors.");
  });

  it("falls back to a sentence for the code when the message is empty", () => {
    expect(errorMessage({ code: "forbidden", message: "", details: null })).toBe(
      "Your role does not allow this action.",
    );
  });

  it("never shows raw JSON for unknown values", () => {
    const text = errorMessage({ weird: true, nested: { a: 1 } });
    expect(text).toBe("Something went wrong. Please try again.");
    expect(text).not.toContain("{");
  });

  it("uses the message of thrown errors and strings", () => {
    expect(errorMessage(new Error("Disk full"))).toBe("Disk full");
    expect(errorMessage("command not found")).toBe("command not found");
  });
});

describe("toApiError", () => {
  it("wraps anything else as an internal error and fills missing details", () => {
    expect(toApiError("boom")).toEqual({ code: "internal", message: "boom", details: null });
    expect(toApiError({ code: "conflict", message: "Changed." })).toEqual({
      code: "conflict",
      message: "Changed.",
      details: null,
    });
  });
});

describe("fieldMessages", () => {
  it("maps each field path to its messages", () => {
    expect(fieldMessages(validation)).toEqual({
      customer_id: "Choose a customer.",
      "lines[1].quantity": "Quantity must be positive. Use at most 4 decimals.",
      template: "No invoice template is set up.",
    });
  });

  it("is empty for errors without details", () => {
    expect(fieldMessages({ code: "forbidden", message: "No.", details: null })).toEqual({});
    expect(fieldMessages(new Error("x"))).toEqual({});
  });
});

describe("formErrors", () => {
  const shown = (field: string) => field === "customer_id" || field.startsWith("lines[");

  it("places messages next to the fields the form shows", () => {
    const errors = formErrors(validation, shown);
    expect(errors.fields).toEqual({
      customer_id: "Choose a customer.",
      "lines[1].quantity": "Quantity must be positive. Use at most 4 decimals.",
    });
  });

  it("puts messages for fields the form lacks into the summary", () => {
    expect(formErrors(validation, shown).summary).toBe("The invoice has errors. No invoice template is set up.");
  });

  it("has a summary but no field messages for other errors", () => {
    expect(formErrors({ code: "forbidden", message: "Admins only.", details: null }, shown)).toEqual({
      fields: {},
      summary: "Admins only.",
    });
  });

  it("is empty when there is no error", () => {
    expect(formErrors(null, shown)).toEqual({ fields: {}, summary: null });
  });
});

describe("signInFormErrors", () => {
  it("shows how long a throttled sign-in must wait, without the raw seconds", () => {
    const throttled: ApiError = {
      code: "throttled",
      message: "too many failed sign-ins for this email; try again in 30 seconds",
      details: [{ field: "retry_after_seconds", message: "30" }],
    };
    expect(isApiError(throttled)).toBe(true);
    expect(signInFormErrors(throttled)).toEqual({
      fields: {},
      summary: "too many failed sign-ins for this email; try again in 30 seconds",
    });
  });

  it("places a wrong password's error as before", () => {
    const failed: ApiError = { code: "auth_failed", message: "the email or password is not correct", details: null };
    expect(signInFormErrors(failed)).toEqual({ fields: {}, summary: "the email or password is not correct" });
  });
});
