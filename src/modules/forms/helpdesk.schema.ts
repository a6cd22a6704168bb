/** Zod schemas of the operator's help-desk API (forwarding status, the outbox, retrying a failed delivery). */
import { z } from 'zod';

export const ZDeliveryStatus = z.enum(['pending', 'delivered', 'failed']);

export const ZHelpdeskStatus = z.object({
  /** A help desk is configured (ANSWERLOOP_HELPDESK_URL); otherwise tickets stay in Answerloop. */
  configured: z.boolean(),
  kind: z.enum(['webhook', 'zendesk']).nullable(),
  /** The help desk's host only: no path, query or credentials. */
  host: z.string().nullable(),
  counts: z.object({ pending: z.number().int(), delivered: z.number().int(), failed: z.number().int() }),
  /** Seconds since the oldest pending delivery was filed (null: none waits). */
  oldestPendingAgeSeconds: z.number().int().nullable(),
});
export type HelpdeskStatus = z.infer<typeof ZHelpdeskStatus>;

export const ZDeliveryView = z.object({
  id: z.number().int(),
  ticketId: z.number().int(),
  reference: z.string().nullable(),
  subject: z.string(),
  status: ZDeliveryStatus,
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  lastStatus: z.number().int().nullable(),
  nextAttemptAt: z.string().nullable(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
  connector: z.enum(['webhook', 'zendesk']).nullable(),
  externalId: z.string().nullable(),
});
export type DeliveryView = z.infer<typeof ZDeliveryView>;

export const ZDeliveryListQuery = z.object({
  status: ZDeliveryStatus.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
});

export const ZDeliveryList = z.object({
  deliveries: z.array(ZDeliveryView),
  nextBefore: z.number().int().nullable(),
});
