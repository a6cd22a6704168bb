import { z } from 'zod';
import { LIMITS } from '../../shared/limits.js';
import { UNPLANNED_ACTIONS, ZPlanEvent } from './tracking-plan.js';

// ---------------------------------------------------------------------------------------------------------------
// The collector: Segment's HTTP Tracking API message shapes.
// ---------------------------------------------------------------------------------------------------------------

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Any JSON object; checked in O(1) because properties are checked by the tracking plan, not here. */
const ZJsonObject = z.custom<Record<string, unknown>>(isPlainObject, { message: 'must be a JSON object' });

/** Segment accepts numeric ids and treats them as strings. */
const ZId = z
  .union([z.string().min(1).max(LIMITS.eventId), z.number().finite()], {
    error: () => `must be a string of 1 to ${LIMITS.eventId} characters`,
  })
  .transform(String);

const ZDate = z.union([z.string().max(64), z.number()]).refine((v) => !Number.isNaN(new Date(v).getTime()), {
  message: 'must be an ISO-8601 date',
});

const common = {
  messageId: z.string().min(1).max(LIMITS.eventId).optional(),
  anonymousId: ZId.nullish(),
  userId: ZId.nullish(),
  context: ZJsonObject.optional(),
  integrations: ZJsonObject.optional(),
  timestamp: ZDate.nullish(),
  originalTimestamp: ZDate.nullish(),
  sentAt: ZDate.nullish(),
};

const ZEventName = z.string().min(1, 'a track call needs an "event" name').max(LIMITS.eventName);
const ZPageName = z.string().max(LIMITS.eventName).nullish();

const shapes = {
  track: { ...common, event: ZEventName, properties: ZJsonObject.optional() },
  page: { ...common, name: ZPageName, category: ZPageName, properties: ZJsonObject.optional() },
  screen: { ...common, name: ZPageName, category: ZPageName, properties: ZJsonObject.optional() },
  identify: { ...common, traits: ZJsonObject.optional() },
  group: { ...common, groupId: ZId, traits: ZJsonObject.optional() },
  alias: { ...common, userId: ZId, previousId: ZId },
};

function needsIdentity(message: { userId?: string | null; anonymousId?: string | null }): boolean {
  return !!message.userId || !!message.anonymousId;
}
const identityIssue = { message: 'each message needs a "userId" or an "anonymousId"', path: ['userId'] };

/** One message of a single-call endpoint (/v1/track...): `type` comes from the path. */
export const ZSingleMessages = {
  track: z.looseObject({ ...shapes.track, type: z.literal('track').optional() }).refine(needsIdentity, identityIssue),
  page: z.looseObject({ ...shapes.page, type: z.literal('page').optional() }).refine(needsIdentity, identityIssue),
  screen: z
    .looseObject({ ...shapes.screen, type: z.literal('screen').optional() })
    .refine(needsIdentity, identityIssue),
  identify: z
    .looseObject({ ...shapes.identify, type: z.literal('identify').optional() })
    .refine(needsIdentity, identityIssue),
  group: z.looseObject({ ...shapes.group, type: z.literal('group').optional() }).refine(needsIdentity, identityIssue),
  alias: z.looseObject({ ...shapes.alias, type: z.literal('alias').optional() }),
};

const ZBatchMessage = z
  .discriminatedUnion(
    'type',
    [
      z.looseObject({ ...shapes.track, type: z.literal('track') }),
      z.looseObject({ ...shapes.page, type: z.literal('page') }),
      z.looseObject({ ...shapes.screen, type: z.literal('screen') }),
      z.looseObject({ ...shapes.identify, type: z.literal('identify') }),
      z.looseObject({ ...shapes.group, type: z.literal('group') }),
      z.looseObject({ ...shapes.alias, type: z.literal('alias') }),
    ],
    { error: () => 'each batch message needs a "type": track, page, screen, identify, group or alias' },
  )
  .refine((m) => m.type === 'alias' || needsIdentity(m), identityIssue);

export const ZBatchRequest = z.looseObject({
  batch: z.array(ZBatchMessage).min(1, 'a batch needs at least one message').max(10_000),
  writeKey: z.string().max(200).optional(),
  sentAt: ZDate.nullish(),
  context: ZJsonObject.optional(),
  integrations: ZJsonObject.optional(),
});

/** A message after parsing, whatever the endpoint it came through. */
export type InboundMessage = z.output<typeof ZBatchMessage>;

