import type { DB } from '../../db/client.js';
import { AppError, notFound } from '../../server/errors.js';
import type { UpdateMeRequest, UserView } from './accounts.schema.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { auditedFields, presentUser } from './present-user.js';
import { type AuditActor, recordAudit } from './record-audit.js';
import { revokeUserSessions } from './sessions.js';

/**
 * A user's change of their own name, admin-app language or password. A new password needs the current one and
 * signs out the user's other sessions (the one making the change stays signed in).
 */
export async function updateOwnProfile(
  db: DB,
  userId: number,
  input: UpdateMeRequest,
  options: { actor: AuditActor; sessionId?: string | undefined },
): Promise<UserView> {
  const current = await db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
  if (!current?.active) throw notFound('your account');
  let passwordHash: string | undefined;
  if (input.newPassword !== undefined) {
    if (!(await verifyPassword(input.currentPassword ?? '', current.password_hash))) {
      throw new AppError('CURRENT_PASSWORD_WRONG', 'the current password is not right', [
        { path: 'currentPassword', message: 'is not right' },
      ]);
    }
    passwordHash = await hashPassword(input.newPassword);
  }
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('users').selectAll().where('id', '=', userId).forUpdate().executeTakeFirst();
    if (!before) throw notFound('your account');
    const after = await trx
      .updateTable('users')
      .set({
        name: input.name ?? before.name,
        locale: input.locale ?? before.locale,
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
      await revokeUserSessions(trx, {
        userId,
        actor: options.actor,
        reason: 'password changed',
        ...(options.sessionId ? { keep: options.sessionId } : {}),
      });
    }
    return presentUser(after);
  });
}
