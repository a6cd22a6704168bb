import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import type { TranslationHealth } from './insights.schema.js';
import { benjaminiHochberg, differenceOfRates, wilsonInterval } from './stats.js';

/** A translation is flagged when it is worse than its source at this false-discovery rate. */
export const TRANSLATION_FDR = 0.1;

export interface TranslationHealthQuery {
  from: string;
  to: string;
  slug?: string | undefined;
  /** Only translations into this locale (the q-values are still computed across all translations). */
  locale?: string | undefined;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

/**
 * Every published translation against its article's source language over a period: helpful rates with 95 %
 * intervals, the difference (translation − source) with a Benjamini-Hochberg q-value across every translation with
 * votes on both sides, contact rates after reading, and whether it is outdated (made from a source revision older
 * than the one published now). Flagged: significantly worse (q ≤ 0.1 and below the source), or outdated while read.
 * Ranked by the readers affected (readers, else views, of a flagged translation). A gap between languages can come
 * from the readers (a market, a product difference) as much as from the translation: the flag says where to look.
 */
export async function computeTranslationHealth(db: DB, query: TranslationHealthQuery): Promise<TranslationHealth[]> {
  const slug = query.slug ? sql`AND a.slug = ${query.slug}` : sql``;
  const { rows } = await sql<{
    slug: string;
    title: string;
    locale: string;
    source_locale: string;
    outdated: boolean;
    views: number;
    readers: number;
    contacted: number;
    votes: number;
    helpful: number;
    source_readers: number;
    source_contacted: number;
    source_votes: number;
    source_helpful: number;
  }>`
    WITH agg AS (
      SELECT d.article_id, d.locale, sum(d.views)::int AS views, sum(d.readers)::int AS readers,
             sum(d.contacted)::int AS contacted, sum(d.votes)::int AS votes, sum(d.helpful)::int AS helpful
      FROM insight_article_daily d
      WHERE d.day BETWEEN ${query.from}::date AND ${query.to}::date
      GROUP BY d.article_id, d.locale
    )
    SELECT a.slug, r.title, t.locale, a.source_locale,
           (src.published_revision_id IS NOT NULL
              AND (r.source_revision_id IS NULL OR r.source_revision_id < src.published_revision_id)) AS outdated,
           coalesce(g.views, 0) AS views, coalesce(g.readers, 0) AS readers, coalesce(g.contacted, 0) AS contacted,
           coalesce(g.votes, 0) AS votes, coalesce(g.helpful, 0) AS helpful,
           coalesce(s.readers, 0) AS source_readers, coalesce(s.contacted, 0) AS source_contacted,
           coalesce(s.votes, 0) AS source_votes, coalesce(s.helpful, 0) AS source_helpful
    FROM article_translations t
    JOIN articles a ON a.id = t.article_id
    JOIN article_revisions r ON r.id = t.published_revision_id
    LEFT JOIN article_translations src ON src.article_id = a.id AND src.locale = a.source_locale
    LEFT JOIN agg g ON g.article_id = a.id AND g.locale = t.locale
    LEFT JOIN agg s ON s.article_id = a.id AND s.locale = a.source_locale
    WHERE t.status = 'published' AND t.locale <> a.source_locale ${slug}`.execute(db);

  const compared = rows.map((r) => {
    const source = { successes: r.source_helpful, trials: r.source_votes };
    const own = { successes: r.helpful, trials: r.votes };
    return { row: r, difference: r.votes > 0 && r.source_votes > 0 ? differenceOfRates(source, own) : null };
  });
  const tested = compared.filter((c) => c.difference !== null);
  const q = benjaminiHochberg(tested.map((c) => c.difference?.pValue ?? 1));
  const qOf = new Map(tested.map((c, i) => [c, q[i] as number]));

  const out: TranslationHealth[] = [];
  for (const c of compared) {
    const r = c.row;
    if (query.locale !== undefined && r.locale !== query.locale) continue;
    const interval = wilsonInterval(r.helpful, r.votes);
    const qValue = qOf.get(c) ?? null;
    const difference = c.difference?.difference ?? null;
    const worse = qValue !== null && difference !== null && qValue <= TRANSLATION_FDR && difference < 0;
    const flagged = worse || (r.outdated && r.views > 0);
    out.push({
      slug: r.slug,
      title: r.title,
      locale: r.locale,
      sourceLocale: r.source_locale,
      outdated: r.outdated,
      views: r.views,
      votes: r.votes,
      helpfulRate: interval.rate,
      low: interval.low,
      high: interval.high,
      sourceRate: ratio(r.source_helpful, r.source_votes),
      difference,
      qValue,
      contactRate: ratio(r.contacted, r.readers),
      sourceContactRate: ratio(r.source_contacted, r.source_readers),
      flagged,
      readersAffected: flagged ? (r.readers > 0 ? r.readers : r.views) : 0,
    });
  }
  return out.sort(
    (a, b) =>
      b.readersAffected - a.readersAffected ||
      Number(b.flagged) - Number(a.flagged) ||
      (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : a.locale < b.locale ? -1 : 1),
  );
}
