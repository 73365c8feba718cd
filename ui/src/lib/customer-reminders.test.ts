import { describe, expect, it } from "vitest";
import { remindersChange } from "./customer-reminders";

describe("the customer's reminders switch", () => {
  const stored = { customer_id: 4, opt_out: false, can_change: true };

  it("saves nothing while it says what is stored", () => {
    expect(remindersChange(stored, true)).toBeNull();
    expect(remindersChange({ ...stored, opt_out: true }, false)).toBeNull();
  });

  it("opts the customer out when turned off, and back in when turned on", () => {
    expect(remindersChange(stored, false)).toEqual({ customer_id: 4, opt_out: true });
    expect(remindersChange({ ...stored, opt_out: true }, true)).toEqual({ customer_id: 4, opt_out: false });
  });

  it("saves nothing when the backend does not let this person change it", () => {
    expect(remindersChange({ ...stored, can_change: false }, false)).toBeNull();
    expect(remindersChange(null, false)).toBeNull();
  });
});
