import rateLimit from '@fastify/rate-limit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePermission } from '../../server/auth.js';
import type { AppContext } from '../../server/context.js';
import { AppError, notFound } from '../../server/errors.js';
import { networkOf } from '../../shared/client-network.js';
import { LIMITS } from '../../shared/limits.js';
import type { Permission } from '../../shared/permissions.js';
import { rateLimitOptions } from '../../shared/rate-limit-store.js';
import type { ReaderIdentity } from '../../shared/reader-identity.js';
import { ZSlug } from '../content/index.js';
import { trackingIdentity } from '../events/index.js';
import { createTicket, updateTicketStatus } from './create-ticket.js';
import { getTicket, getVote, listTickets, listVotes, summariseSuspectVotes } from './feedback.queries.js';
import {
  ZCreateTicketRequest,
  ZSuspectSummary,
  ZSuspectSummaryQuery,
  ZTicketListQuery,
  ZTicketStatus,
  ZTicketView,
  ZVoteListQuery,
  ZVoteRequest,
  ZVoteResponse,
  ZVoteView,
} from './feedback.schema.js';
import { type SubmitVoteResult, submitVote } from './submit-vote.js';

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
  429: ZErrorResponse,
};
const security = [{ bearer: [] }];
const ZId = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

/** The no-JavaScript vote form's fields (all strings, as a browser posts them). */
const ZVoteForm = z.object({
  helpful: z.enum(['yes', 'no']),
  reason: z.string().max(40).optional(),
  comment: z
    .string()
    .max(LIMITS.voteComment * 2)
    .optional(),
  revision: z
    .string()
    .regex(/^\d{1,9}$/)
    .optional(),
  articleLocale: z.string().max(10).optional(),
  website: z.string().max(500).optional(),
});

/**
 * A cross-site page posting votes in the reader's name: refused when the browser says where the post came from.
 * `Origin: null` is an opaque origin (a sandboxed frame, a data: page, a cross-site redirect), never our own page,
 * whose Referrer-Policy (same-origin, set in app.ts) makes browsers send the real origin. A request without Origin
 * is not from a browser form or fetch, so it carries no reader's ambient cookie to abuse, and it is let through.
 */
function assertSameOrigin(ctx: AppContext, request: FastifyRequest): void {
  const origin = request.headers.origin;
  if (origin === undefined) return;
  const refused = new AppError('CROSS_ORIGIN_REFUSED', 'votes are accepted from the help center itself only');
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    throw refused;
  }
  const allowed = new Set([request.host]);
  if (ctx.config.publicUrl) allowed.add(new URL(ctx.config.publicUrl).host);
  if (!allowed.has(host)) throw refused;
}

/** What the vote budgets need to know about the sender. */
function voteClient(request: FastifyRequest, identity: ReaderIdentity) {
  return { ip: request.ip, identityIssuedAt: identity.issuedAt, identityIsNew: identity.isNew };
}

/**
 * The feedback API: readers' votes (JSON for the island, a form post without JavaScript), and tickets and votes for
 * operators. Votes are rate limited per client address and network, budgeted per article (see assess-vote.ts), and a
 * honeypot field turns bots away quietly.
 */
