import type { DB } from '../../db/client.js';
import { createUser, generatePassword, SYSTEM_ACTOR } from '../../modules/accounts/index.js';
import { AppError } from '../../server/errors.js';
import type { Role } from '../../shared/permissions.js';

/** One demo user per role besides the admin, with names that look like a real team's. */
const DEMO_USERS: { email: string; name: string; role: Role; locale: string; locales?: string[] }[] = [
  { email: 'editor@localhost', name: 'Elena Márquez', role: 'editor', locale: 'es' },
  { email: 'translator@localhost', name: 'Yara Haddad', role: 'translator', locale: 'ar', locales: ['ar', 'he'] },
  { email: 'analyst@localhost', name: 'Kenji Watanabe', role: 'analyst', locale: 'ja' },
  { email: 'agent@localhost', name: 'Priya Nair', role: 'agent', locale: 'en' },
  { email: 'viewer@localhost', name: 'Oliver Brandt', role: 'viewer', locale: 'en' },
];

/**
 * Creates the demo's users (through the accounts module, audited as the system), all with one password: the
 * admin's when it is known in this run, otherwise a generated one. Users that exist already are left alone.
 */
export async function seedUsers(
  db: DB,
  options: { password?: string | undefined },
): Promise<{ emails: string[]; password: string }> {
  const password = options.password ?? generatePassword();
  const emails: string[] = [];
  for (const user of DEMO_USERS) {
    try {
      await createUser(db, { ...user, password }, { actor: SYSTEM_ACTOR });
      emails.push(user.email);
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'EMAIL_TAKEN')) throw error;
    }
  }
  return { emails, password };
}
