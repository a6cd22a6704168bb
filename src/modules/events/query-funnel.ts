import { type RawBuilder, sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { inAnalyticsSession } from './analytics-session.js';
import { aggregateFunnel, type FunnelCounts, type FunnelPersonResult } from './compute-funnel.js';
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
 * within the window, optionally broken down by locale or article (first touch). Matched inside the database, with
 * the semantics of `funnelPersonDepth` (compute-funnel.ts): each person's step events are numbered in (time,
 * message id) order; one pass of window functions gives every event the position of the next event of each step
 * after it; every start (a first-step event in range) then follows that chain greedily, one join per step, while
 * the events stay within the window; each person keeps the deepest start (the earliest among equals). Node
 * receives one row per (breakdown value, depth).
 */
export async function queryFunnel(db: DB, query: FunnelQuery): Promise<FunnelResult> {
  const steps = query.steps.map((s) => s.events);
  const names = [...new Set(steps.flat())];
  const window = sql`make_interval(mins => ${query.windowMinutes})`;
  const until = new Date(query.to.getTime() + query.windowMinutes * 60_000);
  const column = query.breakdown === 'article' ? sql`e.article` : sql`e.locale`;
  // Each event's steps as bits (an event may belong to several): narrower rows to sort than the event names.
  const mask = sql.join(
    steps.map((names, k) => sql`CASE WHEN e.event = ANY(${names}::text[]) THEN ${sql.lit(1 << k)} ELSE 0 END`),
    sql` | `,
  );
  const stepIn = (k: number): RawBuilder<boolean> => sql<boolean>`(mask & ${sql.lit(1 << k)}) <> 0`;
  // One sort of the step events by (person, time, message id), latest first, numbers them: g across everyone (a
  // later event of a person has a smaller g), pos within the person, so g - pos identifies the person as an
  // integer. next_k: the nearest later step-k event of the same person (the largest g among the rows before this
  // one in that order), for k = 1 … n-1; each frame only grows, so max() is computed incrementally.
  const numberedColumns = sql.join([
    sql`g, g - row_number() OVER person AS pid, date_trunc('milliseconds', ts) AS at, mask, value`,
    ...steps
      .slice(1)
      .map((_, i) => sql`max(CASE WHEN ${stepIn(i + 1)} THEN g END) OVER later AS ${sql.ref(`next_${i + 1}`)}`),
  ]);
  // m_k: the chain's step-k event, when the step before matched and it falls within the start's window.
  const matches = steps.slice(1).map((_, i) => {
    const k = i + 1;
    const previous = k === 1 ? sql`s.next_1` : sql.ref(`m${k - 1}.${`next_${k}`}`);
    return sql`LEFT JOIN numbered ${sql.ref(`m${k}`)} ON ${sql.ref(`m${k}.g`)} = ${previous}
      AND ${sql.ref(`m${k}.at`)} <= s.at + ${window}`;
  });
  const depth = sql.join(
    [sql`1`, ...steps.slice(1).map((_, i) => sql`(${sql.ref(`m${i + 1}.g`)} IS NOT NULL)::int`)],
    sql` + `,
  );
  const value = sql.join([sql`s.value`, ...steps.slice(1).map((_, i) => sql.ref(`m${i + 1}.value`))], sql`, `);
  const rows = await inAnalyticsSession(db, (trx) =>
    sql<{ value: string | null; depth: number; persons: string }>`
    WITH ev AS MATERIALIZED (
      -- Compared in milliseconds, as the in-memory matcher did (JavaScript dates); ordered by the stored instant.
      -- The "C" collation: persons only need grouping, and byte order sorts several times faster.
      SELECT (${PERSON_SQL}) COLLATE "C" AS person, e."timestamp" AS ts, e.message_id, ${mask} AS mask,
             ${column} AS value
      FROM events e ${PERSON_JOINS}
      WHERE e.event = ANY(${names}::text[]) AND ${countedEventSql('e')}
        AND e."timestamp" >= ${query.from.toISOString()}::timestamptz AND e."timestamp" < ${until.toISOString()}::timestamptz
        ${query.locale ? sql`AND e.locale = ${query.locale}` : sql``}
    ),
    numbered AS MATERIALIZED (
      SELECT ${numberedColumns}
      FROM (SELECT *, row_number() OVER (ORDER BY person, ts DESC, message_id DESC) AS g
            FROM ev WHERE person IS NOT NULL) x
      WINDOW person AS (PARTITION BY person ORDER BY ts DESC, message_id DESC),
             later AS (person ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
    ),
    starts AS (
      SELECT * FROM numbered
      WHERE ${stepIn(0)} AND at >= ${query.from.toISOString()}::timestamptz AND at < ${query.to.toISOString()}::timestamptz
    ),
    paths AS (
      SELECT s.pid, s.g, ${depth} AS depth, coalesce(${value}) AS value
      FROM starts s ${sql.join(matches, sql` `)}
    ),
    best AS (
      -- Per person the deepest path, the earliest start (the largest g) among equals.
      SELECT DISTINCT ON (pid) pid, depth, value FROM paths ORDER BY pid, depth DESC, g DESC
    )
    SELECT value, depth, count(*) AS persons FROM best GROUP BY value, depth`.execute(trx),
  );
  const results = function* (): Generator<FunnelPersonResult> {
    for (const row of rows.rows) {
      const result = { depth: Number(row.depth), value: row.value };
      for (let i = 0; i < Number(row.persons); i++) yield result;
    }
  };
  const { total, breakdown } = aggregateFunnel(results(), steps.length);
  return {
    steps: query.steps.map((s) => ({ label: s.label ?? s.events.join(' or '), events: s.events })),
    total,
    ...(query.breakdown ? { breakdown } : {}),
  };
}
