import type { Generated } from 'kysely';

/** Tables of the platform below the modules. */
export interface InstanceSecretsTable {
  name: string;
  secret: Buffer;
  created_at: Generated<Date>;
}

/** Domain events published for the other processes on the database (migration 0023, `change-feed.ts`). */
export interface ChangeEventsTable {
  id: Generated<string>;
  event: string;
  payload: unknown;
  origin: string;
  created_at: Generated<Date>;
}

export interface PlatformTables {
  instance_secrets: InstanceSecretsTable;
  change_events: ChangeEventsTable;
}
