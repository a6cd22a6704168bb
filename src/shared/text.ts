import { z } from 'zod';

/**
 * Text the database can store and every consumer can read. PostgreSQL refuses NUL (U+0000) in `text` and `jsonb`,
 * and an unpaired UTF-16 surrogate (from a JSON escape like "\ud800") has no UTF-8 form: the driver silently turns it
 * into U+FFFD. Both are refused at the edge, so no route can forget them.
 */
export function isStorableText(text: string): boolean {
  return !UNSTORABLE.test(text);
}

// With the u flag a valid pair is one code point, so only unpaired surrogates are "Cs" (surrogate) code points.
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what this looks for.
const UNSTORABLE = /[\u0000\p{Cs}]/u;

/** What a reader is told when text can't be stored. */
export const UNSTORABLE_TEXT_MESSAGE = 'must not contain NUL characters (U+0000) or unpaired surrogates';

/** A string field that can be stored: use it wherever a schema declares text (`ZText.trim().max(n)` chains). */
export const ZText = z.string().refine(isStorableText, { message: UNSTORABLE_TEXT_MESSAGE });

/** The largest value of a PostgreSQL `integer` (int4) column; past it the database answers 22003, not a row. */
export const INT4_MAX = 2_147_483_647;

/** An integer that fits an `integer` column. */
export const ZInt4 = z
  .number()
  .int()
  .min(-INT4_MAX - 1)
  .max(INT4_MAX);

/** An id of an `integer` identity column, from a path or query string ("12"). */
export const ZId = z.coerce.number().int().min(1).max(INT4_MAX);

/**
 * The first place in a parsed request value (params, query, body: nested objects, arrays and keys) holding text that
 * can't be stored, as a dotted path, or undefined. Iterative, so a deeply nested body cannot overflow the stack.
 */
export function findUnstorableText(value: unknown, root: string): string | undefined {
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length > 0) {
    const [current, path] = stack.pop()!;
    if (typeof current === 'string') {
      if (!isStorableText(current)) return path;
    } else if (Array.isArray(current)) {
      for (let i = 0; i < current.length; i++) stack.push([current[i], `${path}.${i}`]);
    } else if (current !== null && typeof current === 'object' && !Buffer.isBuffer(current)) {
      for (const [key, item] of Object.entries(current)) {
        if (!isStorableText(key)) return `${path} (a key)`;
        stack.push([item, `${path}.${key}`]);
      }
    }
  }
  return undefined;
}
