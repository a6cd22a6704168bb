import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import {
  aggregateFunnel,
  type FunnelCounts,
  type FunnelEvent,
  type FunnelPersonResult,
  funnelPersonDepth,
} from './compute-funnel.js';
import { countedEventSql } from './counted-events.js';
import { PERSON_JOINS, PERSON_SQL } from './person-id.js';

export interface FunnelStep {
  events: string[];
  label?: string | undefined;
}

/** The help center's own loop: a search, then an article, then a vote or the contact form. */
export const HELP_CENTER_FUNNEL: FunnelStep[] = [
  { events: ['Search Performed'], label: 'Searched' },
  { events: ['Article Viewed'], label: 'Read an article' },
  { events: ['Article Voted', 'Contact Form Viewed'], label: 'Voted or opened the contact form' },
];

export interface FunnelQuery {
  steps: FunnelStep[];
  from: Date;
  to: Date;
  windowMinutes: number;
  breakdown?: 'locale' | 'article' | undefined;
  locale?: string | undefined;
}

export interface FunnelResult {
  steps: { label: string; events: string[] }[];
  total: FunnelCounts;
  breakdown?: FunnelCounts[];
}

/**
 * An ordered funnel over persons (stitched identities): who did step 1 in [from, to), then step 2 and so on
 * within the window, optionally broken down by locale or article (first touch). The events are read in person
 * order and the steps matched in memory by `funnelPersonDepth`, one person at a time.
 */
export async function queryFunnel(db: DB, query: FunnelQuery): Promise<FunnelResult> {
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
