import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { inAnalyticsSession } from './analytics-session.js';
import { kpiPersonRowsSql, type Segment } from './kpi-person-rows.js';

export { SEARCH_EXIT_MINUTES } from './kpi-person-rows.js';

export interface KpiRow {
  visitors: number;
  searches: number;
  searchExits: number;
  searchExitRate: number | null;
  votes: number;
  helpfulVotes: number;
  helpfulness: number | null;
  contactViewers: number;
  contactRate: number | null;
  ticketCreators: number;
  selfServiceScore: number | null;
}

export interface KpiResult {
  totals: KpiRow;
  days: (KpiRow & { day: string })[];
}

/** a / b rounded to four decimals, null when b is 0. */
export const kpiRatio = (a: number, b: number): number | null =>
  b === 0 ? null : Math.round((a / b) * 10_000) / 10_000;

interface Counts {
  visitors: number;
  searches: number;
  searchExits: number;
  votes: number;
  helpfulVotes: number;
  contactViewers: number;
  ticketCreators: number;
}

const toRow = (c: Counts): KpiRow => ({
  visitors: c.visitors,
  searches: c.searches,
  searchExits: c.searchExits,
  searchExitRate: kpiRatio(c.searchExits, c.searches),
  votes: c.votes,
  helpfulVotes: c.helpfulVotes,
  helpfulness: kpiRatio(c.helpfulVotes, c.votes),
  contactViewers: c.contactViewers,
  contactRate: kpiRatio(c.contactViewers, c.visitors),
  ticketCreators: c.ticketCreators,
  selfServiceScore: c.ticketCreators === 0 ? null : Math.round((c.visitors / c.ticketCreators) * 100) / 100,
});

const DAY_MS = 86_400_000;

interface CountRow {
  day: string | null;
  visitors: number;
  searches: number;
  search_exits: number;
  votes: number;
  helpful_votes: number;
  contact_viewers: number;
  ticket_creators: number;
}

const fromCountRow = (r: CountRow): Counts => ({
  visitors: Number(r.visitors),
  searches: Number(r.searches),
  searchExits: Number(r.search_exits),
  votes: Number(r.votes),
  helpfulVotes: Number(r.helpful_votes),
  contactViewers: Number(r.contact_viewers),
  ticketCreators: Number(r.ticket_creators),
});

/**
 * The help center's KPIs per UTC day and over the whole range:
 * - visitors: distinct persons with any track, page or screen event;
 * - searches: "Search Performed" events; search exit rate: the share of them after which the same reader did
 *   nothing else in the help center (besides viewing the results page) within 30 minutes;
 * - article helpfulness: "yes" votes / votes;
 * - contact rate: persons who opened the contact form / visitors;
 * - self-service score: help center users per ticket creator (visitors / persons with "Ticket Created").
 *
 * Whole days the 'events.kpi-rollup' job has rolled come from its tables (each day's figures from
 * `event_kpi_daily`, the range's distinct persons from `event_kpi_person_days`); the rest of the range (today, the
 * days not rolled yet, a partial first or last day) from the raw events. Equal to `scanKpis` once the job has
 * caught up; a late event or a re-stitched identity shows once the next run rebuilds its day (every 5 minutes).
 */
export async function queryKpis(
  db: DB,
  query: { from: Date; to: Date; locale?: string | undefined },
): Promise<KpiResult> {
  const { from, to } = query;
  const locale = query.locale || undefined;
  const firstWhole = Math.ceil(from.getTime() / DAY_MS) * DAY_MS;
  const lastWholeEnd = Math.floor(to.getTime() / DAY_MS) * DAY_MS;
  const rolled =
    firstWhole < lastWholeEnd
      ? (
          await sql<{ day: string }>`
            SELECT to_char(day, 'YYYY-MM-DD') AS day FROM event_kpi_days
            WHERE day >= ${new Date(firstWhole).toISOString()}::date
              AND day < ${new Date(lastWholeEnd).toISOString()}::date
            ORDER BY day`.execute(db)
        ).rows.map((r) => r.day)
      : [];
  // The range minus the rolled days, as contiguous segments of raw events.
  const segments: Segment[] = [];
  let cursor = from.getTime();
  for (const day of rolled) {
    const start = Date.parse(`${day}T00:00:00Z`);
    if (start > cursor) segments.push({ from: new Date(cursor).toISOString(), to: new Date(start).toISOString() });
    cursor = start + DAY_MS;
  }
  if (cursor < to.getTime()) segments.push({ from: new Date(cursor).toISOString(), to: to.toISOString() });

  // One statement (one snapshot): the raw rows once (materialised); the range's distinct persons over them and the
  // rolled days' person rows together; the raw days' figures; the rolled days' figures.
  const rest = await inAnalyticsSession(
    db,
    async (trx) =>
      (
        await sql<CountRow>`
      WITH raw AS MATERIALIZED (${kpiPersonRowsSql(segments, locale)}),
      persons AS (
        SELECT person, bool_or(contacted) AS contacted, bool_or(ticketed) AS ticketed
        FROM (
          SELECT person, contacted, ticketed FROM raw
          UNION ALL
          SELECT person, contacted, ticketed FROM event_kpi_person_days
          WHERE day = ANY(${rolled}::date[]) ${locale ? sql`AND locale = ${locale}` : sql``}
        ) p
        GROUP BY person
      )
      SELECT NULL AS day, count(*)::int AS visitors, 0 AS searches, 0 AS search_exits, 0 AS votes,
             0 AS helpful_votes, (count(*) FILTER (WHERE contacted))::int AS contact_viewers,
             (count(*) FILTER (WHERE ticketed))::int AS ticket_creators
      FROM persons
      UNION ALL
      SELECT to_char(day, 'YYYY-MM-DD'), count(DISTINCT person)::int, sum(searches)::int, sum(search_exits)::int,
             sum(votes)::int, sum(helpful_votes)::int, (count(DISTINCT person) FILTER (WHERE contacted))::int,
             (count(DISTINCT person) FILTER (WHERE ticketed))::int
      FROM raw GROUP BY day
      UNION ALL
      SELECT to_char(day, 'YYYY-MM-DD'), visitors, searches, search_exits, votes, helpful_votes, contact_viewers,
             ticket_creators
      FROM event_kpi_daily WHERE day = ANY(${rolled}::date[]) AND locale = ${locale ?? ''}`.execute(trx)
      ).rows,
  );
  const distinct = rest.find((r) => r.day === null);
  const days = rest
    .filter((r) => r.day !== null)
    .map((r) => ({ day: r.day!, counts: fromCountRow(r) }))
    .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  const totals: Counts = {
    visitors: Number(distinct?.visitors ?? 0),
    searches: 0,
    searchExits: 0,
    votes: 0,
    helpfulVotes: 0,
    contactViewers: Number(distinct?.contact_viewers ?? 0),
    ticketCreators: Number(distinct?.ticket_creators ?? 0),
  };
  for (const { counts } of days) {
    totals.searches += counts.searches;
    totals.searchExits += counts.searchExits;
    totals.votes += counts.votes;
    totals.helpfulVotes += counts.helpfulVotes;
  }
  return { totals: toRow(totals), days: days.map(({ day, counts }) => ({ day, ...toRow(counts) })) };
}
