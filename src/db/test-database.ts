import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig } from '../config/env.js';
import { type DatabaseHandle, openDatabase } from './client.js';
import { migrate } from './migrate.js';

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or a new database on the
 * PostgreSQL server named by DATABASE_URL (dropped again on close), so the suite runs on both.
 */
export async function createTestDatabase(): Promise<DatabaseHandle> {
  const { databaseUrl } = loadConfig();
  if (!databaseUrl) {
    const handle = await openDatabase({});
    await migrate(handle);
    return handle;
  }
  const name = `answerloop_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ databaseUrl: url.toString(), poolSize: 4 });
  await migrate(handle);
  return {
    ...handle,
    async close() {
      await handle.close();
      const dropper = new pg.Client({ connectionString: databaseUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}
