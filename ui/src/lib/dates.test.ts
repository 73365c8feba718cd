import { afterEach, describe, expect, it, vi } from "vitest";
import { formatDate, formatInstant, localDate } from "./dates";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("formatDate", () => {
  it("shows a calendar date readably", () => {
    expect(formatDate("2024-03-05", "en-US")).toBe("Mar 5, 2024");
  });

  it("keeps the same day in a time zone west of UTC", () => {
    vi.stubEnv("TZ", "America/Los_Angeles");
    expect(formatDate("2024-01-01", "en-US")).toBe("Jan 1, 2024");
  });

  it("returns anything that is not a date unchanged", () => {
    expect(formatDate("soon", "en-US")).toBe("soon");
  });
});

describe("formatInstant", () => {
  it("shows date and time in the requested zone", () => {
    expect(formatInstant("2024-03-05T14:03:00Z", "en-US", "UTC")).toBe("Mar 5, 2024, 2:03 PM");
    expect(formatInstant("2024-03-05T14:03:00Z", "en-US", "Europe/Berlin")).toBe("Mar 5, 2024, 3:03 PM");
  });

  it("returns an unreadable instant unchanged", () => {
    expect(formatInstant("yesterday", "en-US")).toBe("yesterday");
  });
});

describe("localDate", () => {
  it("uses the local calendar day with zero padding", () => {
    expect(localDate(new Date(2024, 0, 9, 23, 59))).toBe("2024-01-09");
  });
});
