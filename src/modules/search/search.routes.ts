import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePermission } from '../../server/auth.js';
import type { AppContext } from '../../server/context.js';
import type { Permission } from '../../shared/permissions.js';
import { ZId } from '../../shared/text.js';
import { resolvePlaceholders } from '../content/index.js';
import { announceSearch } from './announce-search.js';
import { computeInsights } from './compute-insights.js';
import { loadSuccessfulQueries } from './load-successful-queries.js';
import { observeSearcher } from './observe-searcher.js';
import { recordClick } from './record-click.js';
import { recordContact, recordSearch, searchedRecently } from './record-search.js';
import { reviewSuggestions } from './review-suggestions.js';
import { createSynonymGroup, deleteSynonymGroup, updateSynonymGroup } from './save-synonyms.js';
import { listSynonyms } from './search.queries.js';
import {
  ZClickRequest,
  ZClickResponse,
  ZContactRequest,
  ZInsightsRequest,
  ZInsightsResponse,
  ZSearchRequest,
  ZSearchResponse,
  ZSuggestedSynonymsResponse,
  ZSuggestionReviewRequest,
  ZSuggestionReviewResponse,
  ZSuggestionRuleRequest,
  ZSuggestionRuleResponse,
  ZSuggestRequest,
  ZSuggestResponse,
  ZSynonymGroup,
  ZSynonymListResponse,
  ZSynonymRequest,
} from './search.schema.js';
import { createTypeaheadTokens } from './search-tokens.js';
import { setSuggestionRule } from './set-suggestion-rule.js';
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
    const guard = (permission: Permission) => requirePermission(ctx.auth, permission);
    const errors = { 400: ZErrorResponse, 401: ZErrorResponse, 404: ZErrorResponse };
    const service = ctx.search;
    const tokens = createTypeaheadTokens(ctx.keys.network);

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
        // Only configured locales get an index: an unknown code must not make one (memory) or analytics rows.
        ctx.locales().assertConfigured(locale);
        const outcome = q
          ? service.engine.search(locale, q, { limit })
          : { hits: [], total: 0, strong: 0, weak: false, didYouMean: null };
        let searchId: string | null = null;
        if (q && track) {
          searchId = await recordSearch(ctx.db, {
            locale,
            query: q,
            results: outcome.total,
            returned: outcome.hits.map((hit) => hit.slug),
            weak: outcome.weak,
            source: 'api',
            ...observeSearcher(ctx, request, reply),
          });
          announceSearch(ctx.events, request, {
            locale,
            query: q,
            results: outcome.total,
            returned: outcome.hits.map((hit) => hit.slug),
          });
        }
        const catalog = ctx.regions();
        const currency = catalog.defaultRegion.currency;
        return {
          query: q,
          locale,
          total: outcome.total,
          strong: outcome.strong,
          weak: outcome.weak,
          didYouMean: outcome.didYouMean,
          searchId,
          hits: outcome.hits.map((hit) => ({
            slug: hit.slug,
            title: hit.title,
            locale: hit.locale,
            url: `/${locale}/articles/${hit.slug}`,
            snippet: resolvePlaceholders(hit.snippetHtml, catalog.prices, currency, hit.locale),
            score: hit.score,
            relevance: hit.relevance,
            weak: hit.weak,
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
        ctx.locales().assertConfigured(locale);
        const outcome = q ? service.engine.suggest(locale, q, { limit, articles: 5 }) : { queries: [], articles: [] };
        // Browsers may cache a keystroke's answer briefly; suggestions change when analytics are rebuilt.
        reply.header('cache-control', 'private, max-age=60');
        // Signed, not stored: a keystroke writes nothing; a pick of one of these articles records the search.
        const searchId =
          q && outcome.articles.length > 0
            ? tokens.issue({
                locale,
                query: q,
                slugs: outcome.articles.map((a) => a.slug),
                readerId: ctx.readers.peek(request)?.readerId ?? '',
              })
            : null;
        return {
          query: q,
          locale,
          queries: outcome.queries,
          articles: outcome.articles.map((a) => ({ ...a, url: `/${locale}/articles/${a.slug}` })),
          searchId,
        };
      },
    );

    app.post(
      '/api/search/clicks',
      {
        schema: {
          tags: ['search'],
          summary: 'Record a click on an article a search or typeahead answer returned',
          body: ZClickRequest,
          response: { 200: ZClickResponse, ...errors, 422: ZErrorResponse },
        },
      },
      async (request, reply) => {
        const { searchId, locale, slug } = request.body;
        const click = await recordClick(ctx.db, {
          searchId,
          locale,
          slug,
          searcher: observeSearcher(ctx, request, reply),
          tokens,
          policy: service.evidence,
        });
        // Whether it counted is not said: a client probing the evidence rules learns nothing.
        return { recorded: true as const, searchId: click.searchId };
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
        ctx.locales().assertConfigured(request.body.locale);
        if (!sessionId || !(await searchedRecently(ctx.db, sessionId))) return { recorded: false };
        await recordContact(ctx.db, { sessionId, locale: request.body.locale });
        return { recorded: true };
      },
    );

    app.get(
      '/api/search/insights',
      {
        preHandler: guard('search.read'),
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
      '/api/search/suggestions',
      {
        preHandler: guard('search.read'),
        schema: {
          tags: ['search'],
          summary:
            'Suggested queries for review: evidence, pinned/banned status, filters, whether readers see them (operator)',
          security: [{ bearer: [] }],
          querystring: ZSuggestionReviewRequest,
          response: { 200: ZSuggestionReviewResponse, ...errors },
        },
      },
      async (request) => {
        const decisions = await reviewSuggestions(ctx.db, {
          locale: request.query.locale,
          load: service.successfulOptions,
          policy: service.evidence,
          blocklist: service.blocklist,
        });
        return {
          policy: {
            minReaders: service.evidence.minReaders,
            minNetworks: service.evidence.minNetworks,
            minReaderAgeMinutes: service.evidence.minReaderAgeMs / 60_000,
            blocklistTerms: service.blocklist.size,
          },
          suggestions: decisions.map((d) => ({
            locale: d.query.locale,
            text: d.query.text,
            normalized: d.query.normalized,
            searches: d.query.searches,
            readers: d.query.readers,
            networks: d.query.networks,
            status: d.status,
            filtered: d.filtered,
            enoughEvidence: d.enoughEvidence,
            offered: d.offered,
            articles: d.query.clicks.map((c) => ({ slug: c.slug, networks: c.count })),
          })),
        };
      },
    );

    app.put(
      '/api/search/suggestions',
      {
        preHandler: guard('search.write'),
        schema: {
          tags: ['search'],
          summary: 'Pin, ban, unpin or unban a suggested query of one locale; applies at once (operator)',
          security: [{ bearer: [] }],
          body: ZSuggestionRuleRequest,
          response: { 200: ZSuggestionRuleResponse, ...errors },
        },
      },
      async (request) => setSuggestionRule(ctx.db, ctx.bus, request.body),
    );

    app.get(
      '/api/search/synonyms',
      {
        preHandler: guard('search.read'),
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
        preHandler: guard('search.write'),
        schema: {
          tags: ['search'],
          summary: 'Create a synonym group (operator)',
          security: [{ bearer: [] }],
          body: ZSynonymRequest,
          response: { 200: ZSynonymGroup, ...errors },
        },
      },
      async (request) => {
        ctx.locales().assertConfigured(request.body.locale);
        const group = await createSynonymGroup(ctx.db, request.body, { bus: ctx.bus });
        await service.synonymsReloaded();
        return group;
      },
    );

    app.put(
      '/api/search/synonyms/:id',
      {
        preHandler: guard('search.write'),
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
        const group = await updateSynonymGroup(ctx.db, request.params.id, request.body, { bus: ctx.bus });
        await service.synonymsReloaded();
        return group;
      },
    );

    app.delete(
      '/api/search/synonyms/:id',
      {
        preHandler: guard('search.write'),
        schema: {
          tags: ['search'],
          summary: 'Delete a synonym group (operator)',
          security: [{ bearer: [] }],
          params: z.object({ id: ZId }),
          response: { 200: z.object({ deleted: z.literal(true) }), ...errors },
        },
      },
      async (request) => {
        await deleteSynonymGroup(ctx.db, request.params.id, { bus: ctx.bus });
        await service.synonymsReloaded();
        return { deleted: true as const };
      },
    );

    app.get(
      '/api/search/synonyms/suggested',
      {
        preHandler: guard('search.read'),
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
        const queries = (await loadSuccessfulQueries(ctx.db, service.successfulOptions)).filter(
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
