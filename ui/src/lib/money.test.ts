import { describe, expect, it } from "vitest";
import { formatDecimal, formatMoney } from "./money";

// Intl separates currency codes from digits with a no-break space; tests read plain spaces.
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");

describe("formatMoney", () => {
  it("pads a two-decimal currency and groups thousands", () => {
    expect(formatMoney("1234.5", "USD", "en-US")).toBe("$1,234.50");
    expect(formatMoney("0", "USD", "en-US")).toBe("$0.00");
  });

  it("shows a zero-decimal currency without a fraction", () => {
    expect(formatMoney("1234567", "JPY", "en-US")).toBe("¥1,234,567");
    expect(formatMoney("0", "JPY", "en-US")).toBe("¥0");
  });

  it("shows all three decimals of a three-decimal currency", () => {
    expect(plain(formatMoney("1234.5", "KWD", "en-US"))).toBe("KWD 1,234.500");
    expect(plain(formatMoney("0.125", "KWD", "en-US"))).toBe("KWD 0.125");
  });

  it("keeps the sign of negative amounts, including below one", () => {
    expect(formatMoney("-12.30", "USD", "en-US")).toBe("-$12.30");
    expect(formatMoney("-0.50", "USD", "en-US")).toBe("-$0.50");
    expect(formatMoney("-1500", "JPY", "en-US")).toBe("-¥1,500");
  });

  it("shows negative zero as plain zero", () => {
    expect(formatMoney("-0.00", "USD", "en-US")).toBe("$0.00");
  });

  it("keeps every digit of amounts beyond floating-point precision", () => {
    expect(formatMoney("12345678901234567.89", "USD", "en-US")).toBe("$12,345,678,901,234,567.89");
    expect(formatMoney("0.10", "USD", "en-US")).toBe("$0.10");
  });

  it("never rounds away digits a unit price carries", () => {
    expect(formatMoney("0.125", "USD", "en-US")).toBe("$0.125");
    expect(formatMoney("99.5", "JPY", "en-US")).toBe("¥99.5");
  });

  it("follows the locale's separators and currency placement", () => {
    expect(plain(formatMoney("1234.5", "EUR", "de-DE"))).toBe("1.234,50 €");
    expect(plain(formatMoney("-1234.5", "EUR", "de-DE"))).toBe("-1.234,50 €");
  });

  it("returns text that is not a decimal unchanged", () => {
    expect(formatMoney("n/a", "USD", "en-US")).toBe("n/a");
    expect(formatMoney("1e3", "USD", "en-US")).toBe("1e3");
  });

  it("still shows an amount for an unknown currency code", () => {
    expect(formatMoney("10.5", "XYZ1", "en-US")).toBe("10.5 XYZ1");
  });
});

describe("formatDecimal", () => {
  it("groups the integer part and keeps the fraction exactly", () => {
    expect(formatDecimal("1234.500", "en-US")).toBe("1,234.500");
    expect(formatDecimal("2", "en-US")).toBe("2");
    expect(formatDecimal("-0.25", "en-US")).toBe("-0.25");
    expect(formatDecimal("1234.5", "de-DE")).toBe("1.234,5");
  });
});
