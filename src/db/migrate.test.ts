import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from './client.js';
import { listMigrations, migrate } from './migrate.js';
import { createTestDatabase } from './test-database.js';

describe('migrate', () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDatabase();
  });
  afterAll(async () => {
    await handle.close();
  });

  it('has applied every migration, and a second run applies none', async () => {
    const rows = await sql<{ version: string }>`SELECT version FROM schema_migrations ORDER BY version`.execute(
      handle.db,
    );
    expect(rows.rows.map((r) => r.version)).toEqual(listMigrations().map((m) => m.version));
    const again = await migrate(handle);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toBe(listMigrations().length);
  });

  it('creates the content tables', async () => {
    const inserted = await handle.db
      .insertInto('topics')
      .values({ slug: 'getting-started' })
      .returning(['id', 'slug'])
      .executeTakeFirstOrThrow();
    expect(inserted.slug).toBe('getting-started');
    await expect(handle.db.insertInto('topics').values({ slug: 'Not A Slug' }).execute()).rejects.toThrow();
  });
});
