import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/client.js';
import type { Database } from '../../db/schema.js';
import { enqueueJob } from '../../jobs/index.js';
import { AppError, notFound } from '../../server/errors.js';
import { type AuditActor, recordAudit } from '../accounts/index.js';
import type { AlertDelivery } from './alerts.schema.js';
import { ALERT_DELIVERY_QUEUE } from './detect-alerts.js';

/** Deliveries the admin screen lists when it does not say. */
const DEFAULT_DELIVERY_ROWS = 50;

type AnyDb = Kysely<Database> | Transaction<Database>;

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

function selectDeliveries(db: AnyDb) {
  return db
    .selectFrom('insight_alert_deliveries')
    .select([
      'id',
      'kind',
      'alert_id',
      'digest_day',
      'status',
      'attempts',
      'next_attempt_at',
      'last_error',
      'last_status',
      'created_at',
      'sent_at',
    ]);
}

type DeliveryRow = Awaited<ReturnType<ReturnType<typeof selectDeliveries>['executeTakeFirstOrThrow']>>;

function presentDelivery(row: DeliveryRow): AlertDelivery {
  return {
    id: Number(row.id),
    kind: row.kind,
    alertId: row.alert_id === null ? null : Number(row.alert_id),
    digestDay: row.digest_day === null ? null : String(row.digest_day).slice(0, 10),
    event: row.kind === 'digest' ? 'insights.digest' : 'insights.alert',
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' ? iso(row.next_attempt_at) : null,
    lastError: row.last_error,
    lastStatus: row.last_status,
    createdAt: iso(row.created_at) as string,
    sentAt: iso(row.sent_at),
  };
}

/** The webhook outbox, newest first: what was sent, what waits for a retry, what is dead. */
export async function listAlertDeliveries(
  db: DB,
  options: { status?: AlertDelivery['status']; limit?: number } = {},
): Promise<AlertDelivery[]> {
  let query = selectDeliveries(db);
  if (options.status) query = query.where('status', '=', options.status);
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit ?? DEFAULT_DELIVERY_ROWS)
    .execute();
  return rows.map(presentDelivery);
}

/**
 * Sends a dead (or waiting) delivery again now, with its attempts counted from zero and the same id and body;
 * audited, and the delivery job queued in the same transaction. 409 for one already sent.
 */
export async function retryAlertDelivery(db: DB, id: number, options: { actor: AuditActor }): Promise<AlertDelivery> {
  return db.transaction().execute(async (trx) => {
    const before = await selectDeliveries(trx).where('id', '=', String(id)).forUpdate().executeTakeFirst();
    if (!before) throw notFound(`delivery ${id}`);
    if (before.status === 'sent') throw new AppError('CONFLICT', `delivery ${id} was already sent`);
    const after = await trx
      .updateTable('insight_alert_deliveries')
      .set({ status: 'pending', attempts: 0, next_attempt_at: new Date() })
      .where('id', '=', String(id))
      .returning([
        'id',
        'kind',
        'alert_id',
        'digest_day',
        'status',
        'attempts',
        'next_attempt_at',
        'last_error',
        'last_status',
        'created_at',
        'sent_at',
      ])
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actor: options.actor,
      action: 'insights.alert_delivery.retry',
      object: { type: 'insight_alert_delivery', id },
      before: { status: before.status, attempts: before.attempts },
      after: { status: after.status, attempts: after.attempts },
    });
    await enqueueJob(trx, { queue: ALERT_DELIVERY_QUEUE, dedupeKey: 'due' });
    return presentDelivery(after);
  });
}
