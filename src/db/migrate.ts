import fs from 'node:fs';
import { sql } from 'kysely';
import type { DatabaseHandle } from './client.js';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

/** Lists the migration files in order: `NNNN_name.sql`, forward-only. */
export function listMigrations(): { version: string; file: URL }[] {
  return fs
    .readdirSync(MIGRATIONS_DIR)
    .filter((name) => /^\d{4}_[a-z0-9_]+\.sql$/.test(name))
    .sort()
    .map((name) => ({ version: name.replace(/\.sql$/, ''), file: new URL(name, MIGRATIONS_DIR) }));
}

/** Applies every migration not yet applied, each in its own transaction. Safe to run from several processes. */
export async function migrate(handle: DatabaseHandle): Promise<MigrationResult> {
  const { db } = handle;
  await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
    version text PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`.execute(db);

  const applied: string[] = [];
  let alreadyApplied = 0;
  for (const migration of listMigrations()) {
    const done = await sql<{
      version: string;
    }>`SELECT version FROM schema_migrations WHERE version = ${migration.version}`.execute(db);
    if (done.rows.length > 0) {
      alreadyApplied += 1;
      continue;
    }
    const text = fs.readFileSync(migration.file, 'utf8');
    // The advisory lock serialises concurrent migrators on a shared server; the insert's primary key makes a
    // second process that raced past the check above fail instead of applying twice.
    const script = handle.kind === 'postgres' ? `SELECT pg_advisory_xact_lock(727274);\n${text}` : text;
    try {
      await handle.runScript(script, {
        sql: 'INSERT INTO schema_migrations (version) VALUES ($1)',
        params: [migration.version],
      });
      applied.push(migration.version);
    } catch (error) {
      const recheck = await sql<{
        version: string;
      }>`SELECT version FROM schema_migrations WHERE version = ${migration.version}`.execute(db);
      if (recheck.rows.length > 0) {
        alreadyApplied += 1;
        continue;
      }
      throw new Error(`migration ${migration.version} failed: ${(error as Error).message}`, { cause: error });
    }
  }
  return { applied, alreadyApplied };
}
