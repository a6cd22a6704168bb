import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { generatePassword, hashPassword } from './passwords.js';
import { auditedFields } from './present-user.js';
import { recordAudit, SYSTEM_ACTOR } from './record-audit.js';

export type FirstAdmin =
  /** Users existed already: nothing created. */
  | { created: false }
  /** Created now; `generatedPassword` only when ANSWERLOOP_ADMIN_PASSWORD was unset (print it once). */
  | { created: true; email: string; generatedPassword?: string };

/**
 * On first start, when no user exists, creates an admin from ANSWERLOOP_ADMIN_EMAIL / ANSWERLOOP_ADMIN_PASSWORD
 * (generating the password when unset). Race-safe: an advisory lock makes processes starting together take turns,
 * so exactly one creates the admin and the others see it.
 */
export async function ensureFirstAdmin(
  db: DB,
  input: { email: string; password: string | undefined },
): Promise<FirstAdmin> {
  const generatedPassword = input.password === undefined ? generatePassword() : undefined;
  const password = input.password ?? (generatedPassword as string);
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext('answerloop:users'))`.execute(trx);
    const any = await trx.selectFrom('users').select('id').limit(1).executeTakeFirst();
    if (any) return { created: false };
    const email = input.email.trim().toLowerCase();
    const row = await trx
      .insertInto('users')
      .values({ email, name: 'Administrator', role: 'admin', password_hash: await hashPassword(password) })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actor: SYSTEM_ACTOR,
      action: 'user.create',
      object: { type: 'user', id: row.id },
      before: null,
      after: { ...auditedFields(row), password: 'set' },
    });
    return { created: true, email, ...(generatedPassword ? { generatedPassword } : {}) };
  });
}
