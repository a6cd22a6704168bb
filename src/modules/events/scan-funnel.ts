import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { aggregateFunnel, type FunnelEvent, type FunnelPersonResult, funnelPersonDepth } from './compute-funnel.js';
import { countedEventSql } from './counted-events.js';
import { PERSON_JOINS, PERSON_SQL } from './person-id.js';
import type { FunnelQuery, FunnelResult } from './query-funnel.js';

/**
 * The funnel matched in memory (what queryFunnel did before it moved into SQL): kept as the reference the SQL is
 * tested against, and as the bench's "before" figure.
 *
 * An ordered funnel over persons (stitched identities): who did step 1 in [from, to), then step 2 and so on
 * within the window, optionally broken down by locale or article (first touch). The events are read in person
 * order and the steps matched in memory by `funnelPersonDepth`, one person at a time.
 */
export async function scanFunnel(db: DB, query: FunnelQuery): Promise<FunnelResult> {
  const windowMs = query.windowMinutes * 60_000;
  const names = [...new Set(query.steps.flatMap((s) => s.events))];
  const until = new Date(query.to.getTime() + windowMs);
  const column = query.breakdown === 'article' ? sql`e.article` : sql`e.locale`;
  const rows = await sql<{ person: string | null; event: string; at: Date; value: string | null }>`
    SELECT ${PERSON_SQL} AS person, e.event, e."timestamp" AS at, ${column} AS value
    FROM events e ${PERSON_JOINS}
    WHERE e.event = ANY(${names}::text[]) AND ${countedEventSql('e')}
      AND e."timestamp" >= ${query.from.toISOString()}::timestamptz AND e."timestamp" < ${until.toISOString()}::timestamptz
      ${query.locale ? sql`AND e.locale = ${query.locale}` : sql``}
    ORDER BY 1, 3, e.message_id`.execute(db);
  const steps = query.steps.map((s) => s.events);
  const results: FunnelPersonResult[] = [];
  let person: string | null | undefined;
  let events: FunnelEvent[] = [];
  const flush = () => {
    if (events.length > 0) {
      results.push(funnelPersonDepth(events, steps, windowMs, query.from.getTime(), query.to.getTime()));
    }
    events = [];
  };
  for (const row of rows.rows) {
    if (row.person === null) continue;
    if (row.person !== person) {
      flush();
      person = row.person;
    }
    events.push({ at: new Date(row.at).getTime(), event: row.event, value: row.value });
  }
  flush();
  const { total, breakdown } = aggregateFunnel(results, steps.length);
  return {
    steps: query.steps.map((s) => ({ label: s.label ?? s.events.join(' or '), events: s.events })),
    total,
    ...(query.breakdown ? { breakdown } : {}),
  };
}
