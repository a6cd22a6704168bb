import { createHmac } from 'node:crypto';
import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { getStoredAlertSettings } from './alert-settings.js';
import { postWebhook, WEBHOOK_TIMEOUT_MS } from './alert-webhook-post.js';

/** A delivery is dead after this many failed attempts (about 3½ hours with the backoff below). */
export const DELIVERY_MAX_ATTEMPTS = 8;
/** The first retry waits about this long; each further one twice as long, at most DELIVERY_MAX_DELAY_MS. */
export const DELIVERY_BASE_DELAY_MS = 30_000; // 30 s
export const DELIVERY_MAX_DELAY_MS = 3_600_000; // 1 h
/** A claimed delivery is not claimed again for this long (longer than one attempt may take): a crash only delays it. */
const CLAIM_LEASE_MS = WEBHOOK_TIMEOUT_MS * 3;
/** Deliveries one run posts at most (the next run takes the rest). */
const BATCH = 50;

/** `sha256=<hex HMAC-SHA256 of the raw body>`: the X-Answerloop-Signature header. */
export function signWebhookBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/**
 * The wait before attempt `failed + 1` after `failed` failed attempts: exponential from 30 s, capped at 1 h, with
 * "equal jitter" (between half and all of it) so receivers coming back up are not hit by every sender at once.
 */
export function retryDelayMs(failed: number, random: () => number = Math.random): number {
  const ceiling = Math.min(DELIVERY_MAX_DELAY_MS, DELIVERY_BASE_DELAY_MS * 2 ** Math.max(0, failed - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * Math.min(1, Math.max(0, random())));
}

export interface DeliverAlertsOptions {
  now?: Date;
  /** Let the webhook reach loopback and private addresses (ANSWERLOOP_ALERT_WEBHOOK_ALLOW_PRIVATE). */
  allowPrivate: boolean;
  maxAttempts?: number;
  timeoutMs?: number;
  random?: () => number;
}

export interface DeliverAlertsResult {
  sent: number;
  /** Failed attempts that will be retried. */
  retrying: number;
  dead: number;
}

interface Claimed {
  id: string;
  kind: 'alert' | 'digest';
  body: Record<string, unknown>;
  attempts: number;
}

/**
 * Posts every due delivery of the outbox to the webhook, signed with the secret as it is now: the same body and
 * `X-Answerloop-Delivery` id on every attempt, so a receiver can drop a repeat. A 2xx marks it sent; anything else
 * schedules a retry with backoff, and the `maxAttempts`-th failure marks it dead (retried only by hand). Safe in
 * several processes at once: a delivery is claimed with SKIP LOCKED and leased while it is posted.
 */
export async function deliverDueAlerts(db: DB, options: DeliverAlertsOptions): Promise<DeliverAlertsResult> {
  const now = options.now ?? new Date();
  const maxAttempts = options.maxAttempts ?? DELIVERY_MAX_ATTEMPTS;
  const result: DeliverAlertsResult = { sent: 0, retrying: 0, dead: 0 };
  const settings = await getStoredAlertSettings(db);
  const lease = new Date(now.getTime() + CLAIM_LEASE_MS);
  const { rows } = await sql<Claimed>`
    UPDATE insight_alert_deliveries SET attempts = attempts + 1, next_attempt_at = ${lease}
    WHERE id IN (
      SELECT id FROM insight_alert_deliveries
      WHERE status = 'pending' AND next_attempt_at <= ${now}
      ORDER BY next_attempt_at, id
      LIMIT ${BATCH}
      FOR UPDATE SKIP LOCKED)
    RETURNING id::text AS id, kind, body, attempts`.execute(db);
  for (const delivery of rows.sort((a, b) => Number(a.id) - Number(b.id))) {
    const body = JSON.stringify(delivery.body);
    const answer =
      settings.webhookUrl === null || settings.webhookSecret === null
        ? { status: null, ok: false, error: 'no webhook is set' }
        : await postWebhook(
            settings.webhookUrl,
            body,
            {
              'x-answerloop-signature': signWebhookBody(body, settings.webhookSecret),
              'x-answerloop-delivery': delivery.id,
              'x-answerloop-event': delivery.kind === 'digest' ? 'insights.digest' : 'insights.alert',
            },
            { allowPrivate: options.allowPrivate, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) },
          );
    if (answer.ok) {
      result.sent += 1;
      await db
        .updateTable('insight_alert_deliveries')
        .set({ status: 'sent', sent_at: now, last_error: null, last_status: answer.status })
        .where('id', '=', delivery.id)
        .execute();
      continue;
    }
    const dead = delivery.attempts >= maxAttempts;
    if (dead) result.dead += 1;
    else result.retrying += 1;
    await db
      .updateTable('insight_alert_deliveries')
      .set({
        status: dead ? 'dead' : 'pending',
        next_attempt_at: new Date(now.getTime() + retryDelayMs(delivery.attempts, options.random)),
        last_error: (answer.error ?? 'failed').slice(0, 2000),
        last_status: answer.status,
      })
      .where('id', '=', delivery.id)
      .execute();
  }
  return result;
}
