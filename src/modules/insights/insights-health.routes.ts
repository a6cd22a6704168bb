import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePermission } from '../../server/auth.js';
import type { AppContext } from '../../server/context.js';
import { listAlerts } from './alerts.js';
import { computeArticleHealth } from './article-health.js';
import { findDeclining } from './declining.js';
import { computeDeflection, ZDeflectionFormsResponse } from './deflection.js';
import { ZArticlesResponse, ZDecliningResponse, ZOverviewResponse, ZTranslationsResponse } from './insights.schema.js';
import {
  ZHealthArticlesQuery,
  ZHealthDecliningQuery,
  ZHealthDeflectionQuery,
  ZHealthOverviewQuery,
  ZHealthTranslationsQuery,
} from './insights-health.schema.js';
import { computeOverview } from './overview.js';
import { resolvePeriod, sendCsv, wantsCsv } from './present-rows.js';
import { dayOf } from './roll-up-insights.js';
import { computeTranslationHealth } from './translation-health.js';

const ZErrorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
const errors = { 400: ZErrorResponse, 401: ZErrorResponse, 403: ZErrorResponse, 404: ZErrorResponse };
/** Lists also answer CSV: the same rows as the JSON answer's list (the JSON schema does not apply to it). */
const CSV_TOO = 'Also as CSV with `Accept: text/csv` or `?format=csv`.';

const ARTICLE_COLUMNS = [
  'slug',
  'title',
  'locale',
  'topic',
  'views',
  'readers',
  'votes',
  'helpful',
  'helpfulRate',
  'low',
  'high',
  'shrunkRate',
  'belowAverage',
  'belowTopicAverage',
  'evidence',
  'contacted',
  'contactRate',
  'tickets',
  'searchExitRate',
  'impact',
  'declining',
];
const DECLINING_COLUMNS = [
  'slug',
  'title',
  'locale',
  'metric',
  'baselineRate',
  'recentRate',
  'difference',
  'adjustedDifference',
  'low',
  'high',
  'baselineTrials',
  'recentTrials',
  'pValue',
  'qValue',
];
const TRANSLATION_COLUMNS = [
  'slug',
  'title',
  'locale',
  'sourceLocale',
  'outdated',
  'views',
  'votes',
  'helpfulRate',
  'low',
  'high',
  'sourceRate',
  'difference',
  'qValue',
  'contactRate',
  'sourceContactRate',
  'flagged',
  'readersAffected',
];
const DEFLECTION_COLUMNS = [
  'slug',
  'locale',
  'revision',
  'readers',
  'deflected',
  'rate',
  'low',
  'high',
  'answeredInForm',
];

/** Article health, declining articles, translations, deflection and the overview (operator, `insights.read`). */
/** Rows GET /api/insights/articles answers without a `limit` (`total` says how many matched). */
export const DEFAULT_ARTICLE_ROWS = 100;

