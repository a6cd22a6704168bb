import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Anonymous, random ids: a reader (a year) and a browser session; no personal data, readable by the server only. */
export const READER_COOKIE = 'al_rid';
export const SESSION_COOKIE = 'al_sid';
const ONE_YEAR_S = 365 * 24 * 3600;
const ID = /^[A-Za-z0-9_-]{16,64}$/;

export interface ReaderIdentity {
  readerId: string;
  sessionId: string;
}

function valid(value: string | undefined): string | undefined {
  return value && ID.test(value) ? value : undefined;
}

/**
 * The anonymous reader and session ids of a request, setting the cookies when missing. Suggestions count distinct
 * readers, and "followed by a contact" needs the session.
 */
export function readerIdentity(request: FastifyRequest, reply: FastifyReply): ReaderIdentity {
  const base = { path: '/', sameSite: 'lax' as const, httpOnly: true, secure: request.protocol === 'https' };
  let readerId = valid(request.cookies[READER_COOKIE]);
  if (!readerId) {
    readerId = randomBytes(12).toString('base64url');
    reply.setCookie(READER_COOKIE, readerId, { ...base, maxAge: ONE_YEAR_S });
  }
  let sessionId = valid(request.cookies[SESSION_COOKIE]);
  if (!sessionId) {
    sessionId = randomBytes(12).toString('base64url');
    // No max-age: the browser drops it when the reader closes it.
    reply.setCookie(SESSION_COOKIE, sessionId, base);
  }
  return { readerId, sessionId };
}

/** The session id of a request, without setting anything. */
export function existingSession(request: FastifyRequest): string | undefined {
  return valid(request.cookies[SESSION_COOKIE]);
}
