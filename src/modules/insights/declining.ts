import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { articleLocaleKey, articleTitleSql } from './health-labels.js';
import type { DecliningArticle, DecliningResponse } from './insights.schema.js';
import { dayOf } from './roll-up-insights.js';
import { benjaminiHochberg, differenceOfRates, diffInDiff, normalCdf, Z95 } from './stats.js';

const DAY_MS = 86_400_000;

export type DeclineMetric = 'helpful' | 'contact';

export interface Counts {
  successes: number;
  trials: number;
}

export interface WindowCounts {
  baseline: Counts;
  recent: Counts;
}

export interface DeclineOptions {
  metric: DeclineMetric;
  /** Rows with fewer trials in either window are not tested. */
  minTrials: number;
  /** The false-discovery rate: rows with a q-value at most this are flagged. */
  fdr: number;
}

export interface DeclineTest<T> {
  row: T;
  baselineRate: number;
  recentRate: number;
  /** recent − baseline, raw. */
  difference: number;
  /** The change beyond the rest of the help center's change over the same windows. */
  adjustedDifference: number;
  low: number;
  high: number;
  /** One-sided: the chance of a change at least this bad if the article only moved with the help center. */
  pValue: number;
  qValue: number;
  flagged: boolean;
}

const rate = (c: Counts) => c.successes / c.trials;
const minus = (a: Counts, b: Counts): Counts => ({
  successes: Math.max(0, a.successes - b.successes),
  trials: Math.max(0, a.trials - b.trials),
});

/**
 * The pure core of "declining": tests each row's change between the baseline and the recent window beyond the
 * help center's own change, and controls the false discoveries across every row tested.
 *
 * Seasonality: a difference-in-differences with the rest of the help center as the control (the help center's
 * totals less the row itself, so a big article does not hide its own decline in the average). We chose the additive
 * DiD over a logit-shift expectation because its estimate reads directly in percentage points beside the raw
 * difference and its variance is the plain sum of four binomial variances; its weakness is rates near 0 or 1,
 * where an additive season moves a rate less than a multiplicative one would. Without any control trials (a help
 * center of one article) the raw difference is tested instead.
 *
 * The p-value is one-sided (a fall for 'helpful', a rise for 'contact', where contacting after reading is the
 * failure), the q-values are Benjamini-Hochberg across all rows tested, and a row is flagged when q ≤ fdr and its
 * adjusted change points the bad way.
 */
export function testDeclines<T extends WindowCounts>(
  rows: readonly T[],
  helpCenter: WindowCounts,
  options: DeclineOptions,
): { tested: DeclineTest<T>[] } {
  const eligible = rows.filter((r) => r.baseline.trials >= options.minTrials && r.recent.trials >= options.minTrials);
  const sign = options.metric === 'helpful' ? 1 : -1;
  const partial = eligible.map((row) => {
    const control = { before: minus(helpCenter.baseline, row.baseline), after: minus(helpCenter.recent, row.recent) };
    const treated = { before: row.baseline, after: row.recent };
    let estimate: number;
    let low: number;
    let high: number;
    if (control.before.trials > 0 && control.after.trials > 0) {
      const did = diffInDiff(treated, control);
      estimate = did.estimate as number;
      low = did.low;
      high = did.high;
    } else {
      const d = differenceOfRates(row.baseline, row.recent);
      estimate = d.difference as number;
      low = d.low;
      high = d.high;
    }
    const se = (high - low) / (2 * Z95);
    // One-sided: small when the article moved the bad way (down for helpful, up for contact) beyond the control.
    const pValue = se > 0 ? normalCdf((sign * estimate) / se) : sign * estimate < 0 ? 0 : 1;
    return {
      row,
      baselineRate: rate(row.baseline),
      recentRate: rate(row.recent),
      difference: rate(row.recent) - rate(row.baseline),
      adjustedDifference: estimate,
      low,
      high,
      pValue,
    };
  });
  const q = benjaminiHochberg(partial.map((p) => p.pValue));
  return {
    tested: partial.map((p, i) => {
      const qValue = q[i] as number;
      return { ...p, qValue, flagged: qValue <= options.fdr && sign * p.adjustedDifference < 0 };
    }),
  };
}

export interface FindDecliningOptions {
  locale?: string | undefined;
  /** The last day of the recent window. */
  asOf: string;
  metric?: DeclineMetric | undefined;
  recentDays?: number | undefined;
  baselineDays?: number | undefined;
  minTrials?: number | undefined;
  fdr?: number | undefined;
}

const shift = (day: string, days: number) => dayOf(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS));

/**
 * Articles (per locale) whose helpful rate fell, or whose contact rate after reading rose, in the `recentDays` up to
 * `asOf` against the `baselineDays` before, beyond the help center's own change (see testDeclines), with at most
 * `fdr` false discoveries expected among them; ordered by q-value. One set-based pass over the daily rollup.
 */
