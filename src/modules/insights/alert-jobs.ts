import type { DB } from '../../db/client.js';
import type { JobRunner } from '../../jobs/index.js';
import { ALERT_DETECTORS } from './alert-detectors.js';
import { queueDailyDigest } from './alert-digest.js';
import { deliverDueAlerts } from './deliver-alerts.js';
import { ALERT_DELIVERY_QUEUE, type AlertDetector, runAlertDetectors } from './detect-alerts.js';

/** The hourly run of every detector, then the deliveries it queued. */
export const ALERTS_QUEUE = 'insights.alerts';
export const ALERTS_EVERY_MS = 60 * 60_000; // 1 h
/** Checked hourly; writes at most one digest a day (see queueDailyDigest). */
export const DIGEST_QUEUE = 'insights.digest';
export const DIGEST_EVERY_MS = 60 * 60_000; // 1 h
/** Retries come due from 30 s on: the outbox is looked at this often (one indexed query when nothing waits). */
export const DELIVERIES_EVERY_MS = 30_000; // 30 s

export interface AlertJobsDeps {
  db: DB;
  /** ANSWERLOOP_ALERT_WEBHOOK_ALLOW_PRIVATE. */
  allowPrivate: boolean;
  /** Default: ALERT_DETECTORS. */
  detectors?: readonly AlertDetector[];
}

/** Registers detection, the daily digest and webhook delivery; every process may run them, claims are exclusive. */
export function registerAlertJobs(runner: JobRunner, deps: AlertJobsDeps): void {
  const deliver = () => deliverDueAlerts(deps.db, { allowPrivate: deps.allowPrivate });
  runner.handle(ALERTS_QUEUE, async () => {
    const detected = await runAlertDetectors(deps.db, deps.detectors ?? ALERT_DETECTORS);
    const delivered = await deliver();
    if (detected.failures.length > 0) {
      // Stored alerts are kept (a retry skips them as repeats); the failure is recorded on the job.
      throw new Error(detected.failures.map((f) => `${f.detector}: ${f.message}`).join('; '));
    }
    return { ...detected, delivered };
  });
  runner.handle(DIGEST_QUEUE, async () => {
    const digest = await queueDailyDigest(deps.db);
    return { ...digest, delivered: await deliver() };
  });
  runner.handle(ALERT_DELIVERY_QUEUE, deliver);
  runner.every(ALERTS_QUEUE, ALERTS_EVERY_MS, { dedupeKey: 'hourly' });
  runner.every(DIGEST_QUEUE, DIGEST_EVERY_MS, { dedupeKey: 'hourly' });
  runner.every(ALERT_DELIVERY_QUEUE, DELIVERIES_EVERY_MS, { dedupeKey: 'due' });
}
