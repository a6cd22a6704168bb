import { sql } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../../db/client.js';
import { computeArticleHealth } from './article-health.js';
import type { OverviewResponse, ZKpi } from './insights.schema.js';
import { dayOf, daysBetween } from './roll-up-insights.js';
import { wilsonInterval } from './stats.js';

type Kpi = z.infer<typeof ZKpi>;

const DAY_MS = 86_400_000;
/** How many articles the overview lists to fix first. */
export const FIX_FIRST = 10;

interface SiteDay {
  day: string;
  votes: number;
  helpful: number;
  visitors: number;
  searches: number;
  search_exits: number;
  contact_viewers: number;
  ticket_creators: number;
}

const FIELDS = [
  'votes',
  'helpful',
  'visitors',
  'searches',
  'search_exits',
  'contact_viewers',
  'ticket_creators',
] as const;
type Totals = Record<(typeof FIELDS)[number], number>;

/**
 * The overview: four KPIs over the period, each with the same-length period before it and a per-day series, and the
 * ten articles with the most impact. Helpful rate from the article rollup (counted votes); contact rate (contact-form
 * viewers / visitors), self-service score (visitors / ticket creators) and search exit rate (search exits /
 * searches) from the site rollup, with the events module's KPI definitions. People are counted per day, so a
 * period's rates are person-days over person-days. `alerts` is left empty for the route to fill.
 */
export async function computeOverview(
  db: DB,
  query: { locale?: string | undefined; from: string; to: string },
): Promise<OverviewResponse> {
  const days = daysBetween(query.from, query.to);
  const previousTo = dayOf(new Date(Date.parse(`${query.from}T00:00:00Z`) - DAY_MS));
  const previousFrom = dayOf(new Date(Date.parse(`${query.from}T00:00:00Z`) - days.length * DAY_MS));
  const locale = query.locale ? sql`AND locale = ${query.locale}` : sql``;
  const [{ rows }, health] = await Promise.all([
    sql<SiteDay>`
      WITH votes AS (
        SELECT day, sum(votes)::int AS votes, sum(helpful)::int AS helpful
        FROM insight_article_daily
        WHERE day BETWEEN ${previousFrom}::date AND ${query.to}::date ${locale}
        GROUP BY day
      ),
      site AS (
        SELECT day, sum(visitors)::int AS visitors, sum(searches)::int AS searches,
               sum(search_exits)::int AS search_exits, sum(contact_viewers)::int AS contact_viewers,
               sum(ticket_creators)::int AS ticket_creators
        FROM insight_site_daily
        WHERE day BETWEEN ${previousFrom}::date AND ${query.to}::date ${locale}
        GROUP BY day
      )
      SELECT to_char(coalesce(v.day, s.day), 'YYYY-MM-DD') AS day,
             coalesce(v.votes, 0) AS votes, coalesce(v.helpful, 0) AS helpful,
             coalesce(s.visitors, 0) AS visitors, coalesce(s.searches, 0) AS searches,
             coalesce(s.search_exits, 0) AS search_exits, coalesce(s.contact_viewers, 0) AS contact_viewers,
             coalesce(s.ticket_creators, 0) AS ticket_creators
      FROM votes v FULL JOIN site s ON s.day = v.day`.execute(db),
    computeArticleHealth(db, {
      locale: query.locale,
      from: query.from,
      to: query.to,
      sort: 'impact',
      limit: FIX_FIRST,
    }),
  ]);
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const sum = (list: readonly (SiteDay | undefined)[]): Totals => {
    const out = Object.fromEntries(FIELDS.map((f) => [f, 0])) as Totals;
    for (const r of list) if (r) for (const f of FIELDS) out[f] += r[f];
    return out;
  };
  const current = sum(days.map((d) => byDay.get(d)));
  const previous = sum(daysBetween(previousFrom, previousTo).map((d) => byDay.get(d)));
  const series = (value: (t: Totals) => number | null) =>
    days.map((day) => ({ day, value: value(sum([byDay.get(day)])) }));

  const rateKpi = (s: (t: Totals) => number, n: (t: Totals) => number): Kpi => {
    const interval = wilsonInterval(s(current), n(current));
    const before = wilsonInterval(s(previous), n(previous));
    return {
      value: interval.rate,
      low: interval.rate === null ? null : interval.low,
      high: interval.rate === null ? null : interval.high,
      previous: before.rate,
      series: series((t) => wilsonInterval(s(t), n(t)).rate),
    };
  };
  const selfService = (t: Totals) => (t.ticket_creators > 0 ? t.visitors / t.ticket_creators : null);
  return {
    from: query.from,
    to: query.to,
    kpis: {
      helpfulRate: rateKpi(
        (t) => t.helpful,
        (t) => t.votes,
      ),
      contactRate: rateKpi(
        (t) => t.contact_viewers,
        (t) => t.visitors,
      ),
      selfServiceScore: {
        value: selfService(current),
        low: null,
        high: null,
        previous: selfService(previous),
        series: series(selfService),
      },
      searchExitRate: rateKpi(
        (t) => t.search_exits,
        (t) => t.searches,
      ),
    },
    alerts: [],
    fixFirst: health.articles,
  };
}
