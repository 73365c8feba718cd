import { describe, expect, it } from "vitest";
import type { AllowedAction } from "./bindings/AllowedAction";
import { canDo, offer } from "./invoice-actions";

const invoice = (allowed_actions: AllowedAction[]) => ({ allowed_actions });

describe("offer", () => {
  it("enables exactly what the backend allows", () => {
    const draft = invoice([
      { action: "issue", allowed: true, reason: null },
      { action: "void", allowed: false, reason: { code: "wrong_state", message: "no number yet", approval: null } },
    ]);
    expect(offer(draft, "issue")).toEqual({ state: "enabled" });
    expect(canDo(draft, "issue")).toBe(true);
    expect(offer(draft, "void")).toEqual({ state: "hidden" });
    expect(canDo(draft, "void")).toBe(false);
  });

  it("shows a refusal a person could not guess as a disabled button with the backend's reason", () => {
    const own = invoice([
      {
        action: "approve",
        allowed: false,
        reason: {
          code: "four_eyes",
          message: "you made this invoice, so someone else must approve it",
          approval: null,
        },
      },
    ]);
    expect(offer(own, "approve")).toEqual({
      state: "disabled",
      reason: "you made this invoice, so someone else must approve it",
    });
  });

  it("hides actions of other roles and actions the backend does not list", () => {
    const pending = invoice([
      { action: "approve", allowed: false, reason: { code: "role", message: "approvers only", approval: null } },
    ]);
    expect(offer(pending, "approve")).toEqual({ state: "hidden" });
    expect(offer(pending, "record_payment")).toEqual({ state: "hidden" });
  });
});
