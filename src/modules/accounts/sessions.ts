import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { networkOf } from '../../shared/client-network.js';
import { randomSecret, sha256 } from './passwords.js';
import type { AuditActor } from './record-audit.js';
import { recordAudit } from './record-audit.js';

type Db = Kysely<Database> | Transaction<Database>;

/** The session cookie's name; its value is `<id>.<secret>`. */
export const SESSION_COOKIE = 'al_session';
const USER_AGENT_CHARS = 300;

export interface NewSession {
  id: string;
  /** The cookie value, `<id>.<secret>`: given to the browser once, never stored. */
  cookie: string;
  csrfToken: string;
  expiresAt: Date;
}

/** Splits a cookie value into the session id and its secret; undefined when it is not one of ours. */
export function parseSessionCookie(value: string | undefined): { id: string; secret: string } | undefined {
  if (!value) return undefined;
  const match = /^([A-Za-z0-9_-]{16,64})\.([A-Za-z0-9_-]{20,128})$/.exec(value);
  return match ? { id: match[1] as string, secret: match[2] as string } : undefined;
}

/** Starts a session for a user: a fresh id, secret and CSRF token. Call inside the sign-in transaction. */
export async function createSession(
  db: Db,
  input: { userId: number; maxDays: number; ip: string; userAgent: string | undefined },
): Promise<NewSession> {
  const id = randomSecret(16);
  const secret = randomSecret(32);
  const csrfToken = randomSecret(24);
  const expiresAt = new Date(Date.now() + input.maxDays * 24 * 60 * 60 * 1000);
  await db
    .insertInto('sessions')
    .values({
      id,
      secret_hash: sha256(secret),
      user_id: input.userId,
      csrf_token: csrfToken,
      expires_at: expiresAt,
      network: networkOf(input.ip).slice(0, 60),
      user_agent: input.userAgent ? input.userAgent.slice(0, USER_AGENT_CHARS) : null,
    })
    .execute();
  return { id, cookie: `${id}.${secret}`, csrfToken, expiresAt };
}

/** Revokes one session (no-op when already revoked); true when it was live. */
export async function revokeSession(db: Db, sessionId: string): Promise<boolean> {
  const result = await db
    .updateTable('sessions')
    .set({ revoked_at: new Date() })
    .where('id', '=', sessionId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Revokes every live session of a user (except `keep`), recording one 'session.revoke' entry when any was live.
 * Returns how many were revoked.
 */
export async function revokeUserSessions(
  db: Db,
  input: { userId: number; actor: AuditActor; reason: string; keep?: string },
): Promise<number> {
  let query = db
    .updateTable('sessions')
    .set({ revoked_at: new Date() })
    .where('user_id', '=', input.userId)
    .where('revoked_at', 'is', null);
  if (input.keep) query = query.where('id', '<>', input.keep);
  const result = await query.executeTakeFirst();
  const revoked = Number(result.numUpdatedRows);
  if (revoked > 0) {
    await recordAudit(db, {
      actor: input.actor,
      action: 'session.revoke',
      object: { type: 'user', id: input.userId },
      before: null,
      after: { sessionsRevoked: revoked, reason: input.reason },
    });
  }
  return revoked;
}
