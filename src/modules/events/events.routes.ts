import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePermission } from '../../server/auth.js';
import type { AppContext } from '../../server/context.js';
import { AppError, notFound } from '../../server/errors.js';
import { LIMITS } from '../../shared/limits.js';
import type { Permission } from '../../shared/permissions.js';
import { ZId, ZInt4 } from '../../shared/text.js';
import type { CompiledPlan } from './compile-plan.js';
import { createWriteKey, type WriteKeyInfo } from './create-write-key.js';
import {
  ZErrorResponse,
  ZExportQuery,
  ZFunnelRequest,
  ZFunnelResponse,
  ZKpiQuery,
  ZKpiResponse,
  ZPlanResponse,
  ZSavePlanEventRequest,
  ZSavePlanRequest,
  ZViolation,
  ZViolationsQuery,
  ZWriteKey,
} from './events.schema.js';
import type { EventsService } from './events-service.js';
import { exportEvents } from './export-events.js';
import { getProfile } from './get-profile.js';
import { listViolations } from './list-violations.js';
import { listWriteKeys } from './list-write-keys.js';
import { HELP_CENTER_FUNNEL, queryFunnel } from './query-funnel.js';
import { queryKpis } from './query-kpis.js';
import { revokeWriteKey } from './revoke-write-key.js';

const presentKey = (k: WriteKeyInfo) => ({
  id: k.id,
  name: k.name,
  hint: k.hint,
  publicKey: k.publicKey,
  builtin: k.builtin,
  createdAt: k.createdAt.toISOString(),
  revokedAt: k.revokedAt ? new Date(k.revokedAt).toISOString() : null,
});

const presentPlan = (compiled: CompiledPlan) => ({
  version: compiled.version,
  unplanned: compiled.plan.unplanned,
  events: compiled.plan.events,
});

const MAX_RANGE_DAYS = 400;

function checkRange(from: Date, to: Date): void {
  if (to <= from) throw new AppError('VALIDATION_FAILED', '"to" must be after "from"');
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * 86_400_000) {
    throw new AppError('VALIDATION_FAILED', `a range may span at most ${MAX_RANGE_DAYS} days`);
  }
}