export const ZCollectResponse = z.object({
  success: z.literal(true),
  received: z.number().int(),
  accepted: z.number().int(),
  duplicates: z.number().int(),
  /** Dropped for privacy (do-not-track, no consent) or by the tracking plan. */
  dropped: z.number().int(),
  violations: z.array(
    z.object({
      messageId: z.string(),
      event: z.string().nullable(),
      action: z.enum(['accepted', 'dropped']),
      reasons: z.array(z.object({ path: z.string(), message: z.string() })),
    }),
  ),
});
export type CollectResponse = z.infer<typeof ZCollectResponse>;

// ---------------------------------------------------------------------------------------------------------------
// The operator API.
// ---------------------------------------------------------------------------------------------------------------

export const ZErrorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

export const ZPlanResponse = z.object({
  version: z.number().int(),
  unplanned: z.enum(UNPLANNED_ACTIONS),
  events: z.record(z.string(), z.object({ description: z.string(), onViolation: z.string(), schema: ZJsonObject })),
});

export const ZSavePlanRequest = z.object({
  unplanned: z.enum(UNPLANNED_ACTIONS).default('accept_and_flag'),
  events: z.record(z.string().trim().min(1).max(LIMITS.eventName), ZPlanEvent),
  note: z.string().max(500).default(''),
});

export const ZSavePlanEventRequest = ZPlanEvent.extend({ note: z.string().max(500).default('') });

export const ZIsoDate = z
  .string()
  .max(40)
  .refine((v) => !Number.isNaN(Date.parse(v)), { message: 'must be an ISO-8601 date or date-time' })
  .transform((v) => new Date(v));

export const ZViolationsQuery = z.object({
  event: z.string().max(LIMITS.eventName).optional(),
  from: ZIsoDate.optional(),
  to: ZIsoDate.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** Keyset paging: the `id` of the last violation of the previous page. */
  before: z.coerce.number().int().min(1).optional(),
});

export const ZViolation = z.object({
  id: z.number().int(),
  messageId: z.string(),
  type: z.string(),
  event: z.string().nullable(),
  source: z.string(),
  planVersion: z.number().int(),
  action: z.enum(['accepted', 'dropped']),
  reasons: z.array(z.object({ path: z.string(), message: z.string() })),
  message: ZJsonObject,
  receivedAt: z.string(),
});

export const ZWriteKey = z.object({
  id: z.number().int(),
  name: z.string(),
  hint: z.string(),
  publicKey: z.string().nullable(),
  builtin: z.string().nullable(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});

export const ZExportQuery = z.object({
  from: ZIsoDate,
  to: ZIsoDate,
  event: z.string().max(LIMITS.eventName).optional(),
});

export const ZFunnelStep = z.object({
  /** Any of these events completes the step ("Article Voted" or "Contact Form Viewed"). */
  events: z.array(z.string().min(1).max(LIMITS.eventName)).min(1).max(10),
  label: z.string().max(120).optional(),
});

export const ZFunnelRequest = z.object({
  /** A built-in funnel, or your own steps. */
  preset: z.enum(['help-center']).optional(),
  steps: z.array(ZFunnelStep).min(2).max(LIMITS.funnelSteps).optional(),
  from: ZIsoDate,
  to: ZIsoDate,
  /** How long after the first step the last may happen. */
  windowMinutes: z
    .number()
    .int()
    .min(1)
    .max(60 * 24 * 90)
    .default(60),
  breakdown: z.enum(['locale', 'article']).optional(),
  locale: z.string().max(35).optional(),
});

const ZFunnelCounts = z.object({
  value: z.string().nullable(),
  counts: z.array(z.number().int()),
  conversion: z.array(z.number()),
});

export const ZFunnelResponse = z.object({
  steps: z.array(z.object({ label: z.string(), events: z.array(z.string()) })),
  from: z.string(),
  to: z.string(),
  windowMinutes: z.number().int(),
  total: ZFunnelCounts,
  breakdown: z.array(ZFunnelCounts).optional(),
});

export const ZKpiQuery = z.object({
  from: ZIsoDate,
  to: ZIsoDate,
  locale: z.string().max(35).optional(),
});

const ZKpiRow = z.object({
  visitors: z.number().int(),
  searches: z.number().int(),
  searchExits: z.number().int(),
  searchExitRate: z.number().nullable(),
  votes: z.number().int(),
  helpfulVotes: z.number().int(),
  helpfulness: z.number().nullable(),
  contactViewers: z.number().int(),
  contactRate: z.number().nullable(),
  ticketCreators: z.number().int(),
  selfServiceScore: z.number().nullable(),
});

export const ZKpiResponse = z.object({
  from: z.string(),
  to: z.string(),
  locale: z.string().nullable(),
  totals: ZKpiRow,
  days: z.array(ZKpiRow.extend({ day: z.string() })),
});
