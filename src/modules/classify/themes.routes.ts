import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePermission } from '../../server/auth.js';
import type { AppContext } from '../../server/context.js';
import { notFound } from '../../server/errors.js';
import { auditActorOf } from '../accounts/index.js';
import { acceptTheme } from './accept-theme.js';
import { dismissTheme } from './dismiss-theme.js';
import { mergeTheme } from './merge-theme.js';
import { renameTheme } from './rename-theme.js';
import { runThemeDiscovery } from './run-theme-discovery.js';
import { latestThemeRun, themeRunById } from './themes.queries.js';
import {
  ZAcceptThemeRequest,
  ZDiscoverThemesRequest,
  ZMergeThemeRequest,
  ZRenameThemeRequest,
  ZThemeProposalView,
  ZThemeRunView,
  ZThemesResponse,
} from './themes.schema.js';

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
const security = [{ bearer: [] }];
const ZProposalParams = z.object({ id: z.coerce.number().int().min(1).max(2_147_483_647) });
const ZDecision = z.object({
  proposal: ZThemeProposalView,
  category: z.string().nullable(),
  labeled: z.number().int(),
});

/** Theme discovery: run it, read the latest proposals, and accept, merge, rename or dismiss one (operator). */
export function themesRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    // A run in progress when the server closes stops its worker and is marked failed before the database closes.
    const closing = new AbortController();
    const inFlight = new Set<Promise<void>>();
    app.addHook('onClose', async () => {
      closing.abort();
      await Promise.all(inFlight);
    });

    async function proposalView(id: number) {
      const run = await ctx.db.selectFrom('theme_proposals').select('run_id').where('id', '=', id).executeTakeFirst();
      const latest = run ? await latestThemeRun(ctx.db, run.run_id) : null;
      const proposal = latest?.proposals.find((p) => p.id === id);
      if (!proposal) throw notFound(`theme proposal ${id}`);
      return proposal;
    }

    app.post(
      '/api/classify/themes/discover',
      {
        preHandler: requirePermission(ctx.auth, 'classify.write'),
        schema: {
          tags: ['classify'],
          summary:
            'Start clustering unlabelled and unsure feedback of the window into theme proposals; answers at once with ' +
            'the running run, to poll (operator)',
          security,
          body: ZDiscoverThemesRequest.optional(),
          response: { 202: ZThemeRunView, ...errors },
        },
      },
      async (request, reply) => {
        const body = ZDiscoverThemesRequest.parse(request.body ?? {});
        const { runId, finished } = await runThemeDiscovery(ctx.db, {
          ...body,
          actor: auditActorOf(request),
          signal: closing.signal,
        });
        inFlight.add(finished);
        void finished.finally(() => inFlight.delete(finished));
        const run = await themeRunById(ctx.db, runId);
        if (!run) throw notFound(`theme run ${runId}`);
        return reply.status(202).send(run);
      },
    );

    app.get(
      '/api/classify/themes/runs/:id',
      {
        preHandler: requirePermission(ctx.auth, 'classify.read'),
        schema: {
          tags: ['classify'],
          summary: 'One theme-discovery run: running (with progress), ready or failed (operator)',
          security,
          params: ZProposalParams,
          response: { 200: ZThemeRunView, ...errors },
        },
      },
      async (request) => {
        const run = await themeRunById(ctx.db, request.params.id);
        if (!run) throw notFound(`theme run ${request.params.id}`);
        return run;
      },
    );

    app.get(
      '/api/classify/themes',
      {
        preHandler: requirePermission(ctx.auth, 'classify.read'),
        schema: {
          tags: ['classify'],
          summary: 'The latest theme-discovery run and its proposals, open ones first (operator)',
          security,
          response: { 200: ZThemesResponse, ...errors },
        },
      },
      async () => latestThemeRun(ctx.db),
    );

    app.patch(
      '/api/classify/themes/:id',
      {
        preHandler: requirePermission(ctx.auth, 'classify.write'),
        schema: {
          tags: ['classify'],
          summary: 'Rename an open theme proposal (operator)',
          security,
          params: ZProposalParams,
          body: ZRenameThemeRequest,
          response: { 200: ZThemeProposalView, ...errors },
        },
      },
      async (request) => {
        await renameTheme(ctx.db, { proposalId: request.params.id, ...request.body, actor: auditActorOf(request) });
        return proposalView(request.params.id);
      },
    );

    app.post(
      '/api/classify/themes/:id/accept',
      {
        preHandler: requirePermission(ctx.auth, 'classify.write'),
        schema: {
          tags: ['classify'],
          summary: 'Accept a theme: a new category, its items labelled with it (operator)',
          security,
          params: ZProposalParams,
          body: ZAcceptThemeRequest,
          response: { 200: ZDecision, ...errors },
        },
      },
      async (request) => {
        const done = await acceptTheme(ctx.db, {
          proposalId: request.params.id,
          ...request.body,
          actor: auditActorOf(request),
        });
        return { proposal: await proposalView(request.params.id), category: done.category.slug, labeled: done.labeled };
      },
    );

    app.post(
      '/api/classify/themes/:id/merge',
      {
        preHandler: requirePermission(ctx.auth, 'classify.write'),
        schema: {
          tags: ['classify'],
          summary: 'Merge a theme into an existing category: its items are labelled with it (operator)',
          security,
          params: ZProposalParams,
          body: ZMergeThemeRequest,
          response: { 200: ZDecision, ...errors },
        },
      },
      async (request) => {
        const done = await mergeTheme(ctx.db, {
          proposalId: request.params.id,
          ...request.body,
          actor: auditActorOf(request),
        });
        return { proposal: await proposalView(request.params.id), category: done.category.slug, labeled: done.labeled };
      },
    );

    app.post(
      '/api/classify/themes/:id/dismiss',
      {
        preHandler: requirePermission(ctx.auth, 'classify.write'),
        schema: {
          tags: ['classify'],
          summary: 'Dismiss a theme proposal; nothing is labelled (operator)',
          security,
          params: ZProposalParams,
          response: { 200: ZDecision, ...errors },
        },
      },
      async (request) => {
        await dismissTheme(ctx.db, { proposalId: request.params.id, actor: auditActorOf(request) });
        return { proposal: await proposalView(request.params.id), category: null, labeled: 0 };
      },
    );
  };
}
