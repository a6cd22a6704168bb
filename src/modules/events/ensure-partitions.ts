import { sql } from 'kysely';
import type { DB } from '../../db/client.js';

/** First instant of the month (UTC) containing `date`. */
export function monthStart(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
}

function nextMonth(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1));
}

/** The partition's table name for a month, e.g. events_p202506. */
export function partitionName(month: Date): string {
  return `events_p${month.getUTCFullYear()}${String(month.getUTCMonth() + 1).padStart(2, '0')}`;
}

/**
 * Creates the monthly partitions of `events` covering [from, to] that do not exist yet. Rows that already sit in
 * the default partition for such a month are moved into the new partition in the same transaction (PostgreSQL
 * refuses to attach a partition whose rows the default partition holds). Safe with several processes.
 */
export async function ensureMonthPartitions(db: DB, from: Date, to: Date): Promise<string[]> {
  const existing = await sql<{ name: string }>`
    SELECT c.relname AS name FROM pg_inherits i
    JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
    WHERE p.relname = 'events'`.execute(db);
  const have = new Set(existing.rows.map((r) => r.name));
  const created: string[] = [];
  for (let month = monthStart(from); month <= to; month = nextMonth(month)) {
    const name = partitionName(month);
    if (have.has(name)) continue;
    const start = month.toISOString();
    const end = nextMonth(month).toISOString();
    await db.transaction().execute(async (trx) => {
      // Serialises partition creation across processes on a shared server; PGlite has one process anyway.
      await sql`SELECT pg_advisory_xact_lock(727275)`.execute(trx);
      const again = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_class WHERE relname = ${name}`.execute(
        trx,
      );
      if ((again.rows[0]?.n ?? 0) > 0) return;
      const table = sql.table(name);
      await sql`CREATE TABLE ${table} (LIKE events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`.execute(trx);
      await sql`INSERT INTO ${table} SELECT * FROM events_default WHERE "timestamp" >= ${start}::timestamptz AND "timestamp" < ${end}::timestamptz`.execute(
        trx,
      );
      await sql`DELETE FROM events_default WHERE "timestamp" >= ${start}::timestamptz AND "timestamp" < ${end}::timestamptz`.execute(
        trx,
      );
      await sql`ALTER TABLE events ATTACH PARTITION ${table} FOR VALUES FROM (${sql.lit(start)}) TO (${sql.lit(end)})`.execute(
        trx,
      );
      created.push(name);
    });
  }
  return created;
}
