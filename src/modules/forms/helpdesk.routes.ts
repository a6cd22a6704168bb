import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePermission } from '../../server/auth.js';
import type { AppContext } from '../../server/context.js';
import { auditActorOf } from '../accounts/index.js';
import { helpdeskStatus, listDeliveries } from './helpdesk.queries.js';
import { ZDeliveryList, ZDeliveryListQuery, ZDeliveryView, ZHelpdeskStatus } from './helpdesk.schema.js';
import { retryDelivery } from './retry-delivery.js';

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
const ZId = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

/** The operator's view of forwarding to the help desk: its status, the outbox, and the retry of a failed delivery. */
export function helpdeskRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/helpdesk',
      {
        preHandler: requirePermission(ctx.auth, 'tickets.read'),
        schema: {
          tags: ['tickets'],
          summary: 'Where forwarding to the help desk stands: configured, counts by status, oldest pending (operator)',
          security,
          response: { 200: ZHelpdeskStatus, ...errors },
        },
      },
      async () => helpdeskStatus(ctx.db, ctx.config.helpdesk),
    );

    app.get(
      '/api/helpdesk/deliveries',
      {
        preHandler: requirePermission(ctx.auth, 'tickets.read'),
        schema: {
          tags: ['tickets'],
          summary: 'The help-desk outbox, newest first, optionally of one status (operator)',
          security,
          querystring: ZDeliveryListQuery,
          response: { 200: ZDeliveryList, ...errors },
        },
      },
      async (request) => listDeliveries(ctx.db, request.query),
    );

    app.post(
      '/api/helpdesk/deliveries/:id/retry',
      {
        preHandler: requirePermission(ctx.auth, 'tickets.write'),
        schema: {
          tags: ['tickets'],
          summary: 'Send a failed (or pending) delivery again now, with the same delivery id (operator)',
          security,
          params: z.object({ id: ZId }),
          response: { 200: ZDeliveryView, ...errors },
        },
      },
      async (request) => retryDelivery(ctx.db, request.params.id, { actor: auditActorOf(request), jobs: ctx.jobs }),
    );
  };
}
