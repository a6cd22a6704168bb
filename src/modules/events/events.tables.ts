import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export type MessageType = 'track' | 'page' | 'screen' | 'identify' | 'group' | 'alias';

export interface EventPlanVersionsTable {
  version: number;
  plan: Json<unknown>;
  note: Generated<string>;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface EventWriteKeysTable {
  id: Generated<number>;
  name: string;
  key_hash: string;
  key_hint: string;
  public_key: string | null;
  builtin: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  revoked_at: Timestamp | null;
}

export interface EventsTable {
  message_id: string;
  type: MessageType;
  event: string | null;
  name: string | null;
  anonymous_id: string | null;
  user_id: string | null;
  group_id: string | null;
  previous_id: string | null;
  properties: Json<Record<string, unknown>>;
  context: Json<Record<string, unknown>>;
  locale: string | null;
  article: string | null;
  device: string | null;
  ip_hash: string | null;
  timestamp: Timestamp;
  original_timestamp: Timestamp | null;
  sent_at: Timestamp | null;
  received_at: Timestamp;
  source: string;
  plan_version: number | null;
  flagged: Generated<boolean>;
}

export interface EventMessageIdsTable {
  message_id: string;
  received_at: Timestamp;
}

export interface EventViolationsTable {
  id: Generated<string>;
  message_id: string;
  type: string;
  event: string | null;
  source: string;
  plan_version: number;
  action: 'accepted' | 'dropped';
  reasons: Json<{ path: string; message: string }[]>;
  message: Json<Record<string, unknown>>;
  received_at: Timestamp;
}

/** A message the database refused to store, set aside by the writer (migration 0009). */
export interface EventDeadLettersTable {
  id: Generated<string>;
  message_id: string;
  reason: string;
  /** `{"events": [...], "violations": [...]}` as the writer tried to store them. */
  payload: string;
  received_at: Timestamp;
  failed_at: ColumnType<Date, Date | undefined, never>;
}

export interface EventIdentitiesTable {
  alias_id: string;
  user_id: string;
  linked_at: Timestamp;
}

export interface EventProfilesTable {
  person_id: string;
  user_id: string | null;
  first_seen: Timestamp;
  last_seen: Timestamp;
  locale: string | null;
  device: string | null;
  traits: Json<Record<string, unknown>>;
  event_count: number;
}

export interface EventIpSaltsTable {
  period: ColumnType<string, number | string, string>;
  salt: string;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface EventsTables {
  event_plan_versions: EventPlanVersionsTable;
  event_write_keys: EventWriteKeysTable;
  events: EventsTable;
  event_message_ids: EventMessageIdsTable;
  event_violations: EventViolationsTable;
  event_dead_letters: EventDeadLettersTable;
  event_identities: EventIdentitiesTable;
  event_profiles: EventProfilesTable;
  event_ip_salts: EventIpSaltsTable;
}
