import { createHmac, timingSafeEqual } from 'node:crypto';

/** A page shown less than this long ago is not yet trusted: a person doesn't fill a form in under 3 s. */
export const FORM_TOKEN_MIN_AGE_MS = 3_000;
/** A render token older than this is refused (the reader reloads the page and gets a new one). */
export const FORM_TOKEN_MAX_AGE_MS = 24 * 3_600_000;

export type FormTokenCheck = 'valid' | 'too_fresh' | 'expired' | 'invalid';

const TOKEN = /^v1\.([0-9a-z]{1,12})\.([A-Za-z0-9_-]{22})$/;

function mac(key: Buffer, formKey: string, issued: string): string {
  return createHmac('sha256', key)
    .update(`form-token:${formKey}:${issued}`)
    .digest()
    .subarray(0, 16)
    .toString('base64url');
}

/**
 * The no-JavaScript path's render token: the form key and the time the page was rendered, signed with the forms
 * key (ctx.keys.forms). A reader without JavaScript can't solve the proof-of-work challenge; instead the server
 * accepts a submission made between 3 s and 24 h after it showed the form.
 */
export function issueFormToken(key: Buffer, formKey: string, now: Date = new Date()): string {
  const issued = now.getTime().toString(36);
  return `v1.${issued}.${mac(key, formKey, issued)}`;
}

/** Whether a render token was issued by this installation for this form, and is old enough but not too old. */
export function checkFormToken(key: Buffer, formKey: string, token: string, now: Date = new Date()): FormTokenCheck {
  const match = TOKEN.exec(token);
  if (!match) return 'invalid';
  const [, issued = '', tag = ''] = match;
  const expected = Buffer.from(mac(key, formKey, issued));
  const given = Buffer.from(tag);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'invalid';
  const age = now.getTime() - Number.parseInt(issued, 36);
  if (age < FORM_TOKEN_MIN_AGE_MS) return 'too_fresh';
  if (age > FORM_TOKEN_MAX_AGE_MS) return 'expired';
  return 'valid';
}
