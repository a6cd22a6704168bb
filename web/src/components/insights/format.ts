import i18next from 'i18next';

/**
 * Numbers of the insights screens through Intl in the current UI language (digits, percent sign, dates). Each result
 * is a bidi isolate: inside an Arabic or Hebrew sentence "+4.3", "65%–76%" or a date keeps its own order instead of
 * having its sign or dash moved by the surrounding right-to-left text.
 */

/** Left-to-right isolate (U+2066 … U+2069): numbers with signs and ranges read left to right in every language. */
const ltr = (text: string) => `\u2066${text}\u2069`;
/** First-strong isolate (U+2068 … U+2069): a date keeps the direction of its own words. */
const isolate = (text: string) => `\u2068${text}\u2069`;

/** 0.784 → "78%" (Arabic: "٧٨٪"); null → "—". */
export function pct(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return ltr(
    new Intl.NumberFormat(i18next.language, {
      style: 'percent',
      maximumFractionDigits: digits,
      minimumFractionDigits: digits,
    }).format(value),
  );
}

/** A rate with its 95 % interval: "78% (74–81%)"; without a rate, "—". */
export function pctInterval(rate: number | null | undefined, low: number | null, high: number | null): string {
  if (rate === null || rate === undefined) return '—';
  if (low === null || high === null) return pct(rate);
  return ltr(`${pct(rate)} (${pct(low)}–${pct(high)})`);
}

/** A difference of two rates in percentage points, signed: 0.043 → "+4.3". */
export function points(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return ltr(
    new Intl.NumberFormat(i18next.language, {
      maximumFractionDigits: 1,
      minimumFractionDigits: 1,
      signDisplay: 'exceptZero',
    }).format(value * 100),
  );
}

export function num(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return ltr(new Intl.NumberFormat(i18next.language, { maximumFractionDigits: digits }).format(value));
}

/** A UTC day ("2026-03-10") or timestamp as a date in the UI language, without the time. */
export function day(value: string | null | undefined, style: 'short' | 'medium' = 'medium'): string {
  if (!value) return '—';
  const date = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  const text = new Intl.DateTimeFormat(i18next.language, {
    dateStyle: style === 'short' ? undefined : 'medium',
    month: style === 'short' ? 'short' : undefined,
    day: style === 'short' ? 'numeric' : undefined,
    timeZone: 'UTC',
  }).format(date);
  return isolate(text);
}

/** Milliseconds of a UTC day, for a time axis. */
export function dayTime(value: string): number {
  return Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
}
