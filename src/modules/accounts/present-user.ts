import type { Selectable } from 'kysely';
import type { UsersTable } from './accounts.tables.js';
import type { UserView } from './accounts.schema.js';

export type UserRow = Selectable<UsersTable>;

/** The one presenter of a user: never the password hash. */
export function presentUser(row: UserRow): UserView {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    locale: row.locale,
    locales: row.role === 'translator' ? row.locales : [],
    active: row.active,
    createdAt: row.created_at.toISOString(),
    lastSeenAt: row.last_seen_at ? row.last_seen_at.toISOString() : null,
  };
}

/** The fields of a user the audit log compares (the password is added as a marker by the operations). */
export function auditedFields(row: UserRow): Record<string, unknown> {
  return {
    email: row.email,
    name: row.name,
    role: row.role,
    locale: row.locale,
    locales: row.locales,
    active: row.active,
  };
}
