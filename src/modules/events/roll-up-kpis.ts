import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { kpiPersonRowsSql, SEARCH_EXIT_MINUTES } from './kpi-person-rows.js';

const DAY_MS = 86_400_000;

/** A UTC day as `YYYY-MM-DD`. */
const dayOf = (at: Date | number): string => new Date(at).toISOString().slice(0, 10);

/**
 * The last day whose rollup can be final at `now`: the day has ended and so have the 30 minutes after it, in
 * which a step could still turn one of its late-evening searches from an exit into a non-exit.
 */
export function lastFinalDay(now: Date): string {
  return dayOf(now.getTime() - DAY_MS - SEARCH_EXIT_MINUTES * 60_000);
}

/**
 * Rebuilds one UTC day of the KPI rollup from its events, in one REPEATABLE READ transaction: the day's rows are
 * replaced, the day recorded as rolled and its dirty mark cleared, all against one snapshot, so a reader never sees
 * half a day, and an event committed after the snapshot keeps (or re-creates) its mark: clearing a mark that such
 * an event just touched fails with a serialisation error, and the job runs again.
 */
export async function rollUpKpiDay(db: DB, day: string): Promise<void> {
  const segment = { from: `${day}T00:00:00.000Z`, to: new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString() };
  await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      // One big statement: compiling it to machine code (PostgreSQL's JIT) costs more than it saves.
      await sql`SET LOCAL jit = off`.execute(trx);
      await sql`DELETE FROM event_kpi_person_days WHERE day = ${day}::date`.execute(trx);
      await sql`DELETE FROM event_kpi_daily WHERE day = ${day}::date`.execute(trx);
      await sql`
        INSERT INTO event_kpi_person_days (day, locale, person, contacted, ticketed, searches, search_exits, votes,
          helpful_votes)
        ${kpiPersonRowsSql([segment])}`.execute(trx);
      // Per locale, then over every locale ('') where a person active in two locales counts once.
      await sql`
        INSERT INTO event_kpi_daily (day, locale, visitors, searches, search_exits, votes, helpful_votes,
          contact_viewers, ticket_creators)
        SELECT day, coalesce(locale, ''), count(DISTINCT person), sum(searches), sum(search_exits), sum(votes),
               sum(helpful_votes), count(DISTINCT person) FILTER (WHERE contacted),
               count(DISTINCT person) FILTER (WHERE ticketed)
        FROM event_kpi_person_days WHERE day = ${day}::date
        GROUP BY GROUPING SETS ((day, locale), (day))
        HAVING locale IS NULL OR locale <> ''`.execute(trx);
      await sql`
        INSERT INTO event_kpi_days (day, rolled_at) VALUES (${day}::date, now())
        ON CONFLICT (day) DO UPDATE SET rolled_at = excluded.rolled_at`.execute(trx);
      await sql`DELETE FROM event_kpi_dirty_days WHERE day = ${day}::date`.execute(trx);
    });
}

/**
 * Turns the ids re-stitched since the last run (a later identify or alias moved their events to another person)
 * into dirty days: the rolled days on which their events fall.
 */
async function resolveDirtyAliases(db: DB): Promise<number> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const aliases = (
        await sql<{ alias_id: string }>`SELECT alias_id FROM event_kpi_dirty_aliases`.execute(trx)
      ).rows.map((r) => r.alias_id);
      if (aliases.length === 0) return 0;
      await sql`
        INSERT INTO event_kpi_dirty_days (day)
        SELECT DISTINCT d.day FROM (
          SELECT ("timestamp" AT TIME ZONE 'UTC')::date AS day FROM events WHERE anonymous_id = ANY(${aliases}::text[])
          UNION
          SELECT ("timestamp" AT TIME ZONE 'UTC')::date FROM events WHERE user_id = ANY(${aliases}::text[])
        ) d
        WHERE EXISTS (SELECT 1 FROM event_kpi_days k WHERE k.day = d.day)
        ON CONFLICT (day) DO UPDATE SET marked_at = now()`.execute(trx);
      await sql`DELETE FROM event_kpi_dirty_aliases WHERE alias_id = ANY(${aliases}::text[])`.execute(trx);
      return aliases.length;
    });
}

export interface KpiRollupResult {
  /** Days rebuilt in this run. */
  days: number;
  /** Of which dirty (late events, re-stitched identities). */
  dirty: number;
  /** Days still waiting (the run was stopped). */
  remaining: number;
}

/**
 * One run of the 'events.kpi-rollup' job: every day from the first event's up to the last final day that has no
 * rollup yet (newest first: recent dashboards speed up first), and every dirty day. Days after the last final
 * one are always read from the raw events. Stops early when `signal` aborts; the next run goes on.
 */
export async function runKpiRollup(
  db: DB,
  options: { now?: Date; signal?: AbortSignal } = {},
): Promise<KpiRollupResult> {
  const now = options.now ?? new Date();
  await resolveDirtyAliases(db);
  const last = lastFinalDay(now);
  const todo = await sql<{ day: string; dirty: boolean }>`
    WITH bounds AS (SELECT (min("timestamp") AT TIME ZONE 'UTC')::date AS first FROM events)
    SELECT to_char(d, 'YYYY-MM-DD') AS day, false AS dirty
    FROM bounds, generate_series(bounds.first, ${last}::date, interval '1 day') d
    WHERE bounds.first IS NOT NULL AND NOT EXISTS (SELECT 1 FROM event_kpi_days k WHERE k.day = d::date)
    UNION ALL
    SELECT to_char(day, 'YYYY-MM-DD'), true FROM event_kpi_dirty_days WHERE day <= ${last}::date
    ORDER BY 1 DESC`.execute(db);
  let days = 0;
  let dirty = 0;
  for (const row of todo.rows) {
    if (options.signal?.aborted) break;
    await rollUpKpiDay(db, row.day);
    days += 1;
    if (row.dirty) dirty += 1;
  }
  return { days, dirty, remaining: todo.rows.length - days };
}
