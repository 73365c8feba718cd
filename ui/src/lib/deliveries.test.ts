import { describe, expect, it } from "vitest";
import type { DeliveryView } from "./bindings/DeliveryView";
import {
  ALL_DELIVERIES,
  deliveryActionLabel,
  deliveryFilter,
  deliveryKindLabel,
  isFiltered,
  mergeFetched,
  needsAPersonCount,
  progressText,
  replaceDelivery,
  replyText,
  upsertDelivery,
} from "./deliveries";

function delivery(id: number, status: DeliveryView["status"], updated_at: string): DeliveryView {
  return {
    id,
    invoice_id: 4,
    invoice_number: "INV-2026-00004",
    customer_name: "Buyer Inc",
    kind: "invoice",
    step: 0,
    to: ["bob@buyer.example"],
    cc: [],
    bcc: [],
    status,
    attempts: status === "queued" ? 0 : 1,
    max_attempts: 3,
    next_attempt_at: null,
    last_reply: status === "sent" ? { code: 250, text: "OK" } : null,
    message_id: null,
    created_at: "2026-03-02T09:00:00Z",
    updated_at,
    actions: [],
  };
}

describe("folding delivery events into a list", () => {
  const queued = delivery(1, "queued", "2026-03-02T09:00:00Z");
  const sending = delivery(1, "sending", "2026-03-02T09:00:01Z");
  const sent = delivery(1, "sent", "2026-03-02T09:00:02Z");
  const other = delivery(2, "failed", "2026-03-01T09:00:00Z");

  it("replaces a row in place with its newer state", () => {
    expect(replaceDelivery([queued, other], sent)).toEqual([sent, other]);
  });

  it("ignores an event older than what the row shows", () => {
    const rows = [sent, other];
    expect(replaceDelivery(rows, sending)).toBe(rows);
  });

  it("says when the list does not hold the delivery, so the screen can read the list again", () => {
    expect(replaceDelivery([other], sent)).toBeNull();
  });

  it("adds a new delivery at the top of an invoice's list (newest first)", () => {
    expect(upsertDelivery([other], queued)).toEqual([queued, other]);
    expect(upsertDelivery([sending, other], sent)).toEqual([sent, other]);
  });

  it("keeps what events said over an answer read before them", () => {
    const seen = new Map([[1, sent]]);
    expect(mergeFetched([sending, other], seen)).toEqual([sent, other]);
    // A fresher answer wins over an older event.
    expect(mergeFetched([sent], new Map([[1, queued]]))).toEqual([sent]);
  });
});

describe("the sidebar badge", () => {
  it("counts failed and unknown deliveries; none hides it", () => {
    expect(needsAPersonCount({ failed: 2, unknown: 1 })).toBe(3);
    expect(needsAPersonCount({ failed: 0, unknown: 0 })).toBe(0);
  });
});

describe("the Deliveries screen's filter", () => {
  it("asks the backend for what the person chose; the backend decides who needs a person", () => {
    expect(deliveryFilter(ALL_DELIVERIES)).toEqual({
      needs_a_person: false,
      status: null,
      invoice_id: null,
      limit: 200,
    });
    expect(deliveryFilter({ needsAPerson: true, status: null }).needs_a_person).toBe(true);
    expect(deliveryFilter({ needsAPerson: false, status: "unknown" }).status).toBe("unknown");
    expect(isFiltered(ALL_DELIVERIES)).toBe(false);
    expect(isFiltered({ needsAPerson: false, status: "sent" })).toBe(true);
  });
});

describe("words", () => {
  it("names the backend's resend action by what it means for the delivery", () => {
    expect(deliveryActionLabel("resend", "failed")).toBe("Retry");
    expect(deliveryActionLabel("resend", "unknown")).toBe("Resend");
    expect(deliveryActionLabel("mark_sent", "unknown")).toBe("Mark sent");
  });

  it("shows the server's reply with its code, or the transport's words without one", () => {
    expect(replyText({ code: 550, text: "5.1.1 mailbox unavailable" })).toBe("550 5.1.1 mailbox unavailable");
    expect(replyText({ code: 0, text: "connection refused" })).toBe("connection refused");
    expect(replyText(null)).toBe("—");
  });

  it("tells the first email, reminders and resends apart", () => {
    expect(deliveryKindLabel({ kind: "invoice", step: 0 })).toBe("Invoice");
    expect(deliveryKindLabel({ kind: "invoice", step: 1 })).toBe("Invoice (resent 1)");
    expect(deliveryKindLabel({ kind: "credit_note", step: 4 })).toBe("Credit note");
    expect(deliveryKindLabel({ kind: "reminder", step: 2 })).toBe("Reminder 2");
  });

  it("describes the sender's pass while it runs, and nothing once it ended", () => {
    const running = {
      job: "outbox_sender",
      done: 3,
      total: 10,
      rate_per_second: "12.5",
      current: "invoice INV-2026-00042",
      failed: 1,
      finished: false,
    };
    expect(progressText(running)).toBe("Sending 3 of 10 (12.5/s), 1 failed: invoice INV-2026-00042");
    expect(progressText({ ...running, finished: true })).toBeNull();
  });
});
