import { sql } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../../db/client.js';
import { VOTE_REASONS, type VoteReason } from '../feedback/index.js';
import { redactPersonalData } from '../search/index.js';
import { findArticleTranslation } from './find-article-translation.js';
import type { ZComment, ZReasonInsight } from './insights.schema.js';

export type ReasonInsight = z.infer<typeof ZReasonInsight>;
export type InsightComment = z.infer<typeof ZComment>;

/** A trend compares the last TREND_DAYS of the period with the TREND_DAYS before. */
export const TREND_DAYS = 28;
/** Representative comments shown per reason. */
export const COMMENTS_PER_REASON = 5;
/** A comment shown is cut to this many characters. */
export const COMMENT_SHOWN_CHARS = 500;

const DAY_MS = 86_400_000;

/** `day` moved by `days` (UTC days, `YYYY-MM-DD`). */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The earlier of two `YYYY-MM-DD` days. */
export function earlierDay(a: string, b: string): string {
  return a.localeCompare(b) <= 0 ? a : b;
}

/** The two windows a trend compares: the last TREND_DAYS up to `to`, and the TREND_DAYS before them. */
export function trendWindows(to: string): {
  recent: { from: string; to: string };
  previous: { from: string; to: string };
} {
  return {
    recent: { from: addDays(to, -(TREND_DAYS - 1)), to },
    previous: { from: addDays(to, -(2 * TREND_DAYS - 1)), to: addDays(to, -TREND_DAYS) },
  };
}

/**
 * A share's trend: recent share − previous share, or null when either window has nothing to share out (a trend
 * from zero votes would be noise presented as a number).
 */
export function shareTrend(recent: { part: number; whole: number }, previous: { part: number; whole: number }) {
  if (recent.whole <= 0 || previous.whole <= 0) return null;
  return recent.part / recent.whole - previous.part / previous.whole;
}

/** Texts shown to an operator: personal data redacted, whitespace folded, cut to a readable length, no repeats. */
export function presentTexts<T extends { text: string }>(rows: readonly T[], limit: number): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const row of rows) {
    let text = redactPersonalData(row.text);
    if (text.length > COMMENT_SHOWN_CHARS) text = `${text.slice(0, COMMENT_SHOWN_CHARS - 1)}…`;
    const key = text.toLowerCase();
    if (text === '' || seen.has(key)) continue;
    seen.add(key);
    out.push({ ...row, text });
    if (out.length >= limit) break;
  }
  return out;
}

interface ReasonCounts {
  votes: number;
  helpful: number;
  reasons: Record<VoteReason, number>;
}

/**
 * Why readers of one article translation voted "no", from the rollup (reason_* columns): per reason its votes, share
 * of the "no" votes in the period, trend (share over the last 28 days of the period − the 28 before), impact (how
 * much the helpful rate would rise if these readers had said "yes": votes_reason / votes) and up to five recent,
 * distinct, redacted comments. Ordered by votes, most first. "No" votes without a reason count in the shares'
 * denominator, so shares sum to 1 only when every "no" gave a reason.
 */
export async function articleReasons(
  db: DB,
  query: { slug: string; locale?: string | undefined; from: string; to: string },
): Promise<ReasonInsight[]> {
  const article = await findArticleTranslation(db, query);
  const windows = trendWindows(query.to);
  const start = earlierDay(windows.previous.from, query.from);
  const rows = (
    await sql<{ bucket: 'period' | 'recent' | 'previous' } & Record<string, number>>`
      SELECT b.bucket, coalesce(sum(d.votes), 0)::int AS votes, coalesce(sum(d.helpful), 0)::int AS helpful,
             coalesce(sum(d.reason_inaccurate), 0)::int AS inaccurate,
             coalesce(sum(d.reason_hard_to_understand), 0)::int AS hard_to_understand,
             coalesce(sum(d.reason_missing_information), 0)::int AS missing_information,
             coalesce(sum(d.reason_did_not_solve), 0)::int AS did_not_solve,
             coalesce(sum(d.reason_other), 0)::int AS other
      FROM insight_article_daily d
      CROSS JOIN LATERAL (VALUES
        ('period', ${query.from}::date, ${query.to}::date),
        ('recent', ${windows.recent.from}::date, ${windows.recent.to}::date),
        ('previous', ${windows.previous.from}::date, ${windows.previous.to}::date)) AS b(bucket, first, last)
      WHERE d.article_id = ${article.articleId} AND d.locale = ${article.locale}
        AND d.day BETWEEN ${start}::date AND ${query.to}::date AND d.day BETWEEN b.first AND b.last
      GROUP BY b.bucket`.execute(db)
  ).rows;
  const counts = (bucket: string): ReasonCounts => {
    const row = rows.find((r) => r.bucket === bucket);
    const reasons = Object.fromEntries(VOTE_REASONS.map((r) => [r, row?.[r] ?? 0])) as Record<VoteReason, number>;
    return { votes: row?.votes ?? 0, helpful: row?.helpful ?? 0, reasons };
  };
  const period = counts('period');
  const recent = counts('recent');
  const previous = counts('previous');
  const no = (c: ReasonCounts) => c.votes - c.helpful;

  // Newest comments first, a few per reason (more than shown, as redaction can make two the same).
  const comments = (
    await sql<{ reason: VoteReason; text: string; locale: string; revision: number; created_at: Date | string }>`
      SELECT reason, text, locale, revision, created_at FROM (
        SELECT v.reason, v.comment AS text, v.locale, v.revision, v.created_at,
               row_number() OVER (PARTITION BY v.reason ORDER BY v.created_at DESC, v.id DESC) AS n
        FROM article_votes v
        WHERE v.article_id = ${article.articleId} AND v.locale = ${article.locale} AND v.suspect IS NULL
          AND NOT v.helpful AND v.reason IS NOT NULL AND v.comment IS NOT NULL
          AND v.created_at >= ${`${query.from}T00:00:00Z`}::timestamptz
          AND v.created_at < ${`${addDays(query.to, 1)}T00:00:00Z`}::timestamptz
      ) c WHERE n <= ${COMMENTS_PER_REASON * 4}
      ORDER BY created_at DESC`.execute(db)
  ).rows;

  return VOTE_REASONS.map((reason) => {
    const votes = period.reasons[reason];
    return {
      reason,
      votes,
      share: no(period) > 0 ? votes / no(period) : 0,
      trend: shareTrend(
        { part: recent.reasons[reason], whole: no(recent) },
        { part: previous.reasons[reason], whole: no(previous) },
      ),
      // (helpful + votes) / all − helpful / all.
      impact: period.votes > 0 ? votes / period.votes : 0,
      comments: presentTexts(
        comments
          .filter((c) => c.reason === reason)
          .map((c) => ({
            text: c.text,
            locale: c.locale,
            revision: c.revision,
            createdAt: new Date(c.created_at).toISOString(),
          })),
        COMMENTS_PER_REASON,
      ),
    };
  }).sort((a, b) => b.votes - a.votes);
}
