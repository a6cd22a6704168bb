import type { DB } from '../../db/client.js';
import type { UserView } from './accounts.schema.js';
import { presentUser, type UserRow } from './present-user.js';

/** Every user, active first, then by name. */
export async function listUsers(db: DB): Promise<UserView[]> {
  const rows = await db.selectFrom('users').selectAll().orderBy('active', 'desc').orderBy('name').orderBy('id').execute();
  return rows.map(presentUser);
}

/** One user by id. */
export async function findUser(db: DB, id: number): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** True when at least one user exists. */
export async function hasUsers(db: DB): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  return row !== undefined;
}
