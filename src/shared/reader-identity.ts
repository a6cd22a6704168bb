import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Anonymous reader and browser-session ids issued by the server. The reader cookie carries its id, the time the
 * server issued it and an HMAC over both, so a client can neither invent an id nor backdate one: "a reader that has
 * lived a while" is something the server observed, not something the client claims. No personal data.
 */
export const READER_COOKIE = 'al_rid';
export const SESSION_COOKIE = 'al_sid';
const ONE_YEAR_S = 365 * 24 * 3600;
const ID = /^[A-Za-z0-9_-]{16,64}$/;
const SIGNED = /^([A-Za-z0-9_-]{16,64})\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{22})$/;

export interface ReaderIdentity {
  readerId: string;
  sessionId: string;
  /** When the server issued the reader id. */
  issuedAt: Date;
  /** True when this request got a new reader id (no valid cookie came with it). */
  isNew: boolean;
}

/** Issues and verifies reader identities with one installation key. */
export interface ReaderIdentities {
  /** The request's identity, issuing (and setting cookies for) whatever is missing or forged. */
  identify(request: FastifyRequest, reply: FastifyReply): ReaderIdentity;
  /** The identity the request proves, without setting anything; undefined without a valid reader cookie. */
  peek(request: FastifyRequest): Omit<ReaderIdentity, 'sessionId' | 'isNew'> | undefined;
  /** The session id of a request, without setting anything. */
  existingSession(request: FastifyRequest): string | undefined;
  /** A signed cookie value for an id issued at a time (tests and the demo use it to stand in for a browser). */
  sign(readerId: string, issuedAt: Date): string;
}

/** Age of an identity in milliseconds at `now`. */
export function identityAgeMs(identity: { issuedAt: Date }, now: Date = new Date()): number {
  return now.getTime() - identity.issuedAt.getTime();
}

/** Reader identities signed with `key` (derived from the installation secret, see instance-keys.ts). */
export function createReaderIdentities(key: Buffer): ReaderIdentities {
  const mac = (payload: string) =>
    createHmac('sha256', key).update(payload).digest().subarray(0, 16).toString('base64url');

  const sign = (readerId: string, issuedAt: Date) => {
    const payload = `${readerId}.${Math.floor(issuedAt.getTime() / 1000).toString(36)}`;
    return `${payload}.${mac(payload)}`;
  };

  const verify = (value: string | undefined): { readerId: string; issuedAt: Date } | undefined => {
    if (!value || value.length > 120) return undefined;
    const match = SIGNED.exec(value);
    if (!match) return undefined;
    const [, readerId = '', issued = '', tag = ''] = match;
    const expected = Buffer.from(mac(`${readerId}.${issued}`));
    const given = Buffer.from(tag);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    const issuedAt = new Date(Number.parseInt(issued, 36) * 1000);
    // A cookie "issued" in the future was not issued by us (or the clock moved back a lot): don't trust its age.
    if (!(issuedAt.getTime() <= Date.now() + 5 * 60_000)) return undefined;
    return { readerId, issuedAt };
  };

  const session = (request: FastifyRequest) => {
    const value = request.cookies[SESSION_COOKIE];
    return value && ID.test(value) ? value : undefined;
  };

  return {
    sign,
    peek: (request) => verify(request.cookies[READER_COOKIE]),
    existingSession: session,
    identify(request, reply) {
      const base = { path: '/', sameSite: 'lax' as const, httpOnly: true, secure: request.protocol === 'https' };
      let reader = verify(request.cookies[READER_COOKIE]);
      const isNew = reader === undefined;
      if (!reader) {
        reader = { readerId: randomBytes(12).toString('base64url'), issuedAt: new Date() };
        reply.setCookie(READER_COOKIE, sign(reader.readerId, reader.issuedAt), { ...base, maxAge: ONE_YEAR_S });
      }
      let sessionId = session(request);
      if (!sessionId) {
        sessionId = randomBytes(12).toString('base64url');
        // No max-age: the browser drops it when the reader closes it.
        reply.setCookie(SESSION_COOKIE, sessionId, base);
      }
      return { ...reader, sessionId, isNew };
    },
  };
}
