import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** A random public id for a stored search: 128 bits, so one can't be guessed or enumerated. */
export function newSearchPublicId(): string {
  return randomBytes(16).toString('base64url');
}

/** What a typeahead answer showed a reader: the server's own query and articles, signed so a client can't alter it. */
export interface TypeaheadAnswer {
  locale: string;
  query: string;
  slugs: string[];
  /** The reader the answer was for ('' when the request carried no valid reader cookie). */
  readerId: string;
  issuedAt: Date;
}

const ZPayload = z.object({
  l: z.string().max(10),
  q: z.string().min(1).max(200),
  s: z.array(z.string().max(120)).min(1).max(20),
  r: z.string().max(64),
  t: z.number().int().nonnegative(),
});

const PREFIX = 't1.';

/** Signs and verifies typeahead answers, so a pick can be recorded as a search the server ran without a write per keystroke. */
export interface TypeaheadTokens {
  issue(answer: Omit<TypeaheadAnswer, 'issuedAt'>, now?: Date): string;
  /** The answer a token carries, or undefined when it is not one we signed. */
  verify(token: string): TypeaheadAnswer | undefined;
  /** True when the id has the shape of a typeahead token (rather than a stored search's public id). */
  isToken(id: string): boolean;
}

/**
 * Typeahead tokens keyed by a subkey of the installation's network key (HKDF with its own purpose, so a token's MAC
 * and a network hash can never be confused). Stateless: a keystroke costs one HMAC, and only a pick writes.
 */
export function createTypeaheadTokens(networkKey: Buffer): TypeaheadTokens {
  const key = Buffer.from(hkdfSync('sha256', networkKey, Buffer.alloc(0), 'answerloop:search-typeahead-token', 32));
  const mac = (payload: string) =>
    createHmac('sha256', key).update(payload).digest().subarray(0, 16).toString('base64url');
  return {
    isToken: (id) => id.startsWith(PREFIX),
    issue(answer, now = new Date()) {
      const payload = Buffer.from(
        JSON.stringify({
          l: answer.locale,
          q: answer.query,
          s: answer.slugs,
          r: answer.readerId,
          t: Math.floor(now.getTime() / 1000),
        }),
      ).toString('base64url');
      return `${PREFIX}${payload}.${mac(payload)}`;
    },
    verify(token) {
      if (!token.startsWith(PREFIX)) return undefined;
      const [payload = '', tag = '', ...rest] = token.slice(PREFIX.length).split('.');
      if (rest.length > 0) return undefined;
      const expected = Buffer.from(mac(payload));
      const given = Buffer.from(tag);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
      let json: unknown;
      try {
        json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      } catch {
        return undefined;
      }
      const parsed = ZPayload.safeParse(json);
      if (!parsed.success) return undefined;
      const p = parsed.data;
      return { locale: p.l, query: p.q, slugs: p.s, readerId: p.r, issuedAt: new Date(p.t * 1000) };
    },
  };
}

/** The stored public id of a typeahead search: its token's MAC, so a replayed token finds the same search. */
export function typeaheadPublicId(token: string): string {
  return token.slice(token.lastIndexOf('.') + 1);
}