/** The events operator API: tracking plan, violations, write keys, export, funnels, KPIs, profiles, stats. */
export function eventsRoutes(ctx: AppContext, events: EventsService): FastifyPluginAsyncZod {
  return async (app) => {
    const guard = (permission: Permission) => requirePermission(ctx.auth, permission);
    const errors = { 400: ZErrorResponse, 401: ZErrorResponse, 404: ZErrorResponse };
    const secured = { tags: ['events'], security: [{ bearer: [] }] };

    app.get(
      '/api/events/plan',
      {
        preHandler: guard('events.read'),
        schema: { ...secured, summary: 'The active tracking plan', response: { 200: ZPlanResponse, ...errors } },
      },
      async () => presentPlan(await events.plans.refresh()),
    );

    app.get(
      '/api/events/plan/versions',
      {
        preHandler: guard('events.read'),
        schema: {
          ...secured,
          summary: 'Every version of the tracking plan, newest first',
          response: {
            200: z.object({
              versions: z.array(
                z.object({ version: z.number(), note: z.string(), createdAt: z.string(), eventCount: z.number() }),
              ),
            }),
            ...errors,
          },
        },
      },
      async () => ({
        versions: (await events.plans.list()).map((v) => ({ ...v, createdAt: new Date(v.createdAt).toISOString() })),
      }),
    );

    app.get(
      '/api/events/plan/versions/:version',
      {
        preHandler: guard('events.read'),
        schema: {
          ...secured,
          summary: 'One version of the tracking plan',
          params: z.object({ version: ZId }),
          response: { 200: ZPlanResponse, ...errors },
        },
      },
      async (request) => presentPlan(await events.plans.get(request.params.version)),
    );

    app.put(
      '/api/events/plan',
      {
        preHandler: guard('events.plan'),
        schema: {
          ...secured,
          summary: 'Replace the whole tracking plan (saved as a new version)',
          body: ZSavePlanRequest,
          response: { 200: ZPlanResponse, ...errors },
        },
      },
      async (request) => {
        const { note, ...plan } = request.body;
        return presentPlan(await events.plans.save(plan, note));
      },
    );

    app.put(
      '/api/events/plan/events/:name',
      {
        preHandler: guard('events.plan'),
        schema: {
          ...secured,
          summary: "Add or change one event's schema and violation action (saved as a new version)",
          params: z.object({ name: z.string().min(1).max(LIMITS.eventName) }),
          body: ZSavePlanEventRequest,
          response: { 200: ZPlanResponse, ...errors },
        },
      },
      async (request) => {
        const current = await events.plans.refresh();
        const { note, ...definition } = request.body;
        const plan = { ...current.plan, events: { ...current.plan.events, [request.params.name]: definition } };
        return presentPlan(await events.plans.save(plan, note || `changed "${request.params.name}"`));
      },
    );

    app.delete(
      '/api/events/plan/events/:name',
      {
        preHandler: guard('events.plan'),
        schema: {
          ...secured,
          summary: 'Remove one event from the plan (saved as a new version)',
          params: z.object({ name: z.string().min(1).max(LIMITS.eventName) }),
          response: { 200: ZPlanResponse, ...errors },
        },
      },
      async (request) => {
        const current = await events.plans.refresh();
        if (!current.plan.events[request.params.name]) throw notFound(`event "${request.params.name}" in the plan`);
        const { [request.params.name]: _removed, ...rest } = current.plan.events;
        return presentPlan(
          await events.plans.save({ ...current.plan, events: rest }, `removed "${request.params.name}"`),
        );
      },
    );

    app.get(
      '/api/events/violations',
      {
        preHandler: guard('events.read'),
        schema: {
          ...secured,
          summary: 'Tracking-plan violations with their reasons, newest first',
          querystring: ZViolationsQuery,
          response: { 200: z.object({ violations: z.array(ZViolation) }), ...errors },
        },
      },
      async (request) => ({ violations: await listViolations(ctx.readDb, request.query) }),
    );

    app.get(
      '/api/events/write-keys',
      {
        preHandler: guard('events.keys'),
        schema: {
          ...secured,
          summary: 'Write keys',
          response: { 200: z.object({ keys: z.array(ZWriteKey) }), ...errors },
        },
      },
      async () => ({ keys: (await listWriteKeys(ctx.db)).map(presentKey) }),
    );

    app.post(
      '/api/events/write-keys',
      {
        preHandler: guard('events.keys'),
        schema: {
          ...secured,
          summary: 'Create a write key; the key is shown only in this answer',
          body: z.object({
            name: z.string().trim().min(1).max(LIMITS.writeKeyName),
            public: z.boolean().default(false),
          }),
          response: { 200: z.object({ key: z.string(), writeKey: ZWriteKey }), ...errors },
        },
      },
      async (request) => {
        const created = await createWriteKey(ctx.db, {
          name: request.body.name,
          public: request.body.public,
          bus: ctx.bus,
        });
        return { key: created.key, writeKey: presentKey(created.info) };
      },
    );

    app.post(
      '/api/events/write-keys/revoke',
      {
        preHandler: guard('events.keys'),
        schema: {
          ...secured,
          summary: 'Revoke a write key, given the key itself or its id',
          body: z.union([z.object({ key: z.string().min(1).max(200) }), z.object({ id: ZInt4.min(1) })]),
          response: { 200: z.object({ writeKey: ZWriteKey }), ...errors },
        },
      },
      async (request) => {
        const revoked = await revokeWriteKey(ctx.db, request.body, { bus: ctx.bus });
        if (!revoked) throw notFound('an active write key matching this');
        // The events service renews a revoked site key from the bus event; the answer waits for it here.
        await events.changesFollowed();
        return { writeKey: presentKey(revoked) };
      },
    );

    app.get(
      '/api/events/export',
      {
        preHandler: guard('events.export'),
        schema: {
          ...secured,
          summary: 'Stream stored messages with a timestamp in [from, to) as NDJSON, oldest first',
          querystring: ZExportQuery,
          response: {
            200: z.unknown().describe('NDJSON: one Segment message per line'),
            400: ZErrorResponse,
            401: ZErrorResponse,
          },
        },
      },
      async (request, reply) => {
        const { from, to, event } = request.query;
        if (to <= from) throw new AppError('VALIDATION_FAILED', '"to" must be after "from"');
        async function* lines() {
          for await (const message of exportEvents(ctx.readDb, { from, to, event }))
            yield `${JSON.stringify(message)}\n`;
        }
        return reply
          .type('application/x-ndjson; charset=utf-8')
          .header('cache-control', 'no-store')
          .send(Readable.from(lines()));
      },
    );

    app.post(
      '/api/events/funnels',
      {
        preHandler: guard('events.read'),
        schema: {
          ...secured,
          summary: 'An ordered funnel over persons within a time window, optionally broken down by locale or article',
          body: ZFunnelRequest,
          response: { 200: ZFunnelResponse, ...errors },
        },
      },
      async (request) => {
        const { steps, from, to, windowMinutes, breakdown, locale } = request.body;
        checkRange(from, to);
        // Without steps, the built-in "help-center" preset (the only one so far).
        const chosen = steps ?? HELP_CENTER_FUNNEL;
        const result = await queryFunnel(ctx.readDb, { steps: chosen, from, to, windowMinutes, breakdown, locale });
        return { ...result, from: from.toISOString(), to: to.toISOString(), windowMinutes };
      },
    );

    app.get(
      '/api/events/kpis',
      {
        preHandler: guard('events.read'),
        schema: {
          ...secured,
          summary:
            'Help center KPIs per day: visitors, searches, search exit rate, helpfulness, contact rate, self-service score',
          querystring: ZKpiQuery,
          response: { 200: ZKpiResponse, ...errors },
        },
      },
      async (request) => {
        const { from, to, locale } = request.query;
        checkRange(from, to);
        const result = await queryKpis(ctx.readDb, { from, to, locale });
        return { from: from.toISOString(), to: to.toISOString(), locale: locale ?? null, ...result };
      },
    );

    app.get(
      '/api/events/profiles/:id',
      {
        preHandler: guard('events.export'),
        schema: {
          ...secured,
          summary: 'A person’s profile, by user id or any stitched anonymous id',
          params: z.object({ id: z.string().min(1).max(LIMITS.eventId) }),
          response: {
            200: z.object({
              personId: z.string(),
              userId: z.string().nullable(),
              aliases: z.array(z.string()),
              firstSeen: z.string(),
              lastSeen: z.string(),
              locale: z.string().nullable(),
              device: z.string().nullable(),
              traits: z.record(z.string(), z.unknown()),
              eventCount: z.number(),
            }),
            ...errors,
          },
        },
      },
      async (request) => {
        const profile = await getProfile(ctx.readDb, request.params.id);
        if (!profile) throw notFound(`a profile for "${request.params.id}"`);
        return profile;
      },
    );

    app.get(
      '/api/events/stats',
      {
        preHandler: guard('events.read'),
        schema: {
          ...secured,
          summary: 'Ingestion counters of this process: queue depth, written, duplicates, dropped, refused',
          response: { 200: z.record(z.string(), z.union([z.number(), z.string()])), ...errors },
        },
      },
      async () => ({ ...events.stats() }),
    );
  };
}
