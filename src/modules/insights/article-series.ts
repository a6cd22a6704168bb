import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { addDays } from './article-reasons.js';
import { findArticleTranslation } from './find-article-translation.js';
import type { ArticleInsightResponse } from './insights.schema.js';
import { wilsonInterval } from './stats.js';

export type WeekPoint = ArticleInsightResponse['series'][number];
export type RevisionMarker = ArticleInsightResponse['revisionMarkers'][number];

/** The Monday (ISO week start) of a UTC day. */
export function weekOf(day: string): string {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(day, -((weekday + 6) % 7));
}

/** Every ISO week (its Monday) touching the period, oldest first. */
export function weeksOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let week = weekOf(from); week <= to; week = addDays(week, 7)) out.push(week);
  return out;
}

/**
 * One article translation's helpful rate per ISO week (Monday) of the period with its 95 % Wilson interval (a week
 * without votes has rate null and the interval 0..1), and the revisions that went live in the period. The first and
 * last weeks count only the period's days.
 */
export async function articleSeries(
  db: DB,
  query: { slug: string; locale?: string | undefined; from: string; to: string },
): Promise<{ series: WeekPoint[]; revisionMarkers: RevisionMarker[] }> {
  const article = await findArticleTranslation(db, query);
  const weeks = (
    await sql<{ week: string; votes: number; helpful: number }>`
      SELECT to_char(date_trunc('week', d.day), 'YYYY-MM-DD') AS week,
             sum(d.votes)::int AS votes, sum(d.helpful)::int AS helpful
      FROM insight_article_daily d
      WHERE d.article_id = ${article.articleId} AND d.locale = ${article.locale}
        AND d.day BETWEEN ${query.from}::date AND ${query.to}::date
      GROUP BY 1`.execute(db)
  ).rows;
  const byWeek = new Map(weeks.map((w) => [w.week, w]));
  const series = weeksOf(query.from, query.to).map((week) => {
    const votes = byWeek.get(week)?.votes ?? 0;
    const helpful = byWeek.get(week)?.helpful ?? 0;
    const interval = wilsonInterval(helpful, votes);
    return { week, votes, helpful, rate: interval.rate, low: interval.low, high: interval.high };
  });
  const markers = (
    await sql<{ revision: number; started_at: Date | string }>`
      SELECT r.number AS revision, p.started_at
      FROM revision_publications p JOIN article_revisions r ON r.id = p.revision_id
      WHERE p.translation_id = ${article.translationId}
        AND p.started_at >= ${`${query.from}T00:00:00Z`}::timestamptz
        AND p.started_at < ${`${addDays(query.to, 1)}T00:00:00Z`}::timestamptz
      ORDER BY p.started_at, p.id`.execute(db)
  ).rows;
  return {
    series,
    revisionMarkers: markers.map((m) => ({ revision: m.revision, publishedAt: new Date(m.started_at).toISOString() })),
  };
}
