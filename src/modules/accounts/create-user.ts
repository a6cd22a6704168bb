import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { AppError } from '../../server/errors.js';
import type { Role } from '../../shared/permissions.js';
import { auditedFields, presentUser } from './present-user.js';
import type { UserView } from './accounts.schema.js';
import { generatePassword, hashPassword } from './passwords.js';
import { type AuditActor, recordAudit } from './record-audit.js';

export interface CreateUserInput {
  email: string;
  name: string;
  role: Role;
  locale?: string;
  locales?: readonly string[];
  /** Unset: a password is generated and returned once. */
  password?: string;
}

/** True for PostgreSQL's unique_violation. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '23505';
}

/** Creates a user (email unique without regard to case), audited as 'user.create'. */
export async function createUser(
  db: DB,
  input: CreateUserInput,
  options: { actor: AuditActor },
): Promise<{ user: UserView; generatedPassword?: string }> {
  const generatedPassword = input.password === undefined ? generatePassword() : undefined;
  const passwordHash = await hashPassword(input.password ?? (generatedPassword as string));
  const email = input.email.trim().toLowerCase();
  try {
    const user = await db.transaction().execute(async (trx) => {
      const taken = await trx
        .selectFrom('users')
        .select('id')
        .where(sql<string>`lower(email)`, '=', email)
        .executeTakeFirst();
      if (taken) throw emailTaken(email);
      const row = await trx
        .insertInto('users')
        .values({
          email,
          name: input.name,
          role: input.role,
          locale: input.locale ?? 'en',
          locales: input.role === 'translator' ? [...new Set(input.locales ?? [])] : [],
          password_hash: passwordHash,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, {
        actor: options.actor,
        action: 'user.create',
        object: { type: 'user', id: row.id },
        before: null,
        after: { ...auditedFields(row), password: 'set' },
      });
      return row;
    });
    return { user: presentUser(user), ...(generatedPassword ? { generatedPassword } : {}) };
  } catch (error) {
    if (isUniqueViolation(error)) throw emailTaken(email);
    throw error;
  }
}

function emailTaken(email: string): AppError {
  return new AppError('EMAIL_TAKEN', `another user already has the email ${email}`, [
    { path: 'email', message: 'is taken' },
  ]);
}
