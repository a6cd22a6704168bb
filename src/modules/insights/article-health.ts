import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { AppError } from '../../server/errors.js';
import { decliningKeys, findDeclining } from './declining.js';
import { articleLocaleKey, articleTitleSql, percent, topicNameSql } from './health-labels.js';
import type { ArticleHealth, ArticlesResponse } from './insights.schema.js';
import { daysBetween } from './roll-up-insights.js';
import { fitBetaPrior, shrunkRate, wilsonInterval } from './stats.js';
import { PeriodCache } from './words.queries.js';

/** A topic needs this many votes (besides the article's own) before an article is compared with it. */
export const MIN_TOPIC_VOTES = 30;

export type ArticleSort = 'impact' | 'helpfulRate' | 'shrunkRate' | 'views' | 'votes' | 'contactRate';

export interface ArticleHealthQuery {
  locale?: string | undefined;
  /** A topic slug: its articles and those of its subtopics. */
  topic?: string | undefined;
  slug?: string | undefined;
  from: string;
  to: string;
  belowAverage?: boolean | undefined;
  declining?: boolean | undefined;
  sort?: ArticleSort | undefined;
  limit?: number | undefined;
}

interface HealthRow {
  article_id: number;
  slug: string;
  locale: string;
  title: string;
  topic_id: number;
  topic_slug: string;
  topic_name: string;
  in_topic: boolean;
  views: number;
  readers: number;
  contacted: number;
  searched_again: number;
  tickets: number;
  votes: number;
  helpful: number;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

/**
 * The period's rows per (locale, period, topic), kept a minute: the list, its filters and sorts, and every article's
 * detail read the same aggregate. A rollup in this process clears it (clearPeriodCaches); other processes see new
 * figures within the minute.
 */
const HEALTH_ROWS = new PeriodCache<HealthRow[]>(60_000);

/**
 * Health of every article in every locale (or one locale) over a period, from the daily rollup in one set-based
 * query: the helpful rate with its 95 % Wilson interval; an empirical-Bayes rate shrunk towards a prior fitted
 * across every article × locale of the scope (the topic and slug filters narrow the list, never the prior); flags
 * against the help center's pooled rate and against the rest of the article's topic, each only when the article's
 * whole interval lies below; contact and search-exit rates per reader; and
 *
 *   impact = views × max(0, prior mean − shrunk rate) × 30 / period days,
 *
 * the readers per 30 days who leave unhappy beyond what an average article of the scope would leave unhappy: what
 * fixing the article up to the average would win back. A popular mediocre article outranks a rare bad one, and an
 * article at or above the average, or without votes (its shrunk rate is the prior mean), scores 0, so the list is
 * not simply the most-read articles (views × (1 − shrunk rate) would be). An estimate of scale, not of cause: views
 * that never vote may be happier than those that do.
 * "Declining" comes from findDeclining with the period's end as its `asOf`, computed once for the whole list.
 */
export async function computeArticleHealth(db: DB, query: ArticleHealthQuery): Promise<ArticlesResponse> {
  const days = daysBetween(query.from, query.to).length;
  let topicId: number | null = null;
  if (query.topic) {
    const topic = await sql<{ id: number }>`SELECT id FROM topics WHERE slug = ${query.topic}`.execute(db);
    if (!topic.rows[0]) throw new AppError('NOT_FOUND', `there is no topic "${query.topic}"`);
    topicId = topic.rows[0].id;
  }
  const localeOnly = (column: string) => (query.locale ? sql`AND ${sql.ref(column)} = ${query.locale}` : sql``);
  const inTopic =
    topicId === null
      ? sql<boolean>`true`
      : sql<boolean>`a.topic_id IN (
          WITH RECURSIVE sub AS (
            SELECT id FROM topics WHERE id = ${topicId}
            UNION SELECT t.id FROM topics t JOIN sub ON t.parent_id = sub.id)
          SELECT id FROM sub)`;
  const [rows, declining] = await Promise.all([
    HEALTH_ROWS.get(db, JSON.stringify([query.locale ?? null, query.from, query.to, topicId]), async () => {
      const result = await sql<HealthRow>`
      WITH
      agg AS (
        SELECT d.article_id, d.locale, sum(d.views)::int AS views, sum(d.readers)::int AS readers,
               sum(d.contacted)::int AS contacted, sum(d.searched_again)::int AS searched_again,
               sum(d.tickets)::int AS tickets, sum(d.votes)::int AS votes, sum(d.helpful)::int AS helpful
        FROM insight_article_daily d
        WHERE d.day BETWEEN ${query.from}::date AND ${query.to}::date ${localeOnly('d.locale')}
        GROUP BY d.article_id, d.locale
      ),
      base AS (
        SELECT t.article_id, t.locale FROM article_translations t
        WHERE t.status = 'published' ${localeOnly('t.locale')}
        UNION
        SELECT article_id, locale FROM agg
      )
      SELECT a.id AS article_id, a.slug, b.locale, ${articleTitleSql(sql.ref('a.id'), sql.ref('b.locale'))} AS title,
             tp.id AS topic_id, tp.slug AS topic_slug,
             ${topicNameSql(sql.ref('tp.id'), sql.ref('tp.slug'), sql.ref('b.locale'))} AS topic_name,
             ${inTopic} AS in_topic,
             coalesce(g.views, 0) AS views, coalesce(g.readers, 0) AS readers, coalesce(g.contacted, 0) AS contacted,
             coalesce(g.searched_again, 0) AS searched_again, coalesce(g.tickets, 0) AS tickets,
             coalesce(g.votes, 0) AS votes, coalesce(g.helpful, 0) AS helpful
      FROM base b
      JOIN articles a ON a.id = b.article_id
      JOIN topics tp ON tp.id = a.topic_id
      LEFT JOIN agg g ON g.article_id = b.article_id AND g.locale = b.locale`.execute(db);
      return result.rows;
    }),
    findDeclining(db, { locale: query.locale, asOf: query.to, metric: 'helpful' }),
  ]);

  const prior = fitBetaPrior(rows.map((r) => ({ successes: r.helpful, trials: r.votes })));
  const priorMean = prior.alpha / (prior.alpha + prior.beta);
  const totals = { helpful: 0, votes: 0 };
  const byTopic = new Map<number, { helpful: number; votes: number }>();
  for (const r of rows) {
    totals.helpful += r.helpful;
    totals.votes += r.votes;
    const t = byTopic.get(r.topic_id) ?? { helpful: 0, votes: 0 };
    t.helpful += r.helpful;
    t.votes += r.votes;
    byTopic.set(r.topic_id, t);
  }
  const average = wilsonInterval(totals.helpful, totals.votes);
  const decliningSet = decliningKeys(declining);

  const articles: ArticleHealth[] = [];
  for (const r of rows) {
    if (!r.in_topic || (query.slug !== undefined && r.slug !== query.slug)) continue;
    const interval = wilsonInterval(r.helpful, r.votes);
    const shrunk = shrunkRate(r.helpful, r.votes, prior);
    const belowAverage = average.rate !== null && r.votes > 0 && interval.high < average.rate;
    // The rest of its topic: the article's own votes would pull the comparison towards itself.
    const topic = byTopic.get(r.topic_id) ?? { helpful: 0, votes: 0 };
    const restVotes = topic.votes - r.votes;
    const restRate = restVotes > 0 ? (topic.helpful - r.helpful) / restVotes : null;
    const belowTopicAverage =
      restVotes < MIN_TOPIC_VOTES || restRate === null ? null : r.votes > 0 && interval.high < restRate;
    const isDeclining = decliningSet.has(articleLocaleKey(r.slug, r.locale));
    if (query.belowAverage !== undefined && belowAverage !== query.belowAverage) continue;
    if (query.declining !== undefined && isDeclining !== query.declining) continue;
    const against: string[] = [];
    if (belowAverage && average.rate !== null) against.push(`${percent(average.rate)} for the help center`);
    if (belowTopicAverage && restRate !== null) against.push(`${percent(restRate)} for the rest of its topic`);
    articles.push({
      slug: r.slug,
      title: r.title,
      locale: r.locale,
      topic: { slug: r.topic_slug, name: r.topic_name },
      views: r.views,
      readers: r.readers,
      votes: r.votes,
      helpful: r.helpful,
      helpfulRate: interval.rate,
      low: interval.low,
      high: interval.high,
      shrunkRate: shrunk,
      belowAverage,
      belowTopicAverage,
      evidence:
        against.length > 0 && interval.rate !== null
          ? `${percent(interval.rate)} helpful (${Math.round(interval.low * 100)}–${percent(interval.high)}, ${r.votes} votes) against ${against.join(' and ')}`
          : null,
      contacted: r.contacted,
      contactRate: ratio(r.contacted, r.readers),
      tickets: r.tickets,
      searchExitRate: ratio(r.searched_again, r.readers),
      impact: (r.views * Math.max(0, priorMean - shrunk) * 30) / days,
      declining: isDeclining,
    });
  }
  articles.sort(comparator(query.sort ?? 'impact'));
  return {
    from: query.from,
    to: query.to,
    average: { rate: average.rate, low: average.low, high: average.high, votes: totals.votes },
    total: articles.length,
    articles: query.limit !== undefined ? articles.slice(0, query.limit) : articles,
  };
}

/** Each sort puts what needs attention first: most impact, views, votes or contacts; lowest rates (none last). */
function comparator(sort: ArticleSort): (a: ArticleHealth, b: ArticleHealth) => number {
  const tie = (a: ArticleHealth, b: ArticleHealth) =>
    a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : a.locale < b.locale ? -1 : a.locale > b.locale ? 1 : 0;
  const nullsLast = (x: number | null, y: number | null, direction: 1 | -1) =>
    x === null ? (y === null ? 0 : 1) : y === null ? -1 : direction * (x - y);
  switch (sort) {
    case 'impact':
      return (a, b) => b.impact - a.impact || tie(a, b);
    case 'views':
      return (a, b) => b.views - a.views || tie(a, b);
    case 'votes':
      return (a, b) => b.votes - a.votes || tie(a, b);
    case 'shrunkRate':
      return (a, b) => a.shrunkRate - b.shrunkRate || tie(a, b);
    case 'helpfulRate':
      return (a, b) => nullsLast(a.helpfulRate, b.helpfulRate, 1) || tie(a, b);
    case 'contactRate':
      return (a, b) => nullsLast(a.contactRate, b.contactRate, -1) || tie(a, b);
  }
}
