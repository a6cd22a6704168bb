import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/client.js';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../server/errors.js';
import { LIMITS } from '../../shared/limits.js';
import { type AuditActor, recordAudit } from '../accounts/index.js';
import { assertWebhookUrlAllowed } from './alert-webhook-address.js';
import type { UpdateAlertSettingsRequest } from './alerts.schema.js';
import type { AlertSettings } from './insights.schema.js';

/** The settings row with its secret: for delivery only; never presented as it is. */
export interface StoredAlertSettings {
  fdr: number;
  minVotes: number;
  minDrop: number;
  reasonRise: number;
  minGapVolume: number;
  webhookUrl: string | null;
  webhookSecret: string | null;
  dailyDigest: boolean;
}

/** Reads the one settings row (migration 0017 creates it with the defaults). */
export async function getStoredAlertSettings(
  db: Kysely<Database> | Transaction<Database>,
): Promise<StoredAlertSettings> {
  const row = await db.selectFrom('insight_alert_settings').selectAll().where('id', '=', 1).executeTakeFirst();
  if (!row) throw new AppError('INTERNAL', 'the alert settings row is missing');
  return {
    fdr: row.fdr,
    minVotes: row.min_votes,
    minDrop: row.min_drop,
    reasonRise: row.reason_rise,
    minGapVolume: row.min_gap_volume,
    webhookUrl: row.webhook_url,
    webhookSecret: row.webhook_secret,
    dailyDigest: row.daily_digest,
  };
}

/**
 * The settings as the API shows them: the secret only as "set or not". `maskWebhook` hides the URL's path and query
 * (which often are themselves a credential, as in chat webhooks) from readers who may not change the settings.
 */
export function presentAlertSettings(
  stored: StoredAlertSettings,
  options: { maskWebhook?: boolean } = {},
): AlertSettings {
  const { webhookSecret, webhookUrl, ...rest } = stored;
  let shown = webhookUrl;
  if (webhookUrl && options.maskWebhook) {
    const url = new URL(webhookUrl);
    shown = `${url.protocol}//${url.host}/…`;
  }
  return { ...rest, webhookUrl: shown, webhookSecretSet: webhookSecret !== null };
}

/** The settings detectors read (no secret). */
export async function getAlertSettings(db: DB): Promise<AlertSettings> {
  return presentAlertSettings(await getStoredAlertSettings(db));
}

/**
 * Changes some alert settings, audited (secret redacted) in the same transaction. A webhook URL must be http(s) and
 * public unless `allowPrivate` (400 WEBHOOK_URL_REFUSED), and a webhook needs a secret to sign with (400).
 */
export async function updateAlertSettings(
  db: DB,
  patch: UpdateAlertSettingsRequest,
  options: { actor: AuditActor; allowPrivate: boolean },
): Promise<AlertSettings> {
  if (typeof patch.webhookUrl === 'string') {
    patch = { ...patch, webhookUrl: (await assertWebhookUrlAllowed(patch.webhookUrl, options.allowPrivate)).href };
  }
  return db.transaction().execute(async (trx) => {
    const before = await getStoredAlertSettings(trx);
    const next: StoredAlertSettings = { ...before };
    for (const [key, value] of Object.entries(patch) as [keyof StoredAlertSettings, unknown][]) {
      if (value !== undefined) (next as unknown as Record<string, unknown>)[key] = value;
    }
    if (next.webhookUrl !== null && next.webhookSecret === null) {
      throw new AppError('VALIDATION_FAILED', 'a webhook needs a secret to sign its bodies with', [
        {
          path: 'webhookSecret',
          message: `set a secret of ${LIMITS.alertWebhookSecretMin} to ${LIMITS.alertWebhookSecret} characters with the webhook URL`,
        },
      ]);
    }
    await trx
      .updateTable('insight_alert_settings')
      .set({
        fdr: next.fdr,
        min_votes: next.minVotes,
        min_drop: next.minDrop,
        reason_rise: next.reasonRise,
        min_gap_volume: next.minGapVolume,
        webhook_url: next.webhookUrl,
        webhook_secret: next.webhookSecret,
        daily_digest: next.dailyDigest,
        updated_at: new Date(),
      })
      .where('id', '=', 1)
      .execute();
    // diffFields redacts `webhookSecret` by name: the entry says only that it was set, changed or removed.
    const audited = (s: StoredAlertSettings) => ({ ...s, webhookSecret: s.webhookSecret ?? undefined });
    await recordAudit(trx, {
      actor: options.actor,
      action: 'insights.alert_settings.update',
      object: { type: 'insight_alert_settings', id: 'alert-settings' },
      before: audited(before),
      after: audited(next),
    });
    return presentAlertSettings(next);
  });
}
