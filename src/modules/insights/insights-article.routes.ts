import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePermission } from '../../server/auth.js';
import type { AppContext } from '../../server/context.js';
import { articleInsight } from './article-insight.js';
import { ZArticleInsightResponse, ZPeriodQuery, ZRevisionsResponse } from './insights.schema.js';
import { sendCsv, wantsCsv } from './present-rows.js';
import { revisionInsights } from './revision-insights.js';

const ZErrorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
const errors = { 400: ZErrorResponse, 401: ZErrorResponse, 403: ZErrorResponse, 404: ZErrorResponse };

const ZArticleParams = z.object({ slug: z.string().min(1).max(120) });
const ZFormat = z.enum(['csv', 'json']).optional();
const ZRevisionsQuery = z.object({ locale: z.string().min(2).max(20).optional(), format: ZFormat });

/** The columns of the revisions CSV: each revision and its effect against the previous one, flattened. */
const REVISION_COLUMNS = [
  'revision',
  'title',
  'author',
  'publishedAt',
  'endedAt',
  'views',
  'readers',
  'votes',
  'helpful',
  'helpfulRate',
  'low',
  'high',
  'contactRate',
  'searchExitRate',
  'difference',
  'differenceLow',
  'differenceHigh',
  'probabilityBetter',
  'didDifference',
  'didLow',
  'didHigh',
  'contactRateDifference',
  'searchExitRateDifference',
] as const;

/** One article's insights: the detail screen's figures, and every revision against the one before. */
export function insightsArticleRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const guard = requirePermission(ctx.auth, 'insights.read');
    const operator = { tags: ['insights'], security: [{ bearer: [] }] };

    app.get(
      '/api/insights/articles/:slug/revisions',
      {
        preHandler: guard,
        schema: {
          ...operator,
          summary: 'Every published revision of an article translation against the previous one (also as CSV)',
          params: ZArticleParams,
          querystring: ZRevisionsQuery,
          response: { 200: ZRevisionsResponse, ...errors },
        },
      },
      async (request, reply) => {
        const result = await revisionInsights(ctx.readDb, { slug: request.params.slug, locale: request.query.locale });
        if (!wantsCsv(request)) return result;
        const rows = result.revisions.map(({ effect, ...r }) => ({
          ...r,
          difference: effect?.difference,
          differenceLow: effect?.low,
          differenceHigh: effect?.high,
          probabilityBetter: effect?.probabilityBetter,
          didDifference: effect?.didDifference,
          didLow: effect?.didLow,
          didHigh: effect?.didHigh,
          contactRateDifference: effect?.contactRate?.difference,
          searchExitRateDifference: effect?.searchExitRate?.difference,
        }));
        return sendCsv(reply, `revisions-${result.slug}-${result.locale}`, rows, REVISION_COLUMNS);
      },
    );

    app.get(
      '/api/insights/articles/:slug',
      {
        preHandler: guard,
        schema: {
          ...operator,
          summary: 'One article translation over a period: health, weekly rate, reasons, categories, words, alerts',
          params: ZArticleParams,
          querystring: ZPeriodQuery,
          response: { 200: ZArticleInsightResponse, ...errors },
        },
      },
      async (request) => articleInsight(ctx.readDb, { slug: request.params.slug, ...request.query }),
    );
  };
}
