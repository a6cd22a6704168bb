import type { Generated } from 'kysely';

/** Tables of the platform below the modules. */
export interface InstanceSecretsTable {
  name: string;
  secret: Buffer;
  created_at: Generated<Date>;
}

export interface PlatformTables {
  instance_secrets: InstanceSecretsTable;
}
