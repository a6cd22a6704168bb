import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { addDays } from './article-reasons.js';
import { findArticleTranslation } from './find-article-translation.js';
import type { RevisionInsight, RevisionsResponse } from './insights.schema.js';
import { dayOf } from './roll-up-insights.js';
import { differenceOfRates, diffInDiff, probabilityBetter, wilsonInterval } from './stats.js';

/** The longest before and after windows of a difference-in-differences (days each). */
export const MAX_EFFECT_WINDOW_DAYS = 28;

const DAY_MS = 86_400_000;

export interface Counts {
  successes: number;
  trials: number;
}

/** A revision's whole life in the rollup (its own votes: votes are pinned to the revision read). */
export interface RevisionTotals {
  views: number;
  readers: number;
  contacted: number;
  searchedAgain: number;
  votes: number;
  helpful: number;
}

export interface EffectWindow {
  /** Days in each window (1..28). */
  days: number;
  before: { from: string; to: string };
  after: { from: string; to: string };
}

/**
 * The equal before/after windows around a publication: W = min(28 days, how long the previous revision was live,
 * how long the new one has been live so far) in whole days; before = the W days before the publication day, after =
 * the publication day and the W − 1 days after it (votes are pinned to revisions, so the publication day's votes
 * fall on the right side). Null when either revision was live less than a day.
 */
export function effectWindow(
  previous: { startedAt: Date; endedAt: Date | null },
  current: { startedAt: Date; endedAt: Date | null },
  now: Date,
): EffectWindow | null {
  const previousLive = (previous.endedAt ?? current.startedAt).getTime() - previous.startedAt.getTime();
  const currentLive = Math.min((current.endedAt ?? now).getTime(), now.getTime()) - current.startedAt.getTime();
  const days = Math.min(MAX_EFFECT_WINDOW_DAYS, Math.floor(previousLive / DAY_MS), Math.floor(currentLive / DAY_MS));
  if (!(days >= 1)) return null;
  const day = dayOf(current.startedAt);
  return {
    days,
    before: { from: addDays(day, -days), to: addDays(day, -1) },
    after: { from: day, to: addDays(day, days - 1) },
  };
}

type RateChange = NonNullable<NonNullable<RevisionInsight['effect']>['contactRate']>;

function rateChange(before: Counts, after: Counts): RateChange | null {
  const d = differenceOfRates(before, after);
  if (d.difference === null) return null;
  return {
    before: before.successes / before.trials,
    after: after.successes / after.trials,
    difference: d.difference,
    low: d.low,
    high: d.high,
  };
}

/**
 * A revision against the previous published one. The helpful, contact and search-exit differences compare the two
 * revisions' whole lives (each its own votes and readers). The difference-in-differences compares equal windows
 * around the publication: the treated article's change (previous revision's votes before, this revision's after)
 * minus the change of articles that did not change in those windows, so that a season or an outage everywhere is
 * not credited to the edit.
 *
 * What it does not prove: the DiD removes what changed for every article alike, not what changed for this one
 * alone at the same time (a linked article or the product edited, a campaign sending other readers, a form tied to
 * it); and it assumes the article would have moved like the others without the edit. Votes are voluntary, so a
 * change in who votes reads as a change in the rate.
 */
export function revisionEffect(input: {
  previous: RevisionTotals;
  current: RevisionTotals;
  /** Counts in the windows around the publication; null when there are none (a revision live less than a day). */
  windows: { treated: { before: Counts; after: Counts }; control: { before: Counts; after: Counts } } | null;
}): RevisionInsight['effect'] {
  const { previous, current } = input;
  const a = { successes: previous.helpful, trials: previous.votes };
  const b = { successes: current.helpful, trials: current.votes };
  const d = differenceOfRates(a, b);
  if (d.difference === null) return null;
  const did = input.windows ? diffInDiff(input.windows.treated, input.windows.control) : null;
  const estimated = did !== null && did.estimate !== null;
  return {
    difference: d.difference,
    low: d.low,
    high: d.high,
    probabilityBetter: probabilityBetter(a, b),
    didDifference: estimated ? did.estimate : null,
    didLow: estimated ? did.low : null,
    didHigh: estimated ? did.high : null,
    contactRate: rateChange(
      { successes: previous.contacted, trials: previous.readers },
      { successes: current.contacted, trials: current.readers },
    ),
    searchExitRate: rateChange(
      { successes: previous.searchedAgain, trials: previous.readers },
      { successes: current.searchedAgain, trials: current.readers },
    ),
  };
}

