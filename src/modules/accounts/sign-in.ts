import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { AppError } from '../../server/errors.js';
import { type Permission, permissionsOf } from '../../shared/permissions.js';
import type { UserView } from './accounts.schema.js';
import { clearAccountFailures, lockedForMs, recordLoginFailure, throttleKeysOf } from './login-throttle.js';
import { verifyDummyPassword, verifyPassword } from './passwords.js';
import { presentUser } from './present-user.js';
import { recordAudit } from './record-audit.js';
import { createSession, type NewSession, parseSessionCookie, revokeSession } from './sessions.js';
import { sha256 } from './passwords.js';
import { safeEqual } from '../../server/auth.js';

/** One answer for every wrong email, wrong password and inactive account, so none reveals which it was. */
export const BAD_CREDENTIALS = 'the email or password is not right';

export interface SignInInput {
  email: string;
  password: string;
  ip: string;
  userAgent: string | undefined;
  /** The session cookie the browser sent, if any: revoked, so a sign-in always starts a fresh session. */
  previousCookie: string | undefined;
}

export type SignInResult =
  | { ok: true; user: UserView; permissions: Permission[]; session: NewSession }
  | { ok: false; retryAfterSeconds: number };

/**
 * Checks an email and password and starts a session. A throttled account or address is refused before the
 * password is looked at; an unknown email costs the same scrypt time as a known one.
 */
export async function signIn(
  db: DB,
  input: SignInInput,
  options: { networkKey: Buffer; sessionMaxDays: number },
): Promise<SignInResult> {
  const keys = throttleKeysOf(options.networkKey, input.email, input.ip);
  const locked = await lockedForMs(db, keys);
  if (locked > 0) return { ok: false, retryAfterSeconds: Math.ceil(locked / 1000) };

  const email = input.email.trim().toLowerCase();
  const user = await db
    .selectFrom('users')
    .selectAll()
    .where(sql<string>`lower(email)`, '=', email)
    .executeTakeFirst();
  const matches = user
    ? await verifyPassword(input.password, user.password_hash)
    : await verifyDummyPassword(input.password);
  if (!user || !matches || !user.active) {
    await recordLoginFailure(db, keys);
    throw new AppError('UNAUTHENTICATED', BAD_CREDENTIALS);
  }
  await clearAccountFailures(db, keys);

  const session = await db.transaction().execute(async (trx) => {
    const previous = parseSessionCookie(input.previousCookie);
    if (previous) {
      const row = await trx
        .selectFrom('sessions')
        .select(['id', 'secret_hash'])
        .where('id', '=', previous.id)
        .executeTakeFirst();
      if (row && safeEqual(Buffer.from(row.secret_hash).toString('hex'), sha256(previous.secret).toString('hex'))) {
        await revokeSession(trx, row.id);
      }
    }
    const created = await createSession(trx, {
      userId: user.id,
      maxDays: options.sessionMaxDays,
      ip: input.ip,
      userAgent: input.userAgent,
    });
    await trx.updateTable('users').set({ last_seen_at: new Date() }).where('id', '=', user.id).execute();
    await recordAudit(trx, {
      actor: { via: 'session', userId: user.id, label: user.email },
      action: 'session.create',
      object: { type: 'session', id: created.id },
      before: null,
      after: { userId: user.id },
    });
    return created;
  });
  const fresh = { ...user, last_seen_at: new Date() };
  return { ok: true, user: presentUser(fresh), permissions: permissionsOf(user.role), session };
}
