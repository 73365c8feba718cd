// Amounts and dates follow the language the person's system is set to.
export const displayLocale: string =
  typeof navigator !== "undefined" && navigator.language ? navigator.language : "en-US";