interface Publication {
  revisionId: number;
  number: number;
  title: string;
  author: string;
  startedAt: Date;
  endedAt: Date | null;
}

const EMPTY: RevisionTotals = { views: 0, readers: 0, contacted: 0, searchedAgain: 0, votes: 0, helpful: 0 };

/**
 * Every published revision of one article translation, oldest first, with its live window, its own figures from
 * the rollup and its effect against the previous published revision (see revisionEffect). A revision unpublished
 * and published again straight after is one entry. `locale` defaults to the article's source locale.
 */
export async function revisionInsights(
  db: DB,
  query: { slug: string; locale?: string | undefined; now?: Date },
): Promise<RevisionsResponse> {
  const now = query.now ?? new Date();
  const article = await findArticleTranslation(db, query);
  const rows = (
    await sql<{
      revision_id: number;
      number: number;
      title: string;
      author: string;
      started_at: Date | string;
      ended_at: Date | string | null;
    }>`
      SELECT p.revision_id, r.number, r.title, r.author, p.started_at, p.ended_at
      FROM revision_publications p JOIN article_revisions r ON r.id = p.revision_id
      WHERE p.translation_id = ${article.translationId}
      ORDER BY p.started_at, p.id`.execute(db)
  ).rows;
  const publications: Publication[] = [];
  for (const row of rows) {
    const last = publications.at(-1);
    const endedAt = row.ended_at === null ? null : new Date(row.ended_at);
    if (last && last.revisionId === row.revision_id) {
      last.endedAt = endedAt;
      continue;
    }
    publications.push({
      revisionId: row.revision_id,
      number: row.number,
      title: row.title,
      author: row.author,
      startedAt: new Date(row.started_at),
      endedAt,
    });
  }

  const totals = new Map(
    (
      await sql<{ revision_id: number } & RevisionTotals>`
        SELECT revision_id, sum(views)::int AS views, sum(readers)::int AS readers,
               sum(contacted)::int AS contacted, sum(searched_again)::int AS "searchedAgain",
               sum(votes)::int AS votes, sum(helpful)::int AS helpful
        FROM insight_article_daily
        WHERE article_id = ${article.articleId} AND locale = ${article.locale}
        GROUP BY revision_id`.execute(db)
    ).rows.map((r) => [r.revision_id, r] as const),
  );

  const windows = publications.map((current, i) => {
    const previous = publications[i - 1];
    return previous ? effectWindow(previous, current, now) : null;
  });
  const counts = await windowCounts(db, article, publications, windows);

  const revisions: RevisionInsight[] = publications.map((p, i) => {
    const own = totals.get(p.revisionId) ?? EMPTY;
    const rate = wilsonInterval(own.helpful, own.votes);
    const previous = publications[i - 1];
    return {
      revision: p.number,
      title: p.title,
      author: p.author,
      publishedAt: p.startedAt.toISOString(),
      endedAt: p.endedAt?.toISOString() ?? null,
      views: own.views,
      readers: own.readers,
      votes: own.votes,
      helpful: own.helpful,
      helpfulRate: rate.rate,
      low: rate.low,
      high: rate.high,
      contactRate: own.readers > 0 ? own.contacted / own.readers : null,
      searchExitRate: own.readers > 0 ? own.searchedAgain / own.readers : null,
      effect: previous
        ? revisionEffect({
            previous: totals.get(previous.revisionId) ?? EMPTY,
            current: own,
            windows: counts.get(i) ?? null,
          })
        : null,
    };
  });
  return { slug: article.slug, locale: article.locale, revisions };
}

type WindowCounts = { treated: { before: Counts; after: Counts }; control: { before: Counts; after: Counts } };

/**
 * The votes in each publication's before/after windows, in two set-based queries over the rollup (not one per
 * revision): the treated article's (the previous revision's votes before, the new one's after), and the controls':
 * every other article in the locale whose one publication spans both windows, i.e. whose live revision did not
 * change (nor was unpublished) from the start of the before window to the end of the after window, and that has
 * votes in both windows.
 */
