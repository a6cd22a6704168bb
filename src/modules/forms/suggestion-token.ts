import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a suggestion token proves: the server showed this article revision to a reader of this form and locale. */
export interface SuggestionClaim {
  form: string;
  articleId: number;
  /** The published revision shown (article_revisions.id), null for an article without one at the time. */
  revisionId: number | null;
  /** The locale of the translation shown. */
  locale: string;
  issuedAt: Date;
}

/** How long a shown suggestion can be credited ("This answered my question" after reading it). */
export const SUGGESTION_TOKEN_TTL_MS = 2 * 60 * 60 * 1000; // 2 h
/** Longest token the deflection endpoint reads; a real one is about 120 characters. */
export const SUGGESTION_TOKEN_MAX = 1000;
// ctx.keys.forms also signs challenges and render tokens: the purpose in the MAC keeps one from passing as another.
const PURPOSE = 'forms:suggestion:v1';
// Clocks of several processes differ a little; a token from further in the future was not issued by us.
const CLOCK_SKEW_MS = 5 * 60 * 1000;

function mac(key: Buffer, payload: string): string {
  return createHmac('sha256', key).update(`${PURPOSE}\u0000${payload}`).digest().subarray(0, 16).toString('base64url');
}

/** A signed, self-contained suggestion token (base64url payload "." base64url HMAC): nothing is stored per keystroke. */
export function issueSuggestionToken(key: Buffer, claim: Omit<SuggestionClaim, 'issuedAt'>, now = new Date()): string {
  const payload = Buffer.from(
    JSON.stringify([claim.form, claim.articleId, claim.revisionId, claim.locale, Math.floor(now.getTime() / 1000)]),
  ).toString('base64url');
  return `${payload}.${mac(key, payload)}`;
}

/** The claim of a token this installation signed and that is still valid at `now`, else null (forged, expired, odd). */
export function verifySuggestionToken(key: Buffer, token: string, now = new Date()): SuggestionClaim | null {
  if (token.length > SUGGESTION_TOKEN_MAX) return null;
  const [payload, tag, ...rest] = token.split('.');
  if (!payload || !tag || rest.length > 0) return null;
  const expected = Buffer.from(mac(key, payload));
  const given = Buffer.from(tag);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  let fields: unknown;
  try {
    fields = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(fields) || fields.length !== 5) return null;
  const [form, articleId, revisionId, locale, issued] = fields as unknown[];
  if (typeof form !== 'string' || typeof locale !== 'string') return null;
  if (!Number.isSafeInteger(articleId) || !Number.isSafeInteger(issued)) return null;
  if (revisionId !== null && !Number.isSafeInteger(revisionId)) return null;
  const issuedAt = new Date((issued as number) * 1000);
  const age = now.getTime() - issuedAt.getTime();
  if (age > SUGGESTION_TOKEN_TTL_MS || age < -CLOCK_SKEW_MS) return null;
  return { form, articleId: articleId as number, revisionId: revisionId as number | null, locale, issuedAt };
}