export function insightsHealthRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const guard = requirePermission(ctx.auth, 'insights.read');
    const operator = { tags: ['insights'], security: [{ bearer: [] }] };
    const checkLocale = (locale: string | undefined) => {
      if (locale) ctx.locales().assertConfigured(locale);
    };

    app.get(
      '/api/insights/overview',
      {
        preHandler: guard,
        schema: {
          ...operator,
          summary: 'KPIs with the previous period and a daily series, and the articles to fix first',
          querystring: ZHealthOverviewQuery,
          response: { 200: ZOverviewResponse, ...errors },
        },
      },
      async (request) => {
        checkLocale(request.query.locale);
        const period = resolvePeriod(request.query);
        const [overview, alerts] = await Promise.all([
          computeOverview(ctx.readDb, { locale: request.query.locale, from: period.from, to: period.to }),
          listAlerts(ctx.db, {
            open: true,
            limit: 5,
            ...(request.query.locale ? { locale: request.query.locale } : {}),
          }),
        ]);
        return { ...overview, alerts };
      },
    );

    app.get(
      '/api/insights/articles',
      {
        preHandler: guard,
        schema: {
          ...operator,
          summary: 'Every article per locale: helpful rate with its interval, shrunk rate, flags and impact',
          description: CSV_TOO,
          querystring: ZHealthArticlesQuery,
          response: { 200: ZArticlesResponse, ...errors },
        },
      },
      async (request, reply) => {
        const q = request.query;
        checkLocale(q.locale);
        const period = resolvePeriod(q);
        const result = await computeArticleHealth(ctx.readDb, {
          locale: q.locale,
          topic: q.topic,
          from: period.from,
          to: period.to,
          belowAverage: q.belowAverage === undefined ? undefined : q.belowAverage === 'true',
          declining: q.declining === undefined ? undefined : q.declining === 'true',
          sort: q.sort,
          // A page of the worst by default; an export (CSV) gets every row unless it asks for fewer.
          limit: q.limit ?? (wantsCsv(request) ? undefined : DEFAULT_ARTICLE_ROWS),
        });
        if (wantsCsv(request)) {
          const rows = result.articles.map((a) => ({ ...a, topic: a.topic.slug }));
          return sendCsv(reply, `articles-${period.from}-${period.to}`, rows, ARTICLE_COLUMNS);
        }
        return result;
      },
    );

    app.get(
      '/api/insights/declining',
      {
        preHandler: guard,
        schema: {
          ...operator,
          summary: 'Articles whose helpful rate fell (or contact rate rose) beyond the help center’s own change',
          description: CSV_TOO,
          querystring: ZHealthDecliningQuery,
          response: { 200: ZDecliningResponse, ...errors },
        },
      },
      async (request, reply) => {
        const q = request.query;
        checkLocale(q.locale);
        const asOf = q.asOf ?? dayOf(new Date());
        const result = await findDeclining(ctx.readDb, {
          locale: q.locale,
          asOf,
          metric: q.metric,
          recentDays: q.recentDays,
          baselineDays: q.baselineDays,
        });
        if (wantsCsv(request)) return sendCsv(reply, `declining-${asOf}`, result.articles, DECLINING_COLUMNS);
        return result;
      },
    );

    app.get(
      '/api/insights/translations',
      {
        preHandler: guard,
        schema: {
          ...operator,
          summary: 'Each translation against its source language, flagged when worse or outdated while read',
          description: CSV_TOO,
          querystring: ZHealthTranslationsQuery,
          response: { 200: ZTranslationsResponse, ...errors },
        },
      },
      async (request, reply) => {
        const q = request.query;
        checkLocale(q.locale);
        const period = resolvePeriod(q);
        const translations = await computeTranslationHealth(ctx.readDb, {
          from: period.from,
          to: period.to,
          slug: q.slug,
          locale: q.locale,
        });
        if (wantsCsv(request)) {
          return sendCsv(reply, `translations-${period.from}-${period.to}`, translations, TRANSLATION_COLUMNS);
        }
        return { from: period.from, to: period.to, translations };
      },
    );

    app.get(
      '/api/insights/deflection',
      {
        preHandler: guard,
        schema: {
          ...operator,
          summary: 'Reading sessions not followed by a contact or ticket within 24 h, per article, revision and locale',
          description: CSV_TOO,
          querystring: ZHealthDeflectionQuery,
          response: { 200: ZDeflectionFormsResponse, ...errors },
        },
      },
      async (request, reply) => {
        const q = request.query;
        checkLocale(q.locale);
        const period = resolvePeriod(q);
        const result = await computeDeflection(ctx.readDb, {
          from: period.from,
          to: period.to,
          locale: q.locale,
          slug: q.slug,
        });
        if (wantsCsv(request)) {
          return sendCsv(reply, `deflection-${period.from}-${period.to}`, result.rows, DEFLECTION_COLUMNS);
        }
        return result;
      },
    );
  };
}
