// Formats the backend's exact decimal strings for display. Amounts are never turned into floating
// point numbers: the integer part goes through Intl as a BigInt (exact, with the locale's grouping,
// sign and currency placement) and the fraction digits are put back as they were sent.
import { displayLocale } from "./locale";

type Decimal = { negative: boolean; integer: string; fraction: string };

const DECIMAL_TEXT = /^([+-])?(\d+)(?:\.(\d+))?$/;

function parseDecimal(text: string): Decimal | null {
  const match = DECIMAL_TEXT.exec(text.trim());
  if (!match) return null;
  const integer = (match[2] ?? "0").replace(/^0+(?=\d)/, "");
  const fraction = match[3] ?? "";
  // "-0.00" is zero and shows without a sign.
  const isZero = /^0*$/.test(integer + fraction);
  return { negative: match[1] === "-" && !isZero, integer, fraction };
}

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let cached = formatters.get(key);
  if (!cached) {
    cached = new Intl.NumberFormat(locale, options);
    formatters.set(key, cached);
  }
  return cached;
}

function decimalSeparator(locale: string): string {
  const part = formatter(locale, {})
    .formatToParts(0.5)
    .find((p) => p.type === "decimal");
  return part?.value ?? ".";
}

function render(value: Decimal, format: Intl.NumberFormat, locale: string): string {
  const minimumFraction = format.resolvedOptions().minimumFractionDigits ?? 0;
  const fraction = value.fraction.padEnd(minimumFraction, "0");
  // Zero is formatted as one so that a negative sign survives ("-0.50" has integer part 0).
  const probe = BigInt(value.integer === "0" ? "1" : value.integer);
  const parts = format.formatToParts(value.negative ? -probe : probe);

  const out: string[] = [];
  let lastIntegerIndex = -1;
  let fractionPlaced = false;
  for (const part of parts) {
    if (part.type === "integer") {
      out.push(value.integer === "0" ? "0" : part.value);
      lastIntegerIndex = out.length - 1;
    } else if (part.type === "fraction") {
      out.push(fraction);
      fractionPlaced = true;
    } else {
      out.push(part.value);
    }
  }
  // A currency without minor units (JPY) has no fraction part to fill, yet a unit price may still
  // carry decimals; they are shown rather than rounded away.
  if (!fractionPlaced && fraction !== "" && lastIntegerIndex >= 0) {
    out.splice(lastIntegerIndex + 1, 0, decimalSeparator(locale), fraction);
  }
  return out.join("");
}

/**
 * "1234.5" in USD → "$1,234.50". Pads to the currency's minor units, never rounds extra digits
 * away, and returns the text unchanged when it is not a decimal number.
 */
export function formatMoney(amount: string, currency: string, locale: string = displayLocale): string {
  const value = parseDecimal(amount);
  if (!value) return amount;
  let format: Intl.NumberFormat;
  try {
    format = formatter(locale, { style: "currency", currency });
  } catch {
    // An unknown currency code still deserves a readable amount.
    return `${render(value, formatter(locale, {}), locale)} ${currency}`;
  }
  return render(value, format, locale);
}

/** "1234.5" → "1,234.5": locale grouping for quantities and rates, digits kept exactly. */
export function formatDecimal(text: string, locale: string = displayLocale): string {
  const value = parseDecimal(text);
  return value ? render(value, formatter(locale, { maximumFractionDigits: 0 }), locale) : text;
}
