import type { ColumnType, Generated } from 'kysely';
import type { Role } from '../../shared/permissions.js';

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

export interface UsersTable {
  id: Generated<number>;
  email: string;
  name: string;
  role: Role;
  locale: Generated<string>;
  locales: Generated<string[]>;
  active: Generated<boolean>;
  password_hash: string;
  created_at: Generated<Date>;
  last_seen_at: Date | null;
}

export interface SessionsTable {
  id: string;
  secret_hash: Buffer;
  user_id: number;
  csrf_token: string;
  created_at: Generated<Date>;
  last_seen_at: Generated<Date>;
  expires_at: Date;
  revoked_at: Date | null;
  network: string | null;
  user_agent: string | null;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  prefix: string;
  token_hash: Buffer;
  created_at: Generated<Date>;
  last_used_at: Date | null;
  expires_at: Date | null;
  revoked_at: Date | null;
}

export interface LoginThrottleTable {
  key: string;
  failures: Generated<number>;
  locked_until: Date | null;
  updated_at: Generated<Date>;
}

export interface SettingsTable {
  id: Generated<boolean>;
  help_center_name: Generated<string>;
  support_email: Generated<string>;
  session_idle_hours: Generated<number>;
  session_max_days: Generated<number>;
  updated_at: Generated<Date>;
}

export interface AccountsTables {
  audit_log: AuditLogTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  login_throttle: LoginThrottleTable;
  settings: SettingsTable;
}
