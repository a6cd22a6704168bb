import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePermission } from '../../server/auth.js';
import type { AppContext } from '../../server/context.js';
import { AppError } from '../../server/errors.js';
import type { Permission } from '../../shared/permissions.js';
import { auditActorOf } from '../accounts/index.js';
import type { ContentActor } from './content-actor.js';
import { getRevision, listRevisions, listTopicTree } from './content-admin.queries.js';
import {
  ZArticleEditorResponse,
  ZArticleRowsQuery,
  ZArticleRowsResponse,
  ZDeleteRegionResponse,
  ZDiffQuery,
  ZDiffResponse,
  ZMoveTopicRequest,
  ZPreviewRequest,
  ZPreviewResponse,
  ZPriceKeyParams,
  ZRegionCodeParams,
  ZRegionsResponse,
  ZRestoreRequest,
  ZRevisionNumberResponse,
  ZRevisionParams,
  ZRevisionsResponse,
  ZRevisionView,
  ZSavePriceRequest,
  ZSavePriceResponse,
  ZSaveRegionRequest,
  ZSaveRegionResponse,
  ZSlugParams,
  ZSourceDiffResponse,
  ZTopicTreeResponse,
  ZTranslationParams,
  ZTranslationQueueQuery,
  ZTranslationQueueResponse,
} from './content-admin.schema.js';
import { diffRevisions, diffSourceSinceTranslation } from './diff-revisions.js';
import { getArticleEditor, presentRevision, presentRevisionSummary } from './get-article-editor.js';
import { listArticleRows } from './list-article-rows.js';
import { markTranslationCurrent } from './mark-translation-current.js';
import { moveTopic } from './move-topic.js';
import { previewMarkdown } from './preview-markdown.js';
import { restoreRevision } from './restore-revision.js';
import { deleteRegion, listRegionsForEditing, savePrice, saveRegion } from './save-region.js';
import { translationQueue } from './translation-queue.js';

const ZErrorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
const errors = {
  400: ZErrorResponse,
  401: ZErrorResponse,
  403: ZErrorResponse,
  404: ZErrorResponse,
  409: ZErrorResponse,
};

/**
 * The caller of an operator write, for an operation that records its own audit entry and applies the translator
 * rules (role and locales).
 */
export function contentActorOf(request: FastifyRequest): ContentActor {
  const audit = auditActorOf(request);
  const actor = request.actor;
  if (!actor) throw new AppError('UNAUTHENTICATED', 'sign in to use this part of the API');
  return { ...audit, role: actor.role, locales: actor.locales };
}

