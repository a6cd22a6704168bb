import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireOperator } from '../../server/auth.js';
import type { AppContext } from '../../server/context.js';
import { ZId } from '../../shared/text.js';
import { resolvePlaceholders } from '../content/index.js';
import { computeInsights } from './compute-insights.js';
import { loadSuccessfulQueries } from './load-successful-queries.js';
import { recordClick, recordContact, recordSearch, searchedRecently } from './record-search.js';
import { createSynonymGroup, deleteSynonymGroup, updateSynonymGroup } from './save-synonyms.js';
import { listSynonyms } from './search.queries.js';
import {
  ZClickRequest,
  ZContactRequest,
  ZInsightsRequest,
  ZInsightsResponse,
  ZSearchRequest,
  ZSearchResponse,
  ZSuggestedSynonymsResponse,
  ZSuggestRequest,
  ZSuggestResponse,
  ZSynonymGroup,
  ZSynonymListResponse,
  ZSynonymRequest,
} from './search.schema.js';
import { SUGGESTION_POLICY } from './search-service.js';
import { suggestSynonyms } from './suggest-synonyms.js';

const ZErrorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

/** The search API: ranked search, typeahead suggestions, click and contact signals, operator insights and synonyms. */
export function searchRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const operator = requireOperator(ctx.config.adminToken);
    const errors = { 400: ZErrorResponse, 401: ZErrorResponse, 404: ZErrorResponse };
    const service = ctx.search;

    app.get(
      '/api/search',
      {
        schema: {
          tags: ['search'],
          summary: 'Ranked articles for a query in one locale, with highlighted snippets',
          querystring: ZSearchRequest,
          response: { 200: ZSearchResponse, 400: ZErrorResponse },
        },
      },
      async (request, reply) => {
        const { q, locale, limit, track } = request.query;
        const outcome = q ? service.engine.search(locale, q, { limit }) : { hits: [], total: 0, didYouMean: null };
        let searchId: string | null = null;
        if (q && track) {
          const who = ctx.readers.identify(request, reply);
          searchId = await recordSearch(ctx.db, { locale, query: q, results: outcome.total, source: 'api', ...who });
        }
        const catalog = ctx.regions();
        const currency = catalog.defaultRegion.currency;
        return {
          query: q,
          locale,
          total: outcome.total,
          didYouMean: outcome.didYouMean,
          searchId,
          hits: outcome.hits.map((hit) => ({
            slug: hit.slug,
            title: hit.title,
            locale: hit.locale,
            url: `/${locale}/articles/${hit.slug}`,
            snippet: resolvePlaceholders(hit.snippetHtml, catalog.prices, currency, hit.locale),
            score: hit.score,
          })),
        };
      },
    );

    app.get(
      '/api/search/suggest',
      {
        // A few hundred bytes per keystroke: compressing them costs more CPU than it saves on the wire.
        compress: false,
        schema: {
          tags: ['search'],
          summary: 'Suggested queries and the top matching articles while a reader types',
          querystring: ZSuggestRequest,
          response: { 200: ZSuggestResponse, 400: ZErrorResponse },
        },
      },
      async (request, reply) => {
        const { q, locale, limit } = request.query;
        const outcome = q ? service.engine.suggest(locale, q, { limit, articles: 5 }) : { queries: [], articles: [] };
        // Browsers may cache a keystroke's answer briefly; suggestions change when analytics are rebuilt.
        reply.header('cache-control', 'private, max-age=60');
        return {
          query: q,
          locale,
          queries: outcome.queries,
          articles: outcome.articles.map((a) => ({ ...a, url: `/${locale}/articles/${a.slug}` })),
        };
      },
    );

    app.post(
      '/api/search/clicks',
      {
        schema: {
          tags: ['search'],
          summary: 'Record a click on a suggested article or a search result',
          body: ZClickRequest,
          response: { 200: z.object({ recorded: z.literal(true), searchId: z.string().nullable() }), ...errors },
        },
      },
      async (request, reply) => {
        const body = request.body;
        const who = ctx.readers.identify(request, reply);
        let searchId = body.searchId ?? null;
        if (!searchId && body.query) {
          // A typeahead click: the typed query is the search that worked.
          searchId = await recordSearch(ctx.db, {
            locale: body.locale,
            query: body.query,
            results: body.results ?? 1,
            source: 'typeahead',
            ...who,
          });
        }
        await recordClick(ctx.db, { ...body, searchId, sessionId: who.sessionId });
        return { recorded: true as const, searchId };
      },
    );

    app.post(
      '/api/search/contacts',
      {
        schema: {
          tags: ['search'],
          summary: 'Note that a reader who searched went on to the contact page',
          body: ZContactRequest,
          response: { 200: z.object({ recorded: z.boolean() }), ...errors },
        },
      },
      async (request) => {
        const sessionId = ctx.readers.existingSession(request);
        if (!sessionId || !(await searchedRecently(ctx.db, sessionId))) return { recorded: false };
        await recordContact(ctx.db, { sessionId, locale: request.body.locale });
        return { recorded: true };
      },
    );

    app.get(
      '/api/search/insights',
      {
        preHandler: operator,
        schema: {
          tags: ['search'],
          summary: 'Top queries, queries with no results, low click-through and followed by a contact (operator)',
          security: [{ bearer: [] }],
          querystring: ZInsightsRequest,
          response: { 200: ZInsightsResponse, ...errors },
        },
      },
      async (request) => computeInsights(ctx.db, request.query),
    );

    app.get(
      '/api/search/synonyms',
      {
        preHandler: operator,
        schema: {
          tags: ['search'],
          summary: 'Synonym groups (operator)',
          security: [{ bearer: [] }],
          querystring: z.object({ locale: ZSynonymRequest.shape.locale.optional() }),
          response: { 200: ZSynonymListResponse, ...errors },
        },
      },
      async (request) => ({ synonyms: await listSynonyms(ctx.db, request.query.locale) }),
    );

    app.post(
      '/api/search/synonyms',
      {
        preHandler: operator,
        schema: {
          tags: ['search'],
          summary: 'Create a synonym group (operator)',
          security: [{ bearer: [] }],
          body: ZSynonymRequest,
          response: { 200: ZSynonymGroup, ...errors },
        },
      },
      async (request) => {
        const group = await createSynonymGroup(ctx.db, request.body);
        await service.reloadSynonyms();
        return group;
      },
    );

    app.put(
      '/api/search/synonyms/:id',
      {
        preHandler: operator,
        schema: {
          tags: ['search'],
          summary: 'Replace a synonym group (operator)',
          security: [{ bearer: [] }],
          params: z.object({ id: ZId }),
          body: ZSynonymRequest,
          response: { 200: ZSynonymGroup, ...errors },
        },
      },
      async (request) => {
        const group = await updateSynonymGroup(ctx.db, request.params.id, request.body);
        await service.reloadSynonyms();
        return group;
      },
    );

    app.delete(
      '/api/search/synonyms/:id',
      {
        preHandler: operator,
        schema: {
          tags: ['search'],
          summary: 'Delete a synonym group (operator)',
          security: [{ bearer: [] }],
          params: z.object({ id: ZId }),
          response: { 200: z.object({ deleted: z.literal(true) }), ...errors },
        },
      },
      async (request) => {
        await deleteSynonymGroup(ctx.db, request.params.id);
        await service.reloadSynonyms();
        return { deleted: true as const };
      },
    );

    app.get(
      '/api/search/synonyms/suggested',
      {
        preHandler: operator,
        schema: {
          tags: ['search'],
          summary: 'Synonyms suggested from customer wording: queries that led readers to the same article (operator)',
          security: [{ bearer: [] }],
          querystring: z.object({ locale: ZSynonymRequest.shape.locale.optional() }),
          response: { 200: ZSuggestedSynonymsResponse, ...errors },
        },
      },
      async (request) => {
        const { locale } = request.query;
        const queries = (await loadSuccessfulQueries(ctx.db, SUGGESTION_POLICY)).filter(
          (q) => locale === undefined || q.locale === locale,
        );
        const existing = new Map<string, string[][]>();
        for (const g of await listSynonyms(ctx.db, locale)) {
          existing.set(g.locale, [...(existing.get(g.locale) ?? []), g.terms]);
        }
        return { suggestions: suggestSynonyms(queries, existing) };
      },
    );
  };
}
