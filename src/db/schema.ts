import type { ContentTables } from '../modules/content/content.tables.js';

/** Every table, as Kysely sees it: the union of each module's own table types. */
export interface Database extends ContentTables {
  schema_migrations: { version: string; applied_at: Date };
}
