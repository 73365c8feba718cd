import { describe, expect, it } from "vitest";
import type { ApprovalOutcome } from "./bindings/ApprovalOutcome";
import type { ApprovalQueueRow } from "./bindings/ApprovalQueueRow";
import {
  ageText,
  checkedInQueue,
  isFinalApproval,
  keepSelection,
  levelText,
  moveSelection,
  queueAction,
  summarizeOutcomes,
  toggleChecked,
} from "./approvals";

function row(invoice_id: number, extra: Partial<ApprovalQueueRow> = {}): ApprovalQueueRow {
  return {
    invoice_id,
    status: "pending_approval",
    customer_name: `Customer ${invoice_id}`,
    total: "12000.00",
    currency: "EUR",
    converted_total: "12000.00",
    company_currency: "EUR",
    exchange_rate: null,
    issue_date: "2026-11-20",
    maker: "spec@example.com",
    submitted_at: "2026-11-20T09:00:00Z",
    age_days: 2,
    rule: "total ≥ 10,000.00 EUR",
    level: 1,
    approvers_required: 1,
    source: "manual",
    send_on_approval: false,
    can_decide: true,
    refusal: null,
    ...extra,
  };
}

const key = (k: string, mods: Partial<KeyboardEvent> = {}) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...mods,
});

describe("queue shortcuts", () => {
  it("maps a, r, j/k, arrows and x to their actions", () => {
    expect(queueAction(key("a"))).toBe("approve");
    expect(queueAction(key("r"))).toBe("reject");
    expect(queueAction(key("j"))).toBe("next");
    expect(queueAction(key("ArrowDown"))).toBe("next");
    expect(queueAction(key("k"))).toBe("previous");
    expect(queueAction(key("ArrowUp"))).toBe("previous");
    expect(queueAction(key("x"))).toBe("toggle");
  });

  it("leaves modified keys and other keys to the browser", () => {
    expect(queueAction(key("a", { ctrlKey: true }))).toBeNull();
    expect(queueAction(key("r", { metaKey: true }))).toBeNull();
    expect(queueAction(key("q"))).toBeNull();
  });
});

describe("moving the selection", () => {
  const rows = [row(1), row(2), row(3)];

  it("selects the first invoice when none was selected", () => {
    expect(moveSelection(rows, null, 1)).toBe(1);
  });

  it("moves one row and stops at the ends", () => {
    expect(moveSelection(rows, 1, 1)).toBe(2);
    expect(moveSelection(rows, 3, 1)).toBe(3);
    expect(moveSelection(rows, 1, -1)).toBe(1);
  });

  it("selects nothing in an empty queue", () => {
    expect(moveSelection([], 4, 1)).toBeNull();
  });

  it("after approving the selected invoice, shows the next one", () => {
    expect(keepSelection(rows, [row(1), row(3)], 2)).toBe(3);
  });

  it("after approving the last invoice, shows the one before it", () => {
    expect(keepSelection(rows, [row(1), row(2)], 3)).toBe(2);
  });

  it("keeps the selected invoice while it still waits", () => {
    expect(keepSelection(rows, [row(2), row(3)], 2)).toBe(2);
  });
});

describe("checking invoices", () => {
  it("toggles and lists the checked ones still waiting, oldest first", () => {
    let checked = toggleChecked(new Set(), 3);
    checked = toggleChecked(checked, 1);
    checked = toggleChecked(checked, 9);
    checked = toggleChecked(checked, 9);
    expect(checkedInQueue([row(1), row(2), row(3)], checked)).toEqual([1, 3]);
    expect(checkedInQueue([row(2), row(3)], checked)).toEqual([3]);
  });
});

describe("levels and age", () => {
  it("says which level waits and whether it is the final one", () => {
    expect(levelText(row(1, { level: 1, approvers_required: 2 }))).toBe("Level 1 of 2");
    expect(isFinalApproval(row(1, { level: 1, approvers_required: 2 }))).toBe(false);
    expect(isFinalApproval(row(1, { level: 2, approvers_required: 2 }))).toBe(true);
  });

  it("says how long an invoice has waited", () => {
    expect(ageText(0)).toBe("today");
    expect(ageText(1)).toBe("1 day");
    expect(ageText(5)).toBe("5 days");
  });
});

describe("a batch approval's outcomes", () => {
  const outcomes: ApprovalOutcome[] = [
    { invoice_id: 1, ok: true, status: "issued", error: null },
    {
      invoice_id: 2,
      ok: false,
      status: "pending_approval",
      error: { code: "forbidden", message: "You made this invoice, so someone else must approve it.", details: null },
    },
    { invoice_id: 3, ok: true, status: "approved", error: null },
  ];

  it("counts approvals and refusals and keeps the backend's reason", () => {
    const summary = summarizeOutcomes(outcomes, (id) => (id === 2 ? "Acme" : undefined));
    expect(summary.summary).toBe("2 invoices approved, 1 refused.");
    expect(summary.lines).toEqual([
      { invoiceId: 1, ok: true, text: "Invoice 1: approved and issued" },
      {
        invoiceId: 2,
        ok: false,
        text: "Invoice 2 (Acme): refused — You made this invoice, so someone else must approve it.",
      },
      { invoiceId: 3, ok: true, text: "Invoice 3: approved" },
    ]);
  });

  it("says so plainly when every one was approved", () => {
    expect(summarizeOutcomes(outcomes.slice(0, 1)).summary).toBe("1 invoice approved.");
  });
});
