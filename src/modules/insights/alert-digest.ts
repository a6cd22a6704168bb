import { sql } from 'kysely';
import type { DB } from '../../db/client.js';
import { enqueueJob } from '../../jobs/index.js';
import { LIMITS } from '../../shared/limits.js';
import { getStoredAlertSettings } from './alert-settings.js';
import { listAlerts } from './alerts.js';
import { ALERT_DELIVERY_QUEUE } from './detect-alerts.js';
import { ALERT_KINDS, type Alert } from './insights.schema.js';
import { dayOf } from './roll-up-insights.js';

/** Articles the digest names as the most "no" votes of the last 7 days. */
const DIGEST_ARTICLES = 5;
/** Alerts the digest lists in full (the count says how many there were). */
const DIGEST_ALERTS = 50;

export interface DigestArticle {
  slug: string;
  title: string;
  locale: string;
  votes: number;
  helpful: number;
  notHelpful: number;
}

export interface DigestBody {
  event: 'insights.digest';
  /** The UTC day the digest covers (the day before it was written). */
  day: string;
  helpCenter: { views: number; votes: number; helpful: number; helpfulRate: number | null };
  /** Alerts not acknowledged yet, all of them, by kind. */
  openAlerts: Record<Alert['kind'], number>;
  /** Alerts raised on `day` and still open: how many, and the first 50. */
  newAlerts: { count: number; alerts: Alert[] };
  /** The articles with the most "no" votes in the 7 days up to `day`: a plain count, not a ranking by rate. */
  mostNotHelpful: DigestArticle[];
}

/** Builds the digest of one day from the rollup and the alerts. */
export async function buildDigest(db: DB, day: string): Promise<DigestBody> {
  const weekFrom = dayOf(new Date(Date.parse(`${day}T00:00:00Z`) - 6 * 86_400_000));
  const totals = await sql<{ views: number; votes: number; helpful: number }>`
    SELECT coalesce(sum(views), 0)::int AS views, coalesce(sum(votes), 0)::int AS votes,
           coalesce(sum(helpful), 0)::int AS helpful
    FROM insight_article_daily WHERE day = ${day}::date`.execute(db);
  const { views = 0, votes = 0, helpful = 0 } = totals.rows[0] ?? {};
  const worst = await sql<DigestArticle>`
    SELECT a.slug, coalesce(rv.title, a.slug) AS title, d.locale, sum(d.votes)::int AS votes,
           sum(d.helpful)::int AS helpful, sum(d.votes - d.helpful)::int AS "notHelpful"
    FROM insight_article_daily d
    JOIN articles a ON a.id = d.article_id
    LEFT JOIN article_translations t ON t.article_id = d.article_id AND t.locale = d.locale
    LEFT JOIN article_revisions rv ON rv.id = t.published_revision_id
    WHERE d.day BETWEEN ${weekFrom}::date AND ${day}::date
    GROUP BY a.slug, rv.title, d.locale
    HAVING sum(d.votes - d.helpful) > 0
    ORDER BY sum(d.votes - d.helpful) DESC, a.slug, d.locale
    LIMIT ${DIGEST_ARTICLES}`.execute(db);
  const open = await listAlerts(db, { open: true, limit: LIMITS.alertRows });
  const openAlerts = Object.fromEntries(ALERT_KINDS.map((kind) => [kind, 0])) as Record<Alert['kind'], number>;
  for (const alert of open) openAlerts[alert.kind] += 1;
  const raised = open.filter((alert) => alert.createdAt.slice(0, 10) === day);
  return {
    event: 'insights.digest',
    day,
    helpCenter: { views, votes, helpful, helpfulRate: votes > 0 ? helpful / votes : null },
    openAlerts,
    newAlerts: { count: raised.length, alerts: raised.slice(0, DIGEST_ALERTS) },
    mostNotHelpful: worst.rows,
  };
}

/**
 * When the daily digest is on and a webhook is set, writes the digest of yesterday (UTC) to the outbox once: a run
 * on a day that already has its digest does nothing, so an hourly job sends one a day whatever restarts happen.
 */
export async function queueDailyDigest(db: DB, now: Date = new Date()): Promise<{ day: string | null }> {
  const settings = await getStoredAlertSettings(db);
  if (!settings.dailyDigest || settings.webhookUrl === null) return { day: null };
  const day = dayOf(new Date(now.getTime() - 86_400_000));
  const exists = await db
    .selectFrom('insight_alert_deliveries')
    .select('id')
    .where('digest_day', '=', day)
    .executeTakeFirst();
  if (exists) return { day: null };
  const body = await buildDigest(db, day);
  return db.transaction().execute(async (trx) => {
    const inserted = await sql<{ id: string }>`
      INSERT INTO insight_alert_deliveries (kind, digest_day, body, next_attempt_at, created_at)
      VALUES ('digest', ${day}::date, ${JSON.stringify(body)}::jsonb, ${now}, ${now})
      ON CONFLICT (digest_day) DO NOTHING
      RETURNING id::text AS id`.execute(trx);
    if (inserted.rows.length === 0) return { day: null };
    await enqueueJob(trx, { queue: ALERT_DELIVERY_QUEUE, dedupeKey: 'due' });
    return { day };
  });
}
