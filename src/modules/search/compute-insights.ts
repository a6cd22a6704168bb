import { sql } from 'kysely';
import type { DB } from '../../db/client.js';

export interface InsightRow {
  query: string;
  locale: string;
  searches: number;
  readers: number;
  averageResults: number;
  /** Share of these searches followed by a click on a suggestion or result. */
  clickThrough: number;
  /** Searches after which the reader went to the contact page within an hour, in the same session. */
  contacts: number;
}

export interface SearchInsights {
  days: number;
  totals: {
    searches: number;
    noResults: number;
    weakResults: number;
    clickThrough: number;
    /** Clicks in the period left out of every figure because they exceeded a reader's or network's budget. */
    excludedClicks: number;
  };
  topQueries: InsightRow[];
  noResults: InsightRow[];
  /** Content gaps behind results: queries whose results mostly matched only some words (none answered). */
  weakResults: InsightRow[];
  lowClickThrough: InsightRow[];
  followedByContact: InsightRow[];
}

export interface InsightsOptions {
  locale?: string | undefined;
  days: number;
  limit: number;
  /** Searches a query needs before its click-through counts as low (a few searches say little). */
  minSearchesForCtr?: number;
  lowClickThrough?: number;
}

/** What readers search for, what finds nothing, what they do not click, and what sends them to support. */
export async function computeInsights(db: DB, options: InsightsOptions): Promise<SearchInsights> {
  const localeFilter = options.locale === undefined ? sql`` : sql`AND s.locale = ${options.locale}`;
  const { rows } = await sql<{
    query: string;
    locale: string;
    searches: number;
    readers: number;
    average_results: number;
    clicked: number;
    contacts: number;
    no_results: number;
    weak_results: number;
  }>`
    WITH recent AS (
      SELECT s.id, s.locale, s.normalized, s.query, s.results, s.reader_id, s.session_id, s.created_at, s.weak,
             -- Clicks past a reader's or a network's budget are someone stuffing, not readers finding: left out.
             EXISTS (SELECT 1 FROM search_clicks c WHERE c.search_id = s.id
                      AND c.suspect IS DISTINCT FROM 'reader-budget' AND c.suspect IS DISTINCT FROM 'network-budget') AS clicked,
             (s.session_id IS NOT NULL AND EXISTS (
                SELECT 1 FROM search_contacts k
                 WHERE k.session_id = s.session_id AND k.created_at >= s.created_at
                   AND k.created_at < s.created_at + interval '1 hour')) AS contacted
        FROM search_queries s
       WHERE s.created_at > now() - make_interval(days => ${options.days}::int) AND s.normalized <> '' ${localeFilter}
    )
    SELECT mode() WITHIN GROUP (ORDER BY query) AS query, locale,
           count(*)::int AS searches,
           count(DISTINCT reader_id)::int AS readers,
           avg(results)::float8 AS average_results,
           count(*) FILTER (WHERE clicked)::int AS clicked,
           count(*) FILTER (WHERE contacted)::int AS contacts,
           count(*) FILTER (WHERE results = 0)::int AS no_results,
           count(*) FILTER (WHERE weak AND results > 0)::int AS weak_results
      FROM recent
     GROUP BY locale, normalized`.execute(db);
  const excluded = await sql<{ n: number }>`
    SELECT count(*)::int AS n
      FROM search_clicks c JOIN search_queries s ON s.id = c.search_id
     WHERE c.suspect IN ('reader-budget', 'network-budget')
       AND s.created_at > now() - make_interval(days => ${options.days}::int) ${localeFilter}`.execute(db);
  const excludedClicks = Number(excluded.rows[0]?.n ?? 0);
  const all = rows.map((r) => ({
    row: {
      query: r.query,
      locale: r.locale,
      searches: Number(r.searches),
      readers: Number(r.readers),
      averageResults: Math.round(Number(r.average_results) * 10) / 10,
      clickThrough: Number(r.searches) > 0 ? Math.round((Number(r.clicked) / Number(r.searches)) * 1000) / 1000 : 0,
      contacts: Number(r.contacts),
    },
    noResults: Number(r.no_results),
    weakResults: Number(r.weak_results),
    clicked: Number(r.clicked),
  }));
  const byCount = (a: { row: InsightRow }, b: { row: InsightRow }) =>
    b.row.searches - a.row.searches || a.row.query.localeCompare(b.row.query);
  const limit = options.limit;
  const minSearches = options.minSearchesForCtr ?? 5;
  const lowCtr = options.lowClickThrough ?? 0.25;
  const searches = all.reduce((s, r) => s + r.row.searches, 0);
  return {
    days: options.days,
    totals: {
      searches,
      noResults: all.reduce((s, r) => s + r.noResults, 0),
      weakResults: all.reduce((s, r) => s + r.weakResults, 0),
      excludedClicks,
      clickThrough: searches > 0 ? Math.round((all.reduce((s, r) => s + r.clicked, 0) / searches) * 1000) / 1000 : 0,
    },
    topQueries: [...all]
      .sort(byCount)
      .slice(0, limit)
      .map((r) => r.row),
    noResults: all
      .filter((r) => r.noResults > 0 && r.noResults >= r.row.searches / 2)
      .sort(byCount)
      .slice(0, limit)
      .map((r) => r.row),
    weakResults: all
      .filter((r) => r.weakResults > 0 && r.weakResults >= r.row.searches / 2)
      .sort(byCount)
      .slice(0, limit)
      .map((r) => r.row),
    lowClickThrough: all
      .filter((r) => r.row.searches >= minSearches && r.row.averageResults > 0 && r.row.clickThrough < lowCtr)
      .sort((a, b) => a.row.clickThrough - b.row.clickThrough || byCount(a, b))
      .slice(0, limit)
      .map((r) => r.row),
    followedByContact: all
      .filter((r) => r.row.contacts > 0)
      .sort((a, b) => b.row.contacts - a.row.contacts || byCount(a, b))
      .slice(0, limit)
      .map((r) => r.row),
  };
}
