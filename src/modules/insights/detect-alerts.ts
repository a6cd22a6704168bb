import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { enqueueJob } from '../../jobs/index.js';
import { getAlertSettings, getStoredAlertSettings } from './alert-settings.js';
import { findAlert } from './alerts.js';
import type { Alert, AlertSettings } from './insights.schema.js';

/** A finding a detector proposes; `runAlertDetectors` decides whether it becomes a new alert. */
export interface AlertCandidate {
  kind: Alert['kind'];
  /** The article it is about (null for a content gap). */
  slug: string | null;
  locale: string | null;
  /**
   * Names the finding, not the run ("reason_rising:reset-password:en:hard_to_understand"): a candidate whose key has
   * an alert in the last 7 days is dropped.
   */
  dedupeKey: string;
  title: string;
  message: string;
  severity: Alert['severity'];
  data: Record<string, unknown>;
}

/** Looks at the rollups as of `now` with the analyst's thresholds; read-only. */
export type AlertDetector = (db: DB, settings: AlertSettings, now: Date) => Promise<AlertCandidate[]>;

/** A finding is alerted again only after this long without an alert with its key. */
export const ALERT_DEDUPE_DAYS = 7;
/** The queue whose job posts due webhook deliveries (enqueued with each new alert, and every 30 s). */
export const ALERT_DELIVERY_QUEUE = 'insights.alert-deliveries';

export interface DetectAlertsResult {
  created: number;
  /** Candidates dropped: alerted within 7 days, or naming an article that does not exist. */
  skipped: number;
  /** Detectors that threw (the others' alerts are stored all the same). */
  failures: { detector: string; message: string }[];
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * Runs every detector, then stores the new alerts and, when a webhook is set, one outbox delivery per alert, in one
 * transaction (serialised across processes by an advisory lock, so two runs never store the same finding twice).
 */
export async function runAlertDetectors(
  db: DB,
  detectors: readonly AlertDetector[],
  now: Date = new Date(),
): Promise<DetectAlertsResult> {
  const settings = await getAlertSettings(db);
  const candidates: AlertCandidate[] = [];
  const failures: DetectAlertsResult['failures'] = [];
  for (const detector of detectors) {
    try {
      candidates.push(...(await detector(db, settings, now)));
    } catch (error) {
      failures.push({
        detector: detector.name || 'detector',
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
  const { created, skipped } = await db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext('answerloop:insight_alerts'))`.execute(trx);
    if (candidates.length === 0) return { created: 0, skipped: 0 };
    const since = new Date(now.getTime() - ALERT_DEDUPE_DAYS * 86_400_000);
    const keys = [...new Set(candidates.map((c) => c.dedupeKey))];
    const recent = await trx
      .selectFrom('insight_alerts')
      .select('dedupe_key')
      .where('dedupe_key', 'in', keys)
      .where('created_at', '>', since)
      .execute();
    const seen = new Set(recent.map((r) => r.dedupe_key));
    const slugs = [...new Set(candidates.flatMap((c) => (c.slug ? [c.slug] : [])))];
    const articles =
      slugs.length === 0
        ? []
        : await trx.selectFrom('articles').select(['id', 'slug']).where('slug', 'in', slugs).execute();
    const articleIds = new Map(articles.map((a) => [a.slug, a.id]));
    // The webhook as it is now, in this transaction: an alert stored while it is set is delivered.
    const webhook = (await getStoredAlertSettings(trx)).webhookUrl;
    let stored = 0;
    for (const candidate of candidates) {
      const articleId = candidate.slug === null ? null : articleIds.get(candidate.slug);
      if (seen.has(candidate.dedupeKey) || articleId === undefined) continue;
      seen.add(candidate.dedupeKey);
      const inserted = await trx
        .insertInto('insight_alerts')
        .values({
          kind: candidate.kind,
          article_id: articleId,
          locale: candidate.locale,
          dedupe_key: clip(candidate.dedupeKey, 500),
          title: clip(candidate.title, 300),
          message: clip(candidate.message, 2000),
          severity: candidate.severity,
          data: JSON.stringify(candidate.data),
          created_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      stored += 1;
      if (webhook !== null) {
        const alert = (await findAlert(trx, Number(inserted.id))) as Alert;
        await trx
          .insertInto('insight_alert_deliveries')
          .values({
            alert_id: inserted.id,
            kind: 'alert',
            body: JSON.stringify({ event: 'insights.alert', alert }),
            next_attempt_at: now,
            created_at: now,
          })
          .execute();
      }
    }
    if (stored > 0 && webhook !== null) {
      // Part of the same commit: the deliveries exist if and only if their alerts do.
      await enqueueJob(trx, { queue: ALERT_DELIVERY_QUEUE, dedupeKey: 'due' });
    }
    return { created: stored, skipped: candidates.length - stored };
  });
  return { created, skipped, failures };
}
