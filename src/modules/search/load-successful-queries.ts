import { sql } from 'kysely';
import type { DB } from '../../db/client.js';

export interface SuccessfulQuery {
  locale: string;
  normalized: string;
  /** The most common wording readers typed. */
  text: string;
  readers: number;
  /** Successful searches, each weighted by recency (half-life `halfLifeDays`). */
  weight: number;
  /** Articles readers chose after this query, with how often, most chosen first. */
  clicks: { slug: string; count: number }[];
}

export interface LoadSuccessfulOptions {
  /** Minimum distinct readers before a query may be shown to others. */
  minReaders: number;
  halfLifeDays: number;
  /** Only searches from the last `windowDays` days. */
  windowDays: number;
  /** A contact within this many minutes after the search, in the same session, marks it as not successful. */
  contactWithinMinutes: number;
  /** Most popular queries kept per locale. */
  perLocale: number;
}

/**
 * Popular successful searches: they had results and a click and did not end in a contact, typed by at least
 * `minReaders` distinct readers, excluding queries that carried personal data.
 */
export async function loadSuccessfulQueries(db: DB, options: LoadSuccessfulOptions): Promise<SuccessfulQuery[]> {
  const halfLifeSeconds = options.halfLifeDays * 86_400;
  const { rows } = await sql<{
    locale: string;
    normalized: string;
    text: string;
    readers: number;
    weight: number;
    clicks: { slug: string; count: number }[] | string;
  }>`
    WITH successful AS (
      SELECT s.id, s.locale, s.normalized, s.query, s.reader_id, s.created_at
        FROM search_queries s
       WHERE s.results > 0
         AND NOT s.had_personal_data
         AND s.normalized <> ''
         AND s.created_at > now() - make_interval(days => ${options.windowDays}::int)
         AND EXISTS (SELECT 1 FROM search_clicks c WHERE c.search_id = s.id)
         AND NOT EXISTS (
               SELECT 1 FROM search_contacts k
                WHERE s.session_id IS NOT NULL AND k.session_id = s.session_id
                  AND k.created_at >= s.created_at
                  AND k.created_at < s.created_at + make_interval(mins => ${options.contactWithinMinutes}::int))
    ),
    grouped AS (
      SELECT locale, normalized,
             mode() WITHIN GROUP (ORDER BY query) AS text,
             count(DISTINCT reader_id)::int AS readers,
             sum(exp(-ln(2) * extract(epoch FROM now() - created_at) / ${halfLifeSeconds}::float8))::float8 AS weight
        FROM successful
       GROUP BY locale, normalized
      HAVING count(DISTINCT reader_id) >= ${options.minReaders}::int
    ),
    ranked AS (
      SELECT g.*, row_number() OVER (PARTITION BY g.locale ORDER BY g.weight DESC, g.normalized) AS rank
        FROM grouped g
    ),
    clicks AS (
      SELECT s.locale, s.normalized, c.slug, count(*)::int AS count
        FROM successful s JOIN search_clicks c ON c.search_id = s.id
       GROUP BY s.locale, s.normalized, c.slug
    )
    SELECT r.locale, r.normalized, r.text, r.readers, r.weight,
           COALESCE((SELECT json_agg(json_build_object('slug', k.slug, 'count', k.count) ORDER BY k.count DESC, k.slug)
                       FROM clicks k WHERE k.locale = r.locale AND k.normalized = r.normalized), '[]'::json) AS clicks
      FROM ranked r
     WHERE r.rank <= ${options.perLocale}::int
     ORDER BY r.locale, r.weight DESC`.execute(db);
  return rows.map((r) => ({
    locale: r.locale,
    normalized: r.normalized,
    text: r.text,
    readers: Number(r.readers),
    weight: Number(r.weight),
    clicks: typeof r.clicks === 'string' ? (JSON.parse(r.clicks) as SuccessfulQuery['clicks']) : r.clicks,
  }));
}
