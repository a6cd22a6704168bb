import { sql } from 'kysely';
import type { DB } from '../../db/client.js';

/** What the engine learns from: a query readers succeeded with and the articles they chose. */
export interface SuccessfulQuery {
  locale: string;
  normalized: string;
  /** The most common wording readers typed. */
  text: string;
  /** Distinct readers behind it. */
  readers: number;
  /**
   * Popularity: per distinct network, its most recent successful search weighted by recency (half-life
   * `halfLifeDays`), summed. One network counts once however many searches or identities it sends.
   */
  weight: number;
  /** Articles readers chose after this query, with how many distinct networks chose each, most chosen first. */
  clicks: { slug: string; count: number }[];
}

/** A successful query with the rest of its evidence, for the thresholds and the operator's review. */
export interface EvidencedQuery extends SuccessfulQuery {
  /** Searches with a counted click, and the distinct client networks behind them. */
  searches: number;
  networks: number;
}

export interface LoadSuccessfulOptions {
  /** Minimum distinct readers, and distinct networks, before a query (or an article chosen after it) counts. */
  minReaders: number;
  minNetworks: number;
  halfLifeDays: number;
  /** Only searches from the last `windowDays` days. */
  windowDays: number;
  /** A contact within this many minutes after the search, in the same session, marks it as not successful. */
  contactWithinMinutes: number;
  /** Most popular queries kept per locale. */
  perLocale: number;
  /** Only this locale. */
  locale?: string | undefined;
}

/**
 * Popular successful searches, from evidence the server observed only: a search it ran with results, followed by a
 * counted click (aged reader identity, within budgets, on an article that search returned) from the same reader, and
 * no contact page after it; kept when at least `minReaders` readers on `minNetworks` networks show it. Queries that
 * carried personal data are excluded. A learned boost needs the same evidence for the article chosen.
 */
export async function loadSuccessfulQueries(db: DB, options: LoadSuccessfulOptions): Promise<EvidencedQuery[]> {
  const halfLifeSeconds = options.halfLifeDays * 86_400;
  const localeFilter = options.locale === undefined ? sql`` : sql`AND s.locale = ${options.locale}`;
  const { rows } = await sql<{
    locale: string;
    normalized: string;
    text: string;
    searches: number;
    readers: number;
    networks: number;
    weight: number;
    clicks: { slug: string; count: number }[] | string;
  }>`
    WITH evidence AS (
      SELECT s.id, s.locale, s.normalized, s.query, s.reader_id, c.network_key, c.slug, s.created_at
        FROM search_queries s
        JOIN search_clicks c ON c.search_id = s.id
       WHERE c.suspect IS NULL
         AND c.network_key IS NOT NULL
         AND c.reader_id = s.reader_id
         AND s.results > 0
         AND NOT s.had_personal_data
         AND s.normalized <> ''
         AND s.created_at > now() - make_interval(days => ${options.windowDays}::int)
         ${localeFilter}
         AND NOT EXISTS (
               SELECT 1 FROM search_contacts k
                WHERE s.session_id IS NOT NULL AND k.session_id = s.session_id
                  AND k.created_at >= s.created_at
                  AND k.created_at < s.created_at + make_interval(mins => ${options.contactWithinMinutes}::int))
    ),
    grouped AS (
      SELECT locale, normalized,
             mode() WITHIN GROUP (ORDER BY query) AS text,
             count(DISTINCT id)::int AS searches,
             count(DISTINCT reader_id)::int AS readers,
             count(DISTINCT network_key)::int AS networks
        FROM evidence
       GROUP BY locale, normalized
      HAVING count(DISTINCT reader_id) >= ${options.minReaders}::int
         AND count(DISTINCT network_key) >= ${options.minNetworks}::int
    ),
    per_network AS (
      SELECT locale, normalized, network_key,
             max(exp(-ln(2) * extract(epoch FROM now() - created_at) / ${halfLifeSeconds}::float8))::float8 AS recency
        FROM evidence
       GROUP BY locale, normalized, network_key
    ),
    ranked AS (
      SELECT g.*, w.weight, row_number() OVER (PARTITION BY g.locale ORDER BY w.weight DESC, g.normalized) AS rank
        FROM grouped g
        JOIN (SELECT locale, normalized, sum(recency)::float8 AS weight FROM per_network GROUP BY locale, normalized) w
          ON w.locale = g.locale AND w.normalized = g.normalized
    ),
    clicks AS (
      SELECT locale, normalized, slug, count(DISTINCT network_key)::int AS count
        FROM evidence
       GROUP BY locale, normalized, slug
      HAVING count(DISTINCT reader_id) >= ${options.minReaders}::int
         AND count(DISTINCT network_key) >= ${options.minNetworks}::int
    )
    SELECT r.locale, r.normalized, r.text, r.searches, r.readers, r.networks, r.weight,
           COALESCE((SELECT json_agg(json_build_object('slug', k.slug, 'count', k.count) ORDER BY k.count DESC, k.slug)
                       FROM clicks k WHERE k.locale = r.locale AND k.normalized = r.normalized), '[]'::json) AS clicks
      FROM ranked r
     WHERE r.rank <= ${options.perLocale}::int
     ORDER BY r.locale, r.weight DESC`.execute(db);
  return rows.map((r) => ({
    locale: r.locale,
    normalized: r.normalized,
    text: r.text,
    searches: Number(r.searches),
    readers: Number(r.readers),
    networks: Number(r.networks),
    weight: Number(r.weight),
    clicks: typeof r.clicks === 'string' ? (JSON.parse(r.clicks) as SuccessfulQuery['clicks']) : r.clicks,
  }));
}
