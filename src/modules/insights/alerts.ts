import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/client.js';
import type { Database } from '../../db/schema.js';
import { notFound } from '../../server/errors.js';
import { type AuditActor, recordAudit } from '../accounts/index.js';
import { ALERT_KINDS, type Alert } from './insights.schema.js';

/** Alerts one list answers when the caller does not say. */
export const DEFAULT_ALERT_ROWS = 100;

export interface ListAlertsOptions {
  /** true: not acknowledged; false: acknowledged; undefined: both. */
  open?: boolean;
  kind?: Alert['kind'];
  slug?: string;
  locale?: string;
  limit?: number;
}

type AnyDb = Kysely<Database> | Transaction<Database>;

interface AlertRow {
  id: string;
  kind: string;
  slug: string | null;
  locale: string | null;
  title: string;
  message: string;
  severity: string;
  data: Record<string, unknown>;
  created_at: Date;
  acknowledged_at: Date | null;
}

function isKind(kind: string): kind is Alert['kind'] {
  return (ALERT_KINDS as readonly string[]).includes(kind);
}

/** One alert row as the API shows it. */
export function presentAlert(row: AlertRow): Alert {
  const severity = row.severity === 'critical' || row.severity === 'info' ? row.severity : 'warning';
  return {
    id: Number(row.id),
    kind: isKind(row.kind) ? row.kind : 'declining',
    slug: row.slug,
    locale: row.locale,
    title: row.title,
    message: row.message,
    severity,
    data: row.data,
    createdAt: new Date(row.created_at).toISOString(),
    acknowledgedAt: row.acknowledged_at ? new Date(row.acknowledged_at).toISOString() : null,
  };
}

function selectAlerts(db: AnyDb) {
  return db
    .selectFrom('insight_alerts as al')
    .leftJoin('articles as a', 'a.id', 'al.article_id')
    .select([
      'al.id',
      'al.kind',
      'a.slug',
      'al.locale',
      'al.title',
      'al.message',
      'al.severity',
      'al.data',
      'al.created_at',
      'al.acknowledged_at',
    ]);
}

/** Alerts, newest first, filtered (open, kind, article, locale). Other insights parts call it as it is. */
export async function listAlerts(db: DB, options: ListAlertsOptions = {}): Promise<Alert[]> {
  let query = selectAlerts(db);
  if (options.open === true) query = query.where('al.acknowledged_at', 'is', null);
  if (options.open === false) query = query.where('al.acknowledged_at', 'is not', null);
  if (options.kind) query = query.where('al.kind', '=', options.kind);
  if (options.slug) query = query.where('a.slug', '=', options.slug);
  if (options.locale) query = query.where('al.locale', '=', options.locale);
  const rows = await query
    .orderBy('al.created_at', 'desc')
    .orderBy('al.id', 'desc')
    .limit(options.limit ?? DEFAULT_ALERT_ROWS)
    .execute();
  return rows.map(presentAlert);
}

/** One alert by id (any transaction), or undefined. */
export async function findAlert(db: AnyDb, id: number): Promise<Alert | undefined> {
  const row = await selectAlerts(db).where('al.id', '=', String(id)).executeTakeFirst();
  return row ? presentAlert(row) : undefined;
}

/**
 * Marks an alert as seen and dealt with, audited in the same transaction. Acknowledging it again changes nothing
 * (the first acknowledgement is kept). 404 for an unknown id.
 */
export async function acknowledgeAlert(db: DB, id: number, options: { actor: AuditActor; now?: Date }): Promise<Alert> {
  return db.transaction().execute(async (trx) => {
    const before = await findAlert(trx, id);
    if (!before) throw notFound(`alert ${id}`);
    if (before.acknowledgedAt !== null) return before;
    await trx
      .updateTable('insight_alerts')
      .set({ acknowledged_at: options.now ?? new Date(), acknowledged_by: options.actor.label.slice(0, 320) })
      .where('id', '=', String(id))
      .execute();
    const after = (await findAlert(trx, id)) as Alert;
    await recordAudit(trx, {
      actor: options.actor,
      action: 'insights.alert.acknowledge',
      object: { type: 'insight_alert', id },
      before: { acknowledgedAt: null },
      after: { acknowledgedAt: after.acknowledgedAt },
    });
    return after;
  });
}
