import { sql } from 'kysely';
import { VOTE_REASONS } from '../feedback/index.js';
import type { AlertCandidate, AlertDetector } from './detect-alerts.js';
import { dayOf } from './roll-up-insights.js';
import { benjaminiHochberg, differenceOfRates } from './stats.js';

/** The recent window and the one before it that a reason's share is compared with (days each). */
export const REASON_WINDOW_DAYS = 28;

type Reason = (typeof VOTE_REASONS)[number];

interface WindowRow {
  slug: string;
  title: string;
  locale: string;
  recent_no: number;
  baseline_no: number;
  recent: Record<Reason, number>;
  baseline: Record<Reason, number>;
}

/** Readers' words for each reason, for the message. */
const REASON_LABELS: Record<Reason, string> = {
  inaccurate: 'Inaccurate',
  hard_to_understand: 'Hard to understand',
  missing_information: 'Missing information',
  did_not_solve: 'Did not solve my problem',
  other: 'Other',
};

const percent = (x: number) => `${Math.round(x * 100)} %`;
const points = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(Math.round(x * 100))}`;

/** A day `n` days before `day` (UTC). */
function daysBefore(day: string, n: number): string {
  return dayOf(new Date(Date.parse(`${day}T00:00:00Z`) - n * 86_400_000));
}

/**
 * A reason rising on an article: per article × locale × reason, the reason's share of the "no" votes in the last 28
 * days against the 28 before, by a two-proportion test (Agresti-Caffo interval, pooled z p-value). Tested: every
 * article × locale with at least `minVotes` "no" votes in the recent window and some in the one before; alerted:
 * a rise of at least `reasonRise` whose Benjamini-Hochberg q-value across everything tested is at most `fdr`.
 * Reads only `insight_article_daily`, in one set-based query.
 */
export const reasonRisingDetector: AlertDetector = async function reasonRisingDetector(db, settings, now) {
  const today = dayOf(now);
  const recentFrom = daysBefore(today, REASON_WINDOW_DAYS - 1);
  const baselineFrom = daysBefore(today, 2 * REASON_WINDOW_DAYS - 1);
  const baselineTo = daysBefore(today, REASON_WINDOW_DAYS);
  const sums = (from: string, to: string) =>
    sql`jsonb_build_object(
          'inaccurate', coalesce(sum(d.reason_inaccurate) FILTER (WHERE d.day BETWEEN ${from}::date AND ${to}::date), 0),
          'hard_to_understand', coalesce(sum(d.reason_hard_to_understand) FILTER (WHERE d.day BETWEEN ${from}::date AND ${to}::date), 0),
          'missing_information', coalesce(sum(d.reason_missing_information) FILTER (WHERE d.day BETWEEN ${from}::date AND ${to}::date), 0),
          'did_not_solve', coalesce(sum(d.reason_did_not_solve) FILTER (WHERE d.day BETWEEN ${from}::date AND ${to}::date), 0),
          'other', coalesce(sum(d.reason_other) FILTER (WHERE d.day BETWEEN ${from}::date AND ${to}::date), 0))`;
  const { rows } = await sql<WindowRow>`
    WITH windows AS (
      SELECT d.article_id, d.locale,
             coalesce(sum(d.votes - d.helpful) FILTER (WHERE d.day >= ${recentFrom}::date), 0)::int AS recent_no,
             coalesce(sum(d.votes - d.helpful) FILTER (WHERE d.day <= ${baselineTo}::date), 0)::int AS baseline_no,
             ${sums(recentFrom, today)} AS recent,
             ${sums(baselineFrom, baselineTo)} AS baseline
      FROM insight_article_daily d
      WHERE d.day BETWEEN ${baselineFrom}::date AND ${today}::date
      GROUP BY d.article_id, d.locale
    )
    SELECT a.slug, coalesce(rv.title, a.slug) AS title, w.locale, w.recent_no, w.baseline_no, w.recent, w.baseline
    FROM windows w
    JOIN articles a ON a.id = w.article_id
    LEFT JOIN article_translations t ON t.article_id = w.article_id AND t.locale = w.locale
    LEFT JOIN article_revisions rv ON rv.id = t.published_revision_id
    WHERE w.recent_no >= ${settings.minVotes} AND w.baseline_no > 0
    ORDER BY a.slug, w.locale`.execute(db);

  const tests = rows.flatMap((row) =>
    VOTE_REASONS.map((reason) => {
      const before = { successes: Number(row.baseline[reason]), trials: row.baseline_no };
      const after = { successes: Number(row.recent[reason]), trials: row.recent_no };
      return { row, reason, before, after, difference: differenceOfRates(before, after) };
    }),
  );
  const qValues = benjaminiHochberg(tests.map((test) => test.difference.pValue));
  const candidates: AlertCandidate[] = [];
  tests.forEach((test, i) => {
    const rise = test.difference.difference ?? 0;
    const q = qValues[i] ?? 1;
    if (rise < settings.reasonRise || q > settings.fdr || rise <= 0) return;
    const { row, reason, before, after } = test;
    const baselineShare = before.successes / before.trials;
    const recentShare = after.successes / after.trials;
    const label = REASON_LABELS[reason];
    candidates.push({
      kind: 'reason_rising',
      slug: row.slug,
      locale: row.locale,
      dedupeKey: `reason_rising:${row.slug}:${row.locale}:${reason}`,
      title: `“${label}” is rising on “${row.title}” (${row.locale})`,
      message:
        `“${label}” rose from ${percent(baselineShare)} to ${percent(recentShare)} of “no” votes ` +
        `(${points(test.difference.low)} to ${points(test.difference.high)} points, 95 % interval; ` +
        `q = ${q < 0.001 ? '< 0.001' : q.toFixed(3)}), ${after.trials} “no” votes in the last ${REASON_WINDOW_DAYS} days ` +
        `against ${before.trials} in the ${REASON_WINDOW_DAYS} before.`,
      severity: rise >= 2 * settings.reasonRise && q <= settings.fdr / 10 ? 'critical' : 'warning',
      data: {
        reason,
        baselineShare,
        recentShare,
        difference: rise,
        low: test.difference.low,
        high: test.difference.high,
        pValue: test.difference.pValue,
        qValue: q,
        baselineNo: before.trials,
        recentNo: after.trials,
        baselineReason: before.successes,
        recentReason: after.successes,
        recent: { from: recentFrom, to: today },
        baseline: { from: baselineFrom, to: baselineTo },
        tested: tests.length,
      },
    });
  });
  return candidates;
};
