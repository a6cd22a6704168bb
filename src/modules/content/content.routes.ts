import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { assertLocaleAllowed, requirePermission } from '../../server/auth.js';
import type { AppContext } from '../../server/context.js';
import { notFound } from '../../server/errors.js';
import type { Permission } from '../../shared/permissions.js';
import { getPublishedArticle, listArticles, listTopics } from './content.queries.js';
import {
  ZArticleDetailResponse,
  ZArticleListQuery,
  ZArticleListResponse,
  ZArticleLocaleParams,
  ZLocale,
  ZPublishRequest,
  ZSaveArticleRequest,
  ZSaveArticleResponse,
  ZSaveTopicRequest,
  ZSlug,
} from './content.schema.js';
import { contentActorOf, contentAdminRoutes } from './content-admin.routes.js';
import { publishTranslation, unpublishTranslation } from './publish-translation.js';
import { renderRevision } from './render-cache.js';
import { resolvePlaceholders } from './resolve-placeholders.js';
import { saveArticle } from './save-article.js';
import { saveTopic } from './save-topic.js';

const ZErrorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

/** The content API: public reads of published articles and topics, operator writes of revisions. */
export function contentRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const guard = (permission: Permission) => requirePermission(ctx.auth, permission);
    const errors = {
      400: ZErrorResponse,
      401: ZErrorResponse,
      403: ZErrorResponse,
      404: ZErrorResponse,
      409: ZErrorResponse,
    };
    await app.register(contentAdminRoutes(ctx));

    app.get(
      '/api/articles',
      {
        schema: {
          tags: ['content'],
          summary: 'List published articles in a locale',
          querystring: ZArticleListQuery,
          response: { 200: ZArticleListResponse, 400: ZErrorResponse },
        },
      },
      async (request) => {
        const { locale, fallback } = request.query;
        const articles = await listArticles(ctx.db, { locale, fallback });
        return {
          articles: articles.map((a) => ({
            slug: a.slug,
            title: a.title,
            topic: a.topicSlug,
            locale: a.locale,
            updatedAt: a.updatedAt.toISOString(),
          })),
        };
      },
    );

    app.get(
      '/api/articles/:slug',
      {
        schema: {
          tags: ['content'],
          summary: 'A published article, in the locale asked for or its source language',
          params: z.object({ slug: ZSlug }),
          querystring: z.object({ locale: ZLocale.default('en'), region: z.string().max(20).optional() }),
          response: { 200: ZArticleDetailResponse, ...errors },
        },
      },
      async (request) => {
        const { locale, region: regionCode } = request.query;
        const article = await getPublishedArticle(
          ctx.db,
          request.params.slug,
          locale,
          ctx.locales().fallbackChain(locale),
        );
        if (!article) throw notFound(`article "${request.params.slug}"`);
        const catalog = ctx.regions();
        const region = (regionCode && catalog.byCode(regionCode)) || catalog.defaultRegion;
        const rendered = renderRevision(article.revisionId, article.bodyMarkdown);
        return {
          slug: article.slug,
          title: article.title,
          topic: article.topicSlug,
          locale: article.locale,
          requestedLocale: locale,
          updatedAt: article.updatedAt.toISOString(),
          revision: article.revision,
          keywords: article.keywords,
          html: resolvePlaceholders(rendered.html, catalog.prices, region.currency, article.locale),
          toc: rendered.toc,
          translations: article.translations,
          outdated: article.outdated,
        };
      },
    );

    app.get(
      '/api/topics',
      {
        schema: {
          tags: ['content'],
          summary: 'Every topic with its name in a locale',
          querystring: z.object({ locale: ZLocale.default('en') }),
          response: {
            200: z.object({
              topics: z.array(
                z.object({
                  slug: z.string(),
                  parent: z.string().nullable(),
                  name: z.string(),
                  description: z.string(),
                  articleCount: z.number().int(),
                }),
              ),
            }),
            400: ZErrorResponse,
          },
        },
      },
      async (request) => {
        const topics = await listTopics(ctx.db, request.query.locale);
        const slugById = new Map(topics.map((t) => [t.id, t.slug]));
        return {
          topics: topics.map((t) => ({
            slug: t.slug,
            parent: t.parentId === null ? null : (slugById.get(t.parentId) ?? null),
            name: t.name,
            description: t.description,
            articleCount: t.articleCount,
          })),
        };
      },
    );

    app.put(
      '/api/topics/:slug',
      {
        preHandler: guard('content.write'),
        schema: {
          tags: ['content'],
          summary: 'Create or update a topic (operator)',
          security: [{ bearer: [] }],
          params: z.object({ slug: ZSlug }),
          body: ZSaveTopicRequest.omit({ slug: true }),
          response: { 200: z.object({ slug: z.string(), created: z.boolean() }), ...errors },
        },
      },
      async (request) => {
        const { names, descriptions } = request.body;
        for (const locale of Object.keys({ ...names, ...descriptions }))
          ctx.locales().assertConfigured(locale, 'names');
        const result = await saveTopic(
          ctx.db,
          { ...request.body, slug: request.params.slug },
          { bus: ctx.bus, actor: contentActorOf(request) },
        );
        return { slug: result.slug, created: result.created };
      },
    );

    app.post(
      '/api/articles',
      {
        preHandler: guard('translations.write'),
        schema: {
          tags: ['content'],
          summary: 'Save a new revision of an article in one locale, optionally publishing it (operator)',
          security: [{ bearer: [] }],
          body: ZSaveArticleRequest,
          response: { 200: ZSaveArticleResponse, ...errors },
        },
      },
      async (request) => {
        ctx.locales().assertConfigured(request.body.locale);
        assertLocaleAllowed(request.actor, request.body.locale);
        const result = await saveArticle(ctx.db, request.body, { bus: ctx.bus, actor: contentActorOf(request) });
        return {
          slug: result.slug,
          locale: result.locale,
          revision: result.revision,
          published: result.published,
          unchanged: result.unchanged,
        };
      },
    );

    app.post(
      '/api/articles/:slug/translations/:locale/publish',
      {
        preHandler: guard('translations.write'),
        schema: {
          tags: ['content'],
          summary: 'Publish a revision (default: the latest) of an article translation (operator)',
          security: [{ bearer: [] }],
          params: ZArticleLocaleParams,
          body: ZPublishRequest.optional(),
          response: { 200: z.object({ revision: z.number().int() }), ...errors },
        },
      },
      async (request) => {
        const { slug, locale } = request.params;
        assertLocaleAllowed(request.actor, locale);
        const result = await publishTranslation(
          ctx.db,
          { slug, locale, revision: request.body?.revision },
          { bus: ctx.bus, actor: contentActorOf(request) },
        );
        return { revision: result.revision };
      },
    );

    app.post(
      '/api/articles/:slug/translations/:locale/unpublish',
      {
        preHandler: guard('translations.write'),
        schema: {
          tags: ['content'],
          summary: 'Take an article translation off the public site (operator)',
          security: [{ bearer: [] }],
          params: ZArticleLocaleParams,
          response: { 200: z.object({ unpublished: z.literal(true) }), ...errors },
        },
      },
      async (request) => {
        assertLocaleAllowed(request.actor, request.params.locale);
        await unpublishTranslation(ctx.db, request.params, { bus: ctx.bus, actor: contentActorOf(request) });
        return { unpublished: true as const };
      },
    );
  };
}
