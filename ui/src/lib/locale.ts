// Amounts and dates follow the language the person's system is set to.
//
// A container or minimal Linux session often runs with LANG=C, which WebKit
// reports as the language "C"; Intl throws a RangeError for that tag and every
// formatted amount would fail. Any tag Intl does not accept falls back to en-US.
export function pickLocale(candidate: string | undefined): string {
  if (!candidate) return "en-US";
  try {
    return Intl.getCanonicalLocales(candidate)[0] ?? "en-US";
  } catch {
    return "en-US";
  }
}

export const displayLocale: string = pickLocale(typeof navigator !== "undefined" ? navigator.language : undefined);
