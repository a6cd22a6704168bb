import { type RawBuilder, sql } from 'kysely';

/**
 * Events the tracking plan says the server itself sends, because only the server saw them happen (the search it
 * ran, the vote it stored, the ticket it filed). A browser holding the site's public write key can send the same
 * names to /v1/track; those are kept (and exported) but never counted in a KPI or funnel, or anyone could stuff the
 * dashboards. Private write keys (a team's own back end, a help desk) are trusted like the server.
 */
export const SERVER_OBSERVED_EVENTS = ['Search Performed', 'Article Voted', 'Ticket Created'] as const;

/** SQL condition on events alias `alias`: true when the row may count in a figure. */
export function countedEventSql(alias: string): RawBuilder<boolean> {
  const e = sql.ref(alias);
  return sql<boolean>`(NOT ${e}.flagged AND (${e}.event IS NULL OR NOT (${e}.event = ANY(${sql.val([...SERVER_OBSERVED_EVENTS])}::text[]))
    OR NOT EXISTS (SELECT 1 FROM event_write_keys k WHERE k.public_key IS NOT NULL AND 'wk:' || k.id = ${e}.source)))`;
}
