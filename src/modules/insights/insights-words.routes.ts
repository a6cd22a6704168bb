import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePermission } from '../../server/auth.js';
import type { AppContext } from '../../server/context.js';
import { DEFAULT_LOCALE } from '../../shared/locales.js';
import { articleVocabulary } from './article-vocabulary.js';
import { findContentGaps } from './gaps.js';
import { ZArticleVocabulary, ZGapsResponse, ZVocabularyResponse } from './insights.schema.js';
import {
  ZArticleVocabularyParams,
  ZArticleVocabularyQuery,
  ZGapsQuery,
  ZVocabularyQuery,
} from './insights-words.schema.js';
import { resolvePeriod, sendCsv, wantsCsv } from './present-rows.js';
import { customerVocabulary } from './vocabulary.js';

const ZErrorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
const errors = { 400: ZErrorResponse, 401: ZErrorResponse, 403: ZErrorResponse, 404: ZErrorResponse };
const operator = { tags: ['insights'], security: [{ bearer: [] }] };

/** Insights in the readers' words: the vocabulary the articles lack, per article too, and the content gaps. */
export function insightsWordsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const guard = requirePermission(ctx.auth, 'insights.read');

    app.get(
      '/api/insights/vocabulary',
      {
        preHandler: guard,
        schema: {
          ...operator,
          summary: 'Words and phrases readers use (searches, comments, tickets) that the articles do not (CSV too)',
          querystring: ZVocabularyQuery,
          response: { 200: ZVocabularyResponse, ...errors },
        },
      },
      async (request, reply) => {
        const locale = request.query.locale ?? DEFAULT_LOCALE;
        ctx.locales().assertConfigured(locale);
        const period = resolvePeriod(request.query);
        const result = await customerVocabulary(ctx.readDb, { locale, ...period, limit: request.query.limit ?? 100 });
        if (!wantsCsv(request)) return result;
        const rows = result.terms.map((t) => ({ ...t, ...t.sources, examples: t.examples.join(' | ') }));
        return sendCsv(reply, `vocabulary-${locale}-${period.from}-${period.to}`, rows, [
          'term',
          'count',
          'logOdds',
          'zScore',
          'search',
          'comment',
          'ticket',
          'examples',
        ]);
      },
    );

    app.get(
      '/api/insights/articles/:slug/vocabulary',
      {
        preHandler: guard,
        schema: {
          ...operator,
          summary: 'The queries that led readers to an article, and their words the article lacks',
          params: ZArticleVocabularyParams,
          querystring: ZArticleVocabularyQuery,
          response: { 200: ZArticleVocabulary, ...errors },
        },
      },
      async (request) => {
        const locale = request.query.locale ?? DEFAULT_LOCALE;
        ctx.locales().assertConfigured(locale);
        const period = resolvePeriod(request.query);
        return articleVocabulary(ctx.readDb, { slug: request.params.slug, locale, ...period });
      },
    );

    app.get(
      '/api/insights/gaps',
      {
        preHandler: guard,
        schema: {
          ...operator,
          summary: 'Content gaps: failing searches and unanswered tickets grouped by topic, largest first (CSV too)',
          querystring: ZGapsQuery,
          response: { 200: ZGapsResponse, ...errors },
        },
      },
      async (request, reply) => {
        const { locale, minVolume, limit } = request.query;
        if (locale) ctx.locales().assertConfigured(locale);
        const period = resolvePeriod(request.query);
        const result = await findContentGaps(ctx.readDb, { locale, ...period, minVolume, limit }, (l, text) =>
          ctx.search.engine.search(l, text, { limit: 1, prefixLast: false }),
        );
        if (!wantsCsv(request)) return result;
        const rows = result.gaps.map((g) => ({
          ...g,
          locales: g.locales.join(' '),
          examples: g.examples.join(' | '),
        }));
        return sendCsv(reply, `content-gaps-${locale ?? 'all'}-${period.from}-${period.to}`, rows, [
          'phrase',
          'volume',
          'trend',
          'locales',
          'searches',
          'noResults',
          'weakResults',
          'contactAfter',
          'tickets',
          'examples',
        ]);
      },
    );
  };
}
