import type { IncomingHttpHeaders } from 'node:http';

/** True when the browser asks not to be tracked: `DNT: 1` or Global Privacy Control (`Sec-GPC: 1`). */
export function requestOptsOut(headers: IncomingHttpHeaders): boolean {
  return headers.dnt === '1' || headers['sec-gpc'] === '1';
}

/**
 * True when a message says the reader has not consented to analytics: `context.consent` is `false`, or its
 * `analytics` category (directly, or in Segment's `categoryPreferences`) is `false`.
 */
export function messageLacksConsent(context: Record<string, unknown> | undefined): boolean {
  const consent = context?.consent;
  if (consent === false) return true;
  if (typeof consent !== 'object' || consent === null) return false;
  const record = consent as Record<string, unknown>;
  if (record.analytics === false) return true;
  const preferences = record.categoryPreferences;
  return (
    typeof preferences === 'object' &&
    preferences !== null &&
    (preferences as Record<string, unknown>).analytics === false
  );
}

/** The primary language subtag of a locale ("en-US" → "en"), or null when it does not look like one. */
export function primaryLanguage(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const match = /^([a-zA-Z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*$/.exec(value.trim());
  return match ? match[1]!.toLowerCase() : null;
}