async function windowCounts(
  db: DB,
  article: { articleId: number; locale: string },
  publications: readonly Publication[],
  windows: readonly (EffectWindow | null)[],
): Promise<Map<number, WindowCounts>> {
  const index: number[] = [];
  const beforeFrom: string[] = [];
  const afterFrom: string[] = [];
  const afterTo: string[] = [];
  const previousRevision: number[] = [];
  const currentRevision: number[] = [];
  windows.forEach((w, i) => {
    const previous = publications[i - 1];
    const current = publications[i];
    if (!w || !previous || !current) return;
    index.push(i);
    beforeFrom.push(w.before.from);
    afterFrom.push(w.after.from);
    afterTo.push(w.after.to);
    previousRevision.push(previous.revisionId);
    currentRevision.push(current.revisionId);
  });
  const out = new Map<number, WindowCounts>();
  if (index.length === 0) return out;
  const windowsSql = sql`
    SELECT * FROM unnest(${index}::int[], ${beforeFrom}::date[], ${afterFrom}::date[], ${afterTo}::date[],
                         ${previousRevision}::int[], ${currentRevision}::int[])
      AS w(i, before_from, after_from, after_to, previous_revision, current_revision)`;
  type Row = { i: number; bv: number; bh: number; av: number; ah: number };
  const treated = (
    await sql<Row>`
      WITH w AS (${windowsSql})
      SELECT w.i,
             coalesce(sum(d.votes) FILTER (WHERE d.revision_id = w.previous_revision AND d.day < w.after_from), 0)::int AS bv,
             coalesce(sum(d.helpful) FILTER (WHERE d.revision_id = w.previous_revision AND d.day < w.after_from), 0)::int AS bh,
             coalesce(sum(d.votes) FILTER (WHERE d.revision_id = w.current_revision AND d.day >= w.after_from), 0)::int AS av,
             coalesce(sum(d.helpful) FILTER (WHERE d.revision_id = w.current_revision AND d.day >= w.after_from), 0)::int AS ah
      FROM w JOIN insight_article_daily d
        ON d.article_id = ${article.articleId} AND d.locale = ${article.locale}
       AND d.day BETWEEN w.before_from AND w.after_to
      GROUP BY w.i`.execute(db)
  ).rows;
  const control = (
    await sql<Row>`
      WITH w AS (${windowsSql}),
      controls AS (
        SELECT w.i, t.article_id FROM w
        JOIN article_translations t ON t.locale = ${article.locale} AND t.article_id <> ${article.articleId}
        WHERE EXISTS (
          SELECT 1 FROM revision_publications p
          WHERE p.translation_id = t.id AND p.started_at <= w.before_from::timestamp AT TIME ZONE 'UTC'
            AND (p.ended_at IS NULL OR p.ended_at >= (w.after_to + 1)::timestamp AT TIME ZONE 'UTC'))
      ),
      per_article AS (
        SELECT c.i, c.article_id,
               coalesce(sum(d.votes) FILTER (WHERE d.day < w.after_from), 0) AS bv,
               coalesce(sum(d.helpful) FILTER (WHERE d.day < w.after_from), 0) AS bh,
               coalesce(sum(d.votes) FILTER (WHERE d.day >= w.after_from), 0) AS av,
               coalesce(sum(d.helpful) FILTER (WHERE d.day >= w.after_from), 0) AS ah
        FROM controls c JOIN w ON w.i = c.i
        JOIN insight_article_daily d ON d.article_id = c.article_id AND d.locale = ${article.locale}
         AND d.day BETWEEN w.before_from AND w.after_to
        GROUP BY c.i, c.article_id
      )
      -- Only articles voted on in both windows: one voted on in a single window would change the control's mix of
      -- articles, not its rate.
      SELECT i, sum(bv)::int AS bv, sum(bh)::int AS bh, sum(av)::int AS av, sum(ah)::int AS ah
      FROM per_article WHERE bv > 0 AND av > 0
      GROUP BY i`.execute(db)
  ).rows;
  const zero: Row = { i: -1, bv: 0, bh: 0, av: 0, ah: 0 };
  for (const i of index) {
    const t = treated.find((r) => r.i === i) ?? zero;
    const c = control.find((r) => r.i === i) ?? zero;
    out.set(i, {
      treated: { before: { successes: t.bh, trials: t.bv }, after: { successes: t.ah, trials: t.av } },
      control: { before: { successes: c.bh, trials: c.bv }, after: { successes: c.ah, trials: c.av } },
    });
  }
  return out;
}
