// A "Valid for (days)" field as the signing forms send it.

/** The days to send: a whole number, or undefined when blank (the profile's validity); NaN for anything else (main checks the range). */
export function daysOf(text: string): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  return /^[0-9]+$/.test(t) ? Number(t) : NaN;
}

/** The message for a days field that is not a whole number. */
export function badDays(text: string): string {
  return `days: "${text}" is not a whole number of days`;
}
