import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { AppError, notFound } from '../../server/errors.js';
import type { Role } from '../../shared/permissions.js';
import type { UserView } from './accounts.schema.js';
import { hashPassword } from './passwords.js';
import { auditedFields, presentUser } from './present-user.js';
import { type AuditActor, recordAudit } from './record-audit.js';
import { revokeUserSessions } from './sessions.js';

export interface UpdateUserInput {
  name?: string;
  role?: Role;
  locale?: string;
  locales?: readonly string[];
  active?: boolean;
  password?: string;
}

/**
 * Changes a user as an admin (or the CLI). Refuses to leave no active admin and a user's deactivation of
 * themselves. A new password revokes the user's sessions; deactivation revokes their sessions and API tokens. A new
 * role applies from the user's next request (sessions load the user each time).
 */
export async function updateUser(
  db: DB,
  userId: number,
  input: UpdateUserInput,
  options: { actor: AuditActor },
): Promise<UserView> {
  const passwordHash = input.password === undefined ? undefined : await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    // Serialises changes that could remove admins, so two concurrent demotions can't both pass the check.
    await sql`SELECT pg_advisory_xact_lock(hashtext('answerloop:users'))`.execute(trx);
    const before = await trx.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
    if (!before) throw notFound(`user ${userId}`);
    if (input.active === false && before.active && options.actor.userId === userId) {
      throw new AppError('CANNOT_DEACTIVATE_SELF', 'you cannot deactivate yourself; ask another admin');
    }
    const role = input.role ?? before.role;
    const active = input.active ?? before.active;
    if (before.role === 'admin' && before.active && (role !== 'admin' || !active)) {
      const others = await trx
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('role', '=', 'admin')
        .where('active', '=', true)
        .where('id', '<>', userId)
        .executeTakeFirstOrThrow();
      if (Number(others.n) === 0) {
        throw new AppError('LAST_ADMIN', 'this is the last active admin; make someone else an admin first');
      }
    }
    const locales = role === 'translator' ? [...new Set(input.locales ?? before.locales)] : [];
    const after = await trx
      .updateTable('users')
      .set({
        name: input.name ?? before.name,
        role,
        locale: input.locale ?? before.locale,
        locales,
        active,
        ...(passwordHash ? { password_hash: passwordHash } : {}),
      })
      .where('id', '=', userId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actor: options.actor,
      action: 'user.update',
      object: { type: 'user', id: userId },
      before: { ...auditedFields(before), ...(passwordHash ? { password: 'old' } : {}) },
      after: { ...auditedFields(after), ...(passwordHash ? { password: 'new' } : {}) },
    });
    if (passwordHash) {
      await revokeUserSessions(trx, { userId, actor: options.actor, reason: 'password changed' });
    }
    if (before.active && !active) {
      await revokeUserSessions(trx, { userId, actor: options.actor, reason: 'user deactivated' });
      const tokens = await trx
        .updateTable('api_tokens')
        .set({ revoked_at: new Date() })
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .returning(['id'])
        .execute();
      for (const token of tokens) {
        await recordAudit(trx, {
          actor: options.actor,
          action: 'token.revoke',
          object: { type: 'token', id: token.id },
          before: { revoked: false },
          after: { revoked: true, reason: 'user deactivated' },
        });
      }
    }
    return presentUser(after);
  });
}