export function feedbackRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const guard = (permission: Permission) => requirePermission(ctx.auth, permission);
    await app.register(
      rateLimit,
      rateLimitOptions({ store: ctx.config.rateLimitStore, db: ctx.db, hashKey: ctx.keys.network, log: app.log }),
    );
    // One counter for the JSON and the form endpoint, keyed on the client address (request.ip believes
    // X-Forwarded-For only from configured proxies), never on the cookie: a client that drops or rotates its cookie
    // must not get a fresh allowance. A second, larger counter per network stops a client rotating the addresses of
    // its own /24 or /64.
    const addressLimit = app.createRateLimit({
      max: LIMITS.votesPerMinute,
      timeWindow: 60_000,
      keyGenerator: (request) => `votes|${request.ip}`,
    });
    const networkLimit = app.createRateLimit({
      max: LIMITS.votesPerNetworkPerMinute,
      timeWindow: 60_000,
      keyGenerator: (request) => `votes-net|${networkOf(request.ip)}`,
    });
    async function limited(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
      for (const limit of [addressLimit, networkLimit]) {
        const result = await limit(request);
        if (result.isAllowed || !result.isExceeded) continue;
        reply.header('retry-after', String(result.ttlInSeconds));
        return true;
      }
      return false;
    }

    function afterVote(request: FastifyRequest, vote: SubmitVoteResult, readerLocale: string): void {
      if (vote.itemId !== null) ctx.jobs.poke();
      // The KPIs' helpfulness counts "Article Voted" events: a flagged vote must not reach them either.
      if (vote.suspect !== null) return;
      const { anonymousId } = trackingIdentity(request);
      if (!anonymousId) return;
      ctx.events.emitServerEvent({
        event: 'Article Voted',
        anonymousId,
        properties: {
          article_slug: (request.params as { slug?: string }).slug ?? (request.body as { article?: string }).article,
          article_locale: vote.articleLocale,
          revision: vote.revision,
          helpful: vote.helpful,
          ...(vote.reason ? { reason: vote.reason } : {}),
          has_comment: vote.comment !== null,
          locale: readerLocale,
        },
      });
    }

    app.post(
      '/api/feedback/votes',
      {
        schema: {
          tags: ['feedback'],
          summary: '"Was this helpful?": a reader votes on an article revision (changeable; one per reader)',
          body: ZVoteRequest,
          response: { 200: ZVoteResponse, ...errors },
        },
      },
      async (request, reply) => {
        assertSameOrigin(ctx, request);
        if (await limited(request, reply)) {
          throw new AppError('RATE_LIMITED', 'too many votes in a short time; try again in a minute');
        }
        const body = request.body;
        ctx.locales().assertConfigured(body.locale);
        // The contact page opens with the article (and the revision read) as context, like the widget's own link.
        const contactUrl = body.helpful
          ? null
          : `/${body.locale}/contact?${new URLSearchParams({
              article: body.article,
              ...(body.revision ? { revision: String(body.revision) } : {}),
            })}`;
        if (body.website) {
          // A bot filled the honeypot: it gets the answer a person would, and nothing is stored.
          return {
            ok: true as const,
            helpful: body.helpful,
            reason: body.reason ?? null,
            hasComment: !!body.comment,
            revision: body.revision ?? 1,
            contactUrl,
          };
        }
        const identity = ctx.readers.identify(request, reply);
        const vote = await submitVote(
          ctx.db,
          {
            slug: body.article,
            locale: body.locale,
            articleLocale: body.articleLocale,
            revision: body.revision,
            helpful: body.helpful,
            reason: body.reason,
            comment: body.comment,
            readerId: identity.readerId,
            source: 'site',
            client: voteClient(request, identity),
          },
          { content: ctx.content, networkKey: ctx.keys.network },
        );
        afterVote(request, vote, body.locale);
        return {
          ok: true as const,
          helpful: vote.helpful,
          reason: vote.reason,
          hasComment: vote.comment !== null,
          revision: vote.revision,
          contactUrl,
        };
      },
    );

    // The same vote from the server-rendered form, for readers without JavaScript: answers with a redirect back to
    // the article, whose widget then shows the next step (or the problem).
    app.post(
      '/:locale/articles/:slug/vote',
      { schema: { hide: true, params: z.object({ locale: z.string().max(10), slug: z.string().max(LIMITS.slug) }) } },
      async (request, reply) => {
        const { locale, slug } = request.params;
        if (!ctx.locales().isEnabled(locale) || !ZSlug.safeParse(slug).success) return reply.callNotFound();
        const back = (state: string) => reply.redirect(`/${locale}/articles/${slug}?vote=${state}#vote`, 303);
        assertSameOrigin(ctx, request);
        if (await limited(request, reply)) return back('limited');
        const form = ZVoteForm.safeParse(request.body ?? {});
        if (!form.success) return back('error');
        const fields = form.data;
        if (fields.website) return back('thanks');
        const reason = ZVoteRequest.shape.reason.safeParse(fields.reason || null);
        const comment = ZVoteRequest.shape.comment.safeParse(fields.comment ?? null);
        const articleLocale =
          fields.articleLocale && ctx.locales().byCode(fields.articleLocale) ? fields.articleLocale : undefined;
        if (!reason.success || !comment.success) return back('error');
        const identity = ctx.readers.identify(request, reply);
        try {
          const vote = await submitVote(
            ctx.db,
            {
              slug,
              locale,
              articleLocale,
              revision: fields.revision ? Number(fields.revision) : undefined,
              helpful: fields.helpful === 'yes',
              reason: reason.data,
              comment: comment.data,
              readerId: identity.readerId,
              source: 'site',
              client: voteClient(request, identity),
            },
            { content: ctx.content, networkKey: ctx.keys.network },
          );
          afterVote(request, vote, locale);
        } catch (error) {
          // The page was rendered before a new revision was published: the widget says the article changed.
          if (error instanceof AppError && error.code === 'VOTE_REVISION_NOT_CURRENT') return back('changed');
          if (error instanceof AppError && error.status < 500) return back('error');
          throw error;
        }
        return back('thanks');
      },
    );

    app.get(
      '/api/feedback/votes',
      {
        preHandler: guard('feedback.read'),
        schema: {
          tags: ['feedback'],
          summary: 'Votes, newest first, with their comments and categories (operator)',
          security,
          querystring: ZVoteListQuery,
          response: {
            200: z.object({ votes: z.array(ZVoteView), nextBefore: z.number().int().nullable() }),
            ...errors,
          },
        },
      },
      async (request) => {
        const q = request.query;
        return listVotes(ctx.db, {
          ...q,
          helpful: q.helpful === undefined ? undefined : q.helpful === 'true',
          hasComment: q.hasComment === undefined ? undefined : q.hasComment === 'true',
          suspect: q.suspect === undefined ? undefined : q.suspect === 'true',
          since: q.since ? new Date(q.since) : undefined,
        });
      },
    );

    app.get(
      '/api/feedback/votes/suspect-summary',
      {
        preHandler: guard('feedback.read'),
        schema: {
          tags: ['feedback'],
          summary:
            'How many votes were flagged by the vote budgets and left out of ratings, by reason and article (operator)',
          security,
          querystring: ZSuspectSummaryQuery,
          response: { 200: ZSuspectSummary, ...errors },
        },
      },
      async (request) => {
        const { since, article } = request.query;
        return summariseSuspectVotes(ctx.db, {
          since: since ? new Date(since) : new Date(Date.now() - 7 * 24 * 60 * 60 * 1000),
          article,
        });
      },
    );

    app.get(
      '/api/feedback/votes/:id',
      {
        preHandler: guard('feedback.read'),
        schema: {
          tags: ['feedback'],
          summary: 'One vote with its comment and categories (operator)',
          security,
          params: z.object({ id: ZId }),
          response: { 200: ZVoteView, ...errors },
        },
      },
      async (request) => {
        const vote = await getVote(ctx.db, request.params.id);
        if (!vote) throw notFound(`vote ${request.params.id}`);
        return vote;
      },
    );

    app.post(
      '/api/tickets',
      {
        preHandler: guard('tickets.write'),
        schema: {
          tags: ['feedback'],
          summary: 'Store a ticket; idempotent on externalId (operator)',
          security,
          body: ZCreateTicketRequest,
          response: { 200: ZTicketView, 201: ZTicketView, ...errors },
        },
      },
      async (request, reply) => {
        const result = await createTicket(ctx.db, request.body, {
          config: ctx.config.feedback,
          requesterKey: ctx.keys.requesterEmail,
          source: 'api',
        });
        if (result.created && result.itemId !== null) ctx.jobs.poke();
        const ticket = await getTicket(ctx.db, result.id);
        return reply.status(result.created ? 201 : 200).send(ticket!);
      },
    );

    app.get(
      '/api/tickets',
      {
        preHandler: guard('tickets.read'),
        schema: {
          tags: ['feedback'],
          summary: 'Tickets, newest first, with human and predicted categories (operator)',
          security,
          querystring: ZTicketListQuery,
          response: {
            200: z.object({ tickets: z.array(ZTicketView), nextBefore: z.number().int().nullable() }),
            ...errors,
          },
        },
      },
      async (request) => {
        const q = request.query;
        return listTickets(ctx.db, { ...q, since: q.since ? new Date(q.since) : undefined });
      },
    );

    app.get(
      '/api/tickets/:id',
      {
        preHandler: guard('tickets.read'),
        schema: {
          tags: ['feedback'],
          summary: 'One ticket with its categories (operator)',
          security,
          params: z.object({ id: ZId }),
          response: { 200: ZTicketView, ...errors },
        },
      },
      async (request) => {
        const ticket = await getTicket(ctx.db, request.params.id);
        if (!ticket) throw notFound(`ticket ${request.params.id}`);
        return ticket;
      },
    );

    app.patch(
      '/api/tickets/:id',
      {
        preHandler: guard('tickets.write'),
        schema: {
          tags: ['feedback'],
          summary: "Change a ticket's status (operator)",
          security,
          params: z.object({ id: ZId }),
          body: z.object({ status: ZTicketStatus }),
          response: { 200: ZTicketView, ...errors },
        },
      },
      async (request) => {
        if (!(await updateTicketStatus(ctx.db, request.params.id, request.body.status))) {
          throw notFound(`ticket ${request.params.id}`);
        }
        return (await getTicket(ctx.db, request.params.id))!;
      },
    );
  };
}
