import { z } from 'zod';
import { LIMITS } from '../../shared/limits.js';
import { ALERT_KINDS, ZAlert } from './insights.schema.js';

/**
 * The alerts API's requests and the outbox's view, beside the shared contract (`ZAlert`, `ZAlertsResponse`,
 * `ZAlertSettings` in insights.schema.ts).
 */

export const ZAlertsQuery = z.object({
  /** true: not acknowledged yet; false: acknowledged; absent: both. */
  open: z.enum(['true', 'false']).optional(),
  kind: z.enum(ALERT_KINDS).optional(),
  slug: z.string().min(1).max(LIMITS.slug).optional(),
  locale: z.string().min(2).max(20).optional(),
  limit: z.coerce.number().int().min(1).max(LIMITS.alertRows).optional(),
  format: z.enum(['json', 'csv']).optional(),
});
export type AlertsQuery = z.infer<typeof ZAlertsQuery>;

export const ZAlertIdParams = z.object({ id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });

export const ZAcknowledgeResponse = z.object({ alert: ZAlert });

/**
 * PUT /api/insights/alert-settings: any subset of the settings; `webhookUrl: null` removes the webhook,
 * `webhookSecret: null` the secret (a webhook cannot be set without one).
 */
export const ZUpdateAlertSettingsRequest = z
  .object({
    fdr: z.number().min(0.001).max(0.5),
    minVotes: z.number().int().min(1).max(100_000),
    minDrop: z.number().min(0).max(1),
    reasonRise: z.number().min(0).max(1),
    minGapVolume: z.number().int().min(1).max(100_000),
    webhookUrl: z.string().trim().min(1).max(LIMITS.alertWebhookUrl).nullable(),
    webhookSecret: z.string().min(LIMITS.alertWebhookSecretMin).max(LIMITS.alertWebhookSecret).nullable(),
    dailyDigest: z.boolean(),
  })
  .partial()
  .strict();
export type UpdateAlertSettingsRequest = z.infer<typeof ZUpdateAlertSettingsRequest>;

export const DELIVERY_STATUSES = ['pending', 'sent', 'dead'] as const;

/** One webhook delivery as the admin screen lists it (the body is not shown: it is the alert or the digest). */
export const ZAlertDelivery = z.object({
  id: z.number().int(),
  kind: z.enum(['alert', 'digest']),
  /** The alert it carries (kind alert), or the day a digest covers. */
  alertId: z.number().int().nullable(),
  digestDay: z.string().nullable(),
  /** "insights.alert" or "insights.digest": the X-Answerloop-Event header. */
  event: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
  lastStatus: z.number().int().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});
export type AlertDelivery = z.infer<typeof ZAlertDelivery>;

export const ZAlertDeliveriesQuery = z.object({
  status: z.enum(DELIVERY_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(LIMITS.alertDeliveryRows).optional(),
});

export const ZAlertDeliveriesResponse = z.object({ deliveries: z.array(ZAlertDelivery) });
export const ZAlertDeliveryResponse = z.object({ delivery: ZAlertDelivery });
