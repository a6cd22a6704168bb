import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { countedEventSql, PERSON_JOINS, PERSON_SQL, SEARCH_EXIT_MINUTES } from '../events/index.js';

const DAY_MS = 86_400_000;

/**
 * Rebuilds `insight_site_daily` for the UTC days `from`..`to` (inclusive): the help center's visitors, searches,
 * search exits, contact-form viewers and ticket creators per day and reader locale, with the definitions of the
 * events module's KPIs (counted events only; a person is the stitched identity). Call it inside the transaction
 * that rebuilds the same days of `insight_article_daily`, so both change together.
 */
export async function rollUpSiteDaily(trx: DB, range: { from: string; to: string }): Promise<void> {
  const start = `${range.from}T00:00:00Z`;
  const end = new Date(Date.parse(`${range.to}T00:00:00Z`) + DAY_MS).toISOString();
  await sql`DELETE FROM insight_site_daily WHERE day BETWEEN ${range.from}::date AND ${range.to}::date`.execute(trx);
  await sql`
    WITH
    ev AS (
      SELECT (e."timestamp" AT TIME ZONE 'UTC')::date AS day, left(coalesce(e.locale, ''), 20) AS locale,
             ${PERSON_SQL} AS person, e.event
      FROM events e ${PERSON_JOINS}
      WHERE e."timestamp" >= ${start}::timestamptz AND e."timestamp" < ${end}::timestamptz
        AND e.type IN ('track', 'page', 'screen') AND ${countedEventSql('e')}
    ),
    people AS (
      SELECT day, locale,
             count(DISTINCT person)::int AS visitors,
             (count(*) FILTER (WHERE event = 'Search Performed'))::int AS searches,
             (count(DISTINCT person) FILTER (WHERE event = 'Contact Form Viewed'))::int AS contact_viewers,
             (count(DISTINCT person) FILTER (WHERE event = 'Ticket Created'))::int AS ticket_creators
      FROM ev GROUP BY day, locale
    ),
    exits AS (
      SELECT (e."timestamp" AT TIME ZONE 'UTC')::date AS day, left(coalesce(e.locale, ''), 20) AS locale,
             count(*)::int AS search_exits
      FROM events e
      WHERE e.event = 'Search Performed' AND ${countedEventSql('e')}
        AND e."timestamp" >= ${start}::timestamptz AND e."timestamp" < ${end}::timestamptz
        AND NOT EXISTS (
          SELECT 1 FROM events n
          WHERE n.anonymous_id = e.anonymous_id
            AND n."timestamp" > e."timestamp"
            AND n."timestamp" <= e."timestamp" + make_interval(mins => ${SEARCH_EXIT_MINUTES})
            AND n.type IN ('track', 'page', 'screen')
            AND n.message_id <> e.message_id
            AND NOT (n.type = 'page' AND n.properties->>'path' LIKE '%/search%'))
      GROUP BY 1, 2
    )
    INSERT INTO insight_site_daily (day, locale, visitors, searches, search_exits, contact_viewers, ticket_creators)
    SELECT coalesce(p.day, x.day), coalesce(p.locale, x.locale), coalesce(p.visitors, 0), coalesce(p.searches, 0),
           coalesce(x.search_exits, 0), coalesce(p.contact_viewers, 0), coalesce(p.ticket_creators, 0)
    FROM people p FULL JOIN exits x ON x.day = p.day AND x.locale = p.locale`.execute(trx);
}
