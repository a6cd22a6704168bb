import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../server/context.js';
import { notFound } from '../../server/errors.js';
import { ZLocale, ZSlug } from '../content/index.js';
import { readVoteState, VOTE_STATES } from './read-vote-state.js';

const ZErrorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

export const ZVoteStateQuery = z.object({ locale: ZLocale });
export const ZVoteStateResponse = z.object({
  /** Where this reader's widget stands on the revision published now. */
  state: z.enum(VOTE_STATES),
  /** The revision the state is about: a page showing another one predates a publish and keeps asking. */
  revision: z.number().int(),
});
export type VoteStateResponse = z.infer<typeof ZVoteStateResponse>;

/**
 * The reader's own vote on an article, for the vote island: article pages are the same for every reader (and cached
 * as such), so this is the one per-reader part of them. Never stored by any cache.
 */
export function voteStateRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/articles/:slug/vote',
      {
        schema: {
          tags: ['feedback'],
          summary: "The reader's own vote on the article's published revision (from their reader cookie)",
          params: z.object({ slug: ZSlug }),
          querystring: ZVoteStateQuery,
          response: { 200: ZVoteStateResponse, 400: ZErrorResponse, 404: ZErrorResponse },
        },
      },
      async (request, reply) => {
        const { locale } = request.query;
        ctx.locales().assertConfigured(locale);
        if (!ctx.locales().isEnabled(locale)) throw notFound(`locale "${locale}"`);
        const article = await ctx.content.article(request.params.slug, locale);
        if (!article) throw notFound(`article "${request.params.slug}"`);
        reply.header('cache-control', 'private, no-store');
        const state = await readVoteState(ctx.db, ctx.readers.peek(request)?.readerId, article.revisionId);
        return { state, revision: article.revision };
      },
    );
  };
}
