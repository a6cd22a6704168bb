import { sql } from 'kysely';

/**
 * The SQL expression of an event's person, given `e` (events), `ia` and `iu` (event_identities joined on the
 * anonymous id and on the user id): the stitched user id when known, else the anonymous id.
 */
export const PERSON_SQL = sql<string>`coalesce(iu.user_id, e.user_id, ia.user_id, e.anonymous_id)`;

/** The joins PERSON_SQL needs. */
export const PERSON_JOINS = sql`LEFT JOIN event_identities ia ON ia.alias_id = e.anonymous_id
  LEFT JOIN event_identities iu ON iu.alias_id = e.user_id`;
