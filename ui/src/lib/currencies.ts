import { displayLocale } from "./locale";

// The currencies billing specialists meet most; listing all of ISO 4217 would bury them.
export const COMMON_CURRENCIES = [
  "USD",
  "EUR",
  "GBP",
  "CHF",
  "CAD",
  "AUD",
  "NZD",
  "JPY",
  "CNY",
  "HKD",
  "SGD",
  "INR",
  "SEK",
  "NOK",
  "DKK",
  "PLN",
  "CZK",
  "HUF",
  "RON",
  "ZAR",
  "BRL",
  "MXN",
  "AED",
  "SAR",
  "ILS",
  "TRY",
  "KRW",
  "KWD",
  "BHD",
] as const;

/** "USD — US Dollar", falling back to the bare code where the name is unknown. */
export function currencyLabel(code: string, locale: string = displayLocale): string {
  try {
    const name = new Intl.DisplayNames([locale], { type: "currency" }).of(code);
    return name && name !== code ? `${code} — ${name}` : code;
  } catch {
    return code;
  }
}

/** The common list, plus the current value when it is some other code, so a select never loses it. */
export function currencyOptions(current: string | null): string[] {
  const codes: string[] = [...COMMON_CURRENCIES];
  if (current && !codes.includes(current)) codes.unshift(current);
  return codes;
}
