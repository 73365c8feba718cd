import { describe, expect, it } from "vitest";
import { pickLocale } from "./locale";

describe("pickLocale", () => {
  it("keeps a real language tag", () => {
    expect(pickLocale("de-DE")).toBe("de-DE");
    expect(pickLocale("en-gb")).toBe("en-GB");
  });

  it("falls back to en-US for the C locale and for nothing at all", () => {
    // WebKitGTK reports LANG=C as navigator.language "C".
    expect(pickLocale("C")).toBe("en-US");
    expect(pickLocale("")).toBe("en-US");
    expect(pickLocale(undefined)).toBe("en-US");
  });
});