/** The back office's content API: article lists with per-locale status, revisions and diffs, topics, regions. */
export function contentAdminRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const guard = (permission: Permission) => requirePermission(ctx.auth, permission);
    const operator = { tags: ['content back office'], security: [{ bearer: [] }] };

    app.get(
      '/api/content/articles',
      {
        preHandler: guard('content.read'),
        schema: {
          ...operator,
          summary: 'Every article with its status in each locale, filtered, counted and paged',
          querystring: ZArticleRowsQuery,
          response: { 200: ZArticleRowsResponse, ...errors },
        },
      },
      async (request) => listArticleRows(ctx.db, request.query),
    );

    app.get(
      '/api/content/articles/:slug',
      {
        preHandler: guard('content.read'),
        schema: {
          ...operator,
          summary: 'An article for the editor: topic, position and each locale’s status and latest revision',
          params: ZSlugParams,
          response: { 200: ZArticleEditorResponse, ...errors },
        },
      },
      async (request) => getArticleEditor(ctx.db, request.params.slug),
    );

    app.get(
      '/api/content/articles/:slug/translations/:locale/revisions',
      {
        preHandler: guard('content.read'),
        schema: {
          ...operator,
          summary: 'The revisions of a translation, newest first (without bodies)',
          params: ZTranslationParams,
          response: { 200: ZRevisionsResponse, ...errors },
        },
      },
      async (request) => {
        const revisions = await listRevisions(ctx.db, request.params.slug, request.params.locale);
        return { revisions: revisions.map(presentRevisionSummary) };
      },
    );

    app.get(
      '/api/content/articles/:slug/translations/:locale/revisions/:number',
      {
        preHandler: guard('content.read'),
        schema: {
          ...operator,
          summary: 'One revision of a translation, with its Markdown',
          params: ZRevisionParams,
          response: { 200: ZRevisionView, ...errors },
        },
      },
      async (request) => {
        const { slug, locale, number } = request.params;
        return presentRevision(await getRevision(ctx.db, slug, locale, number));
      },
    );

    app.get(
      '/api/content/articles/:slug/translations/:locale/diff',
      {
        preHandler: guard('content.read'),
        schema: {
          ...operator,
          summary: 'What changed between two revisions: a word diff of the title, a line diff of the Markdown',
          params: ZTranslationParams,
          querystring: ZDiffQuery,
          response: { 200: ZDiffResponse, ...errors },
        },
      },
      async (request) => diffRevisions(ctx.db, { ...request.params, ...request.query }),
    );

    app.post(
      '/api/content/articles/:slug/translations/:locale/revisions/:number/restore',
      {
        preHandler: guard('translations.write'),
        schema: {
          ...operator,
          summary: 'Restore an old revision as a new one (optionally publishing it)',
          params: ZRevisionParams,
          body: ZRestoreRequest.optional(),
          response: { 200: ZRevisionNumberResponse, ...errors },
        },
      },
      async (request) => {
        const result = await restoreRevision(
          ctx.db,
          { ...request.params, publish: request.body?.publish ?? false },
          { bus: ctx.bus, actor: contentActorOf(request) },
        );
        return { revision: result.revision };
      },
    );

    app.post(
      '/api/content/articles/:slug/translations/:locale/mark-current',
      {
        preHandler: guard('translations.write'),
        schema: {
          ...operator,
          summary: 'Mark a translation as up to date with its source’s published revision',
          params: ZTranslationParams,
          response: { 200: ZRevisionNumberResponse, ...errors },
        },
      },
      async (request) => {
        const result = await markTranslationCurrent(ctx.db, request.params, {
          bus: ctx.bus,
          actor: contentActorOf(request),
        });
        return { revision: result.revision };
      },
    );

    app.post(
      '/api/content/preview',
      {
        preHandler: guard('content.read'),
        schema: {
          ...operator,
          summary: 'Render Markdown as the site does, with prices for a region',
          body: ZPreviewRequest,
          response: { 200: ZPreviewResponse, ...errors },
        },
      },
      async (request) => {
        // A preview writes nothing: there is nothing for the audit trail to record.
        request.auditDelegated = true;
        return previewMarkdown(ctx.regions(), request.body);
      },
    );

    app.get(
      '/api/content/source-diff/:slug/:locale',
      {
        preHandler: guard('content.read'),
        schema: {
          ...operator,
          summary: 'What changed in the source language since a translation was made from it',
          params: ZTranslationParams,
          response: { 200: ZSourceDiffResponse, ...errors },
        },
      },
      async (request) => diffSourceSinceTranslation(ctx.db, request.params),
    );

    app.get(
      '/api/content/translation-queue',
      {
        preHandler: guard('content.read'),
        schema: {
          ...operator,
          summary: 'Outdated and missing translations, by readers affected (views in that locale, 30 days)',
          querystring: ZTranslationQueueQuery,
          response: { 200: ZTranslationQueueResponse, ...errors },
        },
      },
      async (request) => ({ items: await translationQueue(ctx.db, request.query) }),
    );

    app.get(
      '/api/content/topics',
      {
        preHandler: guard('content.read'),
        schema: {
          ...operator,
          summary: 'The topic tree with names and descriptions in every locale',
          response: { 200: ZTopicTreeResponse, ...errors },
        },
      },
      async () => ({ topics: await presentTopics() }),
    );

    app.post(
      '/api/content/topics/move',
      {
        preHandler: guard('content.write'),
        schema: {
          ...operator,
          summary: 'Move a topic under a parent (or to the top) at a place among its siblings',
          body: ZMoveTopicRequest,
          response: { 200: ZTopicTreeResponse, ...errors },
        },
      },
      async (request) => {
        await moveTopic(ctx.db, request.body, { bus: ctx.bus, actor: contentActorOf(request) });
        return { topics: await presentTopics() };
      },
    );

    app.get(
      '/api/regions',
      {
        preHandler: guard('content.read'),
        schema: {
          ...operator,
          summary: 'Every region and price key',
          response: { 200: ZRegionsResponse, ...errors },
        },
      },
      async () => listRegionsForEditing(ctx.db),
    );

    app.put(
      '/api/regions/:code',
      {
        preHandler: guard('regions.write'),
        schema: {
          ...operator,
          summary: 'Create or update a region',
          params: ZRegionCodeParams,
          body: ZSaveRegionRequest,
          response: { 200: ZSaveRegionResponse, ...errors },
        },
      },
      async (request) => {
        const result = await saveRegion(ctx.db, request.params.code, request.body, {
          bus: ctx.bus,
          actor: contentActorOf(request),
        });
        await ctx.regionsReloaded();
        return result;
      },
    );

    app.delete(
      '/api/regions/:code',
      {
        preHandler: guard('regions.write'),
        schema: {
          ...operator,
          summary: 'Delete a region (not the default one)',
          params: ZRegionCodeParams,
          response: { 200: ZDeleteRegionResponse, ...errors },
        },
      },
      async (request) => {
        await deleteRegion(ctx.db, request.params.code, { bus: ctx.bus, actor: contentActorOf(request) });
        await ctx.regionsReloaded();
        return { deleted: true as const };
      },
    );

    app.put(
      '/api/prices/:key',
      {
        preHandler: guard('regions.write'),
        schema: {
          ...operator,
          summary: 'Set a price key’s amount per currency (replacing its amounts)',
          params: ZPriceKeyParams,
          body: ZSavePriceRequest,
          response: { 200: ZSavePriceResponse, ...errors },
        },
      },
      async (request) => {
        const price = await savePrice(ctx.db, request.params.key, request.body, {
          bus: ctx.bus,
          actor: contentActorOf(request),
        });
        await ctx.regionsReloaded();
        return { price };
      },
    );

    async function presentTopics() {
      const topics = await listTopicTree(ctx.db);
      return topics.map((t) => ({
        slug: t.slug,
        parent: t.parent,
        position: t.position,
        names: t.names,
        articleCount: t.articleCount,
      }));
    }
  };
}