export async function findDeclining(db: DB, options: FindDecliningOptions): Promise<DecliningResponse> {
  const metric = options.metric ?? 'helpful';
  const recentDays = options.recentDays ?? 28;
  const baselineDays = options.baselineDays ?? 90;
  const minTrials = options.minTrials ?? 30;
  const fdr = options.fdr ?? 0.1;
  const recentFrom = shift(options.asOf, -(recentDays - 1));
  const baselineTo = shift(recentFrom, -1);
  const baselineFrom = shift(baselineTo, -(baselineDays - 1));
  const [s, n] = metric === 'helpful' ? [sql`helpful`, sql`votes`] : [sql`contacted`, sql`readers`];
  const locale = options.locale ? sql`AND d.locale = ${options.locale}` : sql``;
  const { rows } = await sql<{
    article_id: number;
    locale: string;
    base_s: number;
    base_n: number;
    recent_s: number;
    recent_n: number;
  }>`
    SELECT d.article_id, d.locale,
           coalesce(sum(d.${s}) FILTER (WHERE d.day <= ${baselineTo}::date), 0)::int AS base_s,
           coalesce(sum(d.${n}) FILTER (WHERE d.day <= ${baselineTo}::date), 0)::int AS base_n,
           coalesce(sum(d.${s}) FILTER (WHERE d.day >= ${recentFrom}::date), 0)::int AS recent_s,
           coalesce(sum(d.${n}) FILTER (WHERE d.day >= ${recentFrom}::date), 0)::int AS recent_n
    FROM insight_article_daily d
    WHERE d.day BETWEEN ${baselineFrom}::date AND ${options.asOf}::date ${locale}
    GROUP BY d.article_id, d.locale`.execute(db);
  const windows = rows.map((r) => ({
    articleId: r.article_id,
    locale: r.locale,
    baseline: { successes: r.base_s, trials: r.base_n },
    recent: { successes: r.recent_s, trials: r.recent_n },
  }));
  const helpCenter = windows.reduce(
    (sum, w) => ({
      baseline: {
        successes: sum.baseline.successes + w.baseline.successes,
        trials: sum.baseline.trials + w.baseline.trials,
      },
      recent: { successes: sum.recent.successes + w.recent.successes, trials: sum.recent.trials + w.recent.trials },
    }),
    { baseline: { successes: 0, trials: 0 }, recent: { successes: 0, trials: 0 } },
  );
  const { tested } = testDeclines(windows, helpCenter, { metric, minTrials, fdr });
  const flagged = tested.filter((t) => t.flagged).sort((a, b) => a.qValue - b.qValue || a.pValue - b.pValue);
  const labels = await articleLabels(
    db,
    flagged.map((f) => ({ articleId: f.row.articleId, locale: f.row.locale })),
  );
  const articles: DecliningArticle[] = flagged.map((f) => {
    const label = labels.get(`${f.row.articleId}:${f.row.locale}`) ?? { slug: '', title: '' };
    return {
      slug: label.slug,
      title: label.title,
      locale: f.row.locale,
      metric,
      baselineRate: f.baselineRate,
      recentRate: f.recentRate,
      difference: f.difference,
      adjustedDifference: f.adjustedDifference,
      low: f.low,
      high: f.high,
      baselineTrials: f.row.baseline.trials,
      recentTrials: f.row.recent.trials,
      pValue: f.pValue,
      qValue: f.qValue,
    };
  });
  return {
    asOf: options.asOf,
    recent: { from: recentFrom, to: options.asOf },
    baseline: { from: baselineFrom, to: baselineTo },
    helpCenter: {
      baselineRate: helpCenter.baseline.trials > 0 ? rate(helpCenter.baseline) : null,
      recentRate: helpCenter.recent.trials > 0 ? rate(helpCenter.recent) : null,
    },
    tested: tested.length,
    fdr,
    articles,
  };
}

/** The keys `slug\0locale` of the articles findDeclining flags, for marking them in a list. */
export function decliningKeys(response: DecliningResponse): Set<string> {
  return new Set(response.articles.map((a) => articleLocaleKey(a.slug, a.locale)));
}

/** Slugs and titles of a few (article, locale) pairs in one query. */
async function articleLabels(
  db: DB,
  pairs: { articleId: number; locale: string }[],
): Promise<Map<string, { slug: string; title: string }>> {
  if (pairs.length === 0) return new Map();
  const { rows } = await sql<{ id: number; locale: string; slug: string; title: string }>`
    SELECT a.id, p.locale, a.slug, ${articleTitleSql(sql.ref('a.id'), sql.ref('p.locale'))} AS title
    FROM unnest(${pairs.map((p) => p.articleId)}::int[], ${pairs.map((p) => p.locale)}::text[]) AS p(id, locale)
    JOIN articles a ON a.id = p.id`.execute(db);
  return new Map(rows.map((r) => [`${r.id}:${r.locale}`, { slug: r.slug, title: r.title }]));
}
