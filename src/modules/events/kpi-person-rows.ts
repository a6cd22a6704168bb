import { type RawBuilder, sql } from 'kysely';
import { countedEventSql } from './counted-events.js';
import { PERSON_JOINS, PERSON_SQL } from './person-id.js';

/** After a search, this long without another step (other than the results page itself) is a search exit. */
export const SEARCH_EXIT_MINUTES = 30;

/** A time range [from, to) as ISO instants. */
export interface Segment {
  from: string;
  to: string;
}

/**
 * The KPI rows of the raw events in `segments` (UTC day, locale ('' for none), person, contacted, ticketed,
 * searches, search_exits, votes, helpful_votes): one per day × locale × person with a counted track, page or
 * screen event there, exactly what `event_kpi_person_days` holds for a rolled day. With `locale`, only that
 * locale's events. A search is an exit when the same anonymous id did nothing in the help center (besides the
 * results page) within the next 30 minutes, wherever those fall (in or beyond the segment).
 */
export function kpiPersonRowsSql(segments: readonly Segment[], locale?: string): RawBuilder<unknown> {
  const inSegments =
    segments.length === 0
      ? sql`false`
      : sql.join(
          segments.map((s) => sql`(e."timestamp" >= ${s.from}::timestamptz AND e."timestamp" < ${s.to}::timestamptz)`),
          sql` OR `,
        );
  return sql`
    SELECT (e."timestamp" AT TIME ZONE 'UTC')::date AS day, coalesce(e.locale, '') AS locale,
      (${PERSON_SQL}) COLLATE "C" AS person,
      bool_or(e.event = 'Contact Form Viewed') AS contacted,
      bool_or(e.event = 'Ticket Created') AS ticketed,
      (count(*) FILTER (WHERE e.event = 'Search Performed'))::int AS searches,
      (count(*) FILTER (WHERE e.event = 'Search Performed' AND NOT EXISTS (
        SELECT 1 FROM events n
        WHERE n.anonymous_id = e.anonymous_id
          AND n."timestamp" > e."timestamp"
          AND n."timestamp" <= e."timestamp" + make_interval(mins => ${SEARCH_EXIT_MINUTES})
          AND n.type IN ('track', 'page', 'screen')
          AND n.message_id <> e.message_id
          AND NOT (n.type = 'page' AND n.properties->>'path' LIKE '%/search%'))))::int AS search_exits,
      (count(*) FILTER (WHERE e.event = 'Article Voted'))::int AS votes,
      (count(*) FILTER (WHERE e.event = 'Article Voted' AND e.properties->>'helpful' = 'true'))::int AS helpful_votes
    FROM events e ${PERSON_JOINS}
    WHERE (${inSegments}) AND e.type IN ('track', 'page', 'screen') AND ${countedEventSql('e')}
      ${locale ? sql`AND e.locale = ${locale}` : sql``}
    GROUP BY 1, 2, 3`;
}
