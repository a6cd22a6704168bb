import type { ColumnType, Generated } from 'kysely';

export type AuditVia = 'session' | 'token' | 'bootstrap' | 'cli' | 'system';

export interface AuditLogTable {
  id: Generated<string>;
  at: Generated<Date>;
  actor_user_id: number | null;
  actor_label: string;
  via: AuditVia;
  action: string;
  object_type: string;
  object_id: string;
  changes: ColumnType<AuditChanges, string, never>;
}

/** For each field that changed, what it was and what it became (null when it did not exist). */
export type AuditChanges = Record<string, { before: unknown; after: unknown }>;

export interface AccountsTables {
  audit_log: AuditLogTable;
}
