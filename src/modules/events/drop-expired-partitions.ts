import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { recordAudit, SYSTEM_ACTOR } from '../accounts/index.js';
import { monthStart } from './ensure-partitions.js';

const PARTITION_NAME = /^events_p(\d{4})(\d{2})$/;

/** The first month (UTC) kept when keeping `months` whole months before the current one. */
export function retentionCutoff(now: Date, months: number): Date {
  const current = monthStart(now);
  return new Date(Date.UTC(current.getUTCFullYear(), current.getUTCMonth() - months, 1));
}

/**
 * Event retention: drops each monthly partition of `events` older than the current month and the `months` whole
 * months before it (never the current or a future month, never events_default), with what was derived from or kept
 * beside those months: the KPI rollup of their days, plan violations, dead letters and deduplication ids received
 * in them. A whole partition goes at once (no row-by-row DELETE, no bloat); each drop is one transaction and one
 * audit entry. `months` 0 keeps everything.
 */
export async function dropExpiredPartitions(db: DB, options: { months: number; now?: Date }): Promise<string[]> {
  if (options.months <= 0) return [];
  const cutoff = retentionCutoff(options.now ?? new Date(), options.months);
  const partitions = await sql<{ name: string }>`
    SELECT c.relname AS name FROM pg_inherits i
    JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
    WHERE p.relname = 'events' ORDER BY 1`.execute(db);
  const dropped: string[] = [];
  for (const { name } of partitions.rows) {
    const match = PARTITION_NAME.exec(name);
    if (!match) continue;
    const start = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1));
    if (start >= cutoff) continue;
    const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
    const [from, to] = [start.toISOString(), end.toISOString()];
    await db.transaction().execute(async (trx) => {
      // The lock ensureMonthPartitions takes: partitions are created and dropped one process at a time.
      await sql`SELECT pg_advisory_xact_lock(727275)`.execute(trx);
      const still = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_class WHERE relname = ${name}`.execute(
        trx,
      );
      if ((still.rows[0]?.n ?? 0) === 0) return;
      const rows = await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(name)}`.execute(trx);
      await sql`ALTER TABLE events DETACH PARTITION ${sql.table(name)}`.execute(trx);
      await sql`DROP TABLE ${sql.table(name)}`.execute(trx);
      const days = sql`day >= ${from}::date AND day < ${to}::date`;
      await sql`DELETE FROM event_kpi_person_days WHERE ${days}`.execute(trx);
      await sql`DELETE FROM event_kpi_daily WHERE ${days}`.execute(trx);
      await sql`DELETE FROM event_kpi_dirty_days WHERE ${days}`.execute(trx);
      await sql`DELETE FROM event_kpi_days WHERE ${days}`.execute(trx);
      const received = sql`received_at >= ${from}::timestamptz AND received_at < ${to}::timestamptz`;
      await sql`DELETE FROM event_violations WHERE ${received}`.execute(trx);
      await sql`DELETE FROM event_dead_letters WHERE ${received}`.execute(trx);
      await sql`DELETE FROM event_message_ids WHERE ${received}`.execute(trx);
      await recordAudit(trx, {
        actor: SYSTEM_ACTOR,
        action: 'events.partition.drop',
        object: { type: 'events_partition', id: name },
        before: { from, to, events: Number(rows.rows[0]?.n ?? 0) },
        after: { retentionMonths: options.months },
      });
      dropped.push(name);
    });
  }
  return dropped;
}
