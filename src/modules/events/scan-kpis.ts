import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { countedEventSql } from './counted-events.js';
import { PERSON_JOINS, PERSON_SQL } from './person-id.js';
import { type KpiResult, type KpiRow, kpiRatio as ratio, SEARCH_EXIT_MINUTES } from './query-kpis.js';

/**
 * The KPIs computed from the raw events alone, every request (what queryKpis did before the rollup): kept as the
 * reference the rollup is tested against, and as the bench's "before" figure.
 *
 * The help center's KPIs per UTC day and over the whole range:
 * - visitors: distinct persons with any track, page or screen event;
 * - searches: "Search Performed" events; search exit rate: the share of them after which the same reader did
 *   nothing else in the help center (besides viewing the results page) within 30 minutes;
 * - article helpfulness: "yes" votes / votes;
 * - contact rate: persons who opened the contact form / visitors;
 * - self-service score: help center users per ticket creator (visitors / persons with "Ticket Created").
 */
export async function scanKpis(
  db: DB,
  query: { from: Date; to: Date; locale?: string | undefined },
): Promise<KpiResult> {
  const from = query.from.toISOString();
  const to = query.to.toISOString();
  const locale = query.locale ? sql`AND e.locale = ${query.locale}` : sql``;
  const counts = await sql<{
    day: string | null;
    visitors: number;
    searches: number;
    votes: number;
    helpful_votes: number;
    contact_viewers: number;
    ticket_creators: number;
  }>`
    WITH ev AS (
      SELECT ${PERSON_SQL} AS person, e.event, e.properties,
             to_char(e."timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day
      FROM events e ${PERSON_JOINS}
      WHERE e."timestamp" >= ${from}::timestamptz AND e."timestamp" < ${to}::timestamptz
        AND e.type IN ('track', 'page', 'screen') AND ${countedEventSql('e')} ${locale}
    )
    SELECT day,
      count(DISTINCT person)::int AS visitors,
      (count(*) FILTER (WHERE event = 'Search Performed'))::int AS searches,
      (count(*) FILTER (WHERE event = 'Article Voted'))::int AS votes,
      (count(*) FILTER (WHERE event = 'Article Voted' AND properties->>'helpful' = 'true'))::int AS helpful_votes,
      (count(DISTINCT person) FILTER (WHERE event = 'Contact Form Viewed'))::int AS contact_viewers,
      (count(DISTINCT person) FILTER (WHERE event = 'Ticket Created'))::int AS ticket_creators
    FROM ev
    GROUP BY GROUPING SETS ((day), ())
    ORDER BY day NULLS FIRST`.execute(db);
  const exits = await sql<{ day: string | null; exits: number }>`
    SELECT day, count(*)::int AS exits FROM (
      SELECT to_char(e."timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day
      FROM events e
      WHERE e.event = 'Search Performed' AND ${countedEventSql('e')}
        AND e."timestamp" >= ${from}::timestamptz AND e."timestamp" < ${to}::timestamptz ${locale}
        AND NOT EXISTS (
          SELECT 1 FROM events n
          WHERE n.anonymous_id = e.anonymous_id
            AND n."timestamp" > e."timestamp"
            AND n."timestamp" <= e."timestamp" + make_interval(mins => ${SEARCH_EXIT_MINUTES})
            AND n.type IN ('track', 'page', 'screen')
            AND n.message_id <> e.message_id
            AND NOT (n.type = 'page' AND n.properties->>'path' LIKE '%/search%')
        )
    ) s
    GROUP BY GROUPING SETS ((day), ())`.execute(db);
  const exitsByDay = new Map(exits.rows.map((r) => [r.day, Number(r.exits)]));
  const toRow = (r: (typeof counts.rows)[number]): KpiRow => {
    const searchExits = exitsByDay.get(r.day) ?? 0;
    return {
      visitors: r.visitors,
      searches: r.searches,
      searchExits,
      searchExitRate: ratio(searchExits, r.searches),
      votes: r.votes,
      helpfulVotes: r.helpful_votes,
      helpfulness: ratio(r.helpful_votes, r.votes),
      contactViewers: r.contact_viewers,
      contactRate: ratio(r.contact_viewers, r.visitors),
      ticketCreators: r.ticket_creators,
      selfServiceScore: r.ticket_creators === 0 ? null : Math.round((r.visitors / r.ticket_creators) * 100) / 100,
    };
  };
  const empty = {
    day: null,
    visitors: 0,
    searches: 0,
    votes: 0,
    helpful_votes: 0,
    contact_viewers: 0,
    ticket_creators: 0,
  };
  const totalRow = counts.rows.find((r) => r.day === null) ?? empty;
  return {
    totals: toRow(totalRow),
    days: counts.rows.filter((r) => r.day !== null).map((r) => ({ day: r.day!, ...toRow(r) })),
  };
}
